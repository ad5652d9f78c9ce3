/**
 * The 8-digit LED price pole display found at Chinese counters ("通用客显指令集"): a number and four label
 * lamps. `ESC @` resets it, `ESC s n` lights one lamp (n an ASCII digit: '0' none, '1' 单价, '2' 总计,
 * '3' 收款, '4' 找零), `ESC Q A d…d CR` shows a number of at most 8 digits and one '.', `0C` clears it.
 * Nothing is sent back. Pure bytes here; the virtual display decodes the same bytes back.
 */
import { DeviceError } from '../errors';

export type LedLamp = 'none' | 'price' | 'total' | 'paid' | 'change';

const ESC = 0x1b;
const CR = 0x0d;
export const LED_CLEAR = 0x0c;
export const LED_INIT = Buffer.from([ESC, 0x40]);
/** Digits an 8-digit display can show. */
export const LED_DIGITS = 8;

const LAMP_DIGIT: Record<LedLamp, number> = {
  none: 0x30,
  price: 0x31,
  total: 0x32,
  paid: 0x33,
  change: 0x34,
};
const LAMP_OF_DIGIT = new Map(Object.entries(LAMP_DIGIT).map(([lamp, digit]) => [digit, lamp as LedLamp]));

/** Fen as the display shows yuan: 1234 → "12.34". More than 8 digits cannot be shown. */
export function ledAmount(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) {
    throw new DeviceError(
      'DISPLAY_AMOUNT_INVALID',
      'a displayed amount is a whole number of fen, not negative',
      {
        details: { fen },
      },
    );
  }
  const text = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  if (text.length - 1 > LED_DIGITS) {
    throw new DeviceError('DISPLAY_AMOUNT_TOO_LONG', `the display shows at most ${LED_DIGITS} digits`, {
      details: { fen },
    });
  }
  return text;
}

/** One amount with its lamp: `ESC s n` then `ESC Q A amount CR`. */
export function encodeLedFrame(lamp: LedLamp, fen: number): Buffer {
  return Buffer.concat([
    Buffer.from([ESC, 0x73, LAMP_DIGIT[lamp]]),
    Buffer.from([ESC, 0x51, 0x41]),
    Buffer.from(ledAmount(fen), 'ascii'),
    Buffer.from([CR]),
  ]);
}

/** The display blank with no lamp lit (between customers). */
export function encodeLedBlank(): Buffer {
  return Buffer.from([LED_CLEAR, ESC, 0x73, LAMP_DIGIT.none]);
}

export interface LedState {
  lamp: LedLamp;
  /** What the digits show ("" when cleared). */
  text: string;
  /** How many times `ESC @` reset it. */
  resets: number;
}

/** What a display shows after receiving `bytes` from power-on: the decoder of the virtual display. */
export function decodeLedStream(
  bytes: Uint8Array,
  from: LedState = { lamp: 'none', text: '', resets: 0 },
): LedState {
  const state = { ...from };
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    if (byte === LED_CLEAR) {
      state.text = '';
      index += 1;
    } else if (byte === ESC && bytes[index + 1] === 0x40) {
      Object.assign(state, { lamp: 'none', text: '', resets: state.resets + 1 });
      index += 2;
    } else if (byte === ESC && bytes[index + 1] === 0x73 && index + 2 < bytes.length) {
      state.lamp = LAMP_OF_DIGIT.get(bytes[index + 2]!) ?? state.lamp;
      index += 3;
    } else if (byte === ESC && bytes[index + 1] === 0x51 && bytes[index + 2] === 0x41) {
      const end = bytes.indexOf(CR, index + 3);
      if (end < 0) break; // the rest of the number has not arrived yet
      state.text = Buffer.from(bytes.subarray(index + 3, end)).toString('ascii');
      index = end + 1;
    } else {
      index += 1;
    }
  }
  return state;
}
