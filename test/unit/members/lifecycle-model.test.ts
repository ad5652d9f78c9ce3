/**
 * Random sequences of counter actions on one member's card, checked against a small model of what the card
 * should hold and whether each action should be refused: top-ups with a 充100送10 rule, charges (principal
 * first), freeze and unfreeze, report lost, replace, close and issue a fresh card.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openPromotions } from '../../../db/promotions/index';
import { cashier, closeAll, DEMO, manager, memberLedger, terminalId } from './support';

afterAll(closeAll);

type Action =
  | { kind: 'top_up'; amountFen: number }
  | { kind: 'spend'; amountFen: number }
  | { kind: 'freeze' }
  | { kind: 'unfreeze' }
  | { kind: 'lost' }
  | { kind: 'replace' }
  | { kind: 'close' };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('top_up' as const), amountFen: fc.integer({ min: 1, max: 60_000 }) }),
  fc.record({ kind: fc.constant('spend' as const), amountFen: fc.integer({ min: 1, max: 30_000 }) }),
  fc.constant({ kind: 'freeze' as const }),
  fc.constant({ kind: 'unfreeze' as const }),
  fc.constant({ kind: 'lost' as const }),
  fc.constant({ kind: 'replace' as const }),
  fc.constant({ kind: 'close' as const }),
);

function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? `uncoded: ${String(error)}`;
  }
}

/** Sequences the property once found failing, kept so that they run on every build whatever the seed. */
const found: { name: string; actions: Action[] }[] = [
  {
    name: 'a lost card holding only its bonus closes with a manager, and the bonus is forfeited',
    actions: [
      { kind: 'top_up', amountFen: 10_000 },
      { kind: 'spend', amountFen: 10_000 },
      { kind: 'lost' },
      { kind: 'close' },
    ],
  },
];

describe('card life-cycle against a model', () => {
  for (const { name, actions } of found) it(name, () => followsModel(actions));

  it('every balance, state and refusal follows the model, and the ledger stays balanced', () => {
    fc.assert(fc.property(fc.array(action, { minLength: 1, maxLength: 25 }), followsModel), {
      numRuns: 40,
      examples: found.map(({ actions }) => [actions] as [Action[]]),
    });
  });
});

function followsModel(actions: Action[]): void {
  const { ledger, members, time } = memberLedger();
  const promotions = openPromotions(ledger, { now: time.now });
  promotions.createRule({
    id: 'steps',
    storeId: DEMO.storeId,
    terms: { name: '充100送10', steps: [{ minFen: 10_000, bonusFen: 1_000 }], validFrom: 0 },
    staffId: manager,
  });
  const memberId = DEMO.members.keyed.id;
  const who = { staffId: cashier, terminalId };
  let cardId: string = DEMO.cards.keyed.id;
  let cards = 0;
  const model = { principal: 0, bonus: 0, state: 'active' as string };
  let n = 0;
  const id = () => {
    n += 1;
    return `op-${n}`;
  };
  const newCard = () => {
    cards += 1;
    return {
      id: `card-m-${cards}`,
      cardNumber: `66000000000${String(cards).padStart(5, '0')}`,
      medium: 'keyed' as const,
    };
  };
  const refusalFor: Record<string, string> = { frozen: 'CARD_FROZEN', lost: 'CARD_LOST' };

  for (const step of actions) {
    let expected = 'ok';
    let got: string;
    switch (step.kind) {
      case 'top_up': {
        if (model.state !== 'active') expected = refusalFor[model.state] ?? 'CARD_CLOSED';
        got = outcome(() =>
          promotions.topUpWithRules({
            ...who,
            operationId: id(),
            cardId,
            amountFen: step.amountFen,
            tender: 'cash',
          }),
        );
        if (expected === 'ok') {
          model.principal += step.amountFen;
          model.bonus += step.amountFen >= 10_000 ? 1_000 : 0;
        }
        break;
      }
      case 'spend': {
        if (model.state !== 'active') expected = refusalFor[model.state] ?? 'CARD_CLOSED';
        else if (model.principal + model.bonus < step.amountFen) expected = 'BALANCE_INSUFFICIENT';
        got = outcome(() => ledger.spend({ ...who, operationId: id(), cardId, amountFen: step.amountFen }));
        if (expected === 'ok') {
          const fromPrincipal = Math.min(step.amountFen, model.principal);
          model.principal -= fromPrincipal;
          model.bonus -= step.amountFen - fromPrincipal;
        }
        break;
      }
      case 'freeze':
        if (model.state !== 'active') expected = 'CARD_STATE_INVALID';
        got = outcome(() => members.freezeCard({ ...who, operationId: id(), cardId, approvedBy: manager }));
        if (expected === 'ok') model.state = 'frozen';
        break;
      case 'unfreeze':
        if (model.state !== 'frozen') expected = 'INPUT_INVALID';
        got = outcome(() => members.unfreezeCard({ ...who, operationId: id(), cardId, approvedBy: manager }));
        if (expected === 'ok') model.state = 'active';
        break;
      case 'lost':
        if (model.state !== 'active' && model.state !== 'frozen') expected = 'CARD_STATE_INVALID';
        got = outcome(() => members.reportCardLost({ ...who, operationId: id(), cardId }));
        if (expected === 'ok') model.state = 'lost';
        break;
      case 'replace': {
        const fresh = newCard();
        got = outcome(() =>
          members.replaceCard({
            ...who,
            operationId: id(),
            oldCardId: cardId,
            newCard: fresh,
            approvedBy: manager,
          }),
        );
        // A closed card is not replaced: its member gets a new card and starts from nothing.
        if (model.state === 'closed') {
          expected = 'CARD_CLOSED';
          ledger.issueCard({ ...fresh, memberId });
          cardId = fresh.id;
          model.state = 'active';
        } else {
          cardId = fresh.id;
          model.state = 'active';
        }
        break;
      }
      case 'close': {
        // A manager may close an active, frozen or lost card: the bonus is forfeited whatever the state
        // (a blocked card stays blocked, and the member never paid for the bonus). Principal is paid back
        // by a withdrawal, and a withdrawal needs an active card: a blocked card holding principal is
        // refused with its state's code until it is unfrozen or replaced.
        if (model.state === 'closed') expected = 'CARD_STATE_INVALID';
        else if (model.principal > 0 && model.state !== 'active')
          expected = refusalFor[model.state] ?? 'unexpected';
        got = outcome(() =>
          members.closeCard({ ...who, operationId: id(), cardId, tender: 'cash', approvedBy: manager }),
        );
        if (expected === 'ok') {
          model.principal = 0;
          model.bonus = 0;
          model.state = 'closed';
        }
        break;
      }
    }
    expect({ step, got }).toEqual({ step, got: expected });
    const balance = ledger.balance(cardId);
    expect([balance.principalFen, balance.bonusFen]).toEqual([model.principal, model.bonus]);
    expect(ledger.card(cardId)?.state).toBe(model.state);
  }
  expect(ledger.checkInvariants().ok).toBe(true);
  expect(ledger.verifyAuditChain().ok).toBe(true);
  for (const card of ledger.cardsOf(memberId)) {
    if (card.state === 'replaced' || card.state === 'closed') {
      expect(ledger.balance(card.id)).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
    }
  }
}
