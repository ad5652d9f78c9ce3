/**
 * The typed receipt models the host fills in after an operation commits. Money is integer fen; time is UTC
 * epoch milliseconds, shown in the store's time zone.
 */
import type { MonoImage } from '../../hardware/index';

export type Language = 'zh-CN' | 'en';

export type Tender = 'cash' | 'wechat' | 'alipay' | 'unionpay' | 'bank_transfer' | 'stored_value';

export interface ReceiptContext {
  storeName: string;
  logo?: MonoImage;
  terminalId: string;
  cashier: string;
  /** When the operation happened (UTC ms). */
  at: number;
  /** IANA zone the store runs in. */
  timeZone?: string;
  language?: Language;
  /** Lines under the receipt: hotline, return policy, thanks. */
  footer?: string[];
  /** Marks a copy printed again on request. */
  reprint?: boolean;
  /** Marks every receipt of a practice book (the demo café, the training book): no real money moved. */
  practice?: 'demo' | 'training';
}

export interface MemberOnReceipt {
  /** Already masked by the host, e.g. `6228 **** **** 1234`. */
  maskedCard: string;
  /** Already masked, e.g. `张*` or `138****5678`. */
  maskedName?: string;
}

export interface BalanceAfter {
  principal: number;
  bonus: number;
  points?: number;
}

export interface LineItem {
  name: string;
  quantity: number;
  amount: number;
}

export interface TopUpReceipt {
  kind: 'topup';
  operationId: string;
  member: MemberOnReceipt;
  amount: number;
  bonus: number;
  tender: Tender;
  /** The payment's reference: a WeChat/Alipay payment code, a bank slip number. */
  reference?: string;
  balanceAfter: BalanceAfter;
  promotion?: string;
}

export interface ChargeReceipt {
  kind: 'charge';
  operationId: string;
  member: MemberOnReceipt;
  items?: LineItem[];
  total: number;
  fromPrincipal: number;
  fromBonus: number;
  pointsEarned?: number;
  /** The card's number was typed and a manager approved the charge: who, and why. */
  keyedEntry?: { approvedBy: string; reason: string };
  /** Split payment: the part of the total another tender paid, and that payment's reference. */
  otherTender?: { tender: Tender; amount: number; reference?: string };
  balanceAfter: BalanceAfter;
  /** HQ's page where the customer rates this visit (a signed link), printed as a QR; absent off a chain. */
  ratingUrl?: string;
}

export interface RefundReceipt {
  kind: 'refund';
  /**
   * A void cancels a whole operation of the same shift; a refund returns a top-up's money later; a charge
   * refund puts (part of) a purchase back on the card; a withdrawal pays principal out (提现).
   */
  mode: 'refund' | 'void' | 'charge_refund' | 'withdraw';
  operationId: string;
  originalOperationId: string;
  member: MemberOnReceipt;
  principal: number;
  bonus: number;
  tender: Tender;
  reason?: string;
  approvedBy?: string;
  balanceAfter: BalanceAfter;
}

export interface CardIssueReceipt {
  kind: 'card_issue';
  operationId: string;
  member: MemberOnReceipt;
  cardType: string;
  fee: number;
  deposit: number;
  tender: Tender;
  /** The card this one replaces, when it is a replacement. */
  replaces?: string;
  /** The balance moved over from the replaced card. */
  moved?: { principal: number; bonus: number; points: number };
  /** The opening top-up made with the activation, with its bonus. */
  openingTopUp?: { amount: number; bonus: number; tender: Tender; promotion?: string };
  /** The member chose a password at the counter (never printed, only that it is set). */
  passwordSet?: boolean;
  balanceAfter: BalanceAfter;
}

/** Closing a card: the balance before, principal paid back, bonus forfeited. */
export interface CardCloseReceipt {
  kind: 'card_close';
  operationId: string;
  member: MemberOnReceipt;
  before: BalanceAfter;
  refunded: number;
  forfeited: number;
  /** Points the member gave up with the card; absent when it held none. */
  pointsForfeited?: number;
  tender: Tender;
  reason?: string;
  approvedBy?: string;
}

export interface StatementMovement {
  at: number;
  label: string;
  /** Signed change to the total balance. */
  amount: number;
}

