/**
 * Text on a receipt printer: which characters go out as GB18030 double-byte codes (in `FS &` mode), which as
 * a single-byte code page (after `FS .` and `ESC t`), and how many columns each takes on paper.
 *
 * The column count follows from the encoding, as it does in the printer: a character sent as a double-byte GB
 * code is drawn from the 24×24 Hanzi font and is two columns wide, whatever Unicode says about it; a
 * single-byte character is one column.
 */
import iconv from 'iconv-lite';
import type { CodePage, PrinterProfile } from '../profiles';

export type CharClass =
  | { readonly kind: 'ascii'; readonly byte: number }
  | { readonly kind: 'single'; readonly page: CodePage; readonly byte: number }
  | { readonly kind: 'gb' }
  | { readonly kind: 'unprintable' };

const pageMaps = new Map<string, Map<string, number>>();

/** Character → byte for the upper half (0x80–0xFF) of a single-byte table. */
function upperHalf(page: CodePage): Map<string, number> {
  let map = pageMaps.get(page.name);
  if (!map) {
    map = new Map();
    for (let byte = 0x80; byte <= 0xff; byte += 1) {
      const ch = iconv.decode(Buffer.from([byte]), page.name);
      if (ch !== '\ufffd' && !map.has(ch)) map.set(ch, byte);
    }
    pageMaps.set(page.name, map);
  }
  return map;
}

/** Characters a table decodes but printers draw as control codes, or that must never reach the paper. */
function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0);
}

const classCache = new WeakMap<PrinterProfile, Map<string, CharClass>>();

/** How `ch` (one code point) is printed on `profile`. Latin first in a single-byte table; the rest in GB. */
export function classify(ch: string, profile: PrinterProfile): CharClass {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x80) return isControl(code) ? UNPRINTABLE : { kind: 'ascii', byte: code };
  let cache = classCache.get(profile);
  if (!cache) {
    cache = new Map();
    classCache.set(profile, cache);
  }
  const cached = cache.get(ch);
  if (cached) return cached;
  let result: CharClass = UNPRINTABLE;
  if (!isControl(code)) {
    for (const page of profile.codePages) {
      const byte = upperHalf(page).get(ch);
      if (byte !== undefined) {
        result = { kind: 'single', page, byte };
        break;
      }
    }
    if (result.kind === 'unprintable' && profile.chinese && isGbEncodable(ch)) result = GB;
  }
  cache.set(ch, result);
  return result;
}

const UNPRINTABLE: CharClass = { kind: 'unprintable' };
const GB: CharClass = { kind: 'gb' };

/** GB18030 maps every code point, but unpaired surrogates and private use are not printable. */
function isGbEncodable(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  if (code >= 0xe000 && code <= 0xf8ff) return false;
  // Combining marks and zero-width characters have no cell of their own on a printer.
  if ((code >= 0x0300 && code <= 0x036f) || (code >= 0x200b && code <= 0x200f) || code === 0xfeff)
    return false;
  return true;
}

/** Columns one character takes on paper in Font A at normal width; unprintable ones become `?`. */
export function charColumns(ch: string, profile: PrinterProfile): number {
  return classify(ch, profile).kind === 'gb' ? 2 : 1;
}

export function textColumns(text: string, profile: PrinterProfile): number {
  let columns = 0;
  for (const ch of text) columns += charColumns(ch, profile);
  return columns;
}

/** The printer's text mode as far as the encoder knows; `null` = unknown (after power-on or `ESC @`). */
export interface TextModeState {
  chinese: boolean | null;
  table: number | null;
}

export const unknownTextMode = (): TextModeState => ({ chinese: null, table: null });

/**
 * Appends `text` to `out`, switching between GB double-byte mode and the single-byte table only where the
 * bytes need it: ASCII prints the same in both, so it never causes a switch.
 */
export function encodeText(text: string, profile: PrinterProfile, state: TextModeState, out: number[]): void {
  let gbRun = '';
  const flushGb = (): void => {
    if (gbRun === '') return;
    if (state.chinese !== true) {
      out.push(0x1c, 0x26);
      state.chinese = true;
    }
    const bytes = iconv.encode(gbRun, 'gb18030');
    for (const byte of bytes) out.push(byte);
    gbRun = '';
  };
  for (const ch of text) {
    const cls = classify(ch, profile);
    switch (cls.kind) {
      case 'gb':
        gbRun += ch;
        break;
      case 'ascii':
        // ASCII is the same in both modes; keep it inside a GB run so the run is encoded once.
        if (gbRun !== '') gbRun += ch;
        else out.push(cls.byte);
        break;
      case 'single':
        flushGb();
        if (state.chinese !== false) {
          out.push(0x1c, 0x2e);
          state.chinese = false;
        }
        if (state.table !== cls.page.escT) {
          out.push(0x1b, 0x74, cls.page.escT);
          state.table = cls.page.escT;
        }
        out.push(cls.byte);
        break;
      case 'unprintable':
        flushGb();
        out.push(0x3f);
        break;
    }
  }
  flushGb();
}
