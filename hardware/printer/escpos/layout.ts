/**
 * Column layout for fixed-pitch receipt text: wrapping, padding and "label … amount" lines, counting each
 * character by the columns it takes on paper (two for Hanzi and fullwidth forms).
 */
import type { PrinterProfile } from '../profiles';
import { charColumns, textColumns } from './text';

/**
 * Splits `text` into lines of at most `width` columns. Latin words are kept whole where they fit; CJK text
 * breaks between any two characters, as Chinese typesetting does. Explicit newlines are kept.
 */
export function wrap(text: string, width: number, profile: PrinterProfile): string[] {
  if (width < 2) throw new RangeError('a line needs at least two columns');
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let used = 0;
    let lastSpace = -1; // index in `line` after which a break is allowed
    for (const ch of paragraph) {
      const w = charColumns(ch, profile);
      if (used + w > width) {
        if (ch === ' ') {
          lines.push(line);
          line = '';
          used = 0;
          lastSpace = -1;
          continue;
        }
        if (lastSpace > 0 && w === 1) {
          lines.push(line.slice(0, lastSpace).trimEnd());
          line = line.slice(lastSpace + 1);
          used = textColumns(line, profile);
        } else {
          lines.push(line);
          line = '';
          used = 0;
        }
        lastSpace = -1;
      }
      if (ch === ' ') lastSpace = line.length;
      else if (w === 2) lastSpace = -1;
      line += ch;
      used += w;
    }
    lines.push(line);
  }
  return lines;
}

/** Pads with spaces on the right (or left) to exactly `width` columns; longer text is returned unchanged. */
export function padEnd(text: string, width: number, profile: PrinterProfile): string {
  const missing = width - textColumns(text, profile);
  return missing > 0 ? text + ' '.repeat(missing) : text;
}

export function padStart(text: string, width: number, profile: PrinterProfile): string {
  const missing = width - textColumns(text, profile);
  return missing > 0 ? ' '.repeat(missing) + text : text;
}

/**
 * A "label … value" line: the label left, the value right, at least one space between. When both do not fit
 * on one line, the label wraps and the value is right-aligned on the line below, so an amount is never cut.
 */
export function pair(left: string, right: string, width: number, profile: PrinterProfile): string[] {
  const leftColumns = textColumns(left, profile);
  const rightColumns = textColumns(right, profile);
  if (leftColumns + 1 + rightColumns <= width) {
    return [left + ' '.repeat(width - leftColumns - rightColumns) + right];
  }
  const lines = wrap(left, width, profile);
  for (const piece of wrap(right, width, profile)) lines.push(padStart(piece, width, profile));
  return lines;
}

/** Centres `text` in `width` columns with spaces (extra space goes right). */
export function center(text: string, width: number, profile: PrinterProfile): string {
  const missing = width - textColumns(text, profile);
  if (missing <= 0) return text;
  const left = Math.floor(missing / 2);
  return ' '.repeat(left) + text + ' '.repeat(missing - left);
}