export interface BalanceStatement {
  kind: 'balance';
  operationId: string;
  member: MemberOnReceipt;
  balance: BalanceAfter;
  movements: StatementMovement[];
}

export interface TenderTotal {
  tender: Tender;
  count: number;
  amount: number;
}

export interface SettlementFigures {
  topUps: { count: number; amount: number; bonus: number };
  charges: { count: number; amount: number };
  refunds: { count: number; amount: number };
  cardsIssued: number;
  tenders: TenderTotal[];
  expectedCash: number;
  countedCash: number;
}

/**
 * The shift-close slip: the drawer from float to count. Only cash is on it, because only cash is counted;
 * each movement is signed as it changes the drawer (into it is positive).
 */
export interface ShiftReport {
  kind: 'shift';
  operationId: string;
  shiftId: string;
  openedAt: number;
  closedAt: number;
  /** The shift's cashier (the receipt header names whoever printed it, which differs on a reprint). */
  shiftCashier: string;
  approvedBy: string;
  float: number;
  cashTopUps: number;
  cashWithdrawals: number;
  /** Voids of cash operations: cash refunds paid out of the drawer. */
  cashRefunds: number;
  cashIn: number;
  cashOut: number;
  other: number;
  expected: number;
  counted: number;
  /** The closing count, largest face value first. */
  countedPieces: Array<{ face: number; pieces: number }>;
  variance: number;
  varianceReason?: string;
  /** Signed off by the shift's own cashier, where the store lets a lone manager approve. */
  selfApproved?: boolean;
  /** Left in the drawer for the next cashier; the rest went to the safe. */
  handedOver: number;
}

/** One line of the Z report's by-kind section (an operation kind, or bonus_issued for bonus given). */
export interface ZKindLine {
  line: string;
  count: number;
  amount: number;
  /** For charges, refunds and voids: the part that moved principal and the part that moved bonus. */
  principal: number;
  bonus: number;
}

export interface ZCashier {
  name: string;
  operations: number;
  byKind: ZKindLine[];
  tenders: TenderTotal[];
}

/** One account's roll-forward; every movement is signed as it changes what the store owes. */
export interface ZRollForward {
  opening: number;
  topUps: number;
  bonusIssued: number;
  charges: number;
  refunds: number;
  withdrawals: number;
  voids: number;
  transfers: number;
  cardFees: number;
  expiry: number;
  other: number;
  /** opening + every movement, by the journal. */
  closing: number;
  /** The same figure from the ledger's balance rows. */
  ledgerClosing: number;
  /** closing − ledger closing. */
  difference: number;
}

/** One kind's count and amount (fen). */
export interface ZTally {
  count: number;
  amount: number;
}

/** A kind's figures: gross, voided by the day's voids, net = gross − voided. */
export interface ZFigure {
  gross: ZTally;
  voided: ZTally;
  net: ZTally;
}

export interface DayCloseReport extends SettlementFigures {
  kind: 'day_close';
  operationId: string;
  /** The business day, `YYYY-MM-DD` in the store's zone. */
  businessDay: string;
  shifts: number;
  /** Stored value owed to members at close: principal and bonus. */
  liability: { principal: number; bonus: number };
  /** Every operation kind of the day, with charges and refunds split into principal and bonus. */
  byKind?: ZKindLine[];
  /** The same figures per cashier. */
  cashiers?: ZCashier[];
  /** The liability rolled forward from the journal, checked against the ledger. */
  rollForward?: { principal: ZRollForward; bonus: ZRollForward };
  /** Cash recorded while no shift was open on its terminal: no count covers it. */
  outsideShifts?: { count: number; net: number };
  /** Shift counts their own cashier signed off (a lone manager). */
  selfApprovedShifts?: number;
  /** Top-ups, charges and refunds gross, voided and net: the figures the reports screen shows. */
  figures?: { top_up: ZFigure; spend: ZFigure; refund: ZFigure };
}

export type ReceiptModel =
  | TopUpReceipt
  | ChargeReceipt
  | RefundReceipt
  | CardIssueReceipt
  | CardCloseReceipt
  | BalanceStatement
  | ShiftReport
  | DayCloseReport;
