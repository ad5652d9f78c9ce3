/**
 * The member password (会员密码): set at activation or later, checked before a spend where the store asks
 * for it, locked after five wrong tries, reset only with a manager.
 */
import { needsPepper, pepperOf } from '../pin';
import type { Ledger } from '../types';
import type { AuditWriter } from './audit';
import { MemberError } from './errors';
import {
  hashMemberPassword,
  isWellFormedMemberPassword,
  MAX_PASSWORD_FAILURES,
  verifyMemberPassword,
} from './password';
import type { MemberProfiles } from './profiles';

export function memberCredentials(
  ledger: Ledger,
  now: () => number,
  audit: AuditWriter,
  members: MemberProfiles,
) {
  const db = ledger.sqlite;
  const q = {
    setHash: db.prepare(
      `UPDATE member_profiles SET password_hash = ?, password_failures = 0, password_locked_at = NULL, updated_at = ?
       WHERE member_id = ?`,
    ),
    failed: db.prepare<
      [number, number, string],
      { password_failures: number; password_locked_at: number | null }
    >(
      `UPDATE member_profiles SET password_failures = password_failures + 1,
         password_locked_at = CASE WHEN password_failures + 1 >= ? THEN ? ELSE password_locked_at END
       WHERE member_id = ? RETURNING password_failures, password_locked_at`,
    ),
    passed: db.prepare('UPDATE member_profiles SET password_failures = 0 WHERE member_id = ?'),
    upgrade: db.prepare(
      'UPDATE member_profiles SET password_hash = ? WHERE member_id = ? AND password_hash = ?',
    ),
  };
  const pepper = () => pepperOf(db);

  function checkNew(password: unknown): string {
    if (!isWellFormedMemberPassword(password)) {
      throw new MemberError('PASSWORD_INVALID', 'a member password is exactly 6 digits');
    }
    // Guessable at a glance over the counter: all one digit, or a straight run.
    if (/^(\d)\1{5}$/.test(password) || '0123456789'.includes(password) || '9876543210'.includes(password)) {
      throw new MemberError('PASSWORD_INVALID', 'choose a password that is not one digit repeated or a run');
    }
    return password;
  }

  return {
    /** Sets the password for a member who has none (activation); changing one goes through reset. */
    setPassword(input: { memberId: string; password: string; staffId: string; terminalId: string }): void {
      audit.guarded('member.password.set', input, () => {
        const row = members.liveProfile(input.memberId);
        members.staffRole(input.staffId);
        if (row.password_hash !== null) {
          throw new MemberError(
            'INPUT_INVALID',
            'this member already has a password; a manager can reset it',
          );
        }
        const password = checkNew(input.password);
        const at = now();
        q.setHash.run(hashMemberPassword(password, pepper()), at, row.member_id);
        audit.write({
          at,
          action: 'member.password.set',
          outcome: 'ok',
          staffId: input.staffId,
          terminalId: input.terminalId,
          details: { memberId: row.member_id },
        });
      });
    },

    /**
     * Checks a password. A wrong one is counted (and committed) even though the call fails: PASSWORD_WRONG
     * with the tries left, then PASSWORD_LOCKED from the fifth failure on.
     */
    verifyPassword(input: { memberId: string; password: string; terminalId?: string | null }): void {
      const outcome = db
        .transaction(() => {
          const row = members.liveProfile(input.memberId);
          const at = now();
          const terminalId = input.terminalId ?? null;
          const reject = (
            code: 'PASSWORD_NOT_SET' | 'PASSWORD_LOCKED' | 'PASSWORD_WRONG',
            details: Record<string, unknown>,
          ) => {
            audit.write({
              at,
              action: 'member.password.check',
              outcome: 'rejected',
              code,
              terminalId,
              details,
            });
            return { ok: false as const, code, details };
          };
          if (row.password_hash === null) return reject('PASSWORD_NOT_SET', { memberId: row.member_id });
          if (row.password_locked_at !== null) return reject('PASSWORD_LOCKED', { memberId: row.member_id });
          if (
            typeof input.password !== 'string' ||
            !verifyMemberPassword(input.password, row.password_hash, pepper())
          ) {
            const after = q.failed.get(MAX_PASSWORD_FAILURES, at, row.member_id);
            if (after?.password_locked_at !== null && after?.password_locked_at !== undefined) {
              return reject('PASSWORD_LOCKED', {
                memberId: row.member_id,
                failures: after.password_failures,
              });
            }
            return reject('PASSWORD_WRONG', {
              memberId: row.member_id,
              attemptsLeft: MAX_PASSWORD_FAILURES - (after?.password_failures ?? 0),
            });
          }
          if (row.password_failures !== 0) q.passed.run(row.member_id);
          // A hash from before the pepper is replaced now that the right password is in hand.
          if (needsPepper(row.password_hash, pepper())) {
            q.upgrade.run(hashMemberPassword(input.password, pepper()), row.member_id, row.password_hash);
          }
          return { ok: true as const };
        })
        .immediate();
      if (outcome.ok) return;
      const messages = {
        PASSWORD_NOT_SET: 'this member has no password',
        PASSWORD_LOCKED: 'the member password is locked after too many wrong tries; a manager must reset it',
        PASSWORD_WRONG: 'wrong member password',
      } as const;
      throw new MemberError(outcome.code, messages[outcome.code], { details: outcome.details });
    },

    /** A manager sets a new password and clears the lockout (the member chooses it at the counter). */
    resetPassword(input: {
      memberId: string;
      password: string;
      staffId: string;
      terminalId: string;
      approvedBy: string;
    }): void {
      audit.guarded('member.password.reset', input, () => {
        const row = members.liveProfile(input.memberId);
        members.staffRole(input.staffId);
        if (input.approvedBy === undefined || input.approvedBy === null || input.approvedBy === '') {
          throw new MemberError('APPROVAL_REQUIRED', 'a manager must approve a password reset');
        }
        const role = members.staffRole(input.approvedBy);
        if (role !== 'manager' && role !== 'admin') {
          throw new MemberError('APPROVER_NOT_MANAGER', 'only a manager can reset a member password');
        }
        const password = checkNew(input.password);
        const at = now();
        q.setHash.run(hashMemberPassword(password, pepper()), at, row.member_id);
        audit.write({
          at,
          action: 'member.password.reset',
          outcome: 'ok',
          staffId: input.staffId,
          terminalId: input.terminalId,
          details: { memberId: row.member_id, approvedBy: input.approvedBy },
        });
      });
    },
  };
}
