/**
 * How the member book keeps phone and ID numbers. With the terminal's data keys (the host always has them)
 * both columns hold AES-256-GCM envelopes bound to the member and the column (`db/crypto/field-cipher.ts`),
 * and `member_blind_index` holds keyed tokens of the whole phone number, its first 3 and 7 digits and the
 * whole ID number, which is what search and the one-member-per-number rule look up. The ledger's own
 * `members` row only ever sees the masked phone, so neither the ledger nor the outbox to headquarters holds
 * the number in clear.
 *
 * Without keys (a book opened by a tool or a test that passes none) the columns hold the values in clear and
 * lookups go to the columns themselves, as before encryption existed.
 */
import {
  type BlindSearch,
  createBlindIndex,
  createFieldCipher,
  type FieldCipher,
  isEnvelope,
  type Keyring,
} from '../crypto';
import type { Database } from '../types';
import { maskPhone } from './identity';

type Field = 'phone' | 'id_number';

export interface PersonalFields {
  readonly encrypted: boolean;
  /** The stored form of a value: an envelope with keys, the value itself without. */
  seal(memberId: string, field: Field, value: string | null): string | null;
  /** The value of a stored form (plain text passes through, so rows written before the keys still read). */
  open(memberId: string, field: Field, stored: string | null): string | null;
  /** What the ledger's `members.phone` may hold: the mask with keys, the number without. */
  ledgerPhone(phone: string | null): string | null;
  /** Replaces the member's blind-index terms with those of these values (nothing without keys). */
  index(memberId: string, phone: string | null, idNumber: string | null): void;
  /** Drops every term of a member (deletion, anonymisation). */
  forget(memberId: string): void;
  /** A live member other than `except` holding this phone / ID number, or undefined. */
  phoneOwner(phone: string, except: string): string | undefined;
  idOwner(idNumber: string, except: string): string | undefined;
  /**
   * Members whose phone matches a typed prefix: any prefix without keys; with keys the first 3 digits, the
   * first 7 or the whole number (a blind index cannot answer other lengths; they find nobody).
   */
  phoneMatches(digits: string, limit: number): string[] | 'column';
  /** Encrypts and indexes rows still in clear (a book from before encryption); returns how many. */
  sealPlainRows(): number;
  /**
   * After a rotation: the next `limit` members after `after` (by id), each re-encrypted and re-indexed under
   * the current key when its fields or search terms are under another. Walking by id keeps the whole pass
   * linear and lets it resume from the last id it reached.
   */
  rotatePage(after: string, limit: number): { last: string | null; seen: number; rotated: number };
}

export function personalFields(db: Database, keys: Keyring | undefined): PersonalFields {
  if (keys === undefined) return plainFields(db);
  const cipher: FieldCipher = createFieldCipher(keys);
  const blind = createBlindIndex(keys);
  const q = {
    insertTerm: db.prepare(
      'INSERT OR IGNORE INTO member_blind_index (token, member_id, key_id) VALUES (?, ?, ?)',
    ),
    deleteTerms: db.prepare('DELETE FROM member_blind_index WHERE member_id = ?'),
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
    plainRows: db.prepare<[], { member_id: string; phone: string | null; id_number: string | null }>(
      `SELECT member_id, phone, id_number FROM member_profiles
       WHERE (phone IS NOT NULL AND phone NOT LIKE 'v1:%') OR (id_number IS NOT NULL AND id_number NOT LIKE 'v1:%')`,
    ),
    reseal: db.prepare('UPDATE member_profiles SET phone = ?, id_number = ? WHERE member_id = ?'),
    // An envelope is `v1:<key id>:…`; a row is stale when either envelope or any search term names another key.
    page: db.prepare<{ prefix: string; key: string; after: string; limit: number }, PageRow>(
      `SELECT member_id, phone, id_number,
         (phone LIKE 'v1:%' AND substr(phone, 1, length(@prefix)) <> @prefix)
           OR (id_number LIKE 'v1:%' AND substr(id_number, 1, length(@prefix)) <> @prefix)
           OR EXISTS (SELECT 1 FROM member_blind_index b WHERE b.member_id = p.member_id AND b.key_id <> @key)
           AS stale
       FROM member_profiles p WHERE member_id > @after ORDER BY member_id LIMIT @limit`,
    ),
    ledgerPhone: db.prepare('UPDATE members SET phone = ? WHERE id = ?'),
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
    index(memberId, phone, idNumber) {
      q.deleteTerms.run(memberId);
      const terms = [
        ...(phone === null ? [] : blind.phoneTerms(phone)),
        ...(idNumber === null ? [] : [blind.idNumberTerm(idNumber)]),
      ];
      for (const term of terms) q.insertTerm.run(term.token, memberId, blind.keyId);
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
    sealPlainRows() {
      const rows = q.plainRows.all();
      for (const row of rows) {
        const phone = reseal(row);
        q.ledgerPhone.run(fields.ledgerPhone(phone), row.member_id);
      }
      return rows.length;
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
  /** A row's phone and ID number written again under the current key, and indexed; returns the phone. */
  const reseal = (row: { member_id: string; phone: string | null; id_number: string | null }) => {
    const phone = fields.open(row.member_id, 'phone', row.phone);
    const idNumber = fields.open(row.member_id, 'id_number', row.id_number);
    q.reseal.run(
      fields.seal(row.member_id, 'phone', phone),
      fields.seal(row.member_id, 'id_number', idNumber),
      row.member_id,
    );
    fields.index(row.member_id, phone, idNumber);
    return phone;
  };
  return fields;
}

interface PageRow {
  member_id: string;
  phone: string | null;
  id_number: string | null;
  stale: number;
}

function plainFields(db: Database): PersonalFields {
  const q = {
    phoneOwner: db.prepare<[string, string], { member_id: string }>(
      'SELECT member_id FROM member_profiles WHERE phone = ? AND deleted_at IS NULL AND member_id <> ? LIMIT 1',
    ),
    idOwner: db.prepare<[string, string], { member_id: string }>(
      'SELECT member_id FROM member_profiles WHERE id_number = ? AND deleted_at IS NULL AND member_id <> ? LIMIT 1',
    ),
  };
  return {
    encrypted: false,
    seal: (_memberId, _field, value) => value,
    open: (_memberId, _field, stored) => stored,
    ledgerPhone: (phone) => phone,
    index: () => undefined,
    forget: () => undefined,
    phoneOwner: (phone, except) => q.phoneOwner.get(phone, except)?.member_id,
    idOwner: (idNumber, except) => q.idOwner.get(idNumber, except)?.member_id,
    phoneMatches: () => 'column',
    sealPlainRows: () => 0,
    rotatePage: () => ({ last: null, seen: 0, rotated: 0 }),
  };
}
