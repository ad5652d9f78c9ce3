/**
 * Retention (PIPL: keep personal data no longer than the purpose needs). Once a manager has set the store's
 * retention period (setting `members.retention`: days, who set it, when), a member with no activity for that
 * long is anonymised by a scheduled run, on that manager's authority: personal fields erased, the name replaced, cards with nothing on them closed, exactly as a
 * deletion does. The ledger stays whole: operations, transfers and audit lines are never touched. A member
 * whose card still holds money, bonus or points is kept (the store owes them; they must be able to prove who
 * they are) and reported. Activity is the latest of registration, the last profile change and the last
 * operation on any of the member's cards.
 */
import { ulid } from 'ulid';
import type { Ledger } from '../types';
import type { AuditWriter } from './audit';
import { MemberError } from './errors';
import type { MemberProfiles } from './profiles';

export const RETENTION_SETTING = 'members.retention';

export interface RetentionPolicy {
  days: number;
  /** The manager or admin who set it; the scheduled run acts (closes cards) in their name. */
  staffId: string;
  at: number;
}
const DAY_MS = 86_400_000;
/** Members looked at per transaction-free read page; each anonymisation is its own short transaction. */
const PAGE = 500;

export interface RetentionRun {
  /** Null when no retention period is set: nothing is anonymised. */
  retentionDays: number | null;
  /** Activity before this moment (UTC ms) counts as expired. */
  cutoff: number;
  checked: number;
  anonymised: string[];
  /** Expired, but a card still holds a balance. */
  keptForBalance: string[];
  /** True when the run stopped at its limit with members left to look at. */
  more: boolean;
}

interface Candidate {
  member_id: string;
  created_at: number;
  updated_at: number;
  last_operation: number | null;
}

