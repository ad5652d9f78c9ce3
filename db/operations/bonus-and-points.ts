/**
 * Bonus and points leaving a card without a charge: bonus into the store's breakage (lapsed or forfeited),
 * points back to the store's points account (a gift redeemed, or points forfeited as a card closes).
 */
import { optionalText } from '../context';
import { LedgerError } from '../errors';
import { checkAmount, checkNonNegative } from '../money';
import type { CardRow, StaffRow } from '../rows';
import type { ForfeitBonusInput, ForfeitPointsInput, OperationResult, RedeemPointsInput } from '../types';
import { type OperationKit, requireActive, requireOpen } from './kit';
import { type Plan, planFor } from './plan';
import { balanceOf } from './writer';

export function bonusAndPointsOperations(kit: OperationKit) {
  const { directory } = kit;

  /** Points off a card back to the store's points account: a gift redeemed, or points forfeited at a close. */
  function pointsToStore(
    kind: 'points_redeem' | 'forfeit',
    input: { cardId: unknown; points: unknown; staffId: unknown; terminalId: unknown; memo?: unknown },
    options: {
      approver: StaffRow | null;
      targetOperationId: string | null;
      checkCard: (card: CardRow) => void;
    },
  ): Plan {
    const actors = kit.actors(input);
    const points = checkNonNegative(input.points, 'points');
    if (points === 0) {
      throw new LedgerError('AMOUNT_INVALID', 'at least one point', { details: { points } });
    }
    const memo = optionalText(input.memo, 'memo');
    const card = directory.cardRow(input.cardId);
    options.checkCard(card);
    const accounts = kit.cardAccounts(card);
    const held = balanceOf(accounts).points;
    if (held < points) {
      throw new LedgerError('POINTS_INSUFFICIENT', 'the card does not hold that many points', {
        details: {
          cardId: card.id,
          points: held,
          [kind === 'forfeit' ? 'pointsForfeited' : 'pointsRedeemed']: points,
        },
      });
    }
    return planFor(kind, actors, accounts, {
      approver: options.approver,
      targetOperationId: options.targetOperationId,
      points: -points,
      memo,
      legs: [
        { debit: accounts.points, credit: kit.storeAccount(actors.store, 'points_issued'), amount: points },
      ],
    });
  }

  return {
    /**
     * Takes bonus off a card into the store's breakage: a bonus that lapsed (kind expiry) or one forfeited
     * when a card closes or a top-up is refunded (kind forfeit). Bonus was never paid for, so it never
     * becomes stored-value revenue.
     */
    forfeitBonus(input: ForfeitBonusInput): OperationResult {
      const fields = [
        input.kind,
        input.cardId,
        input.amountFen,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
        input.targetOperationId ?? null,
        input.memo ?? null,
      ];
      const kind = input.kind;
      if (kind !== 'expiry' && kind !== 'forfeit') {
        throw new LedgerError('INPUT_INVALID', 'bonus leaves a card by expiry or forfeit', {
          details: { kind: String(kind) },
        });
      }
      return kit.perform(kind, input, fields, () => {
        const actors = kit.actors(input);
        const approver = kit.approverIf(input.approvedBy);
        const amount = checkAmount(input.amountFen, Number.MAX_SAFE_INTEGER);
        const memo = optionalText(input.memo, 'memo');
        const targetOperationId = optionalText(input.targetOperationId, 'targetOperationId', 64);
        const card = directory.cardRow(input.cardId);
        requireOpen(card);
        const accounts = kit.cardAccounts(card);
        if (balanceOf(accounts).bonusFen < amount) {
          throw new LedgerError('BALANCE_INSUFFICIENT', 'the card holds less bonus than that', {
            details: { cardId: card.id, amountFen: amount, bonusFen: balanceOf(accounts).bonusFen },
          });
        }
        return planFor(kind, actors, accounts, {
          approver,
          targetOperationId,
          amountFen: amount,
          bonusFen: amount,
          memo,
          legs: [{ debit: accounts.bonus, credit: kit.storeAccount(actors.store, 'breakage'), amount }],
        });
      });
    },

    /**
     * Takes every point off a card into the store's points account when the card closes with points on it
     * (kind forfeit, like forfeited bonus). Points are their own unit: they go back where they were issued
     * from, the account redemptions return them to, and never touch money accounts.
     */
    forfeitPoints(input: ForfeitPointsInput): OperationResult {
      const fields = [
        'points',
        input.cardId,
        input.points,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
        input.targetOperationId ?? null,
        input.memo ?? null,
      ];
      return kit.perform('forfeit', input, fields, () =>
        pointsToStore('forfeit', input, {
          approver: kit.approverIf(input.approvedBy),
          targetOperationId: optionalText(input.targetOperationId, 'targetOperationId', 64),
          // The close itself comes after the forfeit, so the card is still open; a closed one holds nothing.
          checkCard: requireOpen,
        }),
      );
    },

    /** Points off a card for something other than a charge (a gift from the catalogue). */
    redeemPoints(input: RedeemPointsInput): OperationResult {
      const fields = [input.cardId, input.points, input.staffId, input.terminalId, input.memo ?? null];
      if (input.approvedBy) fields.push(input.approvedBy);
      return kit.perform('points_redeem', input, fields, () =>
        pointsToStore('points_redeem', input, {
          approver: kit.approverIf(input.approvedBy),
          targetOperationId: null,
          checkCard: requireActive,
        }),
      );
    },
  };
}
