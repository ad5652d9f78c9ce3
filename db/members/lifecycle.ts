/**
 * Card life-cycle at the counter, on top of the ledger's own operations: freeze and unfreeze (manager),
 * report lost, replace (the whole balance moves to the new card by a card-to-card transfer and the old card
 * is marked replaced), and close (principal paid back, bonus forfeited, manager approval). Each step is
 * one SQLite transaction around the ledger calls it makes, with an audit line naming the approver.
 */
import type { Balance, Card, CardMedium, Ledger, Tender } from '../types';
import type { AuditWriter } from './audit';
import { MemberError } from './errors';
import type { MemberProfiles } from './profiles';

export interface CardActionInput {
  operationId: string;
  cardId: string;
  staffId: string;
  terminalId: string;
  reason?: string | null;
}

export interface ApprovedCardActionInput extends CardActionInput {
  approvedBy: string;
}

export interface ReplaceCardInput {
  operationId: string;
  oldCardId: string;
  newCard: { id: string; cardNumber: string; uid?: string | null; medium: CardMedium };
  staffId: string;
  terminalId: string;
  approvedBy: string;
}

export interface ReplaceCardResult {
  oldCard: Card;
  newCard: Card;
  /** What moved: the old card's whole principal, bonus and points. */
  moved: Balance;
  transferOperationId: string;
}

export interface CloseCardInput extends ApprovedCardActionInput {
  /** How the principal is paid back. */
  tender: Tender;
  tenderReference?: string | null;
  /**
   * The member agreed to lose the card's points. Without it a card with points is refused (CARD_HAS_POINTS,
   * with the count in `details`), so a screen can ask before anything is lost.
   */
  forfeitPoints?: boolean;
}

/** The arithmetic a closing slip prints: balance before, what is paid back, what is forfeited. */
export interface CloseCardResult {
  card: Card;
  before: Balance;
  principalRefundedFen: number;
  bonusForfeitedFen: number;
  pointsForfeited: number;
  tender: Tender;
  /**
   * Ledger operation ids written: the withdrawal, the bonus forfeit, the points forfeit, the state change (null
   * when nothing moved).
   */
  operations: {
    withdraw: string | null;
    forfeit: string | null;
    pointsForfeit: string | null;
    close: string;
  };
}

