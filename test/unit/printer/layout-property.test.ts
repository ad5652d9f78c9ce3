import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFen } from '../../../electron/receipts/index';
import {
  encodeDocument,
  PROFILES,
  pair,
  receiptLines,
  textColumns,
  VirtualPrinter,
  wrap,
} from '../../../hardware/index';

const pieces = [
  '会员',
  '储值',
  '￥',
  'Café',
  'latte',
  ' ',
  '  ',
  'x',
  '—',
  'Ж',
  '12.50',
  '（大杯）',
  'é',
  '𠀀',
];
const mixedText = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));
const profiles = Object.values(PROFILES);

describe('layout properties on random mixed Chinese and Latin text', () => {
  it('wrapped lines never exceed the width and lose no character but spaces at breaks', () => {
    fc.assert(
      fc.property(mixedText, fc.constantFrom(...profiles), (text, profile) => {
        const width = profile.columnsFontA;
        const lines = wrap(text, width, profile);
        for (const line of lines) expect(textColumns(line, profile)).toBeLessThanOrEqual(width);
        expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      }),
      { numRuns: 300 },
    );
  });

  it('a pair line keeps the value whole and right-aligned on the last line', () => {
    fc.assert(
      fc.property(
        mixedText,
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.constantFrom(...profiles),
        (label, fen, profile) => {
          const value = formatFen(fen, { fullwidth: true });
          const width = profile.columnsFontA;
          const lines = pair(label, value, width, profile);
          const last = lines.at(-1)!;
          expect(last.endsWith(value)).toBe(true);
          expect(textColumns(last, profile)).toBe(width);
          for (const line of lines) expect(textColumns(line, profile)).toBeLessThanOrEqual(width);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('whatever the text, the virtual printer reads back exactly what was encoded', () => {
    fc.assert(
      fc.property(mixedText, fc.constantFrom(...profiles), (text, profile) => {
        const printer = new VirtualPrinter();
        printer.receive(encodeDocument({ blocks: [{ type: 'text', text }] }, profile));
        expect(printer.unknownBytes).toEqual([]);
        expect(receiptLines(printer.pending).join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      }),
      { numRuns: 300 },
    );
  });
});
