/**
 * The ledger's public shapes. Money is integer fen (`number`, always a safe integer); points are whole
 * points; timestamps are UTC epoch milliseconds; ids are chosen by the caller (ULID or UUIDv7).
 */
import type { Tender } from '../common/tenders';

export { TENDERS, type Tender } from '../common/tenders';

import type BetterSqlite3 from 'better-sqlite3';
import type { Keyring } from './crypto/keyring';

export type Database = BetterSqlite3.Database;

export type StaffRole = 'cashier' | 'manager' | 'technician' | 'admin';
export type CardMedium = 'uid' | 'mifare' | 'ultralight' | 'magstripe' | 'keyed';
export type CardState = 'active' | 'frozen' | 'lost' | 'replaced' | 'closed';
export type SpendPolicy = 'principal_first' | 'bonus_first' | 'proportional';
export type OperationKind =
  | 'top_up'
  | 'spend'
  | 'refund'
  | 'withdraw'
  | 'void'
  | 'transfer'
  | 'card_state'
  | 'expiry'
  | 'forfeit'
  | 'points_redeem';
export type Unit = 'fen' | 'points';

export const CARD_STATES: readonly CardState[] = ['active', 'frozen', 'lost', 'replaced', 'closed'];
export const STAFF_ROLES: readonly StaffRole[] = ['cashier', 'manager', 'technician', 'admin'];
export const CARD_MEDIA: readonly CardMedium[] = ['uid', 'mifare', 'ultralight', 'magstripe', 'keyed'];
export const SPEND_POLICIES: readonly SpendPolicy[] = ['principal_first', 'bonus_first', 'proportional'];

export interface Store {
  id: string;
  name: string;
  currency: string;
  /** IANA zone, e.g. Asia/Shanghai. */
  timeZone: string;
  /** Local hour (0..23) at which one business day ends and the next begins. */
  dayCloseHour: number;
  spendPolicy: SpendPolicy;
  /** Largest amount a single money operation may move. */
  singleOperationLimitFen: number;
  createdAt: number;
}

export interface CreateStoreInput {
  id: string;
  name: string;
  currency?: string;
  timeZone: string;
  dayCloseHour: number;
  spendPolicy: SpendPolicy;
  singleOperationLimitFen: number;
}

export interface Terminal {
  id: string;
  storeId: string;
  name: string;
  createdAt: number;
}

export interface Staff {
  id: string;
  storeId: string;
  code: string;
  name: string;
  role: StaffRole;
  locked: boolean;
  /** False while an admin has deactivated this staff member. */
  active: boolean;
  createdAt: number;
}

export interface CreateStaffInput {
  id: string;
  storeId: string;
  code: string;
  name: string;
  role: StaffRole;
  /** 4 to 12 digits; stored only as a scrypt hash. */
  pin: string;
}

export interface Member {
  id: string;
  storeId: string;
  name: string;
  phone: string | null;
  createdAt: number;
}

export interface CreateMemberInput {
  id: string;
  storeId: string;
  name: string;
  phone?: string | null;
  staffId?: string | null;
  terminalId?: string | null;
}

export interface Card {
  id: string;
  memberId: string;
  storeId: string;
  cardNumber: string;
  /** Upper-case hex of the contactless UID, when the card has one. */
  uid: string | null;
  medium: CardMedium;
  state: CardState;
  createdAt: number;
  updatedAt: number;
}

export interface IssueCardInput {
  id: string;
  memberId: string;
  cardNumber: string;
  uid?: string | null;
  medium: CardMedium;
  staffId?: string | null;
  terminalId?: string | null;
}

export interface CardWithMember extends Card {
  member: Member;
  balance: Balance;
}

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

export interface InvariantProblem {
  rule:
    | 'UNITS_UNBALANCED'
    | 'BALANCE_MISMATCH'
    | 'NEGATIVE_MEMBER_ACCOUNT'
    | 'TRANSFER_UNIT_MISMATCH'
    | 'TRANSFER_AMOUNT_INVALID'
    | 'BALANCE_MISSING';
  message: string;
  accountId?: number;
  accountCode?: string;
  unit?: Unit;
  expected?: number;
  actual?: number;
}

export interface InvariantReport {
  ok: boolean;
  problems: InvariantProblem[];
}

export interface AuditChainReport {
  ok: boolean;
  /** Audit lines read (up to the first break). */
  lines: number;
  /** Id of the first line whose hash does not follow, or null. */
  brokenAt: number | null;
  message: string | null;
}

