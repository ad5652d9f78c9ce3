/**
 * Member tiers (会员等级): defined per store with a rank, a threshold on the member's cumulative top-ups or
 * spending, and a discount on charges. A member moves up automatically when a threshold is reached (never
 * down), or by a manager with a reason. The current tier is kept on the member's profile; every change is
 * a row in member_tier_changes and a line on the audit chain.
 */
import { type AuditWriter, auditWriter } from '../members';
import type { SqlRow } from '../rows';
import type { Ledger, OperationResult } from '../types';
import { PromotionError } from './errors';
import type { memberTiers as memberTiersTable } from './schema';

export type TierBasis = 'top_up' | 'spend';

export interface Tier {
  id: string;
  storeId: string;
  name: string;
  rank: number;
  basis: TierBasis;
  thresholdFen: number;
  discountBp: number;
}

export interface TierChange {
  memberId: string;
  fromTierId: string | null;
  toTierId: string | null;
  how: 'auto' | 'rule' | 'manual';
  reason: string | null;
  operationId: string | null;
  staffId: string | null;
  at: number;
}

export interface ChargeInput {
  operationId: string;
  cardId: string;
  /** The price before the tier's discount. */
  listPriceFen: number;
  staffId: string;
  terminalId: string;
  memo?: string | null;
}

/** What a charge slip shows: list price, the tier's discount, and what the card paid. */
export interface ChargeResult {
  listPriceFen: number;
  discountFen: number;
  chargedFen: number;
  tier: Tier | null;
  operation: OperationResult;
}

type TierRow = SqlRow<typeof memberTiersTable>;

const toTier = (row: TierRow): Tier => ({
  id: row.id,
  storeId: row.store_id,
  name: row.name,
  rank: row.rank,
  basis: row.basis,
  thresholdFen: row.threshold_fen,
  discountBp: row.discount_bp,
});

/** The discount a tier gives on a price, rounded down to the fen (the member never pays a fraction more). */
export function tierDiscount(listPriceFen: number, discountBp: number): number {
  return Math.floor((listPriceFen * discountBp) / 10_000);
}

