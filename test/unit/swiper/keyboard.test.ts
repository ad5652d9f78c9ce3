import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BootKeyboardDecoder,
  encodeKeyboardReports,
  type KeyboardStyle,
  UNKNOWN,
} from '../../../hardware/swiper/keyboard';
import { dataAlphabet, formatTrack } from '../../../hardware/swiper/tracks';

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

function decodeAll(reports: readonly Uint8Array[], decoder = new BootKeyboardDecoder()): string {
  let text = '';
  for (const report of reports) decoder.decode(report, (code) => (text += String.fromCharCode(code)));
  return text;
}

describe('boot-keyboard report decoding', () => {
  it('decodes by HID usage: %B4 arrives as [02 00 22], [02 00 05], [00 00 21]', () => {
    const reports = ['02 00 22 00 00 00 00 00', '02 00 05 00 00 00 00 00', '00 00 21 00 00 00 00 00'].map(
      bytes,
    );
    expect(decodeAll(reports)).toBe('%B4');
  });

  it('decodes the track punctuation from fixed usages, whatever the OS layout would make of them', () => {
    const reports = [
      '00 00 33 00 00 00 00 00', // ;
      '00 00 00 00 00 00 00 00',
      '00 00 2e 00 00 00 00 00', // =
      '00 00 00 00 00 00 00 00',
      '02 00 23 00 00 00 00 00', // ^
      '00 00 00 00 00 00 00 00',
      '20 00 38 00 00 00 00 00', // ? with right Shift
      '00 00 00 00 00 00 00 00',
      '00 00 28 00 00 00 00 00', // Enter
    ].map(bytes);
    expect(decodeAll(reports)).toBe(';=^?\n');
  });

  it('types a key again when two consecutive reports carry the same keys (readers that skip the release)', () => {
    const reports = ['00 00 21 00 00 00 00 00', '00 00 21 00 00 00 00 00', '00 00 1e 00 00 00 00 00'].map(
      bytes,
    );
    expect(decodeAll(reports)).toBe('441');
    // Same key, Shift now down: "/" then "?".
    expect(decodeAll(['00 00 38 00 00 00 00 00', '02 00 38 00 00 00 00 00'].map(bytes))).toBe('/?');
  });

  it('types each key once under rollover, in the order the keys went down', () => {
    const reports = [
      '00 00 1e 00 00 00 00 00', // 1
      '00 00 1e 1f 00 00 00 00', // 1 held, 2 down
      '00 00 1f 00 00 00 00 00', // 1 up
      '00 00 1f 20 21 00 00 00', // 3 and 4 down together
      '00 00 00 00 00 00 00 00',
    ].map(bytes);
    expect(decodeAll(reports)).toBe('1234');
  });

  it('ignores the ErrorRollOver state and keeps what was held', () => {
    const reports = ['00 00 1e 00 00 00 00 00', '00 00 01 01 01 01 01 01', '00 00 1e 1f 00 00 00 00'].map(
      bytes,
    );
    expect(decodeAll(reports)).toBe('12');
  });

  it('accepts numbered reports (a report ID byte first) and refuses other sizes', () => {
    expect(decodeAll([bytes('00 02 00 22 00 00 00 00 00')])).toBe('%');
    const decoder = new BootKeyboardDecoder();
    expect(decoder.decode(bytes('00 00 22'), () => {})).toBe(false);
  });

  it('decodes keys that type no track character (Ctrl+key, F1) as a character no track accepts', () => {
    expect(decodeAll([bytes('01 00 06 00 00 00 00 00'), bytes('00 00 3a 00 00 00 00 00')])).toBe(
      String.fromCharCode(UNKNOWN, UNKNOWN),
    );
  });

  it('decodes keypad digits and keypad Enter', () => {
    expect(decodeAll([bytes('00 00 59 00 00 00 00 00'), bytes('00 00 62 58 00 00 00 00')])).toBe('10\n');
  });

  it('round-trips any track text in every reader style (property)', () => {
    const styles: KeyboardStyle[] = ['press-release', 'packed', 'rollover'];
    const trackText = fc.oneof(
      ...([1, 2, 3] as const).map((track) =>
        fc
          .string({ unit: fc.constantFrom(...dataAlphabet(track)), minLength: 1, maxLength: 37 })
          .map((data) => `${formatTrack(track, data)}\n`),
      ),
    );
    fc.assert(
      fc.property(
        fc.array(trackText, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...styles),
        (tracks, style) => {
          const text = tracks.join('');
          expect(decodeAll(encodeKeyboardReports(text, style))).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});
