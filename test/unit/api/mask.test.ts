import { describe, expect, it } from 'vitest';
import { maskPhone } from '../../../electron/host/mask';

describe('maskPhone', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
  });

  it('shows almost nothing of a short number and nothing of a missing one', () => {
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('1')).toBe('*');
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone('')).toBeNull();
  });
});
