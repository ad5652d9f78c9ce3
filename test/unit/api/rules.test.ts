import { describe, expect, it } from 'vitest';
import { maskPhone } from '../../../electron/host/mask';
import {
  bonusFor,
  DEFAULT_TIERS,
  isBonusTiers,
  pointsFor,
  ruleText,
} from '../../../electron/host/promotions';
import { DEFAULT_TIER_THRESHOLDS, isTierThresholds, tierFor } from '../../../electron/host/tiers';

describe('the top-up promotion', () => {
  it.each([
    [9_999, 0, ''],
    [10_000, 2_000, '充100送20'],
    [49_999, 2_000, '充100送20'],
    [50_000, 12_000, '充500送120'],
    [250_000, 30_000, '充1000送300'],
  ])('gives %i fen a bonus of %i fen (%s)', (amountFen, bonusFen, rule) => {
    const result = bonusFor(amountFen, DEFAULT_TIERS);
    expect(result.bonusFen).toBe(bonusFen);
    expect(ruleText(result.tier)).toBe(rule);
  });

  it('gives one point per whole yuan', () => {
    expect(pointsFor(10_099)).toBe(100);
    expect(pointsFor(99)).toBe(0);
  });

  it('accepts stored tiers only when every threshold and bonus is whole fen', () => {
    expect(isBonusTiers([{ minFen: 100, bonusFen: 10 }])).toBe(true);
    expect(isBonusTiers([{ minFen: 100.5, bonusFen: 10 }])).toBe(false);
    expect(isBonusTiers([{ minFen: 0, bonusFen: 10 }])).toBe(false);
    expect(isBonusTiers('充100送20')).toBe(false);
  });
});

describe('member tiers', () => {
  it('are earned by points', () => {
    expect(tierFor(999, DEFAULT_TIER_THRESHOLDS)).toBe('regular');
    expect(tierFor(1_000, DEFAULT_TIER_THRESHOLDS)).toBe('silver');
    expect(tierFor(5_000, DEFAULT_TIER_THRESHOLDS)).toBe('gold');
  });

  it('refuse stored thresholds that are not increasing whole numbers', () => {
    expect(isTierThresholds({ silver: 100, gold: 200 })).toBe(true);
    expect(isTierThresholds({ silver: 200, gold: 100 })).toBe(false);
    expect(isTierThresholds({ silver: 100 })).toBe(false);
  });
});

describe('maskPhone', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
  });

  it('shows almost nothing of a short number and nothing of a missing one', () => {
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('1')).toBe('*');
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone('')).toBeNull();
  });
});
