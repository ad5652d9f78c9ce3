/**
 * Top-up bonus rules and member tiers: the promotions side of the member registry, opened on a ledger.
 */
import { auditWriter, openMemberRegistry } from '../members';
import type { Ledger } from '../types';
import { cardActivation } from './activation';
import { topUpRefunds } from './refunds';
import { memberTiers } from './tiers';
import { topUpRules } from './top-up-rules';

export type { ActivateCardInput, ActivationResult } from './activation';
export { isPromotionError, PROMOTION_ERROR_CODES, PromotionError, type PromotionErrorCode } from './errors';
export {
  type BonusRule,
  type BonusRuleTerms,
  type BonusStep,
  checkTerms,
  type RuleReward,
  rewardFor,
} from './rules';
export {
  adoptChainTiers,
  type ChargeInput,
  type ChargeResult,
  type Tier,
  type TierBasis,
  type TierChange,
  tierDiscount,
} from './tiers';
export type { TopUpQuote, TopUpWithRulesInput, TopUpWithRulesResult } from './top-up-rules';

export function openPromotions(ledger: Ledger, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const audit = auditWriter(ledger.sqlite, now);
  const tiers = memberTiers(ledger, now, audit);
  const rules = topUpRules(ledger, now, audit, tiers);
  const refunds = topUpRefunds(ledger, now, audit);
  const activation = cardActivation(
    ledger,
    now,
    audit,
    openMemberRegistry(ledger, { now }),
    rules.topUpWithRules,
  );
  return {
    createRule: rules.createRule,
    changeRule: rules.changeRule,
    retireRule: rules.retireRule,
    rule: rules.rule,
    rules: rules.rules,
    quoteTopUp: rules.quoteTopUp,
    topUpWithRules: rules.topUpWithRules,
    applicationOf: rules.applicationOf,
    defineTier: tiers.defineTier,
    tiers: tiers.tiers,
    tierOf: tiers.tierOf,
    tierChanges: tiers.tierChanges,
    changeTier: tiers.changeTier,
    chargeWithTier: tiers.chargeWithTier,
    activateCard: activation.activateCard,
    quoteTopUpRefund: refunds.quoteTopUpRefund,
    refundTopUp: refunds.refundTopUp,
  };
}

export type Promotions = ReturnType<typeof openPromotions>;
