/**
 * How the member registry keeps personal fields: name, phone, ID number, birthday and notes. With the terminal's
 * data keys (the host always has them) each column of `member_profiles` holds an AES-256-GCM envelope bound to
 * the member and the column (`db/crypto/field-cipher.ts`), and `member_blind_index` holds keyed tokens of the
 * whole phone number, its first 3 and 7 digits, the whole ID number, and the name's first characters and its
 * one- and two-character pieces, which is what search and the one-member-per-number rule look up. The
 * ledger's own `members` row, and so the outbox line it writes, only ever sees the masked name and phone.
 *
 * Without keys (a ledger opened by a tool or a test that passes none) the columns hold the values in clear,
 * `member_name_grams` holds the name's pieces, and lookups go to the columns themselves.
 */
import {
  type BlindSearch,
  createBlindIndex,
  createFieldCipher,
  type FieldCipher,
  isEnvelope,
  type Keyring,
  nameGrams,
  type PersonalField,
} from '../crypto';
import type { Database } from '../types';
import { DELETED_MEMBER_NAME, maskName, maskPhone } from './identity';
import type { ProfileRow } from './profiles';

/** The values a member is found by; the registry passes them whenever one of them may have changed. */
export interface SearchTerms {
  name: string;
  phone: string | null;
  idNumber: string | null;
}

export interface PersonalFields {
  readonly encrypted: boolean;
  /** The stored form of a value: an envelope with keys, the value itself without. */
  seal(memberId: string, field: PersonalField, value: string | null): string | null;
  /** The value of a stored form (plain text passes through, so rows written before the keys still read). */
  open(memberId: string, field: PersonalField, stored: string | null): string | null;
  /** What the ledger's `members.phone` may hold: the mask with keys, the number without. */
  ledgerPhone(phone: string | null): string | null;
  /** What the ledger's `members.name` may hold: the mask with keys (王**), the name without. */
  ledgerName(name: string): string;
  /** Replaces the member's search terms with those of these values. */
  index(memberId: string, terms: SearchTerms): void;
  /** Drops every search term of a member (deletion, anonymisation). */
  forget(memberId: string): void;
  /** A live member other than `except` holding this phone / ID number, or undefined. */
  phoneOwner(phone: string, except: string): string | undefined;
  idOwner(idNumber: string, except: string): string | undefined;
  /**
   * Members whose phone matches a typed prefix: any prefix without keys; with keys the first 3 digits, the
   * first 7 or the whole number (a blind index cannot answer other lengths; they find nobody).
   */
  phoneMatches(digits: string, limit: number): string[] | 'column';
  /**
   * With keys: live members whose name terms hold the token of a typed prefix (its first NAME_PREFIX_MAX
   * characters) or of one piece, lowest id first, read lazily so a caller confirming each candidate stops when
   * it has enough. Without keys: 'column' (search the clear columns).
   */
  nameCandidates(kind: 'prefix' | 'gram', text: string): Iterable<string> | 'column';
  /**
   * One page of encrypting rows still in clear (a ledger from before encryption), after member id `after`:
   * each row's fields are sealed, its terms indexed, its clear name pieces dropped and the ledger's row masked.
   */
  sealPlainPage(after: string, limit: number): { last: string | null; sealed: number };
  /** Rewrites clear names in outbox and notice lines written before encryption to their mask; returns how many. */
  maskOldLines(): number;
  /**
   * After a rotation: the next `limit` members after `after` (by id), each re-encrypted and re-indexed under
   * the current key when its fields or search terms are under another. Walking by id keeps the whole pass
   * linear and lets it resume from the last id it reached.
   */
  rotatePage(after: string, limit: number): { last: string | null; seen: number; rotated: number };
}

/** The sealed columns of `member_profiles`, in the order statements below read and write them. */
const FIELDS = ['name', 'phone', 'id_number', 'birthday', 'notes'] as const;

type StoredRow = Pick<ProfileRow, 'member_id' | (typeof FIELDS)[number] | 'deleted_at'>;

const SEALED = (column: string) => `(${column} IS NULL OR ${column} LIKE 'v1:%')`;
/** Outbox and notice lines whose member name is not yet a mask (a first character then only "*"). */
const CLEAR_NAME = (path: string) =>
  `json_extract(payload, '${path}') IS NOT NULL AND replace(substr(json_extract(payload, '${path}'), 2), '*', '') <> ''`;
const NAME_PATHS = [
  { table: 'outbox', key: 'seq', path: '$.member.name' },
  { table: 'notices', key: 'id', path: '$.data.member.name' },
] as const;

/** The ledger's row keeps a mask; the anonymised name says nothing about anyone and stays as it is. */
const maskedLedgerName = (name: string) => (name === DELETED_MEMBER_NAME ? name : maskName(name));

