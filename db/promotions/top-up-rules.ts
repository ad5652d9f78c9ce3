/**
 * Top-up bonus rules (充值送): versions a manager writes, the quote the cashier sees before confirming, and
 * the top-up that applies it. The quote and the top-up run the same selection; the top-up refuses with
 * QUOTE_CHANGED if what would apply now differs from what the cashier confirmed.
 */
import type { AuditWriter } from '../members';
import type { SqlRow } from '../rows';
import type { Database, Ledger, OperationResult, Tender } from '../types';
import { PromotionError } from './errors';
import { type BonusRule, type BonusRuleTerms, bonusExpiry, checkTerms, inForce, rewardFor } from './rules';
import type { bonusRules, ruleApplications } from './schema';
import type { MemberTiers, TierChange } from './tiers';

export interface TopUpQuote {
  cardId: string;
  memberId: string;
  amountFen: number;
  /** The rule that applies, or null when none does. */
  ruleId: string | null;
  ruleVersion: number | null;
  ruleName: string | null;
  bonusFen: number;
  points: number;
  /** The tier the member moves up to because of this top-up's rule, if any. */
  tierUpgradeTo: string | null;
  /** When the bonus lapses; null is never. */
  bonusExpiresAt: number | null;
  quotedAt: number;
}

export interface TopUpWithRulesInput {
  operationId: string;
  cardId: string;
  amountFen: number;
  tender: Tender;
  tenderReference?: string | null;
  staffId: string;
  terminalId: string;
  /** What the cashier confirmed; when given, the top-up is refused if the rules now give something else. */
  expected?: { ruleId: string | null; ruleVersion: number | null; bonusFen: number; points: number } | null;
}

export interface TopUpWithRulesResult {
  quote: TopUpQuote;
  operation: OperationResult;
  tierChanges: TierChange[];
}

type RuleRow = SqlRow<typeof bonusRules>;

type ApplicationRow = SqlRow<typeof ruleApplications>;

