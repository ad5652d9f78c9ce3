/** What the ledger answers about the past: statements, operation summaries and the filter that picks them. */
import type { Balance } from './operations';
import type { CardState, OperationKind, Tender } from './vocabulary';

export interface StatementLine {
  operationId: string;
  kind: OperationKind;
  createdAt: number;
  businessDay: string;
  /** Signed change on the card: positive adds to the card, negative takes from it. */
  principalDeltaFen: number;
  bonusDeltaFen: number;
  pointsDelta: number;
  balanceAfter: Balance;
  staffId: string;
  terminalId: string;
  memo: string | null;
}

export interface OperationSummary {
  operationId: string;
  kind: OperationKind;
  cardId: string | null;
  counterpartCardId: string | null;
  targetOperationId: string | null;
  amountFen: number;
  principalFen: number;
  bonusFen: number;
  points: number;
  tender: Tender | null;
  tenderReference: string | null;
  staffId: string;
  approvedBy: string | null;
  terminalId: string;
  businessDay: string;
  createdAt: number;
  memo: string | null;
  /** The state a card_state operation set. */
  cardState: CardState | null;
  /** The void that reversed this operation, if any. */
  voidedBy: string | null;
}

export interface OperationsFilter {
  cardId?: string;
  businessDay?: string;
  staffId?: string;
  terminalId?: string;
  kinds?: OperationKind[];
  /** Inclusive lower bound on createdAt (a shift's start). */
  from?: number;
  /** Exclusive upper bound on createdAt (a shift's end). */
  to?: number;
  /** At most this many (default and ceiling 100,000). */
  limit?: number;
  /** Commit order, oldest first (default), or newest first: with a limit, the latest operations. */
  order?: 'oldest_first' | 'newest_first';
}
