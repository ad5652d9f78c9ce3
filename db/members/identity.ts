/**
 * What a member's personal fields must look like, and how they are shown to staff who are not managers.
 * Pure functions: no database, no clock except the one passed in.
 */
import { MemberError } from './errors';

/** China mainland mobile numbers: 11 digits starting 13–19. */
const MOBILE = /^1[3-9]\d{9}$/;

/**
 * A mobile number as typed (spaces, dashes, a +86 or 0086 prefix) reduced to its 11 digits, or
 * PHONE_INVALID.
 */
export function normalizeMobile(input: unknown): string {
  if (typeof input !== 'string') throw new MemberError('PHONE_INVALID', 'a mobile number is text');
  let digits = input.replace(/[\s\-()]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  if (!MOBILE.test(digits)) {
    throw new MemberError('PHONE_INVALID', 'a mobile number is 11 digits starting with 13 to 19');
  }
  return digits;
}

// GB 11643-1999: weights of the first 17 digits, and the check character for each sum mod 11.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';

/** The check character (0–9 or X) of the first 17 digits of a resident ID number. */
export function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '';
}

export interface ResidentId {
  /** 18 characters, the check character upper case. */
  number: string;
  /** YYYY-MM-DD as encoded in positions 7–14. */
  birthday: string;
}

/**
 * A resident ID number: 17 digits, a check character that follows GB 11643, and a birth date that exists,
 * is not before 1900 and not after `today` (UTC epoch ms).
 */
export function parseResidentId(input: unknown, today: number): ResidentId {
  if (typeof input !== 'string') throw new MemberError('ID_NUMBER_INVALID', 'an ID number is text');
  const value = input.trim().toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) {
    throw new MemberError('ID_NUMBER_INVALID', 'a resident ID number is 17 digits and a check digit or X');
  }
  if (residentIdCheckCharacter(value.slice(0, 17)) !== value[17]) {
    throw new MemberError('ID_NUMBER_INVALID', 'the check digit of this ID number does not match');
  }
  const birthday = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  try {
    checkBirthday(birthday, today);
  } catch (cause) {
    throw new MemberError('ID_NUMBER_INVALID', 'the birth date in this ID number is not a possible date', {
      cause,
      details: { birthday },
    });
  }
  return { number: value, birthday };
}

/** A birthday as YYYY-MM-DD: a real calendar date from 1900-01-01 up to `today`. */
export function checkBirthday(input: unknown, today: number): string {
  if (typeof input !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(input)) {
    throw new MemberError('BIRTHDAY_INVALID', 'a birthday is written YYYY-MM-DD');
  }
  const [year, month, day] = input.split('-').map(Number) as [number, number, number];
  const at = Date.UTC(year, month - 1, day);
  const back = new Date(at);
  const exists =
    back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day;
  // A birthday "today" in Beijing may still be tomorrow in UTC; one day of slack keeps that valid.
  if (!exists || year < 1900 || at > today + 86_400_000) {
    throw new MemberError('BIRTHDAY_INVALID', 'this birthday is not a possible date', {
      details: { birthday: input },
    });
  }
  return input;
}

/** What an anonymised member is called from then on, in the profile and in the ledger. */
export const DELETED_MEMBER_NAME = '已注销会员';

/**
 * A name as shown and searched: NFKC, inner runs of spaces collapsed, 1 to 50 characters. Never in the form of
 * an encrypted field ("v1:…"), which a registry reading its own columns would take for one.
 */
export function normalizeName(input: unknown): string {
  if (typeof input !== 'string') throw new MemberError('NAME_INVALID', 'a name is text');
  const name = input.normalize('NFKC').replace(/\s+/g, ' ').trim();
  const length = [...name].length;
  if (length === 0 || length > 50) throw new MemberError('NAME_INVALID', 'a name is 1 to 50 characters');
  if (/^v\d+:/.test(name)) throw new MemberError('NAME_INVALID', 'a name does not start with "v1:"');
  return name;
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  if (phone.length < 8) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** 110101199003071234 → 110***********1234. */
export function maskIdNumber(idNumber: string | null): string | null {
  if (idNumber === null) return null;
  if (idNumber.length < 8) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

/**
 * 王小明 → 王**: what the ledger's own `members` row and its outbox line keep of a name when the ledger is
 * encrypted (the surname, and how many characters follow), as receipts and the customer display show it.
 */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? name : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
