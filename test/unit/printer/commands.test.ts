import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../../hardware/errors';
import * as cmd from '../../../hardware/printer/escpos/commands';

const hex = (bytes: ArrayLike<number>): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');

describe('ESC/POS commands produce the exact bytes of the reference', () => {
  it('ESC @ initialises the printer', () => expect(hex(cmd.init())).toBe('1B 40'));

  it('ESC ! packs font B, emphasis, double height, double width and underline into one byte', () => {
    expect(hex(cmd.printMode({}))).toBe('1B 21 00');
    expect(hex(cmd.printMode({ fontB: true }))).toBe('1B 21 01');
    expect(hex(cmd.printMode({ bold: true }))).toBe('1B 21 08');
    expect(hex(cmd.printMode({ doubleHeight: true }))).toBe('1B 21 10');
    expect(hex(cmd.printMode({ doubleWidth: true }))).toBe('1B 21 20');
    expect(hex(cmd.printMode({ underline: true }))).toBe('1B 21 80');
    expect(hex(cmd.printMode({ bold: true, doubleHeight: true, doubleWidth: true }))).toBe('1B 21 38');
  });

  it('ESC E, ESC -, ESC M and GS B switch bold, underline, font and reverse', () => {
    expect(hex(cmd.bold(true))).toBe('1B 45 01');
    expect(hex(cmd.bold(false))).toBe('1B 45 00');
    expect(hex(cmd.underline(2))).toBe('1B 2D 02');
    expect(hex(cmd.font('A'))).toBe('1B 4D 00');
    expect(hex(cmd.font('B'))).toBe('1B 4D 01');
    expect(hex(cmd.reverse(true))).toBe('1D 42 01');
  });

  it('GS ! puts (width−1) in the high nibble and (height−1) in the low one', () => {
    expect(hex(cmd.characterSize(1, 1))).toBe('1D 21 00');
    expect(hex(cmd.characterSize(2, 2))).toBe('1D 21 11');
    expect(hex(cmd.characterSize(8, 3))).toBe('1D 21 72');
    expect(() => cmd.characterSize(9, 1)).toThrow(DeviceError);
  });

  it('ESC a aligns left, centre and right', () => {
    expect(hex(cmd.align('left'))).toBe('1B 61 00');
    expect(hex(cmd.align('center'))).toBe('1B 61 01');
    expect(hex(cmd.align('right'))).toBe('1B 61 02');
  });

  it('line spacing, feeds, code table, character set and the Chinese mode switches', () => {
    expect(hex(cmd.lineSpacing(30))).toBe('1B 33 1E');
    expect(hex(cmd.defaultLineSpacing())).toBe('1B 32');
    expect(hex(cmd.lineFeed())).toBe('0A');
    expect(hex(cmd.feedLines(3))).toBe('1B 64 03');
    expect(hex(cmd.codeTable(16))).toBe('1B 74 10');
    expect(hex(cmd.internationalSet(15))).toBe('1B 52 0F');
    expect(hex(cmd.chineseOn())).toBe('1C 26');
    expect(hex(cmd.chineseOff())).toBe('1C 2E');
  });

  it('GS V cuts in place (m 0/1) or feeds to the cutter first (m 65/66 n)', () => {
    expect(hex(cmd.cut('full'))).toBe('1D 56 00');
    expect(hex(cmd.cut('partial'))).toBe('1D 56 01');
    expect(hex(cmd.cut('full', 3))).toBe('1D 56 41 03');
    expect(hex(cmd.cut('partial', 0))).toBe('1D 56 42 00');
  });

  it('ESC p pulses pin 2 or pin 5 with times in 2 ms units (node-escpos default 1B 70 00 19 78)', () => {
    expect(hex(cmd.drawerPulse(2, 50, 240))).toBe('1B 70 00 19 78');
    expect(hex(cmd.drawerPulse(5, 100, 100))).toBe('1B 70 01 32 32');
    expect(() => cmd.drawerPulse(2, 0, 100)).toThrow(DeviceError);
  });

  it('barcode settings and CODE128 (function B, code set B prefix, `{` escaped)', () => {
    expect(hex(cmd.barcodeHeight(80))).toBe('1D 68 50');
    expect(hex(cmd.barcodeModule(2))).toBe('1D 77 02');
    expect(hex(cmd.barcodeHri('below'))).toBe('1D 48 02');
    expect(hex(cmd.barcodeCode128('AB1'))).toBe('1D 6B 49 05 7B 42 41 42 31');
    expect(hex(cmd.barcodeCode128('{'))).toBe('1D 6B 49 04 7B 42 7B 7B');
    expect(() => cmd.barcodeCode128('中')).toThrow(/printable ASCII/);
  });

  it('EAN13 (function B, m 67) takes 12 digits or 13 with a correct check digit', () => {
    expect(cmd.ean13CheckDigit('400638133393')).toBe(1);
    expect(hex(cmd.barcodeEan13('4006381333931'))).toBe('1D 6B 43 0C 34 30 30 36 33 38 31 33 33 33 39 33');
    expect(hex(cmd.barcodeEan13('400638133393'))).toBe('1D 6B 43 0C 34 30 30 36 33 38 31 33 33 33 39 33');
    expect(() => cmd.barcodeEan13('4006381333932')).toThrow(/check digit/);
    expect(() => cmd.barcodeEan13('12345')).toThrow(DeviceError);
  });

  it('GS ( k stores a QR code with pL pH = length + 3 and prints it (model 2, size, level)', () => {
    const bytes = cmd.qrCode(new TextEncoder().encode('AB'), { moduleSize: 4, level: 'H' });
    expect(hex(bytes)).toBe(
      [
        '1D 28 6B 04 00 31 41 32 00',
        '1D 28 6B 03 00 31 43 04',
        '1D 28 6B 03 00 31 45 33',
        '1D 28 6B 05 00 31 50 30 41 42',
        '1D 28 6B 03 00 31 51 30',
      ].join(' '),
    );
    const long = cmd.qrCode(new Uint8Array(300).fill(0x41));
    const store = long.indexOf(0x50) - 6;
    expect(long.slice(store, store + 5)).toEqual([0x1d, 0x28, 0x6b, 303 & 0xff, 303 >> 8]);
  });

  it('GS v 0 sends bytes per row and rows little-endian, then the bitmap', () => {
    expect(hex(cmd.rasterImage(2, 3, Uint8Array.from([1, 2, 3, 4, 5, 6])))).toBe(
      '1D 76 30 00 02 00 03 00 01 02 03 04 05 06',
    );
    expect(hex(cmd.rasterImage(300, 1, new Uint8Array(300)).slice(0, 8))).toBe('1D 76 30 00 2C 01 01 00');
    expect(() => cmd.rasterImage(2, 2, new Uint8Array(3))).toThrow(/does not match/);
  });

  it('DLE EOT n asks for real-time status and GS a n enables automatic status back', () => {
    expect(hex(cmd.realtimeStatus(1))).toBe('10 04 01');
    expect(hex(cmd.realtimeStatus(4))).toBe('10 04 04');
    expect(hex(cmd.automaticStatusBack({ drawer: true, online: true, error: true, paper: true }))).toBe(
      '1D 61 0F',
    );
    expect(hex(cmd.automaticStatusBack({}))).toBe('1D 61 00');
  });
});
