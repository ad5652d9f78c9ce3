/**
 * Who and what the book knows: stores, terminals, staff (with PIN login and lockout), members and cards.
 * Member and card changes are recorded in the outbox so headquarters learns them.
 */
import type { Accounts } from './accounts';
import { isValidTimeZone } from './business-day';
import { type Context, guarded, optionalText, requireText } from './context';
import { LedgerError } from './errors';
import { checkAmount } from './money';
import { hashPin, isWellFormedPin, needsPepper, pepperOf, verifyPin } from './pin';
import {
  type CardRow,
  type MemberRow,
  type StaffRow,
  type StoreRow,
  type TerminalRow,
  toCard,
  toMember,
  toStaff,
  toStore,
  toTerminal,
} from './rows';
import {
  CARD_MEDIA,
  type Card,
  type CardState,
  type CreateMemberInput,
  type CreateStaffInput,
  type CreateStoreInput,
  type IssueCardInput,
  type Member,
  SPEND_POLICIES,
  STAFF_ROLES,
  type Staff,
  type StaffRole,
  type Store,
  type Terminal,
} from './types';

/** Consecutive wrong PINs after which a staff member is locked out until a manager unlocks them. */
export const MAX_PIN_FAILURES = 5;

/** Wrong approver PINs in a row before approvals by that person pause. */
export const APPROVER_TRIES = 3;
/** The first pause; each further round of wrong tries doubles it, up to the cap. */
export const APPROVER_PAUSE_MS = 30_000;
export const APPROVER_PAUSE_CAP_MS = 15 * 60_000;

/** How long approvals pause after `failures` wrong approver PINs (0 while tries remain in this round). */
export function approverPauseMs(failures: number): number {
  if (failures === 0 || failures % APPROVER_TRIES !== 0) return 0;
  const round = failures / APPROVER_TRIES;
  return Math.min(APPROVER_PAUSE_CAP_MS, APPROVER_PAUSE_MS * 2 ** (round - 1));
}

