/**
 * The store's top-up promotion (充值送): the highest tier whose threshold the amount reaches gives its bonus
 * once. Tiers live in the ledger's settings so a manager can change them; these are the first-run defaults.
 */
export interface BonusTier {
  minFen: number;
  bonusFen: number;
}

export const PROMOTION_SETTING = 'promotion.topUpTiers';

export const DEFAULT_TIERS: readonly BonusTier[] = [
  { minFen: 100_00, bonusFen: 20_00 },
  { minFen: 500_00, bonusFen: 120_00 },
  { minFen: 1000_00, bonusFen: 300_00 },
];

/** One point per whole yuan topped up. */
export function pointsFor(amountFen: number): number {
  return Math.floor(amountFen / 100);
}

export function bonusFor(
  amountFen: number,
  tiers: readonly BonusTier[],
): { bonusFen: number; tier: BonusTier | null } {
  let best: BonusTier | null = null;
  for (const tier of tiers) {
    if (amountFen >= tier.minFen && (best === null || tier.minFen > best.minFen)) best = tier;
  }
  return { bonusFen: best?.bonusFen ?? 0, tier: best };
}

/** The rule in the words printed on the store's posters, e.g. 充100送20. */
export function ruleText(tier: BonusTier | null): string {
  return tier === null ? '' : `充${tier.minFen / 100}送${tier.bonusFen / 100}`;
}

export function isBonusTiers(value: unknown): value is BonusTier[] {
  return (
    Array.isArray(value) &&
    value.every(
      (tier) =>
        typeof tier === 'object' &&
        tier !== null &&
        Number.isSafeInteger((tier as BonusTier).minFen) &&
        Number.isSafeInteger((tier as BonusTier).bonusFen) &&
        (tier as BonusTier).minFen > 0 &&
        (tier as BonusTier).bonusFen >= 0,
    )
  );
}
