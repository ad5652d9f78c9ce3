import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../../hardware/errors';
import { encodeDocument, monoImage, PROFILES, receiptLines, VirtualPrinter } from '../../../hardware/index';

const p58 = PROFILES['pos58-203'];
const hex = (bytes: ArrayLike<number>): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');

describe('the document encoder', () => {
  it('starts every document with ESC @ and ends lines with LF', () => {
    expect(hex(encodeDocument({ blocks: [{ type: 'text', text: 'Hi' }] }, p58))).toBe('1B 40 48 69 0A');
  });

  it('sends a style only when it changes and resets it for the next plain block', () => {
    const bytes = encodeDocument(
      {
        blocks: [
          { type: 'text', text: 'A', style: { bold: true, doubleHeight: true } },
          { type: 'text', text: 'B', style: { bold: true, doubleHeight: true } },
          { type: 'text', text: 'C', style: { reverse: true } },
          { type: 'text', text: 'D' },
        ],
      },
      p58,
    );
    expect(hex(bytes)).toBe('1B 40 1B 21 18 41 0A 42 0A 1B 21 00 1D 42 01 43 0A 1D 42 00 44 0A');
  });

  it('aligns with ESC a and wraps at half the columns in double width', () => {
    const bytes = encodeDocument(
      { blocks: [{ type: 'text', text: 'x'.repeat(20), align: 'center', style: { doubleWidth: true } }] },
      p58,
    );
    expect(hex(bytes)).toBe(`1B 40 1B 61 01 1B 21 20 ${'78 '.repeat(16)}0A ${'78 '.repeat(4)}0A`);
  });

  it('uses the Font B column count for Font B text', () => {
    const bytes = encodeDocument(
      {
        blocks: [
          { type: 'rule', char: '=' },
          { type: 'text', text: 'b'.repeat(42), style: { font: 'B' } },
        ],
      },
      p58,
    );
    const printer = new VirtualPrinter();
    printer.receive(bytes);
    expect(receiptLines(printer.pending)).toEqual(['='.repeat(32), 'b'.repeat(42)]);
  });

  it('emits feed, line spacing, cut with feed, and both drawer pins', () => {
    const bytes = encodeDocument(
      {
        blocks: [
          { type: 'lineSpacing', dots: 40 },
          { type: 'feed', lines: 2 },
          { type: 'lineSpacing', dots: null },
          { type: 'cut', partial: true, feed: 3 },
          { type: 'drawer', pin: 2 },
          { type: 'drawer', pin: 5, onMs: 100, offMs: 200 },
        ],
      },
      p58,
    );
    expect(hex(bytes)).toBe('1B 40 1B 33 28 1B 64 02 1B 32 1D 56 42 03 1B 70 00 19 78 1B 70 01 32 64');
  });

  it('encodes QR payloads as UTF-8 and barcodes with their settings', () => {
    const bytes = encodeDocument(
      {
        blocks: [
          { type: 'qr', data: '会员', moduleSize: 4, level: 'Q' },
          { type: 'barcode', symbology: 'EAN13', data: '400638133393', height: 60, module: 3, hri: 'none' },
        ],
      },
      p58,
    );
    expect(hex(bytes)).toBe(
      [
        '1B 40 1B 61 01',
        '1D 28 6B 04 00 31 41 32 00 1D 28 6B 03 00 31 43 04 1D 28 6B 03 00 31 45 32',
        '1D 28 6B 09 00 31 50 30 E4 BC 9A E5 91 98 1D 28 6B 03 00 31 51 30 0A',
        '1D 68 3C 1D 77 03 1D 48 00 1D 6B 43 0C 34 30 30 36 33 38 31 33 33 33 39 33 0A',
      ].join(' '),
    );
  });

  it('sends a raster logo with GS v 0 and refuses one wider than the head', () => {
    const image = monoImage(10, 2, (x) => x === 0 || x === 9);
    const bytes = encodeDocument({ blocks: [{ type: 'image', image, align: 'left' }] }, p58);
    expect(hex(bytes)).toBe('1B 40 1D 76 30 00 02 00 02 00 80 40 80 40');
    const wide = monoImage(385, 1, () => true);
    expect(() => encodeDocument({ blocks: [{ type: 'image', image: wide }] }, p58)).toThrow(DeviceError);
  });

  it('fills a rule by the columns of its character: ═ is one column in PC437, ＝ two in GB', () => {
    const printer = new VirtualPrinter();
    printer.receive(
      encodeDocument(
        {
          blocks: [
            { type: 'rule', char: '═' },
            { type: 'rule', char: '＝' },
          ],
        },
        p58,
      ),
    );
    expect(receiptLines(printer.pending)).toEqual(['═'.repeat(32), '＝'.repeat(16)]);
  });
});
