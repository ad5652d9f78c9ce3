import { describe, expect, it } from 'vitest';
import { checkAmount, mulDivFloor, splitRefund, splitSpend } from '../../../db/money';

describe('spend split', () => {
  it('principal_first empties principal before touching bonus', () => {
    expect(splitSpend(700, 500, 300, 'principal_first')).toEqual({ principalFen: 500, bonusFen: 200 });
    expect(splitSpend(400, 500, 300, 'principal_first')).toEqual({ principalFen: 400, bonusFen: 0 });
  });

  it('bonus_first empties bonus before touching principal', () => {
    expect(splitSpend(400, 500, 300, 'bonus_first')).toEqual({ principalFen: 100, bonusFen: 300 });
  });

  it('proportional rounds the bonus share down and gives the remainder to principal', () => {
    // bonus share of 100 at 2:1 is 33.33 → 33 bonus, 67 principal.
    expect(splitSpend(100, 200, 100, 'proportional')).toEqual({ principalFen: 67, bonusFen: 33 });
    // everything: exact.
    expect(splitSpend(300, 200, 100, 'proportional')).toEqual({ principalFen: 200, bonusFen: 100 });
    // principal short after rounding moves the shortfall to bonus.
    expect(splitSpend(3, 1, 2, 'proportional')).toEqual({ principalFen: 1, bonusFen: 2 });
  });
});

describe('refund split', () => {
  it('returns the spend proportion on the running total, exact in sum', () => {
    const spend = { principalFen: 2, bonusFen: 1 };
    const first = splitRefund(1, spend, { amountFen: 0, bonusFen: 0 });
    const second = splitRefund(1, spend, { amountFen: 1, bonusFen: first.bonusFen });
    const third = splitRefund(1, spend, { amountFen: 2, bonusFen: first.bonusFen + second.bonusFen });
    expect([first, second, third]).toEqual([
      { principalFen: 1, bonusFen: 0 },
      { principalFen: 1, bonusFen: 0 },
      { principalFen: 0, bonusFen: 1 },
    ]);
  });
});

describe('amounts', () => {
  it('accepts positive whole fen up to the limit and refuses the rest', () => {
    expect(checkAmount(1, 10)).toBe(1);
    expect(checkAmount(10, 10)).toBe(10);
    for (const bad of [0, -1, 1.5, Number.NaN, 11, 2 ** 53, '5']) {
      expect(() => checkAmount(bad, 10)).toThrow(expect.objectContaining({ code: 'AMOUNT_INVALID' }));
    }
  });

  it('multiplies and divides exactly beyond 2^53', () => {
    expect(mulDivFloor(9_000_000_000_000, 3_000, 7_000)).toBe(3_857_142_857_142);
  });
});
