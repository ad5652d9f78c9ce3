/**
 * A card's life: everything on it moved to another card of the same member (the old one is then replaced),
 * and the state changes a cashier makes (freeze, report lost, reactivate, close).
 */
import { optionalText } from '../context';
import { LedgerError } from '../errors';
import { toCard } from '../rows';
import type { Card, CardState, OperationResult, SetCardStateInput, TransferCardInput } from '../types';
import { type OperationKit, requireActive, requireOpen } from './kit';
import { legsOnly, planFor } from './plan';
import { balanceOf } from './writer';

/** Which state changes a cashier may make directly; 'replaced' only comes from a card-to-card transfer. */
const CARD_STATE_CHANGES: Record<CardState, readonly CardState[]> = {
  active: ['frozen', 'lost', 'closed'],
  frozen: ['active', 'lost', 'closed'],
  lost: ['active', 'closed'],
  replaced: [],
  closed: [],
};

export function cardChangeOperations(kit: OperationKit) {
  const { directory } = kit;
  return {
    transferCard(input: TransferCardInput): OperationResult {
      const fields = [
        input.fromCardId,
        input.toCardId,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
      ];
      return kit.perform('transfer', input, fields, () => {
        const actors = kit.actors(input);
        const approver = directory.approver(input.approvedBy);
        const from = directory.cardRow(input.fromCardId);
        const to = directory.cardRow(input.toCardId);
        if (from.id === to.id) {
          throw new LedgerError('INPUT_INVALID', 'a card cannot be transferred to itself', {
            details: { cardId: from.id },
          });
        }
        if (from.member_id !== to.member_id) {
          throw new LedgerError('CARD_MEMBER_MISMATCH', 'both cards must belong to the same member', {
            details: { fromCardId: from.id, toCardId: to.id },
          });
        }
        requireOpen(from);
        requireActive(to);
        const source = kit.cardAccounts(from);
        const target = kit.cardAccounts(to);
        const moved = balanceOf(source);
        // The result reports the card that receives; the one emptied is the counterpart.
        return planFor('transfer', actors, target, {
          approver,
          counterpart: from,
          amountFen: moved.principalFen + moved.bonusFen,
          principalFen: moved.principalFen,
          bonusFen: moved.bonusFen,
          points: moved.points,
          legs: legsOnly([
            { debit: source.principal, credit: target.principal, amount: moved.principalFen },
            { debit: source.bonus, credit: target.bonus, amount: moved.bonusFen },
            { debit: source.points, credit: target.points, amount: moved.points },
          ]),
          alsoWrite: (at) => directory.writeCardState(from.id, 'replaced', at),
        });
      });
    },

    setCardState(input: SetCardStateInput): Card {
      const fields = [input.cardId, input.state, input.staffId, input.terminalId, input.reason ?? null];
      const row = kit.run('card_state', input, fields, () => {
        const actors = kit.actors(input);
        const card = directory.cardRow(input.cardId);
        const reason = optionalText(input.reason, 'reason');
        const state = input.state;
        const allowed = CARD_STATE_CHANGES[card.state] ?? [];
        if (!allowed.includes(state)) {
          throw new LedgerError('CARD_STATE_INVALID', `a ${card.state} card cannot become ${String(state)}`, {
            details: { cardId: card.id, from: card.state, to: state },
          });
        }
        const accounts = kit.cardAccounts(card);
        const held = balanceOf(accounts);
        if (state === 'closed' && (held.principalFen !== 0 || held.bonusFen !== 0 || held.points !== 0)) {
          throw new LedgerError(
            'CARD_HAS_BALANCE',
            'withdraw or transfer the balance before closing the card',
            {
              details: { cardId: card.id, balance: held },
            },
          );
        }
        return planFor('card_state', actors, accounts, {
          memo: reason,
          cardState: state,
          alsoWrite: (at) => directory.writeCardState(card.id, state, at),
        });
      });
      return toCard(directory.cardRow(row.card_id));
    },
  };
}
