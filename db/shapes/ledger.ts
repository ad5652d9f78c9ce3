/** The ledger as opened: how to open it, and everything it offers. */
import type { Keyring } from '../crypto/keyring';
import type { AuditChainReport, InvariantReport } from './checks';
import type {
  Card,
  CardWithMember,
  CreateMemberInput,
  CreateStaffInput,
  CreateStoreInput,
  IssueCardInput,
  Member,
  Staff,
  Store,
  Terminal,
} from './directory';
import type {
  Balance,
  ForfeitBonusInput,
  ForfeitPointsInput,
  OperationResult,
  RedeemPointsInput,
  RefundInput,
  SetCardStateInput,
  SpendInput,
  TopUpInput,
  TransferCardInput,
  VoidInput,
  WithdrawInput,
} from './operations';
import type { OperationSummary, OperationsFilter, StatementLine } from './reading';
import type { AuditLogStore, OutboxStore, PrintJobStore, SettingsStore } from './side-stores';
import type { Database, StaffRole } from './vocabulary';

export interface OpenLedgerOptions {
  /** File path, or ':memory:' for a throw-away ledger. */
  path: string;
  /**
   * Open an in-memory copy of a serialized ledger (`ledger.sqlite.serialize()`) instead of a file: training
   * mode works on a copy of the demo ledger and never touches the real one. `path` must be ':memory:'.
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
  /** A deactivated staff member's login is refused with STAFF_DEACTIVATED; never the last active admin (ADMIN_IS_LAST). */
  deactivateStaff(input: { staffId: string; byStaffId: string }): Staff;
  reactivateStaff(input: { staffId: string; byStaffId: string }): Staff;
  /** A new PIN; clears the wrong-PIN count and any lockout. */
  resetStaffPin(input: { staffId: string; pin: string; byStaffId: string }): Staff;
  /** The last active admin cannot be given another role (ADMIN_IS_LAST). */
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
  /** The audit chain as found when the ledger was opened (checked only when opened with `auditKeys`). */
  readonly auditChainAtOpen: AuditChainReport | null;
  checkpoint(): void;

  readonly outbox: OutboxStore;
  /** The audit log read in id order, for the sync worker's audit stream. */
  readonly auditLog: AuditLogStore;
  readonly printJobs: PrintJobStore;
  readonly settings: SettingsStore;
}