export function personalFields(db: Database, keys: Keyring | undefined): PersonalFields {
  if (keys === undefined) return plainFields(db);
  const cipher: FieldCipher = createFieldCipher(keys);
  const blind = createBlindIndex(keys);
  const q = {
    insertTerm: db.prepare(
      'INSERT OR IGNORE INTO member_blind_index (token, member_id, key_id) VALUES (?, ?, ?)',
    ),
    deleteTerms: db.prepare('DELETE FROM member_blind_index WHERE member_id = ?'),
    deleteGrams: db.prepare('DELETE FROM member_name_grams WHERE member_id = ?'),
    liveOwners: db.prepare<[string], { member_id: string }>(
      `SELECT b.member_id FROM member_blind_index b
       JOIN member_profiles p ON p.member_id = b.member_id AND p.deleted_at IS NULL
       WHERE b.token = ? LIMIT 2`,
    ),
    matches: db.prepare<[string, number], { member_id: string }>(
      `SELECT b.member_id FROM member_blind_index b
       JOIN member_profiles p ON p.member_id = b.member_id AND p.deleted_at IS NULL
       WHERE b.token = ? ORDER BY b.member_id LIMIT ?`,
    ),
    everyMatch: db.prepare<[string], { member_id: string }>(
      `SELECT b.member_id FROM member_blind_index b
       JOIN member_profiles p ON p.member_id = b.member_id AND p.deleted_at IS NULL
       WHERE b.token = ? ORDER BY b.member_id`,
    ),
    plainPage: db.prepare<[string, number], StoredRow>(
      `SELECT member_id, name, phone, id_number, birthday, notes, deleted_at FROM member_profiles
       WHERE member_id > ? AND NOT (${FIELDS.map(SEALED).join(' AND ')})
       ORDER BY member_id LIMIT ?`,
    ),
    reseal: db.prepare(
      `UPDATE member_profiles SET name = ?, phone = ?, id_number = ?, birthday = ?, notes = ?
       WHERE member_id = ?`,
    ),
    // An envelope is `v1:<key id>:…`; a row is stale when any envelope or any search term names another key.
    page: db.prepare<
      { prefix: string; key: string; after: string; limit: number },
      StoredRow & { stale: number }
    >(
      `SELECT member_id, name, phone, id_number, birthday, notes, deleted_at,
         ${FIELDS.map((f) => `(${f} LIKE 'v1:%' AND substr(${f}, 1, length(@prefix)) <> @prefix)`).join(' OR ')}
           OR EXISTS (SELECT 1 FROM member_blind_index b WHERE b.member_id = p.member_id AND b.key_id <> @key)
           AS stale
       FROM member_profiles p WHERE member_id > @after ORDER BY member_id LIMIT @limit`,
    ),
    ledgerName: db.prepare('UPDATE members SET name = ? WHERE id = ?'),
    ledgerPhone: db.prepare('UPDATE members SET phone = ? WHERE id = ?'),
    clearLines: NAME_PATHS.map(({ table, key, path }) => ({
      read: db.prepare<[], { key: number; payload: string }>(
        `SELECT ${key} AS key, payload FROM ${table} WHERE ${CLEAR_NAME(path)}`,
      ),
      write: db.prepare(`UPDATE ${table} SET payload = json_set(payload, '${path}', ?) WHERE ${key} = ?`),
      path,
    })),
  };

  const owner = (search: BlindSearch, except: string): string | undefined => {
    for (const token of search.tokens) {
      for (const row of q.liveOwners.all(token)) if (row.member_id !== except) return row.member_id;
    }
    return undefined;
  };

  const fields: PersonalFields = {
    encrypted: true,
    seal: (memberId, field, value) => (value === null ? null : cipher.encrypt({ field, memberId }, value)),
    open: (memberId, field, stored) =>
      stored === null || !isEnvelope(stored) ? stored : cipher.decrypt({ field, memberId }, stored),
    ledgerPhone: (phone) => maskPhone(phone),
    ledgerName: maskedLedgerName,
    index(memberId, terms) {
      q.deleteTerms.run(memberId);
      const all = [
        ...blind.nameTerms(terms.name),
        ...(terms.phone === null ? [] : blind.phoneTerms(terms.phone)),
        ...(terms.idNumber === null ? [] : [blind.idNumberTerm(terms.idNumber)]),
      ];
      for (const term of all) q.insertTerm.run(term.token, memberId, blind.keyId);
    },
    forget: (memberId) => void q.deleteTerms.run(memberId),
    phoneOwner: (phone, except) => owner(blind.phoneSearch(phone), except),
    idOwner: (idNumber, except) => owner(blind.idNumberSearch(idNumber), except),
    phoneMatches(digits, limit) {
      if (!/^(\d{3}|\d{7}|\d{11})$/.test(digits)) return [];
      const found: string[] = [];
      for (const token of blind.phoneSearch(digits).tokens) {
        for (const row of q.matches.all(token, limit)) {
          if (found.length < limit && !found.includes(row.member_id)) found.push(row.member_id);
        }
      }
      return found;
    },
    nameCandidates(kind, text) {
      const search = kind === 'prefix' ? blind.namePrefixSearch(text) : blind.nameGramSearch(text);
      return (function* () {
        // Several tokens only while a rotation is under way; a member's terms are all under one key.
        for (const token of search.tokens) {
          for (const row of q.everyMatch.iterate(token)) yield row.member_id;
        }
      })();
    },
    sealPlainPage(after, limit) {
      const rows = q.plainPage.all(after, limit);
      for (const row of rows) {
        // Only what is still clear is sealed: a ledger upgraded from one that already sealed phone and ID
        // numbers keeps those envelopes and their terms, and gains its name terms.
        const inClear = (field: PersonalField) => row[field] !== null && !isEnvelope(row[field]);
        const name = fields.open(row.member_id, 'name', row.name) ?? '';
        q.reseal.run(
          ...FIELDS.map((field) =>
            inClear(field) ? fields.seal(row.member_id, field, row[field]) : row[field],
          ),
          row.member_id,
        );
        if (row.deleted_at !== null) fields.forget(row.member_id);
        else if (inClear('phone') || inClear('id_number')) {
          fields.index(row.member_id, {
            name,
            phone: fields.open(row.member_id, 'phone', row.phone),
            idNumber: fields.open(row.member_id, 'id_number', row.id_number),
          });
        } else {
          for (const term of blind.nameTerms(name)) q.insertTerm.run(term.token, row.member_id, blind.keyId);
        }
        q.deleteGrams.run(row.member_id);
        if (inClear('name')) q.ledgerName.run(maskedLedgerName(name), row.member_id);
        if (inClear('phone')) q.ledgerPhone.run(maskPhone(row.phone), row.member_id);
      }
      return { last: rows.at(-1)?.member_id ?? null, sealed: rows.length };
    },
    maskOldLines() {
      let masked = 0;
      for (const lines of q.clearLines) {
        for (const row of lines.read.all()) {
          const name = readPath(row.payload, lines.path);
          if (typeof name !== 'string') continue;
          lines.write.run(maskedLedgerName(name), row.key);
          masked += 1;
        }
      }
      return masked;
    },
    rotatePage(after, limit) {
      const rows = q.page.all({ prefix: `v1:${keys.currentId}:`, key: keys.currentId, after, limit });
      let rotated = 0;
      for (const row of rows) {
        if (row.stale !== 1) continue;
        reseal(row);
        rotated += 1;
      }
      return { last: rows.at(-1)?.member_id ?? null, seen: rows.length, rotated };
    },
  };

  /** A row's fields written again under the current key, and its terms indexed; returns them in clear. */
  const reseal = (row: StoredRow) => {
    const clear = {
      name: fields.open(row.member_id, 'name', row.name) ?? '',
      phone: fields.open(row.member_id, 'phone', row.phone),
      id_number: fields.open(row.member_id, 'id_number', row.id_number),
      birthday: fields.open(row.member_id, 'birthday', row.birthday),
      notes: fields.open(row.member_id, 'notes', row.notes),
    };
    q.reseal.run(...FIELDS.map((field) => fields.seal(row.member_id, field, clear[field])), row.member_id);
    // An anonymised member is found by nobody: no terms, as `forget` left it.
    if (row.deleted_at !== null) fields.forget(row.member_id);
    else fields.index(row.member_id, { name: clear.name, phone: clear.phone, idNumber: clear.id_number });
    return clear;
  };
  return fields;
}