export function memberRetention(
  ledger: Ledger,
  now: () => number,
  audit: AuditWriter,
  members: MemberProfiles,
) {
  const db = ledger.sqlite;
  const q = {
    // Keyset pages over live profiles not changed since the cutoff; the last operation of each card is the
    // newest row of the card's (card_id, seq) index.
    candidates: db.prepare<[number, string, number], Candidate>(
      `SELECT p.member_id, p.created_at, p.updated_at,
         (SELECT MAX((SELECT o.created_at FROM operations o WHERE o.card_id = c.id ORDER BY o.seq DESC LIMIT 1))
            FROM cards c WHERE c.member_id = p.member_id) AS last_operation
       FROM member_profiles p
       WHERE p.deleted_at IS NULL AND p.updated_at < ? AND p.member_id > ?
       ORDER BY p.member_id LIMIT ?`,
    ),
  };

  function policy(): RetentionPolicy | null {
    const stored = ledger.settings.get<Partial<RetentionPolicy>>(RETENTION_SETTING);
    if (
      typeof stored !== 'object' ||
      stored === null ||
      !Number.isSafeInteger(stored.days) ||
      (stored.days ?? 0) <= 0 ||
      typeof stored.staffId !== 'string'
    ) {
      return null;
    }
    return { days: stored.days!, staffId: stored.staffId, at: stored.at ?? 0 };
  }

  return {
    policy,

    /** Sets the retention period (a manager's or admin's decision), with an audit line naming old and new. */
    setRetentionDays(input: { days: number; staffId: string; terminalId: string }): number {
      return audit.guarded('settings.change', input, () => {
        if (!Number.isSafeInteger(input.days) || input.days < 30 || input.days > 36_500) {
          throw new MemberError('INPUT_INVALID', 'a retention period is 30 to 36,500 days', {
            details: { days: input.days },
          });
        }
        const role = members.staffRole(input.staffId);
        if (role !== 'manager' && role !== 'admin') {
          throw new MemberError('APPROVER_NOT_MANAGER', 'the retention period is set by a manager');
        }
        const before = policy()?.days ?? null;
        const at = now();
        ledger.settings.set(RETENTION_SETTING, { days: input.days, staffId: input.staffId, at });
        audit.write({
          at,
          action: 'settings.change',
          outcome: 'ok',
          staffId: input.staffId,
          terminalId: input.terminalId,
          details: { key: RETENTION_SETTING, from: before, to: input.days },
        });
        return input.days;
      });
    },

    /**
     * Anonymises up to `limit` expired members. Reads in pages outside any transaction; each member is
     * anonymised in a transaction of its own, so the counter never waits long behind the run.
     */
    run(options: { terminalId: string; limit?: number }): RetentionRun {
      const limit = options.limit ?? 1_000;
      const set = policy();
      const at = now();
      const result: RetentionRun = {
        retentionDays: set?.days ?? null,
        cutoff: set === null ? 0 : at - set.days * DAY_MS,
        checked: 0,
        anonymised: [],
        keptForBalance: [],
        more: false,
      };
      if (set === null) return result;
      const { cutoff, days } = { cutoff: result.cutoff, days: set.days };
      const actor = { staffId: set.staffId, terminalId: options.terminalId };
      let after = '';
      for (;;) {
        const page = q.candidates.all(cutoff, after, PAGE);
        if (page.length === 0) break;
        after = page[page.length - 1]!.member_id;
        for (const candidate of page) {
          result.checked += 1;
          const lastActivity = Math.max(
            candidate.created_at,
            candidate.updated_at,
            candidate.last_operation ?? 0,
          );
          if (lastActivity >= cutoff) continue;
          if (result.anonymised.length >= limit) {
            result.more = true;
            break;
          }
          const outcome = anonymise(candidate.member_id, lastActivity, days, actor);
          if (outcome === 'anonymised') result.anonymised.push(candidate.member_id);
          else if (outcome === 'balance') result.keptForBalance.push(candidate.member_id);
        }
        if (result.more) break;
      }
      db.transaction(() =>
        audit.write({
          at: now(),
          action: 'member.retention.run',
          outcome: 'ok',
          staffId: actor.staffId,
          terminalId: actor.terminalId,
          details: {
            retentionDays: days,
            cutoff,
            checked: result.checked,
            anonymised: result.anonymised.length,
            keptForBalance: result.keptForBalance.length,
            more: result.more,
          },
        }),
      ).immediate();
      return result;
    },
  };

  function anonymise(
    memberId: string,
    lastActivity: number,
    days: number,
    actor: { staffId: string; terminalId: string },
  ): 'anonymised' | 'balance' | 'skipped' {
    return db
      .transaction((): 'anonymised' | 'balance' | 'skipped' => {
        // Looked at again inside the write lock: a sale or an edit since the page was read keeps the member.
        const row = members.profileRow(memberId);
        if (row.deleted_at !== null || row.updated_at >= now() - days * DAY_MS) return 'skipped';
        const cards = ledger.cardsOf(memberId);
        for (const card of cards) {
          const last = ledger.operationsOf({ cardId: card.id, limit: 100_000 }).at(-1);
          if (last !== undefined && last.createdAt > lastActivity) return 'skipped';
        }
        const held = cards.find((card) => {
          const balance = ledger.balance(card.id);
          return balance.principalFen !== 0 || balance.bonusFen !== 0 || balance.points !== 0;
        });
        if (held !== undefined) {
          audit.write({
            at: now(),
            action: 'member.retention',
            outcome: 'rejected',
            code: 'MEMBER_HAS_BALANCE',
            ...actor,
            details: { memberId, cardId: held.id, lastActivity, retentionDays: days },
          });
          return 'balance';
        }
        for (const card of cards) {
          if (card.state === 'active' || card.state === 'frozen' || card.state === 'lost') {
            ledger.setCardState({
              operationId: ulid(now()),
              cardId: card.id,
              state: 'closed',
              ...actor,
              reason: 'retention period ended',
            });
          }
        }
        const at = now();
        members.erasePersonalData(memberId, at);
        audit.write({
          at,
          action: 'member.retention',
          outcome: 'ok',
          ...actor,
          details: { memberId, lastActivity, retentionDays: days },
        });
        return 'anonymised';
      })
      .immediate();
  }
}

export type MemberRetention = ReturnType<typeof memberRetention>;