export function directoryModule(ctx: Context, accounts: Accounts) {
  const { db } = ctx;
  const q = {
    store: db.prepare<[string], StoreRow>('SELECT * FROM stores WHERE id = ?'),
    terminal: db.prepare<[string], TerminalRow>('SELECT * FROM terminals WHERE id = ?'),
    staff: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE id = ?'),
    staffByCode: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE code = ?'),
    member: db.prepare<[string], MemberRow>('SELECT * FROM members WHERE id = ?'),
    card: db.prepare<[string], CardRow>('SELECT * FROM cards WHERE id = ?'),
    cardsOf: db.prepare<[string], CardRow>('SELECT * FROM cards WHERE member_id = ? ORDER BY created_at, id'),
    insertStore: db.prepare(
      `INSERT INTO stores (id, name, currency, time_zone, day_close_hour, spend_policy, single_operation_limit_fen, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertTerminal: db.prepare('INSERT INTO terminals (id, store_id, name, created_at) VALUES (?, ?, ?, ?)'),
    insertStaff: db.prepare(
      'INSERT INTO staff (id, store_id, code, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    pinFailed: db.prepare(
      `UPDATE staff SET failed_pin_attempts = failed_pin_attempts + 1,
         locked_at = CASE WHEN failed_pin_attempts + 1 >= ? THEN ? ELSE locked_at END
       WHERE id = ? RETURNING failed_pin_attempts, locked_at`,
    ),
    pinPassed: db.prepare('UPDATE staff SET failed_pin_attempts = 0 WHERE id = ?'),
    unlock: db.prepare('UPDATE staff SET failed_pin_attempts = 0, locked_at = NULL WHERE id = ?'),
    allStaff: db.prepare<[], StaffRow>('SELECT * FROM staff ORDER BY code, id'),
    activeAdmins: db.prepare<[], { n: number }>(
      `SELECT COUNT(*) AS n FROM staff WHERE role = 'admin' AND deactivated_at IS NULL`,
    ),
    setDeactivated: db.prepare('UPDATE staff SET deactivated_at = ? WHERE id = ?'),
    setPin: db.prepare(
      'UPDATE staff SET pin_hash = ?, failed_pin_attempts = 0, locked_at = NULL WHERE id = ?',
    ),
    setRole: db.prepare('UPDATE staff SET role = ? WHERE id = ?'),
    upgradePin: db.prepare('UPDATE staff SET pin_hash = ? WHERE id = ? AND pin_hash = ?'),
    approverFailed: db.prepare<[string], { approver_failures: number }>(
      'UPDATE staff SET approver_failures = approver_failures + 1 WHERE id = ? RETURNING approver_failures',
    ),
    approverPause: db.prepare('UPDATE staff SET approver_paused_until = ? WHERE id = ?'),
    approverPassed: db.prepare(
      'UPDATE staff SET approver_failures = 0, approver_paused_until = NULL WHERE id = ?',
    ),
    recoverAdmin: db.prepare(
      `UPDATE staff SET pin_hash = ?, failed_pin_attempts = 0, locked_at = NULL, deactivated_at = NULL,
         approver_failures = 0, approver_paused_until = NULL WHERE id = ?`,
    ),
    insertMember: db.prepare(
      'INSERT INTO members (id, store_id, name, phone, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    insertCard: db.prepare(
      `INSERT INTO cards (id, member_id, store_id, card_number, uid, medium, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
    ),
    cardByNumber: db.prepare<[string], { id: string }>('SELECT id FROM cards WHERE card_number = ?'),
    cardByUid: db.prepare<[string], { id: string }>('SELECT id FROM cards WHERE uid = ?'),
    setCardState: db.prepare('UPDATE cards SET state = ?, updated_at = ? WHERE id = ?'),
    firstTerminal: db.prepare<[], { id: string }>('SELECT id FROM terminals ORDER BY created_at, id LIMIT 1'),
  };

  /**
   * A book belongs to one terminal: the first one created in it. Changes made without naming a terminal
   * (set-up scripts, imports) are sent to HQ under it.
   */
  function homeTerminal(): string {
    const row = q.firstTerminal.get();
    if (!row) throw new LedgerError('TERMINAL_UNKNOWN', 'this book has no terminal yet; create one first');
    return row.id;
  }

  function storeRow(storeId: string): StoreRow {
    const row = q.store.get(storeId);
    if (!row) throw new LedgerError('STORE_UNKNOWN', 'no such store', { details: { storeId } });
    return row;
  }
  function terminalRow(terminalId: unknown): TerminalRow {
    const row = typeof terminalId === 'string' ? q.terminal.get(terminalId) : undefined;
    if (!row) throw new LedgerError('TERMINAL_UNKNOWN', 'no such terminal', { details: { terminalId } });
    return row;
  }
  function staffRow(staffId: unknown): StaffRow {
    const row = typeof staffId === 'string' ? q.staff.get(staffId) : undefined;
    if (!row) throw new LedgerError('STAFF_UNKNOWN', 'no such staff member', { details: { staffId } });
    return row;
  }
  /** A staff member who may act now: known, not deactivated and not locked out. */
  function activeStaff(staffId: unknown): StaffRow {
    const row = staffRow(staffId);
    if (row.deactivated_at !== null) {
      throw new LedgerError('STAFF_DEACTIVATED', 'this staff member has been deactivated', {
        details: { staffId },
      });
    }
    if (row.locked_at !== null) {
      throw new LedgerError('STAFF_LOCKED', 'this staff member is locked out', { details: { staffId } });
    }
    return row;
  }
  /** Refunds, withdrawals, voids and card transfers name an approving manager (or admin). */
  function approver(approvedBy: unknown): StaffRow {
    if (approvedBy === undefined || approvedBy === null || approvedBy === '') {
      throw new LedgerError('APPROVAL_REQUIRED', 'a manager must approve this operation');
    }
    const row = activeStaff(approvedBy);
    if (row.role !== 'manager' && row.role !== 'admin') {
      throw new LedgerError('APPROVER_NOT_MANAGER', 'the approver must be a manager', {
        details: { approvedBy, role: row.role },
      });
    }
    return row;
  }
  /** Staff administration is an admin's: active, not locked out, and in the admin role. */
  function adminActor(byStaffId: unknown): StaffRow {
    const row = activeStaff(byStaffId);
    if (row.role !== 'admin') {
      throw new LedgerError('ADMIN_REQUIRED', 'only an admin manages staff', {
        details: { byStaffId, role: row.role },
      });
    }
    return row;
  }
  /** Refuses to take away the book's last active admin (by deactivation or by a role change). */
  function keepAnAdmin(target: StaffRow): void {
    if (target.role !== 'admin' || target.deactivated_at !== null) return;
    if ((q.activeAdmins.get()?.n ?? 0) <= 1) {
      throw new LedgerError(
        'LAST_ADMIN',
        'the last active admin cannot be deactivated or given another role',
        {
          details: { staffId: target.id },
        },
      );
    }
  }
  function cardRow(cardId: unknown): CardRow {
    const row = typeof cardId === 'string' ? q.card.get(cardId) : undefined;
    if (!row) throw new LedgerError('CARD_UNKNOWN', 'no such card', { details: { cardId } });
    return row;
  }
  function memberRow(memberId: unknown): MemberRow {
    const row = typeof memberId === 'string' ? q.member.get(memberId) : undefined;
    if (!row) throw new LedgerError('MEMBER_UNKNOWN', 'no such member', { details: { memberId } });
    return row;
  }

  function optionalActor(staffId: unknown, terminalId: unknown) {
    return {
      staffId: staffId === undefined || staffId === null ? null : activeStaff(staffId).id,
      terminal: terminalId === undefined || terminalId === null ? null : terminalRow(terminalId),
    };
  }

  const api = {
    storeRow,
    terminalRow,
    staffRow,
    activeStaff,
    approver,
    cardRow,
    memberRow,

    createStore(input: CreateStoreInput): Store {
      return guarded(ctx, 'store.create', {}, () => {
        const id = requireText(input.id, 'id');
        const name = requireText(input.name, 'name');
        const currency = input.currency === undefined ? 'CNY' : requireText(input.currency, 'currency', 3);
        if (!isValidTimeZone(input.timeZone)) {
          throw new LedgerError('INPUT_INVALID', 'timeZone must be an IANA time zone', {
            details: { timeZone: input.timeZone },
          });
        }
        if (!Number.isInteger(input.dayCloseHour) || input.dayCloseHour < 0 || input.dayCloseHour > 23) {
          throw new LedgerError('INPUT_INVALID', 'dayCloseHour must be an hour from 0 to 23');
        }
        if (!SPEND_POLICIES.includes(input.spendPolicy)) {
          throw new LedgerError('INPUT_INVALID', 'unknown spend policy', {
            details: { spendPolicy: input.spendPolicy },
          });
        }
        const limit = checkAmount(
          input.singleOperationLimitFen,
          Number.MAX_SAFE_INTEGER,
          'singleOperationLimitFen',
        );
        if (q.store.get(id))
          throw new LedgerError('ID_TAKEN', 'a store with this id exists', { details: { id } });
        const at = ctx.now();
        q.insertStore.run(
          id,
          name,
          currency,
          input.timeZone,
          input.dayCloseHour,
          input.spendPolicy,
          limit,
          at,
        );
        accounts.createStoreAccounts(id);
        ctx.audit({ at, action: 'store.create', outcome: 'ok', details: { storeId: id } });
        return toStore(storeRow(id));
      });
    },
    store(storeId: string): Store | undefined {
      const row = q.store.get(storeId);
      return row ? toStore(row) : undefined;
    },

    createTerminal(input: { id: string; storeId: string; name: string }): Terminal {
      return guarded(ctx, 'terminal.create', {}, () => {
        const id = requireText(input.id, 'id');
        const name = requireText(input.name, 'name');
        storeRow(input.storeId);
        if (q.terminal.get(id))
          throw new LedgerError('ID_TAKEN', 'a terminal with this id exists', { details: { id } });
        const at = ctx.now();
        q.insertTerminal.run(id, input.storeId, name, at);
        ctx.audit({ at, action: 'terminal.create', outcome: 'ok', terminalId: id });
        return toTerminal(terminalRow(id));
      });
    },
    terminal(terminalId: string): Terminal | undefined {
      const row = q.terminal.get(terminalId);
      return row ? toTerminal(row) : undefined;
    },

    createStaff(input: CreateStaffInput): Staff {
      // Hashed before the write lock is taken: scrypt is slow on purpose, and other writers must not wait.
      const pinHash = isWellFormedPin(input.pin) ? hashPin(input.pin, pepperOf(ctx.db)) : null;
      return guarded(ctx, 'staff.create', { staffId: input.id }, () => {
        const id = requireText(input.id, 'id');
        const code = requireText(input.code, 'code', 32);
        const name = requireText(input.name, 'name');
        if (!STAFF_ROLES.includes(input.role)) {
          throw new LedgerError('INPUT_INVALID', 'unknown staff role', { details: { role: input.role } });
        }
        if (pinHash === null) throw new LedgerError('PIN_INVALID', 'a PIN is 4 to 12 digits');
        storeRow(input.storeId);
        if (q.staff.get(id))
          throw new LedgerError('ID_TAKEN', 'a staff member with this id exists', { details: { id } });
        if (q.staffByCode.get(code)) {
          throw new LedgerError('STAFF_CODE_TAKEN', 'another staff member has this code', {
            details: { code },
          });
        }
        const at = ctx.now();
        q.insertStaff.run(id, input.storeId, code, name, input.role, pinHash, at);
        ctx.audit({ at, action: 'staff.create', outcome: 'ok', staffId: id, details: { role: input.role } });
        return toStaff(staffRow(id));
      });
    },
    staff(staffId: string): Staff | undefined {
      const row = q.staff.get(staffId);
      return row ? toStaff(row) : undefined;
    },

    authenticateStaff(input: { code: string; pin: string; terminalId?: string | null }): Staff {
      // The PIN is checked before taking the write lock (scrypt is slow on purpose, and other writers must
      // not wait for it); the outcome is then recorded, and a wrong PIN counted, before anything is thrown.
      const candidate = typeof input.code === 'string' ? q.staffByCode.get(input.code) : undefined;
      const pinMatches =
        candidate !== undefined &&
        typeof input.pin === 'string' &&
        verifyPin(input.pin, candidate.pin_hash, pepperOf(ctx.db));
      // A PIN hashed before the pepper is rehashed with it on this right answer (outside the write lock).
      const upgraded =
        pinMatches && needsPepper(candidate.pin_hash, pepperOf(ctx.db))
          ? hashPin(input.pin, pepperOf(ctx.db))
          : null;
      const outcome = ctx.db
        .transaction(() => {
          const at = ctx.now();
          const terminalId = typeof input.terminalId === 'string' ? input.terminalId : null;
          const row = candidate ? q.staff.get(candidate.id) : undefined;
          const reject = (
            code: 'STAFF_UNKNOWN' | 'STAFF_DEACTIVATED' | 'STAFF_LOCKED' | 'STAFF_PIN_WRONG',
            details: Record<string, unknown>,
          ) => {
            ctx.audit({
              at,
              action: 'staff.login',
              outcome: 'rejected',
              code,
              staffId: row?.id ?? null,
              terminalId,
              details,
            });
            return { ok: false as const, code, details };
          };
          // The typed staff number is never recorded: people type their PIN into it by mistake.
          if (!row) return reject('STAFF_UNKNOWN', {});
          // Checked before the PIN: a deactivated staff member's guesses are neither counted nor answered.
          if (row.deactivated_at !== null) return reject('STAFF_DEACTIVATED', { staffId: row.id });
          if (row.locked_at !== null) return reject('STAFF_LOCKED', { staffId: row.id });
          // A PIN changed between the check and the lock does not count as a match.
          if (!pinMatches || row.pin_hash !== candidate?.pin_hash) {
            const after = q.pinFailed.get(MAX_PIN_FAILURES, at, row.id) as {
              failed_pin_attempts: number;
              locked_at: number | null;
            };
            if (after.locked_at !== null)
              return reject('STAFF_LOCKED', { staffId: row.id, failures: after.failed_pin_attempts });
            return reject('STAFF_PIN_WRONG', {
              staffId: row.id,
              attemptsLeft: MAX_PIN_FAILURES - after.failed_pin_attempts,
            });
          }
          q.pinPassed.run(row.id);
          if (upgraded !== null) q.upgradePin.run(upgraded, row.id, row.pin_hash);
          ctx.audit({ at, action: 'staff.login', outcome: 'ok', staffId: row.id, terminalId });
          return { ok: true as const, staff: toStaff(staffRow(row.id)) };
        })
        .immediate();
      if (outcome.ok) return outcome.staff;
      const messages = {
        STAFF_UNKNOWN: 'no staff member has this code',
        STAFF_DEACTIVATED: 'this staff member has been deactivated',
        STAFF_LOCKED: 'this staff member is locked out after too many wrong PINs; a manager must unlock',
        STAFF_PIN_WRONG: 'wrong PIN',
      } as const;
      throw new LedgerError(outcome.code, messages[outcome.code], { details: outcome.details });
    },

    /**
     * A manager's (or admin's) PIN typed into an approval box. Wrong tries are counted apart from the login's:
     * after APPROVER_TRIES in a row approvals by this person pause (30 s, doubling each round up to 15 min),
     * and the answer says how many tries remain or how long to wait. The person's login is never locked by it,
     * so a cashier guessing in a void dialog cannot lock the manager out.
     */
    authenticateApprover(input: { code: string; pin: string; terminalId?: string | null }): Staff {
      const candidate = typeof input.code === 'string' ? q.staffByCode.get(input.code) : undefined;
      const pinMatches =
        candidate !== undefined &&
        typeof input.pin === 'string' &&
        verifyPin(input.pin, candidate.pin_hash, pepperOf(ctx.db));
      const outcome = ctx.db
        .transaction(() => {
          const at = ctx.now();
          const terminalId = typeof input.terminalId === 'string' ? input.terminalId : null;
          const row = candidate ? q.staff.get(candidate.id) : undefined;
          type Code = 'STAFF_UNKNOWN' | 'STAFF_DEACTIVATED' | 'APPROVER_PIN_WRONG' | 'APPROVER_PAUSED';
          const reject = (code: Code, details: Record<string, unknown>) => {
            ctx.audit({
              at,
              action: 'staff.approve',
              outcome: 'rejected',
              code,
              staffId: row?.id ?? null,
              terminalId,
              details,
            });
            return { ok: false as const, code, details };
          };
          if (!row) return reject('STAFF_UNKNOWN', {});
          if (row.deactivated_at !== null) return reject('STAFF_DEACTIVATED', { staffId: row.id });
          if (row.approver_paused_until !== null && row.approver_paused_until > at) {
            return reject('APPROVER_PAUSED', {
              staffId: row.id,
              retryAfterSeconds: Math.ceil((row.approver_paused_until - at) / 1000),
            });
          }
          if (!pinMatches || row.pin_hash !== candidate?.pin_hash) {
            const failures = q.approverFailed.get(row.id)!.approver_failures;
            const pause = approverPauseMs(failures);
            if (pause > 0) {
              q.approverPause.run(at + pause, row.id);
              return reject('APPROVER_PAUSED', {
                staffId: row.id,
                failures,
                retryAfterSeconds: Math.ceil(pause / 1000),
              });
            }
            return reject('APPROVER_PIN_WRONG', {
              staffId: row.id,
              attemptsLeft: APPROVER_TRIES - (failures % APPROVER_TRIES),
            });
          }
          q.approverPassed.run(row.id);
          ctx.audit({ at, action: 'staff.approve', outcome: 'ok', staffId: row.id, terminalId });
          return { ok: true as const, staff: toStaff(staffRow(row.id)) };
        })
        .immediate();
      if (outcome.ok) return outcome.staff;
      const messages = {
        STAFF_UNKNOWN: 'no staff member has this code',
        STAFF_DEACTIVATED: 'this staff member has been deactivated',
        APPROVER_PIN_WRONG: 'wrong approver PIN',
        APPROVER_PAUSED: 'too many wrong approver PINs; approvals by this person are paused for a while',
      } as const;
      throw new LedgerError(outcome.code, messages[outcome.code], { details: outcome.details });
    },

    /**
     * A manager at the login screen unlocks a cashier locked out by wrong PINs, approving with their own
     * staff number and PIN (counted as approver tries). Managers unlock cashiers; an admin unlocks anyone.
     */
    unlockByApprover(input: {
      staffNo: string;
      approver: { code: string; pin: string };
      terminalId?: string | null;
    }): Staff {
      const approver = api.authenticateApprover({ ...input.approver, terminalId: input.terminalId ?? null });
      return guarded(ctx, 'staff.unlock', { staffId: approver.id }, () => {
        const target = typeof input.staffNo === 'string' ? q.staffByCode.get(input.staffNo) : undefined;
        // An unknown number is named as such, never echoed: it may be a PIN typed in the wrong box.
        if (!target) throw new LedgerError('STAFF_UNKNOWN', 'no staff member has this code');
        if (approver.role !== 'admin' && approver.role !== 'manager') {
          throw new LedgerError('APPROVER_NOT_MANAGER', 'the approver must be a manager', {
            details: { role: approver.role },
          });
        }
        if (approver.role === 'manager' && target.role !== 'cashier') {
          throw new LedgerError(
            'UNLOCK_NEEDS_ADMIN',
            'a manager unlocks cashiers; an admin unlocks the rest',
            {
              details: { targetRole: target.role },
            },
          );
        }
        q.unlock.run(target.id);
        ctx.audit({
          at: ctx.now(),
          action: 'staff.unlock',
          outcome: 'ok',
          staffId: approver.id,
          terminalId: typeof input.terminalId === 'string' ? input.terminalId : null,
          details: { unlocked: target.id },
        });
        return toStaff(staffRow(target.id));
      });
    },

    /**
     * The last way in when no admin can log in: the store's recovery code (checked by the caller) gives the
     * named admin a new PIN, and clears their lockout and any deactivation.
     */
    recoverAdmin(input: { staffNo: string; pin: string; terminalId?: string | null }): Staff {
      const pinHash = isWellFormedPin(input.pin) ? hashPin(input.pin, pepperOf(ctx.db)) : null;
      return guarded(ctx, 'staff.recover', {}, () => {
        if (pinHash === null) throw new LedgerError('PIN_INVALID', 'a PIN is 4 to 12 digits');
        const target = typeof input.staffNo === 'string' ? q.staffByCode.get(input.staffNo) : undefined;
        if (!target) throw new LedgerError('STAFF_UNKNOWN', 'no staff member has this code');
        if (target.role !== 'admin') {
          throw new LedgerError('RECOVERY_NOT_ADMIN', 'the recovery code restores an admin only', {
            details: { role: target.role },
          });
        }
        q.recoverAdmin.run(pinHash, target.id);
        ctx.audit({
          at: ctx.now(),
          action: 'staff.recover',
          outcome: 'ok',
          staffId: target.id,
          terminalId: typeof input.terminalId === 'string' ? input.terminalId : null,
          details: { target: target.id },
        });
        return toStaff(staffRow(target.id));
      });
    },

    unlockStaff(input: { staffId: string; byStaffId: string }): Staff {
      return guarded(ctx, 'staff.unlock', { staffId: input.byStaffId }, () => {
        const target = staffRow(input.staffId);
        approver(input.byStaffId);
        q.unlock.run(target.id);
        ctx.audit({
          at: ctx.now(),
          action: 'staff.unlock',
          outcome: 'ok',
          staffId: input.byStaffId,
          details: { unlocked: target.id },
        });
        return toStaff(staffRow(target.id));
      });
    },

    /** Every staff member of the book, active or not, by staff number. */
    listStaff(): Staff[] {
      return q.allStaff.all().map(toStaff);
    },

    /** An admin adds a staff member with an initial PIN. */
    addStaff(input: CreateStaffInput & { byStaffId: string }): Staff {
      const pinHash = isWellFormedPin(input.pin) ? hashPin(input.pin, pepperOf(ctx.db)) : null;
      return guarded(ctx, 'staff.add', { staffId: input.byStaffId }, () => {
        const admin = adminActor(input.byStaffId);
        const id = requireText(input.id, 'id');
        const code = requireText(input.code, 'code', 32);
        const name = requireText(input.name, 'name');
        if (!STAFF_ROLES.includes(input.role)) {
          throw new LedgerError('INPUT_INVALID', 'unknown staff role', { details: { role: input.role } });
        }
        if (pinHash === null) throw new LedgerError('PIN_INVALID', 'a PIN is 4 to 12 digits');
        storeRow(input.storeId);
        if (q.staff.get(id))
          throw new LedgerError('ID_TAKEN', 'a staff member with this id exists', { details: { id } });
        if (q.staffByCode.get(code)) {
          throw new LedgerError('STAFF_CODE_TAKEN', 'another staff member has this code', {
            details: { code },
          });
        }
        const at = ctx.now();
        q.insertStaff.run(id, input.storeId, code, name, input.role, pinHash, at);
        ctx.audit({
          at,
          action: 'staff.add',
          outcome: 'ok',
          staffId: admin.id,
          details: { target: id, code, role: input.role },
        });
        return toStaff(staffRow(id));
      });
    },

    /** An admin deactivates a staff member: no login and no acting until reactivated. */
    deactivateStaff(input: { staffId: string; byStaffId: string }): Staff {
      return guarded(ctx, 'staff.deactivate', { staffId: input.byStaffId }, () => {
        const admin = adminActor(input.byStaffId);
        const target = staffRow(input.staffId);
        if (target.deactivated_at === null) {
          keepAnAdmin(target);
          q.setDeactivated.run(ctx.now(), target.id);
        }
        ctx.audit({
          at: ctx.now(),
          action: 'staff.deactivate',
          outcome: 'ok',
          staffId: admin.id,
          details: { target: target.id },
        });
        return toStaff(staffRow(target.id));
      });
    },

    /** An admin lets a deactivated staff member log in again. */
    reactivateStaff(input: { staffId: string; byStaffId: string }): Staff {
      return guarded(ctx, 'staff.reactivate', { staffId: input.byStaffId }, () => {
        const admin = adminActor(input.byStaffId);
        const target = staffRow(input.staffId);
        q.setDeactivated.run(null, target.id);
        ctx.audit({
          at: ctx.now(),
          action: 'staff.reactivate',
          outcome: 'ok',
          staffId: admin.id,
          details: { target: target.id },
        });
        return toStaff(staffRow(target.id));
      });
    },

    /** An admin sets a new PIN; the wrong-PIN count and any lockout are cleared with it. */
    resetStaffPin(input: { staffId: string; pin: string; byStaffId: string }): Staff {
      const pinHash = isWellFormedPin(input.pin) ? hashPin(input.pin, pepperOf(ctx.db)) : null;
      return guarded(ctx, 'staff.resetPin', { staffId: input.byStaffId }, () => {
        const admin = adminActor(input.byStaffId);
        const target = staffRow(input.staffId);
        if (pinHash === null) throw new LedgerError('PIN_INVALID', 'a PIN is 4 to 12 digits');
        q.setPin.run(pinHash, target.id);
        ctx.audit({
          at: ctx.now(),
          action: 'staff.resetPin',
          outcome: 'ok',
          staffId: admin.id,
          details: { target: target.id },
        });
        return toStaff(staffRow(target.id));
      });
    },

    /** An admin changes a staff member's role; the last active admin keeps theirs. */
    changeStaffRole(input: { staffId: string; role: StaffRole; byStaffId: string }): Staff {
      return guarded(ctx, 'staff.changeRole', { staffId: input.byStaffId }, () => {
        const admin = adminActor(input.byStaffId);
        const target = staffRow(input.staffId);
        if (!STAFF_ROLES.includes(input.role)) {
          throw new LedgerError('INPUT_INVALID', 'unknown staff role', { details: { role: input.role } });
        }
        if (input.role !== 'admin') keepAnAdmin(target);
        q.setRole.run(input.role, target.id);
        ctx.audit({
          at: ctx.now(),
          action: 'staff.changeRole',
          outcome: 'ok',
          staffId: admin.id,
          details: { target: target.id, from: target.role, to: input.role },
        });
        return toStaff(staffRow(target.id));
      });
    },

    createMember(input: CreateMemberInput): Member {
      return guarded(ctx, 'member.create', { staffId: input.staffId, terminalId: input.terminalId }, () => {
        const id = requireText(input.id, 'id');
        const name = requireText(input.name, 'name');
        const phone = optionalText(input.phone, 'phone', 32);
        const store = storeRow(input.storeId);
        const actor = optionalActor(input.staffId, input.terminalId);
        if (q.member.get(id))
          throw new LedgerError('ID_TAKEN', 'a member with this id exists', { details: { id } });
        const at = ctx.now();
        q.insertMember.run(id, store.id, name, phone, at);
        const member = toMember(memberRow(id));
        const operationId = ctx.newId(at);
        ctx.audit({
          at,
          action: 'member.create',
          outcome: 'ok',
          operationId,
          staffId: actor.staffId,
          terminalId: actor.terminal?.id,
        });
        ctx.enqueue({
          operationId,
          terminalId: actor.terminal?.id ?? homeTerminal(),
          storeId: store.id,
          kind: 'member_created',
          payload: { member, staffId: actor.staffId },
          at,
        });
        return member;
      });
    },
    member(memberId: string): Member | undefined {
      const row = q.member.get(memberId);
      return row ? toMember(row) : undefined;
    },

    issueCard(input: IssueCardInput): Card {
      return guarded(ctx, 'card.issue', { staffId: input.staffId, terminalId: input.terminalId }, () => {
        const id = requireText(input.id, 'id');
        const cardNumber = requireText(input.cardNumber, 'cardNumber', 40);
        const uid = input.uid === undefined || input.uid === null ? null : normalizeUid(input.uid);
        if (!CARD_MEDIA.includes(input.medium)) {
          throw new LedgerError('INPUT_INVALID', 'unknown card medium', {
            details: { medium: input.medium },
          });
        }
        const member = memberRow(input.memberId);
        const actor = optionalActor(input.staffId, input.terminalId);
        if (q.card.get(id))
          throw new LedgerError('ID_TAKEN', 'a card with this id exists', { details: { id } });
        if (q.cardByNumber.get(cardNumber)) {
          throw new LedgerError('CARD_NUMBER_TAKEN', 'another card has this number', {
            details: { cardNumber },
          });
        }
        if (uid !== null && q.cardByUid.get(uid)) {
          throw new LedgerError('CARD_UID_TAKEN', 'another card has this UID', { details: { uid } });
        }
        const storeId = actor.terminal?.store_id ?? member.store_id;
        const at = ctx.now();
        q.insertCard.run(id, member.id, storeId, cardNumber, uid, input.medium, at, at);
        accounts.createCardAccounts(storeId, id);
        const card = toCard(cardRow(id));
        const operationId = ctx.newId(at);
        ctx.audit({
          at,
          action: 'card.issue',
          outcome: 'ok',
          operationId,
          staffId: actor.staffId,
          terminalId: actor.terminal?.id,
        });
        ctx.enqueue({
          operationId,
          terminalId: actor.terminal?.id ?? homeTerminal(),
          storeId,
          kind: 'card_issued',
          payload: { card, staffId: actor.staffId },
          at,
        });
        return card;
      });
    },
    card(cardId: string): Card | undefined {
      const row = q.card.get(cardId);
      return row ? toCard(row) : undefined;
    },
    cardsOf(memberId: string): Card[] {
      return q.cardsOf.all(memberId).map(toCard);
    },
    writeCardState(cardId: string, state: CardState, at: number): void {
      q.setCardState.run(state, at, cardId);
    },
  };
  return api;
}

export type Directory = ReturnType<typeof directoryModule>;

/** UIDs are stored as upper-case hex without separators (4, 7 or 10 bytes on real cards). */
export function normalizeUid(uid: unknown): string {
  if (typeof uid !== 'string') throw new LedgerError('INPUT_INVALID', 'uid must be hex text');
  const hex = uid.replace(/[\s:-]/g, '').toUpperCase();
  if (!/^([0-9A-F]{2}){4,10}$/.test(hex)) {
    throw new LedgerError('INPUT_INVALID', 'uid must be 4 to 10 bytes of hex', { details: { uid } });
  }
  return hex;
}
