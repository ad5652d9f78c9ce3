/**
 * PIN login and PIN approval, the lockouts that guard them, and the ways out of a lockout: a manager's
 * unlock, and an admin's recovery by the store's recovery code.
 */
import { type Context, guarded } from '../context';
import { LedgerError } from '../errors';
import { hashPin, isWellFormedPin, needsPepper, pepperOf, verifyPin } from '../pin';
import { toStaff } from '../rows';
import type { Staff } from '../types';
import type { StaffRecords } from './records';

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

export function staffSignIn(ctx: Context, records: StaffRecords) {
  const { db } = ctx;
  const { staffRow, approver } = records;
  const q = {
    pinFailed: db.prepare(
      `UPDATE staff SET failed_pin_attempts = failed_pin_attempts + 1,
         locked_at = CASE WHEN failed_pin_attempts + 1 >= ? THEN ? ELSE locked_at END
       WHERE id = ? RETURNING failed_pin_attempts, locked_at`,
    ),
    pinPassed: db.prepare('UPDATE staff SET failed_pin_attempts = 0 WHERE id = ?'),
    unlock: db.prepare('UPDATE staff SET failed_pin_attempts = 0, locked_at = NULL WHERE id = ?'),
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
  };

  /**
   * A refused PIN is recorded in the same transaction as the count it moves; the refusal is returned, and
   * thrown only after that transaction commits, so the count survives the refusal.
   */
  function refusal<Code extends string>(
    action: string,
    who: { at: number; staffId: string | null; terminalId: string | null },
  ) {
    return (code: Code, details: Record<string, unknown>) => {
      ctx.audit({ ...who, action, outcome: 'rejected', code, details });
      return { ok: false as const, code, details };
    };
  }

  const signIn = {
    authenticateStaff(input: { code: string; pin: string; terminalId?: string | null }): Staff {
      // The PIN is checked before taking the write lock (scrypt is slow on purpose, and other writers must
      // not wait for it); the outcome is then recorded, and a wrong PIN counted, before anything is thrown.
      const candidate = records.byCode(input.code);
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
          const row = candidate ? records.byId(candidate.id) : undefined;
          const reject = refusal<'STAFF_UNKNOWN' | 'STAFF_DEACTIVATED' | 'STAFF_LOCKED' | 'STAFF_PIN_WRONG'>(
            'staff.login',
            { at, staffId: row?.id ?? null, terminalId },
          );
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
      const candidate = records.byCode(input.code);
      const pinMatches =
        candidate !== undefined &&
        typeof input.pin === 'string' &&
        verifyPin(input.pin, candidate.pin_hash, pepperOf(ctx.db));
      const outcome = ctx.db
        .transaction(() => {
          const at = ctx.now();
          const terminalId = typeof input.terminalId === 'string' ? input.terminalId : null;
          const row = candidate ? records.byId(candidate.id) : undefined;
          const reject = refusal<
            'STAFF_UNKNOWN' | 'STAFF_DEACTIVATED' | 'APPROVER_PIN_WRONG' | 'APPROVER_PAUSED'
          >('staff.approve', { at, staffId: row?.id ?? null, terminalId });
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
      const approver = signIn.authenticateApprover({
        ...input.approver,
        terminalId: input.terminalId ?? null,
      });
      return guarded(ctx, 'staff.unlock', { staffId: approver.id }, () => {
        const target = records.byCode(input.staffNo);
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
        const target = records.byCode(input.staffNo);
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
  };
  return signIn;
}
