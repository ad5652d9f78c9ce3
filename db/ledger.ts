/**
 * openLedger: one terminal's ledger. Opens the file with explicit pragmas, applies the committed migrations,
 * checks the invariants, and starts the periodic checkpoint.
 */
import { accountsModule } from './accounts';
import { auditChainModule } from './audit-chain';
import { auditLogStore } from './audit-log';
import { auditSealer, setAuditSealer } from './audit-seal';
import { businessDay } from './business-day';
import { createContext } from './context';
import { directoryModule } from './directory';
import { LedgerError } from './errors';
import { invariantsModule } from './invariants';
import { openDatabase } from './open';
import { operationsModule } from './operations';
import { outboxStore } from './outbox';
import { pepperFrom, setPepper } from './pin';
import { printJobStore } from './print-jobs';
import { queriesModule } from './queries';
import { recoveryModule } from './recovery';
import { settingsStore } from './settings';
import type { Ledger, OpenLedgerOptions } from './types';

const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;
/** The broken audit line already recorded, so a break is put on the chain once, not at every start. */
const AUDIT_BREAK_KEY = 'audit.brokenAt';

export function openLedger(options: OpenLedgerOptions): Ledger {
  const db = openDatabase(options.path, options.image);
  if (options.auditKeys !== undefined) {
    setAuditSealer(db, auditSealer(options.auditKeys));
    setPepper(db, pepperFrom(options.auditKeys));
  }
  const ctx = createContext(db, options.now ?? Date.now);
  const accounts = accountsModule(ctx);
  const directory = directoryModule(ctx, accounts);
  const operations = operationsModule(ctx, accounts, directory);
  const queries = queriesModule(ctx, directory, operations);
  const invariants = invariantsModule(ctx);
  const recovery = recoveryModule(ctx);

  if (options.checkInvariantsAtOpen ?? true) {
    const report = invariants.checkInvariants();
    if (!report.ok) {
      db.close();
      throw new LedgerError('INVARIANT_BROKEN', `the ledger at ${options.path} fails its invariant check`, {
        details: { problems: report.problems.slice(0, 20), count: report.problems.length },
      });
    }
  }

  const auditChain = auditChainModule(ctx);
  // With the keys, the chain and its seals are checked on every open; a break is recorded on the chain itself
  // (once per broken line), so it reaches HQ on the audit stream, and the host reports it.
  const auditChainAtOpen = options.auditKeys === undefined ? null : auditChain.verifyAuditChain();
  if (auditChainAtOpen !== null && !auditChainAtOpen.ok) {
    const settings = settingsStore(ctx);
    if (settings.get<number>(AUDIT_BREAK_KEY) !== auditChainAtOpen.brokenAt) {
      db.transaction(() => {
        ctx.audit({
          at: ctx.now(),
          action: 'audit.verify',
          outcome: 'rejected',
          code: 'AUDIT_CHAIN_BROKEN',
          details: { brokenAt: auditChainAtOpen.brokenAt, message: auditChainAtOpen.message },
        });
        settings.set(AUDIT_BREAK_KEY, auditChainAtOpen.brokenAt);
      }).immediate();
    }
  }

  const checkpoint = () => {
    if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
  };
  const interval = options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
  const timer = interval > 0 ? setInterval(checkpoint, interval) : undefined;
  // The timer must never be what keeps a process alive.
  timer?.unref();

  return {
    sqlite: db,
    close() {
      if (timer) clearInterval(timer);
      if (!db.open) return;
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },

    createStore: directory.createStore,
    store: directory.store,
    createTerminal: directory.createTerminal,
    terminal: directory.terminal,
    createStaff: directory.createStaff,
    staff: directory.staff,
    authenticateStaff: directory.authenticateStaff,
    unlockStaff: directory.unlockStaff,
    authenticateApprover: directory.authenticateApprover,
    unlockByApprover: directory.unlockByApprover,
    recoverySheet: recovery.recoverySheet,
    issueRecoverySheet: (input) =>
      recovery.issueRecoverySheet({
        byStaffId: input.byStaffId,
        isAdmin: (staffId) => {
          const staff = directory.staff(staffId);
          return staff !== undefined && staff.role === 'admin' && staff.active;
        },
      }),
    recoverAdmin: (input) =>
      recovery.redeemRecoveryCode({ code: input.code, terminalId: input.terminalId ?? null }, () =>
        directory.recoverAdmin(input),
      ),
    listStaff: directory.listStaff,
    addStaff: directory.addStaff,
    deactivateStaff: directory.deactivateStaff,
    reactivateStaff: directory.reactivateStaff,
    resetStaffPin: directory.resetStaffPin,
    changeStaffRole: directory.changeStaffRole,
    createMember: directory.createMember,
    member: directory.member,
    issueCard: directory.issueCard,
    card: directory.card,
    cardsOf: directory.cardsOf,
    setCardState: operations.setCardState,

    topUp: operations.topUp,
    spend: operations.spend,
    refund: operations.refund,
    withdraw: operations.withdraw,
    voidOperation: operations.voidOperation,
    transferCard: operations.transferCard,
    forfeitBonus: operations.forfeitBonus,
    forfeitPoints: operations.forfeitPoints,
    redeemPoints: operations.redeemPoints,

    balance: queries.balance,
    statement: queries.statement,
    operationsOf: queries.operationsOf,
    operation: queries.operation,
    findCardByUid: queries.findCardByUid,
    findCardByNumber: queries.findCardByNumber,
    businessDayOf: (storeId, at) => {
      const store = directory.storeRow(storeId);
      return businessDay(at, store.time_zone, store.day_close_hour);
    },

    checkInvariants: invariants.checkInvariants,
    verifyAuditChain: auditChain.verifyAuditChain,
    auditChainAtOpen,
    checkpoint,

    outbox: outboxStore(ctx),
    auditLog: auditLogStore(ctx),
    printJobs: printJobStore(ctx),
    settings: settingsStore(ctx),
  };
}
