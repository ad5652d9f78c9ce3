import { describe, expect, it } from 'vitest';
import {
  decodeLedStream,
  encodeLedBlank,
  encodeLedFrame,
  LED_INIT,
  ledAmount,
  toHex,
  VirtualLedDisplay,
} from '../../../hardware/index';

describe('LED pole display commands', () => {
  it('lights one lamp with ESC s n and shows the amount with ESC Q A … CR', () => {
    expect(toHex(encodeLedFrame('total', 1_234))).toBe('1B73321B5141' + '31322E3334' + '0D');
    expect(toHex(encodeLedFrame('price', 5))).toBe('1B73311B5141302E30350D');
    expect(toHex(encodeLedFrame('paid', 10_000))).toBe('1B73331B51413130302E30300D');
    expect(toHex(encodeLedFrame('change', 0))).toBe('1B73341B5141302E30300D');
    expect(toHex(encodeLedBlank())).toBe('0C1B7330');
    expect(toHex(LED_INIT)).toBe('1B40');
  });

  it('shows yuan with two decimals and refuses what eight digits cannot hold', () => {
    expect(ledAmount(99_999_999)).toBe('999999.99');
    expect(() => ledAmount(100_000_000)).toThrow(
      expect.objectContaining({ code: 'DISPLAY_AMOUNT_TOO_LONG' }),
    );
    expect(() => ledAmount(-1)).toThrow(expect.objectContaining({ code: 'DISPLAY_AMOUNT_INVALID' }));
    expect(() => ledAmount(1.5)).toThrow(expect.objectContaining({ code: 'DISPLAY_AMOUNT_INVALID' }));
  });

  it('decodes a byte stream as the display would show it, across split writes', () => {
    const bytes = Buffer.concat([LED_INIT, encodeLedFrame('price', 1_200), encodeLedFrame('total', 1_234)]);
    expect(decodeLedStream(bytes)).toEqual({ lamp: 'total', text: '12.34', resets: 1 });
    const half = decodeLedStream(bytes.subarray(0, bytes.length - 3));
    expect(half).toMatchObject({ lamp: 'total', text: '12.00' });
    expect(decodeLedStream(Buffer.concat([bytes, encodeLedBlank()]))).toMatchObject({
      lamp: 'none',
      text: '',
    });
  });

  it('the virtual display keeps every byte and shows what a real one would', async () => {
    const display = new VirtualLedDisplay();
    await display.open();
    await display.show('change', 3_766);
    expect(display.state()).toEqual({ lamp: 'change', text: '37.66', resets: 1 });
    expect(toHex(display.received)).toBe(`1B40${toHex(encodeLedFrame('change', 3_766))}`);
  });
});
