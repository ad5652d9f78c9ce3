/**
 * Member search at the counter: by phone prefix, by name (prefix first, then "contains"), or by card
 * number. Every lookup is an index range with a LIMIT, so the cost does not grow with the member count.
 * With the terminal's data keys names and phone numbers are encrypted, and a search looks up the keyed blind
 * index instead (`./protect.ts`): a phone by its first 3 digits, its first 7, or the whole number; a name by
 * its first characters or by one piece of it, each candidate's name decrypted to confirm it before it is listed.
 */
import { foldName, nameGrams } from '../crypto';
import type { Database } from '../types';
import { MemberError } from './errors';
import { maskPhone } from './identity';
import { type PersonalFields, personalFields } from './protect';

export type SearchBy = 'phone' | 'name' | 'card';

export interface MemberSearchQuery {
  text: string;
  /** Default: digits search phone (and card number), anything else searches names. */
  by?: SearchBy;
  /** At most this many (default 20, at most 200). */
  limit?: number;
}

export interface MemberHit {
  memberId: string;
  name: string;
  /** Always masked: a search list is seen by anyone at the counter. */
  phoneMasked: string | null;
  /** Set when the member was found by one of their cards. */
  cardNumber: string | null;
  matchedBy: SearchBy;
}

interface HitRow {
  member_id: string;
  name: string;
  phone: string | null;
}

/** A contactless UID as the ledger stores it: 4 to 10 bytes of upper-case hex. */
const UID = /^([0-9A-F]{2}){4,10}$/;

/** The first string after every string that starts with `prefix` (for an index range). */
function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

/** The piece of a typed name that finds the fewest candidates: a two-character one when there is one. */
function selectiveGram(needle: string): string | undefined {
  const grams = nameGrams(needle);
  return grams.find((g) => [...g].length === 2) ?? grams[0];
}

