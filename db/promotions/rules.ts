/**
 * What a bonus rule is and what it gives for one top-up. Pure: no database, no clock.
 */
import { PromotionError } from './errors';

export interface BonusStep {
  /** The amount a top-up must reach. */
  minFen: number;
  bonusFen: number;
}

/** The terms a manager edits; a rule version freezes one set of them. */
export interface BonusRuleTerms {
  name: string;
  /** Fixed steps (充100送10, 充500送80): the highest step reached applies. */
  steps?: BonusStep[] | null;
  /** Or a percentage in basis points (500 = 5 %), rounded down to the fen. */
  percentBp?: number | null;
  /** Points per whole yuan topped up; 0 or absent gives none. */
  pointsPerYuan?: number;
  /** A top-up of at least upgradeMinFen moves the member up to upgradeTierId. */
  upgradeMinFen?: number | null;
  upgradeTierId?: string | null;
  validFrom: number;
  validTo?: number | null;
  /** Tier ids that may use the rule; absent or null is every member (with or without a tier). */
  eligibleTiers?: string[] | null;
  /** Top-ups per member the rule rewards; absent is unlimited. */
  perMemberLimit?: number | null;
  /** Days until the bonus lapses; absent (the default) is never. */
  bonusExpiryDays?: number | null;
}

export interface BonusRule extends Required<BonusRuleTerms> {
  id: string;
  version: number;
  storeId: string;
  retired: boolean;
  createdBy: string;
  createdAt: number;
}

export interface RuleReward {
  bonusFen: number;
  points: number;
  upgradeTierId: string | null;
}

const DAY_MS = 86_400_000;

function isCount(value: unknown, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max;
}

/** Checks a manager's terms and returns them complete, or RULE_INVALID naming the field. */
export function checkTerms(terms: BonusRuleTerms): Required<BonusRuleTerms> {
  const bad = (field: string, message: string): never => {
    throw new PromotionError('RULE_INVALID', message, { details: { field } });
  };
  if (typeof terms?.name !== 'string' || terms.name.trim() === '' || terms.name.length > 100) {
    bad('name', 'a rule needs a name of at most 100 characters');
  }
  const steps = terms.steps ?? null;
  const percentBp = terms.percentBp ?? null;
  if (steps !== null && percentBp !== null)
    bad('steps', 'a rule gives fixed steps or a percentage, not both');
  if (steps !== null) {
    if (!Array.isArray(steps) || steps.length === 0 || steps.length > 20) bad('steps', 'steps are 1 to 20');
    let previous = 0;
    for (const step of steps) {
      if (!isCount(step?.minFen) || step.minFen <= previous) {
        bad('steps', 'step amounts must be whole fen, positive and rising');
      }
      if (!isCount(step.bonusFen)) bad('steps', 'a step bonus is whole fen');
      previous = step.minFen;
    }
  }
  if (percentBp !== null && (!isCount(percentBp, 10_000) || percentBp === 0)) {
    bad('percentBp', 'a percentage is 1 to 10000 basis points');
  }
  const pointsPerYuan = terms.pointsPerYuan ?? 0;
  if (!isCount(pointsPerYuan, 10_000)) bad('pointsPerYuan', 'points per yuan are 0 to 10000');
  const upgradeMinFen = terms.upgradeMinFen ?? null;
  const upgradeTierId = terms.upgradeTierId ?? null;
  if ((upgradeMinFen === null) !== (upgradeTierId === null)) {
    bad('upgradeTierId', 'a tier upgrade needs both the amount and the tier');
  }
  if (upgradeMinFen !== null && (!isCount(upgradeMinFen) || upgradeMinFen === 0)) {
    bad('upgradeMinFen', 'the upgrade amount is positive whole fen');
  }
  if (steps === null && percentBp === null && pointsPerYuan === 0 && upgradeTierId === null) {
    bad('steps', 'a rule must give something: a bonus, points or a tier upgrade');
  }
  if (!isCount(terms.validFrom)) bad('validFrom', 'validFrom is a UTC epoch ms time');
  const validTo = terms.validTo ?? null;
  if (validTo !== null && (!isCount(validTo) || validTo <= terms.validFrom)) {
    bad('validTo', 'validTo must come after validFrom');
  }
  const eligibleTiers = terms.eligibleTiers ?? null;
  if (
    eligibleTiers !== null &&
    (!Array.isArray(eligibleTiers) || eligibleTiers.some((t) => typeof t !== 'string'))
  ) {
    bad('eligibleTiers', 'eligible tiers are a list of tier ids');
  }
  const perMemberLimit = terms.perMemberLimit ?? null;
  if (perMemberLimit !== null && (!isCount(perMemberLimit) || perMemberLimit === 0)) {
    bad('perMemberLimit', 'a per-member limit is a positive count');
  }
  const bonusExpiryDays = terms.bonusExpiryDays ?? null;
  if (bonusExpiryDays !== null && (!isCount(bonusExpiryDays, 36_500) || bonusExpiryDays === 0)) {
    bad('bonusExpiryDays', 'bonus expiry is 1 to 36500 days');
  }
  return {
    name: terms.name.trim(),
    steps,
    percentBp,
    pointsPerYuan,
    upgradeMinFen,
    upgradeTierId,
    validFrom: terms.validFrom,
    validTo,
    eligibleTiers,
    perMemberLimit,
    bonusExpiryDays,
  };
}

/** What the rule gives for a top-up of amountFen (before dates, tiers and limits are considered). */
export function rewardFor(rule: Required<BonusRuleTerms>, amountFen: number): RuleReward {
  let bonusFen = 0;
  if (rule.steps !== null) {
    for (const step of rule.steps) if (amountFen >= step.minFen) bonusFen = step.bonusFen;
  } else if (rule.percentBp !== null) {
    // Integer arithmetic: amount × bp stays exact far beyond any single top-up.
    bonusFen = Math.floor((amountFen * rule.percentBp) / 10_000);
  }
  const points = Math.floor(amountFen / 100) * rule.pointsPerYuan;
  const upgradeTierId =
    rule.upgradeMinFen !== null && amountFen >= rule.upgradeMinFen ? rule.upgradeTierId : null;
  return { bonusFen, points, upgradeTierId };
}

/** Whether a rule version applies at `at`: valid then, and not retired. */
export function inForce(rule: BonusRule, at: number): boolean {
  return !rule.retired && at >= rule.validFrom && (rule.validTo === null || at < rule.validTo);
}

export function bonusExpiry(rule: BonusRule, at: number): number | null {
  return rule.bonusExpiryDays === null ? null : at + rule.bonusExpiryDays * DAY_MS;
}
