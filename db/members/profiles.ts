/**
 * Member profiles: registration with consent, profile views (masked for all but managers), edits with an
 * audit line, one member's data export, and deletion by anonymising personal fields. The ledger's own
 * `members` row (name, phone) is kept in step; its cards, operations and audit lines are never touched.
 */
import { ulid } from 'ulid';
import type { Balance, Card, Ledger, OperationSummary } from '../types';
import { type AuditWriter, auditWriter } from './audit';
import { MemberError } from './errors';
import {
  checkBirthday,
  DELETED_MEMBER_NAME,
  maskIdNumber,
  maskPhone,
  normalizeMobile,
  normalizeName,
  parseResidentId,
} from './identity';
import { type PersonalFields, personalFields } from './protect';

/** Setting: the highest ledger member rowid already given a profile. */
const ADOPTED_THROUGH = 'members.adoptedThroughRowid';

export { DELETED_MEMBER_NAME };

export type ConsentKind = 'pipl' | 'marketing';

export interface ConsentInput {
  purpose: string;
  version: string;
}

export interface RegisterMemberInput {
  id: string;
  storeId: string;
  name: string;
  phone: string;
  idNumber?: string | null;
  /** YYYY-MM-DD; taken from the ID number when one is given and this is not. */
  birthday?: string | null;
  notes?: string | null;
  /** Consent to process personal data (PIPL): required to register. */
  consent: ConsentInput;
  /** Marketing consent is separate and optional; absent means not given. */
  marketing?: (ConsentInput & { granted: boolean }) | null;
  staffId: string;
  terminalId: string;
}

export interface EditMemberInput {
  memberId: string;
  changes: {
    name?: string;
    phone?: string;
    idNumber?: string | null;
    birthday?: string | null;
    notes?: string | null;
  };
  staffId: string;
  terminalId: string;
}

