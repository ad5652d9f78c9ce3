import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  maskIdNumber,
  maskPhone,
  parseResidentId,
  residentIdCheckCharacter,
} from '../../../db/members/index';
import { checkTerms, rewardFor } from '../../../db/promotions/rules';

const TODAY = Date.UTC(2026, 2, 2);

/** 17 digits of a plausible ID: region, a real birth date from 1900 to 2025, a sequence number. */
const first17 = fc
  .tuple(
    fc.integer({ min: 110000, max: 659999 }),
    fc.date({
      min: new Date(Date.UTC(1900, 0, 1)),
      max: new Date(Date.UTC(2025, 11, 31)),
      noInvalidDate: true,
    }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([region, born, sequence]) => {
    const y = born.getUTCFullYear();
    const m = String(born.getUTCMonth() + 1).padStart(2, '0');
    const d = String(born.getUTCDate()).padStart(2, '0');
    return `${region}${y}${m}${d}${String(sequence).padStart(3, '0')}`;
  });

describe('resident ID check character (properties)', () => {
  it('every number completed with its check character is accepted', () => {
    fc.assert(
      fc.property(first17, (digits) => {
        expect(parseResidentId(digits + residentIdCheckCharacter(digits), TODAY).number).toHaveLength(18);
      }),
    );
  });

  it('changing any one of the 17 digits changes the check character', () => {
    fc.assert(
      fc.property(
        first17,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (digits, at, shift) => {
          const changed = (Number(digits[at]) + shift) % 10;
          const typo = `${digits.slice(0, at)}${changed}${digits.slice(at + 1)}`;
          expect(residentIdCheckCharacter(typo)).not.toBe(residentIdCheckCharacter(digits));
        },
      ),
    );
  });

  it('masking keeps the length and shows only the first three and last four characters', () => {
    fc.assert(
      fc.property(first17, (digits) => {
        const id = digits + residentIdCheckCharacter(digits);
        const masked = maskIdNumber(id) ?? '';
        expect(masked).toHaveLength(18);
        expect(masked.slice(3, 14)).toBe('*'.repeat(11));
        expect(masked.slice(0, 3) + masked.slice(14)).toBe(id.slice(0, 3) + id.slice(14));
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        expect(maskPhone(phone)).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
      }),
    );
  });
});

describe('bonus rules (properties)', () => {
  const amount = fc.integer({ min: 1, max: 10_000_000 });

  it('with fixed steps, a larger top-up never earns a smaller bonus', () => {
    const rule = checkTerms({
      name: 'steps',
      steps: [
        { minFen: 10_000, bonusFen: 1_000 },
        { minFen: 50_000, bonusFen: 8_000 },
        { minFen: 100_000, bonusFen: 20_000 },
      ],
      validFrom: 0,
    });
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(rewardFor(rule, high).bonusFen).toBeGreaterThanOrEqual(rewardFor(rule, low).bonusFen);
      }),
    );
  });

  it('a percentage bonus is whole fen, never above the exact percentage, and less than a fen below it', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 1, max: 10_000 }), (fen, bp) => {
        const bonus = rewardFor(checkTerms({ name: 'pct', percentBp: bp, validFrom: 0 }), fen).bonusFen;
        expect(Number.isSafeInteger(bonus)).toBe(true);
        expect(bonus * 10_000).toBeLessThanOrEqual(fen * bp);
        expect((bonus + 1) * 10_000).toBeGreaterThan(fen * bp);
      }),
    );
  });
});
