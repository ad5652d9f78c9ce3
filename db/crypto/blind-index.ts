/**
 * Keyed blind index: lets the ledger find a member by phone number (whole, or its first 3 or 7 digits), by
 * ID number, or by name (a prefix, or any piece of it) without storing any of them in clear. A term is HMAC-SHA256 under a subkey of the data key over
 * "<field>\x1f<kind>\x1f<value>", truncated to 16 bytes and written as unpadded base64url (22 characters).
 * Without the key the tokens reveal nothing but equality; truncation keeps index rows small while 128 bits
 * leave accidental collisions out of reach.
 *
 * Rows are indexed with the current key; a search computes its token under every key the keyring holds,
 * so rows not yet re-indexed after a rotation are still found.
 */
import { createHmac } from 'node:crypto';
import { FieldCryptoError } from './errors';
import { deriveSubkey, type Keyring, requireKey } from './keyring';
import { foldName, nameGrams, normalizeIdNumber, normalizePhone } from './normalize';

const INDEX_KEY_PURPOSE = 'member-card-pos/blind-index/v1';
export const BLIND_TOKEN_BYTES = 16;
/** Phone prefixes worth searching at a counter: the carrier block (3) and carrier+area block (7). */
export const PHONE_PREFIX_LENGTHS = [3, 7] as const;

/**
 * Name prefixes are indexed up to this many characters (a Chinese name is two to four; a surname one or two).
 * A longer typed prefix is looked up by its first characters and each candidate's name is decrypted to confirm.
 */
export const NAME_PREFIX_MAX = 6;

/**
 * `prefix` and `gram` are name terms. What they leak, to someone holding the ledger file but not the key: which
 * members share a name's first characters or a one- or two-character piece of it, and how common each such
 * token is (the commonest first-character token is probably 王, 李 or 张). Never a name itself: without the
 * key no token can be computed for a guess. That is accepted because the counter must find a member by a
 * surname, a given name or a piece of either among a million rows at a keystroke's pace, which no scheme that
 * hides equality can do; phone and ID terms leak equality in the same way.
 */
export type IndexTermKind = 'exact' | 'prefix3' | 'prefix7' | 'prefix' | 'gram';

export interface IndexTerm {
  kind: IndexTermKind;
  token: string;
}

export interface BlindSearch {
  kind: IndexTermKind;
  /** One token per key held; a row matches when its stored token (of this kind) is any of them. */
  tokens: string[];
}

export interface BlindIndex {
  /** Terms to store for a phone number: the whole number and each indexed prefix it is long enough for. */
  phoneTerms(phone: string): IndexTerm[];
  /** The search for a typed phone query: 3 digits, 7 digits, or the whole number. */
  phoneSearch(query: string): BlindSearch;
  idNumberTerm(idNumber: string): IndexTerm;
  idNumberSearch(query: string): BlindSearch;
  /** Terms to store for a name: each of its first 1 to NAME_PREFIX_MAX characters, and each piece (gram). */
  nameTerms(name: string): IndexTerm[];
  /** The search for names starting with a typed text (its first NAME_PREFIX_MAX characters, folded). */
  namePrefixSearch(query: string): BlindSearch;
  /** The search for names holding one piece (a `nameGrams` gram of a typed text). */
  nameGramSearch(gram: string): BlindSearch;
  /** The key id new terms are written with (stored beside them to drive re-indexing after a rotation). */
  readonly keyId: string;
}

export function blindToken(indexKey: Uint8Array, field: string, kind: IndexTermKind, value: string): string {
  return createHmac('sha256', indexKey)
    .update([field, kind, value].join('\u001f'), 'utf8')
    .digest()
    .subarray(0, BLIND_TOKEN_BYTES)
    .toString('base64url');
}

export function createBlindIndex(keyring: Keyring): BlindIndex {
  const indexKeys = new Map<string, Buffer>();
  const indexKeyFor = (id: string): Buffer => {
    let key = indexKeys.get(id);
    if (key === undefined) {
      key = deriveSubkey(requireKey(keyring, id), INDEX_KEY_PURPOSE);
      indexKeys.set(id, key);
    }
    return key;
  };
  const current = (field: string, kind: IndexTermKind, value: string): IndexTerm => ({
    kind,
    token: blindToken(indexKeyFor(keyring.currentId), field, kind, value),
  });
  const everyKey = (field: string, kind: IndexTermKind, value: string): BlindSearch => ({
    kind,
    tokens: [...new Set(keyring.ids.map((id) => blindToken(indexKeyFor(id), field, kind, value)))],
  });

  return {
    get keyId() {
      return keyring.currentId;
    },
    phoneTerms(phone) {
      const digits = normalizePhone(phone);
      const terms = [current('phone', 'exact', digits)];
      for (const length of PHONE_PREFIX_LENGTHS) {
        if (digits.length > length) terms.push(current('phone', `prefix${length}`, digits.slice(0, length)));
      }
      return terms;
    },
    phoneSearch(query) {
      const digits = typeof query === 'string' ? query.replace(/[\s\-().]/g, '') : '';
      if (/^\d{3}$/.test(digits)) return everyKey('phone', 'prefix3', digits);
      if (/^\d{7}$/.test(digits)) return everyKey('phone', 'prefix7', digits);
      let whole: string;
      try {
        whole = normalizePhone(digits);
      } catch (cause) {
        throw new FieldCryptoError(
          'FIELD_QUERY_UNSUPPORTED',
          'search a phone number by its first 3 digits, its first 7 digits, or the whole number',
          { cause, details: { supportedPrefixLengths: [...PHONE_PREFIX_LENGTHS], length: digits.length } },
        );
      }
      return everyKey('phone', 'exact', whole);
    },
    idNumberTerm: (idNumber) => current('id_number', 'exact', normalizeIdNumber(idNumber)),
    idNumberSearch: (query) => everyKey('id_number', 'exact', normalizeIdNumber(query)),
    nameTerms(name) {
      const chars = [...foldName(name)];
      const terms: IndexTerm[] = [];
      for (let length = 1; length <= Math.min(chars.length, NAME_PREFIX_MAX); length += 1) {
        terms.push(current('name', 'prefix', chars.slice(0, length).join('')));
      }
      for (const gram of nameGrams(chars.join(''))) terms.push(current('name', 'gram', gram));
      return terms;
    },
    namePrefixSearch: (query) =>
      everyKey('name', 'prefix', [...foldName(query)].slice(0, NAME_PREFIX_MAX).join('')),
    nameGramSearch: (gram) => everyKey('name', 'gram', gram.toLowerCase()),
  };
}
