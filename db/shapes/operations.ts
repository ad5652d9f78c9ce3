/**
 * The money operations' requests and results. Money is integer fen (`number`, always a safe integer); points
 * are whole points; timestamps are UTC epoch milliseconds; ids are chosen by the caller (ULID or UUIDv7).
 */
import type { CardState, OperationKind, Tender } from './vocabulary';

export interface SetCardStateInput {
  operationId: string;
  cardId: string;
  state: CardState;
  staffId: string;
  terminalId: string;
  reason?: string | null;
}

export interface Balance {
  principalFen: number;
  bonusFen: number;
  points: number;
}

export interface TopUpInput {
  operationId: string;
  cardId: string;
  amountFen: number;
  tender: Tender;
  tenderReference?: string | null;
  bonusFen: number;
  points: number;
  staffId: string;
  terminalId: string;
}

export interface SpendInput {
  operationId: string;
  cardId: string;
  amountFen: number;
  staffId: string;
  terminalId: string;
  memo?: string | null;
  /** Points the charge earns (store's points issued → card points). */
  pointsEarned?: number;
  /** Points taken off the card as part of paying (card points → store's points issued). */
  pointsRedeemed?: number;
  /** The manager who approved a charge the rules would not let through alone (a card charged by its number). */
  approvedBy?: string | null;
  /**
   * Split payment: the part of `amountFen` paid by another tender (cash, bank card, WeChat, Alipay) because
   * the card does not hold it all. The card pays the rest; both are legs of this one operation, so a void
   * reverses them together.
   */
  otherTender?: OtherTender | null;
}

export interface OtherTender {
  tender: Tender;
  amountFen: number;
  /** The payment's reference (a payment code, a slip number); null for cash. */
  reference: string | null;
}

/** Bonus taken off a card into breakage: lapsed (expiry) or forfeited (card closed, top-up refunded). */
export interface ForfeitBonusInput {
  operationId: string;
  kind: 'expiry' | 'forfeit';
  cardId: string;
  amountFen: number;
  staffId: string;
  terminalId: string;
  approvedBy?: string | null;
  /** The top-up whose bonus lapsed, or the operation the forfeit belongs to. */
  targetOperationId?: string | null;
  memo?: string | null;
}

/** Every point left on a card, forfeited as the card closes. */
export interface ForfeitPointsInput {
  operationId: string;
  cardId: string;
  points: number;
  staffId: string;
  terminalId: string;
  approvedBy?: string | null;
  /** The operation the forfeit belongs to (the card's close). */
  targetOperationId?: string | null;
  memo?: string | null;
}

/** Points taken off a card for something other than a charge (a gift). */
export interface RedeemPointsInput {
  operationId: string;
  cardId: string;
  points: number;
  staffId: string;
  terminalId: string;
  memo?: string | null;
  /** The manager who approved it, as for a spend. */
  approvedBy?: string | null;
}

/** Refund of (part of) a spend, back to the card accounts it came from, in the spend's own proportion. */
export interface RefundInput {
  operationId: string;
  originalOperationId: string;
  amountFen: number;
  staffId: string;
  terminalId: string;
  approvedBy?: string | null;
  memo?: string | null;
}

/** Withdrawal of principal (提现); bonus is never paid out. */
export interface WithdrawInput {
  operationId: string;
  cardId: string;
  amountFen: number;
  tender: Tender;
  tenderReference?: string | null;
  staffId: string;
  terminalId: string;
  approvedBy?: string | null;
}

/** Reversal of the last money operation on a card. */
export interface VoidInput {
  operationId: string;
  targetOperationId: string;
  staffId: string;
  terminalId: string;
  approvedBy?: string | null;
  reason?: string | null;
}

/** Moves everything (principal, bonus, points) from one card to another card of the same member. */
export interface TransferCardInput {
  operationId: string;
  fromCardId: string;
  toCardId: string;
  staffId: string;
  terminalId: string;
  approvedBy?: string | null;
}

export interface OperationResult {
  operationId: string;
  kind: OperationKind;
  cardId: string;
  /** The amount asked for (top-up tender amount, spend amount, refund amount, …). */
  amountFen: number;
  /** How much of it moved on the card's principal account (always ≥ 0; direction follows the kind). */
  principalFen: number;
  /** How much moved on the card's bonus account. */
  bonusFen: number;
  /** How many points moved. */
  points: number;
  balanceAfter: Balance;
  businessDay: string;
  createdAt: number;
  /** True when this id had already been applied and the first result is returned unchanged. */
  replayed: boolean;
}