// ---------- for other parts of the terminal ----------

export interface OutboxRow {
  seq: number;
  operationId: string;
  terminalId: string;
  storeId: string;
  kind: string;
  payload: unknown;
  createdAt: number;
  sentAt: number | null;
}

export interface OutboxStore {
  /** Unsent rows in sequence order. */
  pending(limit: number): OutboxRow[];
  markSent(seqs: number[], at: number): void;
  stats(): { waiting: number; oldestCreatedAt: number | null; lastSentAt: number | null };
  /**
   * Makes the next row's sequence number follow `seq` (a replaced till whose terminal id HQ already holds rows
   * from). Only ever moves the sequence forward.
   */
  startAfter(seq: number): void;
}

/** One audit line as stored, for shipping to HQ: `details` is the stored JSON text, `hash` null before the chain began. */
export interface AuditRecord {
  id: number;
  at: number;
  action: string;
  outcome: string;
  code: string | null;
  operationId: string | null;
  staffId: string | null;
  terminalId: string | null;
  details: string | null;
  hash: string | null;
}

export interface AuditLogStore {
  /** Lines with an id above `afterId`, in id order. */
  after(afterId: number, limit: number): AuditRecord[];
  /** How many lines have an id above `afterId`. */
  countAfter(afterId: number): number;
}

export type PrintJobState = 'queued' | 'printing' | 'done' | 'failed';

export interface PrintJobRecord {
  id: string;
  printerId: string;
  kind: string;
  bytes: Uint8Array;
  state: PrintJobState;
  attempts: number;
  lastError: string | null;
  reprintOf: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface PrintJobStore {
  /** Idempotent on id: adding an existing id returns the stored job unchanged. */
  add(job: {
    id: string;
    printerId: string;
    kind: string;
    bytes: Uint8Array;
    reprintOf?: string | null;
    createdAt: number;
  }): PrintJobRecord;
  /** The oldest job that was interrupted ('printing') or is waiting ('queued'). */
  next(printerId: string): PrintJobRecord | undefined;
  /** Moving to 'printing' counts an attempt. */
  setState(id: string, state: PrintJobState, error?: string | null, at?: number): void;
  get(id: string): PrintJobRecord | undefined;
  /** Newest first. */
  list(filter?: { printerId?: string; states?: PrintJobState[]; limit?: number }): PrintJobRecord[];
}

export interface SettingsStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export interface OpenLedgerOptions {
  /** File path, or ':memory:' for a throw-away book. */
  path: string;
  /**
   * Open an in-memory copy of a serialized book (`ledger.sqlite.serialize()`) instead of a file: training
   * mode works on a copy of the demo book and never touches the real one. `path` must be ':memory:'.
   */
  image?: Buffer;
  /** Clock for timestamps; UTC epoch milliseconds. */
  now?: () => number;
  /** How often a passive WAL checkpoint runs; 0 turns the timer off. Default 60 s. */
  checkpointIntervalMs?: number;
  /** Run the invariant check at open and throw INVARIANT_BROKEN if it fails. Default true. */
  checkInvariantsAtOpen?: boolean;
  /**
   * The terminal's data keys: new audit lines are sealed with them, and the chain and its seals are checked
   * at open (`auditChainAtOpen`); PINs, member passwords and the recovery code are peppered with a subkey
   * before scrypt. Without them lines carry the hash chain alone and hashes are plain scrypt.
   */
  auditKeys?: Keyring;
}

/**
 * A member's name in clear: the member book's `nameOf`, which decrypts it. Modules that list members by name
 * take one; without it they show what the ledger's own row keeps (the mask, in an encrypted book).
 */
export type MemberNames = (memberId: string) => string | undefined;

export interface Ledger {
  /** The raw better-sqlite3 handle (tests, backup). */
  readonly sqlite: Database;
  close(): void;

