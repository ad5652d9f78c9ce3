/**
 * What the activation screen checks before sending: a mainland mobile number, a resident ID number's GB 11643
 * check character and birth date, and a member password that is not guessable at a glance. The host checks
 * all of it again; these only let the cashier fix a typo before the member waits.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function isMobile(text: string): boolean {
  let digits = text.replace(/[\s\-()]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  return /^1[3-9]\d{9}$/.test(digits);
}

export type IdCheck = 'empty' | 'ok' | 'format' | 'checkDigit' | 'birthDate';

/** Checks an 18-character resident ID number; `today` bounds the birth date (UTC ms). */
export function checkResidentId(text: string, today: number = Date.now()): IdCheck {
  const value = text.trim().toUpperCase();
  if (value === '') return 'empty';
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return 'format';
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(value[i]) * (ID_WEIGHTS[i] ?? 0);
  if (ID_CHECK[sum % 11] !== value[17]) return 'checkDigit';
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const at = Date.UTC(year, month - 1, day);
  const back = new Date(at);
  const exists =
    back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day;
  if (!exists || year < 1900 || at > today + 86_400_000) return 'birthDate';
  return 'ok';
}

/** Six digits, not one digit repeated, not a straight run up or down. */
export function isAcceptablePassword(password: string): boolean {
  if (!/^\d{6}$/.test(password)) return false;
  if (/^(\d)\1{5}$/.test(password)) return false;
  return !'0123456789'.includes(password) && !'9876543210'.includes(password);
}
