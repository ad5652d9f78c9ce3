/**
 * What an operation is before it is written: who acts where, the card it moves, the amounts it records and
 * the transfers (legs) that carry it. Each operation states only what differs from an operation that moves
 * nothing; `planFor` fills in the rest.
 */
import type { CardRow, StaffRow, StoreRow, TerminalRow } from '../rows';
import type { CardState, OperationKind, Tender, Unit } from '../types';

export interface AccountRef {
  id: number;
  code: string;
  unit: Unit;
}

/** One transfer: debits one account and credits another by a positive amount in their unit. */
export interface Leg {
  debit: AccountRef;
  credit: AccountRef;
  amount: number;
}

/** An account with its posted totals, as read inside the operation's transaction. */
export type PostedAccount = AccountRef & { debits: number; credits: number };

/** A card's three accounts with their posted totals. */
export interface CardAccounts {
  card: CardRow;
  principal: PostedAccount;
  bonus: PostedAccount;
  points: PostedAccount;
}

/** Who acts, where, and in which store. */
export interface Actors {
  store: StoreRow;
  terminal: TerminalRow;
  staff: StaffRow;
}

export interface Plan extends Actors {
  kind: OperationKind;
  approver: StaffRow | null;
  /** The card whose balance the result reports. */
  accounts: CardAccounts;
  counterpart: CardRow | null;
  targetOperationId: string | null;
  amountFen: number;
  principalFen: number;
  bonusFen: number;
  points: number;
  tender: Tender | null;
  tenderReference: string | null;
  memo: string | null;
  cardState: CardState | null;
  legs: Leg[];
  /** Extra writes that belong to the same transaction (a card state change). */
  alsoWrite?: (at: number) => void;
}

/** The parts of a plan an operation may set; everything left out is none (null, zero, no legs). */
export type PlanDetails = Partial<Omit<Plan, 'kind' | keyof Actors | 'accounts'>>;

export function planFor(
  kind: OperationKind,
  actors: Actors,
  accounts: CardAccounts,
  details: PlanDetails,
): Plan {
  return {
    kind,
    store: actors.store,
    terminal: actors.terminal,
    staff: actors.staff,
    accounts,
    approver: null,
    counterpart: null,
    targetOperationId: null,
    amountFen: 0,
    principalFen: 0,
    bonusFen: 0,
    points: 0,
    tender: null,
    tenderReference: null,
    memo: null,
    cardState: null,
    legs: [],
    ...details,
  };
}

/** The legs that move something: a zero bonus or zero points writes no transfer. */
export function legsOnly(legs: Array<Leg | null>): Leg[] {
  return legs.filter((leg): leg is Leg => leg !== null && leg.amount > 0);
}