  createStore(input: CreateStoreInput): Store;
  store(storeId: string): Store | undefined;
  createTerminal(input: { id: string; storeId: string; name: string }): Terminal;
  terminal(terminalId: string): Terminal | undefined;
  createStaff(input: CreateStaffInput): Staff;
  staff(staffId: string): Staff | undefined;
  /** Checks a PIN; STAFF_PIN_WRONG, then STAFF_LOCKED after five consecutive failures. */
  authenticateStaff(input: { code: string; pin: string; terminalId?: string | null }): Staff;
  /** Clears a lockout; the unlocking staff member must be a manager or admin. */
  unlockStaff(input: { staffId: string; byStaffId: string }): Staff;
  /**
   * Checks an approver's PIN: APPROVER_PIN_WRONG with the tries left, then APPROVER_PAUSED for a while
   * (doubling each round); counted apart from the login, which it never locks.
   */
  authenticateApprover(input: { code: string; pin: string; terminalId?: string | null }): Staff;
  /** A manager (their PIN as approver) unlocks a cashier; an admin anyone (UNLOCK_NEEDS_ADMIN otherwise). */
  unlockByApprover(input: {
    staffNo: string;
    approver: { code: string; pin: string };
    terminalId?: string | null;
  }): Staff;
  /** When the store's recovery sheet was issued and by whom; null when it has none. */
  recoverySheet(): { issuedAt: number; issuedBy: string } | null;
  /** An admin issues a new recovery sheet (replacing the old): the code is returned this once, kept as a hash. */
  issueRecoverySheet(input: { byStaffId: string }): { code: string; issuedAt: number };
  /**
   * The recovery code (RECOVERY_CODE_WRONG with tries left, then RECOVERY_PAUSED) gives the named admin a new
   * PIN and clears their lockout and deactivation (RECOVERY_NOT_ADMIN for anyone else); the code is used up.
   */
  recoverAdmin(input: { code: string; staffNo: string; pin: string; terminalId?: string | null }): Staff;
  /** Every staff member, active or not, by staff number. */
  listStaff(): Staff[];
  /** Staff administration, each by an active admin (ADMIN_REQUIRED) and audited under that admin. */
  addStaff(input: CreateStaffInput & { byStaffId: string }): Staff;
  /** A deactivated staff member's login is refused with STAFF_DEACTIVATED; never the last active admin (LAST_ADMIN). */
  deactivateStaff(input: { staffId: string; byStaffId: string }): Staff;
  reactivateStaff(input: { staffId: string; byStaffId: string }): Staff;
  /** A new PIN; clears the wrong-PIN count and any lockout. */
  resetStaffPin(input: { staffId: string; pin: string; byStaffId: string }): Staff;
  /** The last active admin cannot be given another role (LAST_ADMIN). */
  changeStaffRole(input: { staffId: string; role: StaffRole; byStaffId: string }): Staff;
  createMember(input: CreateMemberInput): Member;
  member(memberId: string): Member | undefined;
  issueCard(input: IssueCardInput): Card;
  card(cardId: string): Card | undefined;
  cardsOf(memberId: string): Card[];
  setCardState(input: SetCardStateInput): Card;

  topUp(input: TopUpInput): OperationResult;
  spend(input: SpendInput): OperationResult;
  refund(input: RefundInput): OperationResult;
  withdraw(input: WithdrawInput): OperationResult;
  voidOperation(input: VoidInput): OperationResult;
  transferCard(input: TransferCardInput): OperationResult;
  forfeitBonus(input: ForfeitBonusInput): OperationResult;
  /** Points off a card into the store's points account (kind forfeit), as a card with points closes. */
  forfeitPoints(input: ForfeitPointsInput): OperationResult;
  redeemPoints(input: RedeemPointsInput): OperationResult;

  balance(cardId: string): Balance;
  statement(cardId: string, period: { from: number; to: number }): StatementLine[];
  operationsOf(filter: OperationsFilter): OperationSummary[];
  operation(operationId: string): OperationSummary | undefined;
  findCardByUid(uidHex: string): CardWithMember | undefined;
  findCardByNumber(cardNumber: string): CardWithMember | undefined;
  /** The business day (YYYY-MM-DD) an instant belongs to in a store. */
  businessDayOf(storeId: string, at: number): string;

  checkInvariants(): InvariantReport;
  /** Recomputes the audit log's hash chain; an edited, inserted or removed line shows as a break. */
  verifyAuditChain(): AuditChainReport;
  /** The audit chain as found when the book was opened (checked only when opened with `auditKeys`). */
  readonly auditChainAtOpen: AuditChainReport | null;
  checkpoint(): void;

  readonly outbox: OutboxStore;
  /** The audit log read in id order, for the sync worker's audit stream. */
  readonly auditLog: AuditLogStore;
  readonly printJobs: PrintJobStore;
  readonly settings: SettingsStore;
}
