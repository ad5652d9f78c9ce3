/**
 * Canonical forms of personal values, applied before encrypting and before indexing, so "138 0000 0001",
 * "138-0000-0001" and "+86 13800000001" are one phone number to the blind index.
 */
import { FieldCryptoError } from './errors';

const PHONE_SEPARATORS = /[\s\-().]/g;
const COUNTRY_PREFIX = /^(?:\+86|0086)(?=\d{11}$)/;

/** Digits only; a mainland +86/0086 country prefix is dropped. 5 to 15 digits (E.164 length). */
export function normalizePhone(value: string): string {
  if (typeof value !== 'string') throw new FieldCryptoError('FIELD_VALUE_INVALID', 'a phone number is text');
  const compact = value.replace(PHONE_SEPARATORS, '').replace(COUNTRY_PREFIX, '');
  if (!/^\d{5,15}$/.test(compact)) {
    throw new FieldCryptoError('FIELD_VALUE_INVALID', 'a phone number is 5 to 15 digits', {
      details: { length: compact.length },
    });
  }
  return compact;
}

/**
 * Identity document numbers: spaces dropped, letters upper-cased (the resident ID's check character "x").
 * Kept to letters and digits so passports and Hong Kong/Macau/Taiwan permits fit as well as the 18-digit ID.
 */
export function normalizeIdNumber(value: string): string {
  if (typeof value !== 'string') throw new FieldCryptoError('FIELD_VALUE_INVALID', 'an ID number is text');
  const compact = value.replace(/\s/g, '').toUpperCase();
  if (!/^[0-9A-Z]{5,32}$/.test(compact)) {
    throw new FieldCryptoError('FIELD_VALUE_INVALID', 'an ID number is 5 to 32 letters and digits', {
      details: { length: compact.length },
    });
  }
  return compact;
}

/**
 * A name as its search terms see it: NFKC, runs of white space collapsed to one space, trimmed and lower-cased,
 * so "Ｗang  Li" and "wang li" are one name to the blind index (a stored name is already NFKC and collapsed).
 */
export function foldName(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Each one- and two-character piece of a name, without duplicates or spaces (what "contains" search looks up). */
export function nameGrams(name: string): string[] {
  const chars = [...name.toLowerCase()].filter((c) => c.trim() !== '');
  const grams = new Set<string>();
  for (let i = 0; i < chars.length; i += 1) {
    grams.add(chars[i] as string);
    if (i + 1 < chars.length) grams.add(`${chars[i]}${chars[i + 1]}`);
  }
  return [...grams];
}
