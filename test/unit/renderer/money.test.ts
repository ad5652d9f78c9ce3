import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeDue, formatFen, parseYuan, pressAmountKey } from '../../../renderer/src/money';

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [3050, '¥30.50'],
    [10_000, '¥100.00'],
    [123_456_789, '¥1,234,567.89'],
    [-5, '-¥0.05'],
    [-3050, '-¥30.50'],
  ])('shows %i fen as %s', (fen, shown) => {
    expect(formatFen(fen)).toBe(shown);
  });

  it('refuses a fraction of a fen or an unsafe integer', () => {
    expect(() => formatFen(0.5)).toThrow(RangeError);
    expect(() => formatFen(2 ** 53)).toThrow(RangeError);
  });
});

describe('parseYuan', () => {
  it.each([
    ['30.50', 3050],
    ['30.5', 3050],
    ['30.', 3000],
    ['0.01', 1],
    ['100', 10_000],
    ['0.1', 10],
  ])('reads %s as %i fen', (typed, fen) => {
    expect(parseYuan(typed)).toBe(fen);
  });

  it.each(['', '0', '0.00', '.', '1.234', '-1', '1e3', '12,00', '¥12', '12345678'])('refuses %j', (typed) => {
    expect(parseYuan(typed)).toBeNull();
  });

  it('reads back every amount it formats, to the fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999 }), (fen) => {
        expect(parseYuan(formatFen(fen).replace(/[¥,]/g, ''))).toBe(fen);
      }),
    );
  });
});

describe('pressAmountKey', () => {
  const typeKeys = (keys: string) => [...keys].reduce(pressAmountKey, '');

  it('builds an amount key by key', () => {
    expect(typeKeys('30.50')).toBe('30.50');
  });

  it('ignores a second point, a third decimal and anything that is not a digit', () => {
    expect(typeKeys('1.2.3')).toBe('1.23');
    expect(typeKeys('1.234')).toBe('1.23');
    expect(typeKeys('1a+-2')).toBe('12');
  });

  it('starts a bare point as 0. and drops leading zeros', () => {
    expect(typeKeys('.5')).toBe('0.5');
    expect(typeKeys('007')).toBe('7');
  });

  it('stops at seven digits of yuan', () => {
    expect(typeKeys('123456789')).toBe('1234567');
  });

  it('always leaves text that parses or is an unfinished amount', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('0', '1', '5', '9', '.', 'x'), { maxLength: 20 }), (keys) => {
        const text = keys.reduce(pressAmountKey, '');
        expect(text).toMatch(/^(?:[0-9]{0,7}|[0-9]{1,7}\.[0-9]{0,2})$/);
      }),
    );
  });
});

describe('changeDue', () => {
  it('is the cash received less the amount due, in whole fen', () => {
    expect(changeDue('100', 8_850)).toBe(1_150);
    expect(changeDue('88.5', 8_850)).toBe(0);
    // ¥0.10 + ¥0.20 style sums stay exact: no floats anywhere.
    expect(changeDue('0.3', 10)).toBe(20);
  });

  it('is negative when the cash received is short, and null before anything readable is typed', () => {
    expect(changeDue('50', 8_850)).toBe(-3_850);
    expect(changeDue('', 8_850)).toBeNull();
    expect(changeDue('1.2.3', 8_850)).toBeNull();
  });
});
