/**
 * Boot-keyboard reports (`modifier, reserved, key[6]`) from a keyboard-emulating swiper, decoded by HID
 * usage ID rather than through the OS keyboard layout: on a French or German layout the OS would turn the
 * usages for `;`, `=`, `^`, `?` and even digits into other characters, but the usages themselves are fixed.
 * The table is the US layout because that is the layout swipers assume when they choose usages.
 */

export const ENTER = 0x0a; // what an Enter key adds to the decoded text
/** Stands in for a usage with no character (F-keys, Ctrl+key…): it fails every track's character set. */
export const UNKNOWN = 0x7f;

const SHIFT = 0x02 | 0x20; // left or right Shift
const NON_TEXT_MODIFIERS = 0x01 | 0x04 | 0x08 | 0x10 | 0x40 | 0x80; // Ctrl, Alt, GUI on either side
const ERROR_ROLL_OVER = 0x01;

/** usage → [unshifted, shifted] character codes (0 = none). */
const USAGE_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(256 * 2);
  const set = (usage: number, plain: string, shifted: string) => {
    table[usage * 2] = plain.charCodeAt(0);
    table[usage * 2 + 1] = shifted.charCodeAt(0);
  };
  for (let index = 0; index < 26; index += 1) {
    set(0x04 + index, String.fromCharCode(0x61 + index), String.fromCharCode(0x41 + index));
  }
  const digitsShifted = '!@#$%^&*(';
  for (let index = 0; index < 9; index += 1) set(0x1e + index, String(index + 1), digitsShifted[index]!);
  set(0x27, '0', ')');
  set(0x28, '\n', '\n');
  set(0x2c, ' ', ' ');
  set(0x2d, '-', '_');
  set(0x2e, '=', '+');
  set(0x2f, '[', '{');
  set(0x30, ']', '}');
  set(0x31, '\\', '|');
  set(0x33, ';', ':');
  set(0x34, "'", '"');
  set(0x35, '`', '~');
  set(0x36, ',', '<');
  set(0x37, '.', '>');
  set(0x38, '/', '?');
  // Keypad: some readers type digits and Enter from the keypad block.
  set(0x54, '/', '/');
  set(0x55, '*', '*');
  set(0x56, '-', '-');
  set(0x57, '+', '+');
  set(0x58, '\n', '\n');
  for (let index = 0; index < 9; index += 1) set(0x59 + index, String(index + 1), String(index + 1));
  set(0x62, '0', '0');
  set(0x63, '.', '.');
  return table;
})();

/** The usage and Shift state that type `char` on a US layout (for encoders and simulators). */
const CHAR_TO_KEY: Map<number, { usage: number; shift: boolean }> = (() => {
  const map = new Map<number, { usage: number; shift: boolean }>();
  // Main block first, so keypad usages never win for characters the main block also types.
  for (let usage = 0x04; usage <= 0x38; usage += 1) {
    for (const shift of [false, true]) {
      const code = USAGE_TABLE[usage * 2 + (shift ? 1 : 0)]!;
      if (code !== 0 && !map.has(code)) map.set(code, { usage, shift });
    }
  }
  return map;
})();

export function keyForChar(charCode: number): { usage: number; shift: boolean } | undefined {
  return CHAR_TO_KEY.get(charCode);
}

/**
 * Stateful decoder for one device's report stream.
 *
 * - A key is typed when it appears in a report and was not down in the previous one, so rollover
 *   (`[a]`, `[a,b]`, `[b]`) types each key once, in the order the keys were pressed (slot order).
 * - A swiper sends a report only to type; a report whose key slots equal the previous report's types those
 *   keys again. That is how readers that skip the release report send a repeated character (`44` arrives as
 *   `[21]`, `[21]`), and how they send `/` then `?` (`[00 38]`, `[02 38]`).
 * - The Shift state of the report in which a key is typed decides its case.
 * - An all-ErrorRollOver report (the keyboard's "too many keys" state) is ignored.
 */
export class BootKeyboardDecoder {
  private readonly previous = new Uint8Array(6);
  private previousCount = 0;

  /**
   * Decodes one report, appending typed character codes through `type`. Returns false when the report is
   * not a boot-keyboard report (wrong length), so the caller can treat the swipe as damaged.
   */
  decode(report: Uint8Array, type: (charCode: number) => void): boolean {
    let offset = 0;
    if (report.length === 9)
      offset = 1; // a numbered report: the first byte is the report ID
    else if (report.length !== 8) return false;

    const modifier = report[offset]!;
    const keys = offset + 2;
    if (report[keys] === ERROR_ROLL_OVER) return true;

    let count = 0;
    let same = true;
    for (let slot = 0; slot < 6; slot += 1) {
      const usage = report[keys + slot]!;
      if (usage === 0) continue;
      if (usage !== this.previous[count] || count >= this.previousCount) same = false;
      count += 1;
    }
    if (count !== this.previousCount) same = false;

    const shifted = (modifier & SHIFT) !== 0 ? 1 : 0;
    const textual = (modifier & NON_TEXT_MODIFIERS) === 0;
    for (let slot = 0; slot < 6; slot += 1) {
      const usage = report[keys + slot]!;
      if (usage === 0) continue;
      if (same || !this.wasDown(usage)) {
        const code = textual ? USAGE_TABLE[usage * 2 + shifted]! : 0;
        type(code === 0 ? UNKNOWN : code);
      }
    }

    let stored = 0;
    for (let slot = 0; slot < 6; slot += 1) {
      const usage = report[keys + slot]!;
      if (usage !== 0) {
        this.previous[stored] = usage;
        stored += 1;
      }
    }
    this.previous.fill(0, stored);
    this.previousCount = stored;
    return true;
  }

  reset(): void {
    this.previous.fill(0);
    this.previousCount = 0;
  }

  private wasDown(usage: number): boolean {
    for (let index = 0; index < this.previousCount; index += 1) {
      if (this.previous[index] === usage) return true;
    }
    return false;
  }
}

/**
 * How a reader spaces its reports:
 * - `press-release`: each character is a press report followed by an all-up report;
 * - `packed`: one report per character and no release between them (a repeated character is an
 *   identical report);
 * - `rollover`: the next key goes down before the previous one comes up.
 */
export type KeyboardStyle = 'press-release' | 'packed' | 'rollover';

function report(shift: boolean, ...usages: number[]): Uint8Array {
  const out = new Uint8Array(8);
  out[0] = shift ? 0x02 : 0x00;
  usages.forEach((usage, index) => {
    out[2 + index] = usage;
  });
  return out;
}

/** The boot-keyboard reports a reader of the given style sends to type `text` (`\n` is Enter). */
export function encodeKeyboardReports(text: string, style: KeyboardStyle = 'press-release'): Uint8Array[] {
  const reports: Uint8Array[] = [];
  let held: number | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const key = keyForChar(text.charCodeAt(index));
    if (key === undefined) {
      throw new RangeError(`character U+${text.charCodeAt(index).toString(16)} has no key on a US layout`);
    }
    if (style === 'press-release') {
      reports.push(report(key.shift, key.usage), report(false));
    } else if (style === 'packed') {
      reports.push(report(key.shift, key.usage));
    } else if (held === undefined || held === key.usage) {
      if (held !== undefined) reports.push(report(false));
      reports.push(report(key.shift, key.usage));
      held = key.usage;
    } else {
      reports.push(report(key.shift, held, key.usage), report(key.shift, key.usage));
      held = key.usage;
    }
  }
  if (style !== 'press-release') reports.push(report(false));
  return reports;
}