export interface MemberProfile {
  memberId: string;
  storeId: string;
  name: string;
  phone: string | null;
  idNumber: string | null;
  birthday: string | null;
  notes: string | null;
  tierId: string | null;
  hasPassword: boolean;
  passwordLocked: boolean;
  deleted: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A profile as a cashier sees it: phone and ID number masked. */
export interface MemberView extends Omit<MemberProfile, 'phone' | 'idNumber'> {
  phone: string | null;
  idNumber: string | null;
  masked: boolean;
}

export interface ConsentRecord {
  kind: ConsentKind;
  granted: boolean;
  purpose: string;
  version: string;
  staffId: string | null;
  at: number;
}

export interface MemberExport {
  exportedAt: number;
  profile: MemberProfile;
  consents: ConsentRecord[];
  cards: Array<Card & { balance: Balance; operations: OperationSummary[] }>;
}

export interface ProfileRow {
  member_id: string;
  name: string;
  phone: string | null;
  id_number: string | null;
  birthday: string | null;
  notes: string | null;
  tier_id: string | null;
  password_hash: string | null;
  password_failures: number;
  password_locked_at: number | null;
  deleted_at: number | null;
  created_at: number;
  updated_at: number;
}

export function memberProfiles(
  ledger: Ledger,
  now: () => number,
  audit: AuditWriter = auditWriter(ledger.sqlite, now),
  personal: PersonalFields = personalFields(ledger.sqlite, undefined),
) {
  const db = ledger.sqlite;
  const q = {
    stored: db.prepare<[string], ProfileRow & { store_id: string }>(
      `SELECT p.*, m.store_id FROM member_profiles p JOIN members m ON m.id = p.member_id WHERE p.member_id = ?`,
    ),
    insertProfile: db.prepare(
      `INSERT INTO member_profiles (member_id, name, phone, id_number, birthday, notes, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertConsent: db.prepare(
      `INSERT INTO member_consents (member_id, kind, granted, purpose, version, staff_id, at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    consents: db.prepare<
      [string],
      {
        kind: ConsentKind;
        granted: number;
        purpose: string;
        version: string;
        staff_id: string | null;
        at: number;
      }
    >(
      'SELECT kind, granted, purpose, version, staff_id, at FROM member_consents WHERE member_id = ? ORDER BY id',
    ),
    updateProfile: db.prepare(
      `UPDATE member_profiles SET name = ?, phone = ?, id_number = ?, birthday = ?, notes = ?, updated_at = ?
       WHERE member_id = ?`,
    ),
    updateLedgerMember: db.prepare('UPDATE members SET name = ?, phone = ? WHERE id = ?'),
    anonymise: db.prepare(
      `UPDATE member_profiles SET name = ?, phone = NULL, id_number = NULL, birthday = NULL, notes = NULL,
         password_hash = NULL, password_failures = 0, password_locked_at = NULL, deleted_at = ?, updated_at = ?
       WHERE member_id = ?`,
    ),
    // Only members added since the last look: the rowid of a ledger member never goes back.
    orphans: db.prepare<
      [number],
      { rowid: number; id: string; name: string; phone: string | null; created_at: number }
    >(
      `SELECT m.rowid, m.id, m.name, m.phone, m.created_at FROM members m
       WHERE m.rowid > ? AND NOT EXISTS (SELECT 1 FROM member_profiles p WHERE p.member_id = m.id)`,
    ),
    lastMember: db.prepare<[], { last: number | null }>('SELECT MAX(rowid) AS last FROM members'),
    name: db.prepare<[string], { name: string }>('SELECT name FROM member_profiles WHERE member_id = ?'),
  };

  /** A profile row with its personal fields in clear (decrypted when stored encrypted). */
  const profileOf = (memberId: string): (ProfileRow & { store_id: string }) | undefined => {
    const row = q.stored.get(memberId);
    if (row === undefined) return undefined;
    return {
      ...row,
      name: personal.open(row.member_id, 'name', row.name) ?? '',
      phone: personal.open(row.member_id, 'phone', row.phone),
      id_number: personal.open(row.member_id, 'id_number', row.id_number),
      birthday: personal.open(row.member_id, 'birthday', row.birthday),
      notes: personal.open(row.member_id, 'notes', row.notes),
    };
  };

  function profileRow(memberId: unknown): ProfileRow & { store_id: string } {
    const row = typeof memberId === 'string' ? profileOf(memberId) : undefined;
    if (!row) throw new MemberError('MEMBER_UNKNOWN', 'no such member', { details: { memberId } });
    return row;
  }

  function liveProfile(memberId: unknown): ProfileRow & { store_id: string } {
    const row = profileRow(memberId);
    if (row.deleted_at !== null) {
      throw new MemberError('MEMBER_DELETED', 'this member was deleted', { details: { memberId } });
    }
    return row;
  }

  function staffRole(staffId: unknown): string {
    const staff = typeof staffId === 'string' ? ledger.staff(staffId) : undefined;
    if (!staff) throw new MemberError('STAFF_UNKNOWN', 'no such staff member', { details: { staffId } });
    return staff.role;
  }

  function toProfile(row: ProfileRow & { store_id: string }): MemberProfile {
    return {
      memberId: row.member_id,
      storeId: row.store_id,
      name: row.name,
      phone: row.phone,
      idNumber: row.id_number,
      birthday: row.birthday,
      notes: row.notes,
      tierId: row.tier_id,
      hasPassword: row.password_hash !== null,
      passwordLocked: row.password_locked_at !== null,
      deleted: row.deleted_at !== null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  function consentText(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
      throw new MemberError('CONSENT_REQUIRED', `consent needs its ${field}`, { details: { field } });
    }
    return value;
  }

  function optionalNotes(value: unknown): string | null {
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string' || value.length > 1000) {
      throw new MemberError('INPUT_INVALID', 'notes are a text of at most 1000 characters');
    }
    return value;
  }

  /** ID number and birthday together: the birthday follows the ID number and may not contradict it. */
  function identityFields(idNumber: unknown, birthday: unknown, at: number) {
    const id =
      idNumber === undefined || idNumber === null || idNumber === '' ? null : parseResidentId(idNumber, at);
    const day =
      birthday === undefined || birthday === null || birthday === '' ? null : checkBirthday(birthday, at);
    if (id && day && id.birthday !== day) {
      throw new MemberError('BIRTHDAY_MISMATCH', 'the birthday differs from the one in the ID number');
    }
    return { idNumber: id?.number ?? null, birthday: day ?? id?.birthday ?? null };
  }

  function checkUnique(phone: string | null, idNumber: string | null, memberId: string): void {
    const phoneOwner = phone === null ? undefined : personal.phoneOwner(phone, memberId);
    if (phoneOwner !== undefined) {
      throw new MemberError('PHONE_TAKEN', 'another member has this mobile number', {
        details: { memberId: phoneOwner },
      });
    }
    const idOwner = idNumber === null ? undefined : personal.idOwner(idNumber, memberId);
    if (idOwner !== undefined) {
      throw new MemberError('ID_NUMBER_TAKEN', 'another member has this ID number', {
        details: { memberId: idOwner },
      });
    }
  }

  function consents(memberId: string): ConsentRecord[] {
    profileRow(memberId);
    return q.consents.all(memberId).map((row) => ({
      kind: row.kind,
      granted: row.granted === 1,
      purpose: row.purpose,
      version: row.version,
      staffId: row.staff_id,
      at: row.at,
    }));
  }

  /** The consent of one kind in force now (the latest record), or null if never asked. */
  function consentInForce(memberId: string, kind: ConsentKind): ConsentRecord | null {
    const all = consents(memberId).filter((c) => c.kind === kind);
    return all[all.length - 1] ?? null;
  }

  /**
   * Erases phone, ID number, birthday, notes and password, renames the member and drops search keys, in the
   * caller's transaction. Cards, operations and audit lines stay as they are.
   */
  function erasePersonalData(memberId: string, at: number): void {
    q.anonymise.run(personal.seal(memberId, 'name', DELETED_MEMBER_NAME), at, at, memberId);
    q.updateLedgerMember.run(DELETED_MEMBER_NAME, null, memberId);
    personal.forget(memberId);
  }

  return {
    profileRow,
    liveProfile,
    staffRole,
    erasePersonalData,

    register(input: RegisterMemberInput): MemberProfile {
      return audit.guarded('member.register', input, () => {
        const at = now();
        const name = normalizeName(input.name);
        const phone = normalizeMobile(input.phone);
        const identity = identityFields(input.idNumber, input.birthday, at);
        const notes = optionalNotes(input.notes);
        const purpose = consentText(input.consent?.purpose, 'purpose');
        const version = consentText(input.consent?.version, 'version');
        const marketing = input.marketing ?? null;
        if (marketing !== null) {
          consentText(marketing.purpose, 'purpose');
          consentText(marketing.version, 'version');
        }
        checkUnique(phone, identity.idNumber, input.id);
        ledger.createMember({
          id: input.id,
          storeId: input.storeId,
          name: personal.ledgerName(name),
          phone: personal.ledgerPhone(phone),
          staffId: input.staffId,
          terminalId: input.terminalId,
        });
        q.insertProfile.run(
          input.id,
          personal.seal(input.id, 'name', name),
          personal.seal(input.id, 'phone', phone),
          personal.seal(input.id, 'id_number', identity.idNumber),
          personal.seal(input.id, 'birthday', identity.birthday),
          personal.seal(input.id, 'notes', notes),
          at,
          at,
        );
        personal.index(input.id, { name, phone, idNumber: identity.idNumber });
        q.insertConsent.run(input.id, 'pipl', 1, purpose, version, input.staffId, at);
        if (marketing !== null) {
          q.insertConsent.run(
            input.id,
            'marketing',
            marketing.granted ? 1 : 0,
            marketing.purpose,
            marketing.version,
            input.staffId,
            at,
          );
        }
        audit.write({
          at,
          action: 'member.register',
          outcome: 'ok',
          staffId: input.staffId,
          terminalId: input.terminalId,
          details: {
            memberId: input.id,
            consent: { purpose, version },
            marketing: marketing?.granted ?? false,
            idNumberGiven: identity.idNumber !== null,
          },
        });
        return toProfile(profileRow(input.id));
      });
    },

    /** A member's name in clear (decrypted when stored encrypted), or undefined for an unknown member. */
    nameOf(memberId: string): string | undefined {
      const row = q.name.get(memberId);
      return row === undefined ? undefined : (personal.open(memberId, 'name', row.name) ?? undefined);
    },

    /** The full profile: only for a manager's screen and the member's own export. */
    profile(memberId: string): MemberProfile | undefined {
      const row = profileOf(memberId);
      return row ? toProfile(row) : undefined;
    },

    /** The profile as `viewerStaffId` may see it: masked unless a manager or admin is looking. */
    view(memberId: string, viewerStaffId: string): MemberView {
      const role = staffRole(viewerStaffId);
      const profile = toProfile(profileRow(memberId));
      const full = role === 'manager' || role === 'admin';
      return full
        ? { ...profile, masked: false }
        : {
            ...profile,
            phone: maskPhone(profile.phone),
            idNumber: maskIdNumber(profile.idNumber),
            masked: true,
          };
    },

    consents,
    consentInForce,

    /** Records a new consent decision (e.g. marketing withdrawn); earlier records stay. */
    recordConsent(input: {
      memberId: string;
      kind: ConsentKind;
      granted: boolean;
      purpose: string;
      version: string;
      staffId: string;
      terminalId: string;
    }): ConsentRecord {
      return audit.guarded('member.consent', input, () => {
        liveProfile(input.memberId);
        if (input.kind !== 'pipl' && input.kind !== 'marketing') {
          throw new MemberError('INPUT_INVALID', 'consent is pipl or marketing');
        }
        const purpose = consentText(input.purpose, 'purpose');
        const version = consentText(input.version, 'version');
        staffRole(input.staffId);
        const at = now();
        q.insertConsent.run(
          input.memberId,
          input.kind,
          input.granted ? 1 : 0,
          purpose,
          version,
          input.staffId,
          at,
        );
        audit.write({
          at,
          action: 'member.consent',
          outcome: 'ok',
          staffId: input.staffId,
          terminalId: input.terminalId,
          details: { memberId: input.memberId, kind: input.kind, granted: input.granted, version },
        });
        return { kind: input.kind, granted: input.granted, purpose, version, staffId: input.staffId, at };
      });
    },

    edit(input: EditMemberInput): MemberProfile {
      return audit.guarded('member.edit', input, () => {
        const row = liveProfile(input.memberId);
        staffRole(input.staffId);
        const at = now();
        const changes = input.changes ?? {};
        const name = changes.name === undefined ? row.name : normalizeName(changes.name);
        const phone = changes.phone === undefined ? row.phone : normalizeMobile(changes.phone);
        const identity = identityFields(
          changes.idNumber === undefined ? row.id_number : changes.idNumber,
          // A new ID number brings its own birth date; removing the ID number keeps the birthday on file.
          changes.birthday !== undefined ? changes.birthday : changes.idNumber ? null : row.birthday,
          at,
        );
        const notes = changes.notes === undefined ? row.notes : optionalNotes(changes.notes);
        checkUnique(phone, identity.idNumber, row.member_id);
        const before = {
          name: row.name,
          phone: row.phone,
          idNumber: row.id_number,
          birthday: row.birthday,
          notes: row.notes,
        };
        const after = { name, phone, idNumber: identity.idNumber, birthday: identity.birthday, notes };
        const changed = (Object.keys(after) as Array<keyof typeof after>).filter(
          (key) => before[key] !== after[key],
        );
        if (changed.length === 0) return toProfile(row);
        q.updateProfile.run(
          personal.seal(row.member_id, 'name', name),
          personal.seal(row.member_id, 'phone', phone),
          personal.seal(row.member_id, 'id_number', identity.idNumber),
          personal.seal(row.member_id, 'birthday', identity.birthday),
          personal.seal(row.member_id, 'notes', notes),
          at,
          row.member_id,
        );
        q.updateLedgerMember.run(personal.ledgerName(name), personal.ledgerPhone(phone), row.member_id);
        personal.index(row.member_id, { name, phone, idNumber: identity.idNumber });
        audit.write({
          at,
          action: 'member.edit',
          outcome: 'ok',
          staffId: input.staffId,
          terminalId: input.terminalId,
          details: { memberId: row.member_id, fields: changed },
        });
        return toProfile(profileRow(row.member_id));
      });
    },

    /** Everything the registry holds about one member (the PIPL access right), as plain JSON. */
    exportData(input: { memberId: string; staffId: string; terminalId: string }): MemberExport {
      return audit.guarded('member.export', input, () => {
        const row = profileRow(input.memberId);
        staffRole(input.staffId);
        const at = now();
        const cards = ledger.cardsOf(row.member_id).map((card) => ({
          ...card,
          balance: ledger.balance(card.id),
          operations: ledger.operationsOf({ cardId: card.id, limit: 100_000 }),
        }));
        audit.write({
          at,
          action: 'member.export',
          outcome: 'ok',
          staffId: input.staffId,
          terminalId: input.terminalId,
          details: { memberId: row.member_id },
        });
        return { exportedAt: at, profile: toProfile(row), consents: consents(row.member_id), cards };
      });
    },

    /**
     * Deletes a member (the PIPL deletion right): personal fields are erased and the name replaced, cards
     * with nothing left on them are closed, and the money history stays whole under the same member id.
     * A member whose cards still hold money must have it withdrawn or transferred first. Manager only.
     */
    deleteMember(input: {
      memberId: string;
      staffId: string;
      terminalId: string;
      approvedBy: string;
    }): MemberProfile {
      return audit.guarded('member.delete', input, () => {
        const row = liveProfile(input.memberId);
        const approverRole = staffRole(input.approvedBy);
        if (approverRole !== 'manager' && approverRole !== 'admin') {
          throw new MemberError('APPROVER_NOT_MANAGER', 'deleting a member needs a manager');
        }
        const cards = ledger.cardsOf(row.member_id);
        for (const card of cards) {
          const held = ledger.balance(card.id);
          if (held.principalFen !== 0 || held.bonusFen !== 0 || held.points !== 0) {
            throw new MemberError('MEMBER_HAS_BALANCE', 'a card of this member still holds a balance', {
              details: { cardId: card.id, balance: held },
            });
          }
        }
        for (const card of cards) {
          if (card.state === 'active' || card.state === 'frozen' || card.state === 'lost') {
            ledger.setCardState({
              operationId: ulid(now()),
              cardId: card.id,
              state: 'closed',
              staffId: input.staffId,
              terminalId: input.terminalId,
              reason: 'member deleted',
            });
          }
        }
        const at = now();
        erasePersonalData(row.member_id, at);
        audit.write({
          at,
          action: 'member.delete',
          outcome: 'ok',
          staffId: input.staffId,
          terminalId: input.terminalId,
          details: { memberId: row.member_id, approvedBy: input.approvedBy },
        });
        return toProfile(profileRow(row.member_id));
      });
    },

    /**
     * Members created through the ledger alone (set-up scripts, the demo book) get a profile so search finds
     * them; a phone that is not a valid mobile number is left out of it.
     */
    adoptLedgerMembers(): number {
      return db
        .transaction(() => {
          const since = ledger.settings.get<number>(ADOPTED_THROUGH) ?? 0;
          const rows = q.orphans.all(since);
          for (const member of rows) {
            let phone: string | null = null;
            try {
              phone = member.phone === null ? null : normalizeMobile(member.phone);
            } catch {
              phone = null;
            }
            q.insertProfile.run(
              member.id,
              personal.seal(member.id, 'name', member.name),
              personal.seal(member.id, 'phone', phone),
              null,
              null,
              null,
              member.created_at,
              member.created_at,
            );
            personal.index(member.id, { name: member.name, phone, idNumber: null });
            if (personal.encrypted) {
              q.updateLedgerMember.run(
                personal.ledgerName(member.name),
                personal.ledgerPhone(phone ?? member.phone),
                member.id,
              );
            }
          }
          const last = q.lastMember.get()?.last ?? 0;
          if (last !== since) ledger.settings.set(ADOPTED_THROUGH, last);
          return rows.length;
        })
        .immediate();
    },
  };
}

export type MemberProfiles = ReturnType<typeof memberProfiles>;