function readPath(payload: string, path: string): unknown {
  let value: unknown = JSON.parse(payload);
  for (const key of path.split('.').slice(1)) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

function plainFields(db: Database): PersonalFields {
  const q = {
    phoneOwner: db.prepare<[string, string], { member_id: string }>(
      'SELECT member_id FROM member_profiles WHERE phone = ? AND deleted_at IS NULL AND member_id <> ? LIMIT 1',
    ),
    idOwner: db.prepare<[string, string], { member_id: string }>(
      'SELECT member_id FROM member_profiles WHERE id_number = ? AND deleted_at IS NULL AND member_id <> ? LIMIT 1',
    ),
    insertGram: db.prepare('INSERT OR IGNORE INTO member_name_grams (gram, member_id) VALUES (?, ?)'),
    deleteGrams: db.prepare('DELETE FROM member_name_grams WHERE member_id = ?'),
  };
  return {
    encrypted: false,
    seal: (_memberId, _field, value) => value,
    open: (_memberId, _field, stored) => stored,
    ledgerPhone: (phone) => phone,
    ledgerName: (name) => name,
    index(memberId, terms) {
      q.deleteGrams.run(memberId);
      for (const gram of nameGrams(terms.name)) q.insertGram.run(gram, memberId);
    },
    forget: (memberId) => void q.deleteGrams.run(memberId),
    phoneOwner: (phone, except) => q.phoneOwner.get(phone, except)?.member_id,
    idOwner: (idNumber, except) => q.idOwner.get(idNumber, except)?.member_id,
    phoneMatches: () => 'column',
    nameCandidates: () => 'column',
    sealPlainPage: () => ({ last: null, sealed: 0 }),
    maskOldLines: () => 0,
    rotatePage: () => ({ last: null, seen: 0, rotated: 0 }),
  };
}