export function memberSearch(db: Database, personal: PersonalFields = personalFields(db, undefined)) {
  const q = {
    byId: db.prepare<[string], HitRow>(
      'SELECT member_id, name, phone FROM member_profiles WHERE member_id = ? AND deleted_at IS NULL',
    ),
    phonePrefix: db.prepare<[string, string, number], HitRow>(
      `SELECT member_id, name, phone FROM member_profiles
       WHERE phone >= ? AND phone < ? AND phone IS NOT NULL ORDER BY phone LIMIT ?`,
    ),
    namePrefix: db.prepare<[string, string, number], HitRow>(
      `SELECT member_id, name, phone FROM member_profiles
       WHERE name >= ? AND name < ? AND deleted_at IS NULL ORDER BY name LIMIT ?`,
    ),
    // One gram finds the candidates through the gram index; the LIKE only confirms longer queries.
    nameContains: db.prepare<[string, string, number], HitRow>(
      `SELECT p.member_id, p.name, p.phone FROM member_name_grams g
       JOIN member_profiles p ON p.member_id = g.member_id
       WHERE g.gram = ? AND p.deleted_at IS NULL AND instr(lower(p.name), ?) > 0
       ORDER BY g.member_id LIMIT ?`,
    ),
    byCard: db.prepare<[string], HitRow & { card_number: string }>(
      `SELECT p.member_id, p.name, p.phone, c.card_number FROM cards c
       JOIN member_profiles p ON p.member_id = c.member_id
       WHERE c.card_number = ? AND p.deleted_at IS NULL`,
    ),
    byUid: db.prepare<[string], HitRow & { card_number: string }>(
      `SELECT p.member_id, p.name, p.phone, c.card_number FROM cards c
       JOIN member_profiles p ON p.member_id = c.member_id
       WHERE c.uid = ? AND p.deleted_at IS NULL`,
    ),
  };

  function hit(row: HitRow, matchedBy: SearchBy, cardNumber: string | null = null): MemberHit {
    return {
      memberId: row.member_id,
      name: personal.open(row.member_id, 'name', row.name) ?? '',
      phoneMasked: maskPhone(personal.open(row.member_id, 'phone', row.phone)),
      cardNumber,
      matchedBy,
    };
  }

  /**
   * Up to `limit` hits among the candidates, in their order, each name decrypted and kept when `fits` it. The
   * candidates are read lazily, so a common first character costs what one page of its members costs.
   */
  function confirmed(
    candidates: Iterable<string>,
    fits: (folded: string) => boolean,
    limit: number,
    seen: Set<string>,
  ): MemberHit[] {
    const found: MemberHit[] = [];
    for (const memberId of candidates) {
      if (found.length >= limit) break;
      if (seen.has(memberId)) continue;
      const row = q.byId.get(memberId);
      if (row === undefined || !fits(foldName(personal.open(memberId, 'name', row.name) ?? ''))) continue;
      seen.add(memberId);
      found.push(hit(row, 'name'));
    }
    return found;
  }

  /**
   * The encrypted ledger's name search, as the clear one behaves: names starting with the text first (in name
   * order within what is listed), then names holding it. A prefix up to NAME_PREFIX_MAX characters and a
   * one- or two-character piece are exact index terms; anything longer is confirmed by decrypting.
   */
  function byBlindName(name: string, limit: number): MemberHit[] | undefined {
    const needle = foldName(name);
    const prefixes = personal.nameCandidates('prefix', needle);
    if (prefixes === 'column') return undefined;
    const seen = new Set<string>();
    const found = confirmed(prefixes, (folded) => folded.startsWith(needle), limit, seen).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    const gram = selectiveGram(needle);
    if (found.length >= limit || gram === undefined) return found;
    const pieces = personal.nameCandidates('gram', gram);
    if (pieces === 'column') return found;
    found.push(...confirmed(pieces, (folded) => folded.includes(needle), limit - found.length, seen));
    return found;
  }

  function byName(text: string, limit: number): MemberHit[] {
    const name = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
    if (name === '') return [];
    const blind = byBlindName(name, limit);
    if (blind !== undefined) return blind;
    const found = q.namePrefix.all(name, prefixEnd(name), limit).map((row) => hit(row, 'name'));
    if (found.length >= limit) return found;
    const seen = new Set(found.map((h) => h.memberId));
    const needle = name.toLowerCase();
    const gram = selectiveGram(needle);
    if (gram === undefined) return found;
    // Fetch enough to make up for the prefix hits already listed.
    for (const row of q.nameContains.all(gram, needle, limit + seen.size)) {
      if (found.length >= limit) break;
      if (!seen.has(row.member_id)) found.push(hit(row, 'name'));
    }
    return found;
  }

  function byPhone(text: string, limit: number): MemberHit[] {
    let digits = text.replace(/[\s-]/g, '');
    if (digits.startsWith('+86')) digits = digits.slice(3);
    if (!/^\d{1,11}$/.test(digits)) return [];
    const matches = personal.phoneMatches(digits, limit);
    if (matches === 'column') {
      return q.phonePrefix.all(digits, prefixEnd(digits), limit).map((row) => hit(row, 'phone'));
    }
    return matches.flatMap((memberId) => {
      const row = q.byId.get(memberId);
      return row === undefined ? [] : [hit(row, 'phone')];
    });
  }

  /** A keyed or swiped card number, or the UID a tap reads (hex, with or without separators). */
  function byCard(text: string): MemberHit[] {
    const number = text.replace(/\s/g, '');
    if (number === '') return [];
    const rows = q.byCard.all(number);
    const uid = text.replace(/[\s:-]/g, '').toUpperCase();
    if (rows.length === 0 && UID.test(uid)) rows.push(...q.byUid.all(uid));
    return rows.map((row) => hit(row, 'card', row.card_number));
  }

  return {
    searchMembers(query: MemberSearchQuery): MemberHit[] {
      if (typeof query?.text !== 'string' || query.text.length > 100) {
        throw new MemberError('INPUT_INVALID', 'a search is a text of at most 100 characters');
      }
      const limit = query.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
        throw new MemberError('INPUT_INVALID', 'a search limit is 1 to 200');
      }
      const text = query.text.trim();
      if (query.by === 'name') return byName(text, limit);
      if (query.by === 'phone') return byPhone(text, limit);
      if (query.by === 'card') return byCard(text).slice(0, limit);
      if (query.by !== undefined) throw new MemberError('INPUT_INVALID', 'search by phone, name or card');
      if (/^[\d\s+-]+$/.test(text)) {
        // A keyed card number is all digits too; an exact card hit comes first.
        const cards = byCard(text);
        const seen = new Set(cards.map((h) => h.memberId));
        const phones = byPhone(text, limit).filter((h) => !seen.has(h.memberId));
        return [...cards, ...phones].slice(0, limit);
      }
      if (UID.test(text.replace(/[\s:-]/g, '').toUpperCase()) && /\d/.test(text)) {
        const cards = byCard(text);
        if (cards.length > 0) return cards.slice(0, limit);
      }
      return byName(text, limit);
    },
  };
}
