/**
 * Member tiers, earned by points (a yuan topped up is a point): the tier shown on the member panel. The
 * thresholds live in the ledger's settings so a store can change them; these are the first-run defaults.
 */
import type { MemberTier } from '../contract';

export const TIER_SETTING = 'member.tierThresholds';

export type TierThresholds = Record<Exclude<MemberTier, 'regular'>, number>;

export const DEFAULT_TIER_THRESHOLDS: TierThresholds = { silver: 1_000, gold: 5_000 };

export function tierFor(points: number, thresholds: TierThresholds): MemberTier {
  if (points >= thresholds.gold) return 'gold';
  if (points >= thresholds.silver) return 'silver';
  return 'regular';
}

export function isTierThresholds(value: unknown): value is TierThresholds {
  if (typeof value !== 'object' || value === null) return false;
  const { silver, gold } = value as Partial<TierThresholds>;
  return Number.isSafeInteger(silver) && Number.isSafeInteger(gold) && silver! > 0 && gold! > silver!;
}