export function memberTiers(ledger: Ledger, now: () => number, audit: AuditWriter) {
  const db = ledger.sqlite;
  const q = {
    tier: db.prepare<[string], TierRow>('SELECT * FROM member_tiers WHERE id = ?'),
    tiers: db.prepare<[string], TierRow>('SELECT * FROM member_tiers WHERE store_id = ? ORDER BY rank, id'),
    insertTier: db.prepare(
      `INSERT INTO member_tiers (id, store_id, name, rank, basis, threshold_fen, discount_bp, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    member: db.prepare<
      [string],
      { member_id: string; tier_id: string | null; store_id: string; deleted_at: number | null }
    >(
      `SELECT p.member_id, p.tier_id, m.store_id, p.deleted_at FROM member_profiles p
       JOIN members m ON m.id = p.member_id WHERE p.member_id = ?`,
    ),
    setTier: db.prepare('UPDATE member_profiles SET tier_id = ?, updated_at = ? WHERE member_id = ?'),
    insertChange: db.prepare(
      `INSERT INTO member_tier_changes (member_id, from_tier_id, to_tier_id, how, reason, operation_id, staff_id, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    changes: db.prepare<
      [string],
      {
        member_id: string;
        from_tier_id: string | null;
        to_tier_id: string | null;
        how: TierChange['how'];
        reason: string | null;
        operation_id: string | null;
        staff_id: string | null;
        at: number;
      }
    >('SELECT * FROM member_tier_changes WHERE member_id = ? ORDER BY id'),
    // Cumulative amounts over all the member's cards; voided operations do not count, refunds reduce spend.
    totals: db.prepare<[string], { top_up: number; spend: number }>(
      `SELECT COALESCE(SUM(CASE WHEN o.kind = 'top_up' THEN o.amount_fen END), 0) AS top_up,
              COALESCE(SUM(CASE WHEN o.kind = 'spend' THEN o.amount_fen WHEN o.kind = 'refund' THEN -o.amount_fen END), 0)
                AS spend
       FROM cards c JOIN operations o ON o.card_id = c.id
       WHERE c.member_id = ? AND o.kind IN ('top_up', 'spend', 'refund')
         AND NOT EXISTS (SELECT 1 FROM operations v WHERE v.target_operation_id = o.id AND v.kind = 'void')`,
    ),
  };

  function tierById(tierId: unknown): Tier {
    const row = typeof tierId === 'string' ? q.tier.get(tierId) : undefined;
    if (!row) throw new PromotionError('TIER_UNKNOWN', 'no such tier', { details: { tierId } });
    return toTier(row);
  }

  function memberRow(memberId: unknown) {
    const row = typeof memberId === 'string' ? q.member.get(memberId) : undefined;
    if (!row || row.deleted_at !== null) {
      throw new PromotionError('MEMBER_UNKNOWN', 'no such member', { details: { memberId } });
    }
    return row;
  }

  function requireManager(staffId: unknown): void {
    const staff = typeof staffId === 'string' ? ledger.staff(staffId) : undefined;
    if (!staff) throw new PromotionError('STAFF_UNKNOWN', 'no such staff member', { details: { staffId } });
    if (staff.role !== 'manager' && staff.role !== 'admin') {
      throw new PromotionError('APPROVER_NOT_MANAGER', 'only a manager may do this', {
        details: { staffId },
      });
    }
  }

  /** A member the member registry has not taken in yet (no profile) has no tier. */
  function tierOf(memberId: string): Tier | null {
    const row = typeof memberId === 'string' ? q.member.get(memberId) : undefined;
    return row?.tier_id ? tierById(row.tier_id) : null;
  }

  function hasProfile(memberId: string): boolean {
    return q.member.get(memberId) !== undefined;
  }

  /** Writes a change (in the caller's transaction). */
  function move(change: Omit<TierChange, 'at' | 'fromTierId'>, terminalId: string | null): TierChange {
    const row = memberRow(change.memberId);
    const at = now();
    q.setTier.run(change.toTierId, at, row.member_id);
    q.insertChange.run(
      row.member_id,
      row.tier_id,
      change.toTierId,
      change.how,
      change.reason,
      change.operationId,
      change.staffId,
      at,
    );
    audit.write({
      at,
      action: 'member.tier',
      outcome: 'ok',
      operationId: change.operationId,
      staffId: change.staffId,
      terminalId,
      details: { memberId: row.member_id, from: row.tier_id, to: change.toTierId, how: change.how },
    });
    return { ...change, fromTierId: row.tier_id, at };
  }

  /** Moves a member up to `tierId` if it ranks above the present tier; returns the change or null. */
  function upgradeTo(
    memberId: string,
    tierId: string,
    how: 'auto' | 'rule',
    operationId: string | null,
    staffId: string | null,
    terminalId: string | null,
  ): TierChange | null {
    const target = tierById(tierId);
    if (!hasProfile(memberId)) return null;
    const current = tierOf(memberId);
    if (current !== null && current.rank >= target.rank) return null;
    return move({ memberId, toTierId: target.id, how, reason: null, operationId, staffId }, terminalId);
  }

  /** The highest tier the member's cumulative amounts reach, if it is above the present one. */
  function review(
    memberId: string,
    operationId: string | null,
    staffId: string | null,
    terminalId: string | null,
  ) {
    if (!hasProfile(memberId)) return null;
    const row = memberRow(memberId);
    const totals = q.totals.get(row.member_id) ?? { top_up: 0, spend: 0 };
    let best: Tier | null = null;
    for (const tier of q.tiers.all(row.store_id).map(toTier)) {
      const reached = (tier.basis === 'top_up' ? totals.top_up : totals.spend) >= tier.thresholdFen;
      if (reached && (best === null || tier.rank > best.rank)) best = tier;
    }
    return best === null ? null : upgradeTo(row.member_id, best.id, 'auto', operationId, staffId, terminalId);
  }

  return {
    tierById,
    tierOf,
    upgradeTo,
    review,

    defineTier(input: Tier & { staffId: string }): Tier {
      return audit.guarded('tier.define', input, () => {
        requireManager(input.staffId);
        const bad = (message: string): never => {
          throw new PromotionError('TIER_INVALID', message);
        };
        if (typeof input.id !== 'string' || input.id === '' || q.tier.get(input.id))
          bad('a tier needs a new id');
        if (typeof input.name !== 'string' || input.name.trim() === '') bad('a tier needs a name');
        if (!ledger.store(input.storeId)) bad('no such store');
        if (!Number.isSafeInteger(input.rank) || input.rank < 0) bad('a rank is a whole number from 0');
        if (input.basis !== 'top_up' && input.basis !== 'spend')
          bad('a threshold counts top-ups or spending');
        if (!Number.isSafeInteger(input.thresholdFen) || input.thresholdFen < 0)
          bad('a threshold is whole fen');
        if (!Number.isSafeInteger(input.discountBp) || input.discountBp < 0 || input.discountBp > 10_000) {
          bad('a discount is 0 to 10000 basis points');
        }
        if (q.tiers.all(input.storeId).some((t) => t.rank === input.rank)) bad('another tier has this rank');
        const at = now();
        q.insertTier.run(
          input.id,
          input.storeId,
          input.name.trim(),
          input.rank,
          input.basis,
          input.thresholdFen,
          input.discountBp,
          at,
        );
        audit.write({
          at,
          action: 'tier.define',
          outcome: 'ok',
          staffId: input.staffId,
          details: { tierId: input.id },
        });
        return tierById(input.id);
      });
    },

    tiers(storeId: string): Tier[] {
      return q.tiers.all(storeId).map(toTier);
    },

    tierChanges(memberId: string): TierChange[] {
      return q.changes.all(memberId).map((row) => ({
        memberId: row.member_id,
        fromTierId: row.from_tier_id,
        toTierId: row.to_tier_id,
        how: row.how,
        reason: row.reason,
        operationId: row.operation_id,
        staffId: row.staff_id,
        at: row.at,
      }));
    },

    /** A manager sets a member's tier (up or down, or none) and says why. */
    changeTier(input: {
      memberId: string;
      tierId: string | null;
      reason: string;
      staffId: string;
      terminalId: string;
    }): TierChange {
      return audit.guarded('member.tier', input, () => {
        requireManager(input.staffId);
        if (typeof input.reason !== 'string' || input.reason.trim() === '') {
          throw new PromotionError('REASON_REQUIRED', 'a manual tier change needs a reason');
        }
        if (input.tierId !== null) tierById(input.tierId);
        return move(
          {
            memberId: input.memberId,
            toTierId: input.tierId,
            how: 'manual',
            reason: input.reason.trim(),
            operationId: null,
            staffId: input.staffId,
          },
          input.terminalId,
        );
      });
    },

    /**
     * A charge with the member's tier discount: the card pays the list price less the discount, and a
     * cumulative-spend tier is reviewed in the same transaction.
     */
    chargeWithTier(input: ChargeInput): ChargeResult {
      return audit.guarded('member.charge', input, () => {
        if (!Number.isSafeInteger(input.listPriceFen) || input.listPriceFen <= 0) {
          throw new PromotionError('AMOUNT_INVALID', 'a price is a positive whole number of fen');
        }
        const card = ledger.card(input.cardId);
        if (!card)
          throw new PromotionError('CARD_UNKNOWN', 'no such card', { details: { cardId: input.cardId } });
        const done = ledger.operation(input.operationId);
        const tier = tierOf(card.memberId);
        const discountFen = tier === null ? 0 : tierDiscount(input.listPriceFen, tier.discountBp);
        // A replay charges what was charged the first time, even if the tier moved since.
        const chargedFen = done?.kind === 'spend' ? done.amountFen : input.listPriceFen - discountFen;
        const memo = input.memo ?? (discountFen > 0 ? `tier discount ${discountFen} fen` : null);
        const operation = ledger.spend({
          operationId: input.operationId,
          cardId: card.id,
          amountFen: chargedFen,
          staffId: input.staffId,
          terminalId: input.terminalId,
          memo: done?.kind === 'spend' ? done.memo : memo,
        });
        if (!operation.replayed)
          review(card.memberId, operation.operationId, input.staffId, input.terminalId);
        return {
          listPriceFen: input.listPriceFen,
          discountFen: input.listPriceFen - chargedFen,
          chargedFen,
          tier,
          operation,
        };
      });
    },
  };
}

export type MemberTiers = ReturnType<typeof memberTiers>;

/**
 * Tiers the chain defined at HQ, written when a till enrols: a tier the ledger already has (same id) is kept as
 * it is, a new one is added. No local manager signs for them; the audit line names HQ. Runs in the caller's
 * transaction when there is one.
 */
export function adoptChainTiers(
  ledger: Ledger,
  storeId: string,
  tiers: readonly Omit<Tier, 'storeId'>[],
  now: () => number = Date.now,
): number {
  const db = ledger.sqlite;
  const exists = db.prepare<[string], { id: string }>('SELECT id FROM member_tiers WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO member_tiers (id, store_id, name, rank, basis, threshold_fen, discount_bp, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const audit = auditWriter(db, now);
  let added = 0;
  db.transaction(() => {
    for (const tier of tiers) {
      if (exists.get(tier.id)) continue;
      const at = now();
      insert.run(tier.id, storeId, tier.name, tier.rank, tier.basis, tier.thresholdFen, tier.discountBp, at);
      audit.write({ at, action: 'tier.define', outcome: 'ok', details: { tierId: tier.id, by: 'hq' } });
      added += 1;
    }
  })();
  return added;
}
