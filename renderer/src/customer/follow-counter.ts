/**
 * The counter tells the customer display what the customer should see: the amount while it is typed (单价),
 * the total once a confirmation opens (总计), the change once the cash handed over is typed (找零), the
 * operation done with the balance after, and nothing between customers. Only changes are sent; the host keeps them in order and a display that fails never stops a sale.
 */
import type { CommandInput } from '../../../electron/contract/index';
import { call } from '../api/client';
import { changeDue, parseYuan } from '../money';
import { type Phase, useCounter } from '../store/counter';

type Show = CommandInput<'display.show'>;

const CONFIRMING: readonly Phase[] = ['topUp', 'charge', 'withdraw', 'refund'];

interface CounterFacts {
  phase: Phase;
  amountText: string;
  cardId: string | undefined;
  draftFen: number | undefined;
  /** Cash handed over, as the cashier typed it in the confirmation (cash top-ups). */
  cashReceived?: string | undefined;
  result: { amountFen: number; operationId: string } | null;
}

/** What the customer should see for this state of the counter. */
export function customerShow(facts: CounterFacts): Show {
  const card = facts.cardId === undefined ? {} : { cardId: facts.cardId };
  if (facts.phase === 'result' && facts.result !== null) {
    // The operation goes along so that a charge can be offered to the customer to rate.
    return {
      phase: 'done',
      amountFen: facts.result.amountFen,
      operationId: facts.result.operationId,
      ...card,
    };
  }
  if (CONFIRMING.includes(facts.phase) && facts.draftFen !== undefined) {
    // Cash handed over that covers the total: the customer sees what was paid and the change (收款/找零).
    const change = changeDue(facts.cashReceived ?? '', facts.draftFen);
    if (change !== null && change >= 0) {
      return { phase: 'change', amountFen: facts.draftFen + change, changeFen: change, ...card };
    }
    return { phase: 'total', amountFen: facts.draftFen, ...card };
  }
  const typed = parseYuan(facts.amountText);
  if (typed !== null && typed > 0) return { phase: 'amount', amountFen: typed, ...card };
  return { phase: 'idle' };
}

/** Follows the counter store until the returned function is called. */
export function followCounter(): () => void {
  let last = '';
  const send = () => {
    const state = useCounter.getState();
    const show = customerShow({
      phase: state.phase,
      amountText: state.amountText,
      cardId: state.card?.card.id,
      draftFen: state.draft?.amountFen,
      cashReceived: state.draft?.tender === 'cash' ? state.draft.cashReceived : undefined,
      result: state.result,
    });
    const key = JSON.stringify(show);
    if (key === last) return;
    last = key;
    call('display.show', show).catch(() => {
      // Logged out, or the host is away: the customer display simply keeps what it showed.
      last = '';
    });
  };
  return useCounter.subscribe(send);
}