function toRule(row: RuleRow): BonusRule {
  return {
    id: row.id,
    version: row.version,
    storeId: row.store_id,
    name: row.name,
    steps: row.steps === null ? null : JSON.parse(row.steps),
    percentBp: row.percent_bp,
    pointsPerYuan: row.points_per_yuan,
    upgradeMinFen: row.upgrade_min_fen,
    upgradeTierId: row.upgrade_tier_id,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    eligibleTiers: row.eligible_tiers === null ? null : JSON.parse(row.eligible_tiers),
    perMemberLimit: row.per_member_limit,
    bonusExpiryDays: row.bonus_expiry_days,
    retired: row.retired === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/**
 * The bonus_rules insert, by column name. A version HQ published through the feed is written with the same
 * statement and row as one a manager wrote here.
 */
export function prepareRuleInsert(db: Database) {
  return db.prepare<[RuleRow]>(
    `INSERT INTO bonus_rules (id, version, store_id, name, steps, percent_bp, points_per_yuan, upgrade_min_fen,
       upgrade_tier_id, valid_from, valid_to, eligible_tiers, per_member_limit, bonus_expiry_days, retired,
       created_by, created_at)
     VALUES (@id, @version, @store_id, @name, @steps, @percent_bp, @points_per_yuan, @upgrade_min_fen,
       @upgrade_tier_id, @valid_from, @valid_to, @eligible_tiers, @per_member_limit, @bonus_expiry_days, @retired,
       @created_by, @created_at)`,
  );
}

/** One version of a rule as stored: list-valued terms as JSON text, retired as 0 or 1. */
export function ruleVersionRow(version: {
  id: string;
  version: number;
  storeId: string;
  terms: Required<BonusRuleTerms>;
  retired: boolean;
  createdBy: string;
  at: number;
}): RuleRow {
  const { terms } = version;
  return {
    id: version.id,
    version: version.version,
    store_id: version.storeId,
    name: terms.name,
    steps: terms.steps === null ? null : JSON.stringify(terms.steps),
    percent_bp: terms.percentBp,
    points_per_yuan: terms.pointsPerYuan,
    upgrade_min_fen: terms.upgradeMinFen,
    upgrade_tier_id: terms.upgradeTierId,
    valid_from: terms.validFrom,
    valid_to: terms.validTo,
    eligible_tiers: terms.eligibleTiers === null ? null : JSON.stringify(terms.eligibleTiers),
    per_member_limit: terms.perMemberLimit,
    bonus_expiry_days: terms.bonusExpiryDays,
    retired: version.retired ? 1 : 0,
    created_by: version.createdBy,
    created_at: version.at,
  };
}

export function topUpRules(ledger: Ledger, now: () => number, audit: AuditWriter, tiers: MemberTiers) {
  const db = ledger.sqlite;
  const q = {
    version: db.prepare<[string, number], RuleRow>('SELECT * FROM bonus_rules WHERE id = ? AND version = ?'),
    latest: db.prepare<[string], RuleRow>(
      'SELECT * FROM bonus_rules WHERE id = ? ORDER BY version DESC LIMIT 1',
    ),
    current: db.prepare<[string], RuleRow>(
      `SELECT r.* FROM bonus_rules r
       WHERE r.store_id = ? AND r.version = (SELECT MAX(version) FROM bonus_rules x WHERE x.id = r.id)
       ORDER BY r.id`,
    ),
    insert: prepareRuleInsert(db),
    used: db.prepare<[string, string], { n: number }>(
      `SELECT COUNT(*) AS n FROM rule_applications a
       WHERE a.rule_id = ? AND a.member_id = ?
         AND NOT EXISTS (SELECT 1 FROM operations v WHERE v.target_operation_id = a.operation_id AND v.kind = 'void')`,
    ),
    application: db.prepare<[string], ApplicationRow>(
      'SELECT * FROM rule_applications WHERE operation_id = ?',
    ),
    insertApplication: db.prepare<[ApplicationRow]>(
      `INSERT INTO rule_applications (operation_id, rule_id, rule_version, member_id, card_id, amount_fen, bonus_fen,
         points, tier_upgrade_to, bonus_expires_at, at)
       VALUES (@operation_id, @rule_id, @rule_version, @member_id, @card_id, @amount_fen, @bonus_fen,
         @points, @tier_upgrade_to, @bonus_expires_at, @at)`,
    ),
  };

  function requireManager(staffId: unknown): void {
    const staff = typeof staffId === 'string' ? ledger.staff(staffId) : undefined;
    if (!staff) throw new PromotionError('STAFF_UNKNOWN', 'no such staff member', { details: { staffId } });
    if (staff.role !== 'manager' && staff.role !== 'admin') {
      throw new PromotionError('APPROVER_NOT_MANAGER', 'only a manager edits bonus rules', {
        details: { staffId },
      });
    }
  }

  function writeVersion(
    id: string,
    version: number,
    storeId: string,
    terms: Required<BonusRuleTerms>,
    retired: boolean,
    staffId: string,
  ): BonusRule {
    if (terms.upgradeTierId !== null) tiers.tierById(terms.upgradeTierId);
    for (const tierId of terms.eligibleTiers ?? []) tiers.tierById(tierId);
    const at = now();
    q.insert.run(ruleVersionRow({ id, version, storeId, terms, retired, createdBy: staffId, at }));
    audit.write({
      at,
      action: retired ? 'bonus_rule.retire' : 'bonus_rule.version',
      outcome: 'ok',
      staffId,
      details: { ruleId: id, version },
    });
    return toRule(q.version.get(id, version) as RuleRow);
  }

  function amountOf(value: unknown): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw new PromotionError('AMOUNT_INVALID', 'a top-up is a positive whole number of fen');
    }
    return value;
  }

  function quote(cardId: string, amountFen: number, at: number): TopUpQuote {
    const amount = amountOf(amountFen);
    const card = typeof cardId === 'string' ? ledger.card(cardId) : undefined;
    if (!card) throw new PromotionError('CARD_UNKNOWN', 'no such card', { details: { cardId } });
    const tier = tiers.tierOf(card.memberId);
    let best: { rule: BonusRule; bonusFen: number; points: number; upgrade: string | null } | null = null;
    for (const rule of q.current.all(card.storeId).map(toRule)) {
      if (!inForce(rule, at)) continue;
      if (rule.eligibleTiers !== null && (tier === null || !rule.eligibleTiers.includes(tier.id))) continue;
      if (rule.perMemberLimit !== null && (q.used.get(rule.id, card.memberId)?.n ?? 0) >= rule.perMemberLimit)
        continue;
      const reward = rewardFor(rule, amount);
      if (reward.bonusFen === 0 && reward.points === 0 && reward.upgradeTierId === null) continue;
      // The member gets the most generous rule: bonus first, then points.
      const better =
        best === null ||
        reward.bonusFen > best.bonusFen ||
        (reward.bonusFen === best.bonusFen && reward.points > best.points);
      if (better)
        best = { rule, bonusFen: reward.bonusFen, points: reward.points, upgrade: reward.upgradeTierId };
    }
    return {
      cardId: card.id,
      memberId: card.memberId,
      amountFen: amount,
      ruleId: best?.rule.id ?? null,
      ruleVersion: best?.rule.version ?? null,
      ruleName: best?.rule.name ?? null,
      bonusFen: best?.bonusFen ?? 0,
      points: best?.points ?? 0,
      tierUpgradeTo: best?.upgrade ?? null,
      bonusExpiresAt: best === null || best.bonusFen === 0 ? null : bonusExpiry(best.rule, at),
      quotedAt: at,
    };
  }

  return {
    createRule(input: { id: string; storeId: string; terms: BonusRuleTerms; staffId: string }): BonusRule {
      return audit.guarded('bonus_rule.version', input, () => {
        requireManager(input.staffId);
        if (typeof input.id !== 'string' || input.id === '' || input.id.length > 64) {
          throw new PromotionError('INPUT_INVALID', 'a rule id is 1 to 64 characters');
        }
        if (q.latest.get(input.id)) throw new PromotionError('INPUT_INVALID', 'a rule with this id exists');
        if (!ledger.store(input.storeId)) throw new PromotionError('INPUT_INVALID', 'no such store');
        return writeVersion(input.id, 1, input.storeId, checkTerms(input.terms), false, input.staffId);
      });
    },

    /** A change is a new version; top-ups already made keep the version they applied. */
    changeRule(input: { id: string; terms: BonusRuleTerms; staffId: string }): BonusRule {
      return audit.guarded('bonus_rule.version', input, () => {
        requireManager(input.staffId);
        const latest = q.latest.get(input.id);
        if (!latest)
          throw new PromotionError('RULE_UNKNOWN', 'no such rule', { details: { ruleId: input.id } });
        if (latest.retired === 1) throw new PromotionError('RULE_RETIRED', 'this rule was retired');
        return writeVersion(
          input.id,
          latest.version + 1,
          latest.store_id,
          checkTerms(input.terms),
          false,
          input.staffId,
        );
      });
    },

    /** Ends a rule: a last version marked retired, with the previous terms. */
    retireRule(input: { id: string; staffId: string }): BonusRule {
      return audit.guarded('bonus_rule.retire', input, () => {
        requireManager(input.staffId);
        const latest = q.latest.get(input.id);
        if (!latest)
          throw new PromotionError('RULE_UNKNOWN', 'no such rule', { details: { ruleId: input.id } });
        if (latest.retired === 1) return toRule(latest);
        const terms = toRule(latest);
        return writeVersion(input.id, latest.version + 1, latest.store_id, terms, true, input.staffId);
      });
    },

    /** One version, or the latest when no version is given. */
    rule(id: string, version?: number): BonusRule | undefined {
      const row = version === undefined ? q.latest.get(id) : q.version.get(id, version);
      return row ? toRule(row) : undefined;
    },

    /** The latest version of each rule of a store, retired ones included. */
    rules(storeId: string): BonusRule[] {
      return q.current.all(storeId).map(toRule);
    },

    /** What a top-up of amountFen on this card would earn at `at` (default now), before confirming. */
    quoteTopUp(cardId: string, amountFen: number, at?: number): TopUpQuote {
      return quote(cardId, amountFen, at ?? now());
    },

    /** The rule application a top-up recorded, if a rule applied. */
    applicationOf(operationId: string) {
      const row = q.application.get(operationId);
      return row
        ? {
            operationId: row.operation_id,
            ruleId: row.rule_id,
            ruleVersion: row.rule_version,
            bonusFen: row.bonus_fen,
            points: row.points,
            tierUpgradeTo: row.tier_upgrade_to,
            bonusExpiresAt: row.bonus_expires_at,
            at: row.at,
          }
        : undefined;
    },

    /**
     * The top-up with its rule applied, in one transaction: the ledger top-up with the quoted bonus and
     * points, the record of the rule version used, a rule's tier upgrade and the cumulative tier review.
     * Idempotent on operationId: a replay returns the first result.
     */
    topUpWithRules(input: TopUpWithRulesInput): TopUpWithRulesResult {
      return audit.guarded('operation.top_up', input, () => {
        const previous = ledger.operation(input.operationId);
        const recorded = previous ? q.application.get(input.operationId) : undefined;
        const at = now();
        const fresh = previous ? null : quote(input.cardId, input.amountFen, at);
        const expected = input.expected ?? null;
        if (fresh !== null && expected !== null) {
          const same =
            expected.ruleId === fresh.ruleId &&
            expected.ruleVersion === fresh.ruleVersion &&
            expected.bonusFen === fresh.bonusFen &&
            expected.points === fresh.points;
          if (!same) {
            throw new PromotionError('QUOTE_CHANGED', 'the bonus changed since it was shown; show it again', {
              details: {
                expected,
                now: { ruleId: fresh.ruleId, bonusFen: fresh.bonusFen, points: fresh.points },
              },
            });
          }
        }
        const bonusFen = fresh?.bonusFen ?? previous?.bonusFen ?? 0;
        const points = fresh?.points ?? previous?.points ?? 0;
        const operation = ledger.topUp({
          operationId: input.operationId,
          cardId: input.cardId,
          amountFen: input.amountFen,
          tender: input.tender,
          tenderReference: input.tenderReference ?? null,
          bonusFen,
          points,
          staffId: input.staffId,
          terminalId: input.terminalId,
        });
        if (operation.replayed || fresh === null) {
          const card = ledger.card(input.cardId);
          return {
            quote: {
              cardId: input.cardId,
              memberId: card?.memberId ?? '',
              amountFen: operation.amountFen,
              ruleId: recorded?.rule_id ?? null,
              ruleVersion: recorded?.rule_version ?? null,
              ruleName: recorded
                ? (q.version.get(recorded.rule_id, recorded.rule_version)?.name ?? null)
                : null,
              bonusFen: operation.bonusFen,
              points: operation.points,
              tierUpgradeTo: recorded?.tier_upgrade_to ?? null,
              bonusExpiresAt: recorded?.bonus_expires_at ?? null,
              quotedAt: recorded?.at ?? operation.createdAt,
            },
            operation,
            tierChanges: [],
          };
        }
        const changes: TierChange[] = [];
        if (fresh.ruleId !== null && fresh.ruleVersion !== null) {
          q.insertApplication.run({
            operation_id: operation.operationId,
            rule_id: fresh.ruleId,
            rule_version: fresh.ruleVersion,
            member_id: fresh.memberId,
            card_id: fresh.cardId,
            amount_fen: fresh.amountFen,
            bonus_fen: fresh.bonusFen,
            points: fresh.points,
            tier_upgrade_to: fresh.tierUpgradeTo,
            bonus_expires_at: fresh.bonusExpiresAt,
            at: operation.createdAt,
          });
          audit.write({
            at: operation.createdAt,
            action: 'bonus_rule.apply',
            outcome: 'ok',
            operationId: operation.operationId,
            staffId: input.staffId,
            terminalId: input.terminalId,
            details: {
              ruleId: fresh.ruleId,
              version: fresh.ruleVersion,
              bonusFen: fresh.bonusFen,
              points: fresh.points,
            },
          });
          if (fresh.tierUpgradeTo !== null) {
            const change = tiers.upgradeTo(
              fresh.memberId,
              fresh.tierUpgradeTo,
              'rule',
              operation.operationId,
              input.staffId,
              input.terminalId,
            );
            if (change) changes.push(change);
          }
        }
        const reviewed = tiers.review(fresh.memberId, operation.operationId, input.staffId, input.terminalId);
        if (reviewed) changes.push(reviewed);
        return { quote: fresh, operation, tierChanges: changes };
      });
    },
  };
}

export type TopUpRules = ReturnType<typeof topUpRules>;