export function cardLifecycle(
  ledger: Ledger,
  now: () => number,
  audit: AuditWriter,
  members: MemberProfiles,
) {
  function requireManager(approvedBy: unknown): string {
    if (approvedBy === undefined || approvedBy === null || approvedBy === '') {
      throw new MemberError('APPROVAL_REQUIRED', 'a manager must approve this');
    }
    const role = members.staffRole(approvedBy);
    if (role !== 'manager' && role !== 'admin') {
      throw new MemberError('APPROVER_NOT_MANAGER', 'the approver must be a manager', {
        details: { approvedBy, role },
      });
    }
    return approvedBy as string;
  }

  function cardOf(cardId: unknown): Card {
    const card = typeof cardId === 'string' ? ledger.card(cardId) : undefined;
    if (!card) throw new MemberError('CARD_UNKNOWN', 'no such card', { details: { cardId } });
    return card;
  }

  function changeState(
    action: string,
    input: CardActionInput,
    state: 'active' | 'frozen' | 'lost',
    approval: 'manager' | 'none',
    expectFrom: Card['state'] | null,
  ): Card {
    return audit.guarded(action, input, () => {
      const approvedBy =
        approval === 'manager'
          ? requireManager((input as Partial<ApprovedCardActionInput>).approvedBy)
          : null;
      const card = cardOf(input.cardId);
      // A replay of the same operation id returns the card as it is; the ledger checks the request matches.
      if (expectFrom !== null && card.state !== expectFrom && !ledger.operation(input.operationId)) {
        throw new MemberError('INPUT_INVALID', `only a ${expectFrom} card can be changed this way`, {
          details: { cardId: card.id, state: card.state },
        });
      }
      const after = ledger.setCardState({
        operationId: input.operationId,
        cardId: card.id,
        state,
        staffId: input.staffId,
        terminalId: input.terminalId,
        reason: input.reason ?? null,
      });
      audit.write({
        at: now(),
        action,
        outcome: 'ok',
        operationId: input.operationId,
        staffId: input.staffId,
        terminalId: input.terminalId,
        details: { cardId: card.id, from: card.state, to: state, approvedBy },
      });
      return after;
    });
  }

  return {
    freeze(input: ApprovedCardActionInput): Card {
      return changeState('card.freeze', input, 'frozen', 'manager', null);
    },

    unfreeze(input: ApprovedCardActionInput): Card {
      return changeState('card.unfreeze', input, 'active', 'manager', 'frozen');
    },

    /** Blocks the card at once on this terminal; the state change goes to HQ with the next sync. */
    reportLost(input: CardActionInput): Card {
      return changeState('card.report_lost', input, 'lost', 'none', null);
    },

    /**
     * Issues the new card to the same member and moves everything onto it. The old card may be active,
     * frozen or lost; afterwards it is 'replaced' and every operation on it is refused.
     */
    replace(input: ReplaceCardInput): ReplaceCardResult {
      return audit.guarded('card.replace', input, () => {
        requireManager(input.approvedBy);
        const old = cardOf(input.oldCardId);
        members.liveProfile(old.memberId);
        const done = ledger.operation(input.operationId);
        if (!done) {
          ledger.issueCard({
            id: input.newCard.id,
            memberId: old.memberId,
            cardNumber: input.newCard.cardNumber,
            uid: input.newCard.uid ?? null,
            medium: input.newCard.medium,
            staffId: input.staffId,
            terminalId: input.terminalId,
          });
        }
        const transfer = ledger.transferCard({
          operationId: input.operationId,
          fromCardId: old.id,
          toCardId: input.newCard.id,
          staffId: input.staffId,
          terminalId: input.terminalId,
          approvedBy: input.approvedBy,
        });
        if (!transfer.replayed) {
          audit.write({
            at: now(),
            action: 'card.replace',
            outcome: 'ok',
            operationId: input.operationId,
            staffId: input.staffId,
            terminalId: input.terminalId,
            details: { oldCardId: old.id, newCardId: input.newCard.id, approvedBy: input.approvedBy },
          });
        }
        return {
          oldCard: cardOf(old.id),
          newCard: cardOf(input.newCard.id),
          moved: {
            principalFen: transfer.principalFen,
            bonusFen: transfer.bonusFen,
            points: transfer.points,
          },
          transferOperationId: transfer.operationId,
        };
      });
    },

    /**
     * Closes a card: the principal is paid back in the chosen tender, the bonus is forfeited (it was never
     * paid for), and the card is closed. Points must be used or moved first, unless the member agreed to
     * forfeit them (`forfeitPoints`): then they go back to the store's points account. The result is the slip's
     * arithmetic. Idempotent on operationId: a replay returns the first result.
     */
    close(input: CloseCardInput): CloseCardResult {
      return audit.guarded('card.close', input, () => {
        const approvedBy = requireManager(input.approvedBy);
        const card = cardOf(input.cardId);
        const ids = {
          withdraw: `${input.operationId}:w`,
          forfeit: `${input.operationId}:f`,
          pointsForfeit: `${input.operationId}:p`,
          close: input.operationId,
        };
        const closed = ledger.operation(ids.close);
        if (closed) {
          const withdraw = ledger.operation(ids.withdraw);
          const forfeit = ledger.operation(ids.forfeit);
          const pointsForfeit = ledger.operation(ids.pointsForfeit);
          const refunded = withdraw?.principalFen ?? 0;
          const forfeited = forfeit?.bonusFen ?? 0;
          const points = pointsForfeit === undefined ? 0 : Math.abs(pointsForfeit.points);
          return {
            card,
            before: { principalFen: refunded, bonusFen: forfeited, points },
            principalRefundedFen: refunded,
            bonusForfeitedFen: forfeited,
            pointsForfeited: points,
            tender: withdraw?.tender ?? input.tender,
            operations: {
              withdraw: withdraw ? ids.withdraw : null,
              forfeit: forfeit ? ids.forfeit : null,
              pointsForfeit: pointsForfeit ? ids.pointsForfeit : null,
              close: ids.close,
            },
          };
        }
        const before = ledger.balance(card.id);
        if (before.points !== 0 && input.forfeitPoints !== true) {
          throw new MemberError('CARD_HAS_POINTS', 'redeem or move the points before closing the card', {
            details: { cardId: card.id, points: before.points },
          });
        }
        if (before.principalFen > 0) {
          ledger.withdraw({
            operationId: ids.withdraw,
            cardId: card.id,
            amountFen: before.principalFen,
            tender: input.tender,
            tenderReference: input.tenderReference ?? null,
            staffId: input.staffId,
            terminalId: input.terminalId,
            approvedBy,
          });
        }
        if (before.bonusFen > 0) {
          // The bonus was never paid for: it goes to the store's breakage, not to stored-value revenue.
          ledger.forfeitBonus({
            operationId: ids.forfeit,
            kind: 'forfeit',
            cardId: card.id,
            amountFen: before.bonusFen,
            staffId: input.staffId,
            terminalId: input.terminalId,
            approvedBy,
            targetOperationId: ids.close,
            memo: 'bonus forfeited: card closed',
          });
        }
        if (before.points > 0) {
          ledger.forfeitPoints({
            operationId: ids.pointsForfeit,
            cardId: card.id,
            points: before.points,
            staffId: input.staffId,
            terminalId: input.terminalId,
            approvedBy,
            targetOperationId: ids.close,
            memo: 'points forfeited: card closed',
          });
        }
        const after = ledger.setCardState({
          operationId: ids.close,
          cardId: card.id,
          state: 'closed',
          staffId: input.staffId,
          terminalId: input.terminalId,
          reason: input.reason ?? 'card closed at the member’s request',
        });
        audit.write({
          at: now(),
          action: 'card.close',
          outcome: 'ok',
          operationId: ids.close,
          staffId: input.staffId,
          terminalId: input.terminalId,
          details: {
            cardId: card.id,
            approvedBy,
            principalRefundedFen: before.principalFen,
            bonusForfeitedFen: before.bonusFen,
            pointsForfeited: before.points,
          },
        });
        return {
          card: after,
          before,
          principalRefundedFen: before.principalFen,
          bonusForfeitedFen: before.bonusFen,
          pointsForfeited: before.points,
          tender: input.tender,
          operations: {
            withdraw: before.principalFen > 0 ? ids.withdraw : null,
            forfeit: before.bonusFen > 0 ? ids.forfeit : null,
            pointsForfeit: before.points > 0 ? ids.pointsForfeit : null,
            close: ids.close,
          },
        };
      });
    },
  };
}
