/**
 * Money on screen. Amounts are integer fen end to end; these turn them into `¥12.34` and turn what the cashier
 * keys into fen, with integer arithmetic only (no floats, so ¥0.10 + ¥0.20 is never ¥0.30000000000000004).
 */
import { formatFen as formatYuan } from '../../common/money';

/** `¥12.34`, `-¥0.05`, `¥1,234.00` with thousands separators. */
export function formatFen(fen: number): string {
  return formatYuan(fen);
}

/** The longest amount the keypad accepts: 7 digits of yuan (¥9,999,999.99 is beyond any single sale). */
const MAX_WHOLE_DIGITS = 7;

/**
 * Appends one key to the amount being typed ('0'-'9' or '.'), refusing keys that would make it invalid:
 * a second point, a third decimal, a leading zero run, too many digits.
 */
export function pressAmountKey(text: string, key: string): string {
  if (key === '.') {
    if (text.includes('.')) return text;
    return text === '' ? '0.' : `${text}.`;
  }
  if (!/^[0-9]$/.test(key)) return text;
  const [whole = '', decimals] = text.split('.');
  if (decimals !== undefined) return decimals.length >= 2 ? text : text + key;
  if (whole === '0') return key;
  if (whole.length >= MAX_WHOLE_DIGITS) return text;
  return text + key;
}

/** Fen from a typed amount like `30.5` or `100`; null when it is empty, malformed or zero. */
export function parseYuan(text: string): number | null {
  const match = /^([0-9]{1,7})(?:\.([0-9]{0,2}))?$/.exec(text.trim());
  if (match === null) return null;
  const whole = Number(match[1]);
  const decimals = Number((match[2] ?? '').padEnd(2, '0'));
  const fen = whole * 100 + decimals;
  return fen > 0 ? fen : null;
}

/**
 * Change for cash handed over: what was received less what is due, in fen; null while nothing (or nothing
 * readable) has been typed, negative when the cash received is short.
 */
export function changeDue(receivedText: string, dueFen: number): number | null {
  const received = parseYuan(receivedText);
  return received === null ? null : received - dueFen;
}
