/**
 * The shapes that cross between renderer and host. Money is integer fen, time is UTC epoch milliseconds.
 */
import { z } from 'zod';
import { TENDERS } from './names';
import { ROLES } from './permissions';

export { TENDERS };

/**
 * Largest amount any input may carry: the keypad's longest, ¥9,999,999.99. A shape guard, not an accounting
 * rule: the chain's amount limits (`limits.ts`) and the store's single-operation limit are checked in the
 * host, and their refusals name the limit, where a shape error could only say the input is wrong.
 */
export const MAX_AMOUNT_FEN = 999_999_999;

export const fen = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer number of fen');
export const positiveFen = fen.refine((value) => value > 0 && value <= MAX_AMOUNT_FEN, {
  message: `must be between 1 and ${MAX_AMOUNT_FEN} fen`,
});
export const epochMs = z.number().int().nonnegative();
/** Operation ids are ULIDs created by the renderer before it sends, so a repeated tap replays, never doubles. */
export const operationId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID');
export const entityId = z.string().min(1).max(64);
export const digits = (min: number, max: number) =>
  z.string().regex(new RegExp(`^[0-9]{${min},${max}}$`), `must be ${min}-${max} digits`);
/**
 * A manager's approval to charge a card no device of this terminal read (its number was typed): their staff
 * number, PIN and the reason, recorded on the operation, in the audit log and on the receipt.
 */
export const keyedApproval = z
  .object({
    staffNo: digits(3, 8),
    pin: digits(4, 8),
    reason: z.string().trim().min(2).max(100),
  })
  .strict();
/** A contactless card UID as upper-case hex: 4, 7 or 10 bytes. */
export const cardUid = z
  .string()
  .regex(/^(?:[0-9A-F]{8}|[0-9A-F]{14}|[0-9A-F]{20})$/, 'must be a 4, 7 or 10 byte hex UID');
export const cardNumber = z.string().regex(/^[0-9A-Z]{4,32}$/, 'must be 4-32 digits or capital letters');

export const role = z.enum(ROLES);
export const staffView = z.object({ id: entityId, staffNo: z.string(), name: z.string(), role });
export type StaffView = z.infer<typeof staffView>;

export const sessionView = z.object({ staff: staffView, permissions: z.array(z.string()) });
export type SessionView = z.infer<typeof sessionView>;

export const CARD_STATES = ['active', 'frozen', 'lost', 'replaced', 'closed'] as const;
export const cardState = z.enum(CARD_STATES);
export type CardState = z.infer<typeof cardState>;

export const balanceView = z.object({
  principalFen: fen,
  bonusFen: fen,
  totalFen: fen,
  points: z.number().int(),
});
export type BalanceView = z.infer<typeof balanceView>;

export const cardView = z.object({
  card: z.object({
    id: entityId,
    cardNumber: z.string(),
    uid: z.string().nullable(),
    medium: z.string(),
    state: cardState,
  }),
  member: z.object({
    id: entityId,
    name: z.string(),
    /** Personal information is shown masked (138****5678); the full number never leaves the host. */
    phoneMasked: z.string().nullable(),
    /** The member's tier by name (金卡, Gold…), or null for a member without one. */
    tier: z.string().nullable(),
    /** The member set a 6-digit password: a charge needs it. */
    hasPassword: z.boolean(),
  }),
  balance: balanceView,
});
export type CardView = z.infer<typeof cardView>;

export const tender = z.enum(TENDERS);

/** The promotion a top-up quote applied: what the cashier confirms is what the ledger must apply. */
export const topUpQuote = z.object({
  ruleId: z.string().max(64).nullable(),
  ruleVersion: z.number().int().nonnegative().nullable(),
  bonusFen: fen.refine((value) => value >= 0, 'must not be negative'),
  points: z.number().int().nonnegative(),
});
export type TopUpQuote = z.infer<typeof topUpQuote>;
export type Tender = z.infer<typeof tender>;

export const OPERATION_KINDS = [
  'top_up',
  'spend',
  'refund',
  'withdraw',
  'void',
  'transfer',
  'card_state',
  'expiry',
  'forfeit',
  'points_redeem',
] as const;
export const operationKind = z.enum(OPERATION_KINDS);
export type OperationKind = z.infer<typeof operationKind>;

export const operationLine = z.object({
  operationId: z.string(),
  kind: operationKind,
  amountFen: fen,
  principalFen: fen,
  bonusFen: fen,
  tender: tender.nullable(),
  at: epochMs,
  /** A later void reversed this operation. */
  voided: z.boolean(),
});
export type OperationLine = z.infer<typeof operationLine>;

/**
 * Where a receipt stands: queued, printing, printed, held (the printer cannot print now; `code` says why, as
 * PRINTER_DISCONNECTED, PRINTER_PAPER_OUT, …, and `link` how the printer is reached, so the advice fits) or
 * failed.
 */
export const receiptPrint = z.object({
  jobId: z.string(),
  state: z.enum(['queued', 'printing', 'printed', 'held', 'failed']),
  code: z.string().optional(),
  link: z.enum(['serial', 'usblp', 'tcp', 'simulated']).optional(),
});
export type ReceiptPrint = z.infer<typeof receiptPrint>;

export const operationResult = z.object({
  operationId: z.string(),
  kind: operationKind,
  /** The amount asked for (tendered for a top-up, charged for a spend). */
  amountFen: fen,
  /** How much moved on the card's principal and bonus accounts. */
  principalFen: fen,
  bonusFen: fen,
  points: z.number().int(),
  at: epochMs,
  /** True when this id had already been applied and the first result is being returned again. */
  replayed: z.boolean(),
  balance: balanceView,
  receiptText: z.string(),
  /** The printed receipt's progress when the operation was answered; `print.status` events follow it. */
  receipt: receiptPrint.optional(),
  /** For a charge: the list price, the tier's discount and the points, as the counter shows them. */
  charge: z
    .object({
      listPriceFen: fen,
      discountFen: fen,
      pointsRedeemed: z.number().int(),
      pointsValueFen: fen,
      pointsEarned: z.number().int(),
      /** Split payment: the part another tender paid, and its reference (a payment code, a slip). */
      rest: z
        .object({ tender: z.enum(TENDERS), amountFen: fen, reference: z.string().nullable() })
        .optional(),
    })
    .optional(),
});
export type OperationResult = z.infer<typeof operationResult>;

export const deviceKind = z.enum(['reader', 'swiper', 'printer']);
export const deviceState = z.enum(['connected', 'disconnected', 'error', 'simulated']);

export const syncStatus = z.object({
  /** `revoked`: HQ refused this till's key; operations wait in the outbox until it is enrolled again. */
  state: z.enum(['disabled', 'idle', 'syncing', 'offline', 'error', 'revoked']),
  /** Operations in the outbox not yet acknowledged by headquarters. */
  pending: z.number().int().nonnegative(),
  lastSyncedAt: epochMs.nullable(),
  /** Audit lines not yet acknowledged by headquarters (absent while the terminal is not enrolled). */
  auditPending: z.number().int().nonnegative().optional(),
});

/** A book's mode, fixed when it is created: a real store, the demo café, or the training book. */
export const bookMode = z.enum(['live', 'demo', 'training']);

export const terminalInfo = z.object({
  storeName: z.string(),
  terminalId: z.string(),
  version: z.string(),
  mode: bookMode,
  trainingMode: z.boolean(),
  /** The demo staff's logins, for the login screen; only a demo or training book sends them. */
  demoLogins: z.array(z.object({ role, staffNo: z.string(), pin: z.string(), name: z.string() })).optional(),
  simulator: z.boolean(),
  devices: z.array(
    z.object({ device: z.string(), kind: deviceKind, state: deviceState, detail: z.string().optional() }),
  ),
  sync: syncStatus,
  /**
   * The first audit line that failed its hash or seal when the book was opened (AUDIT_CHAIN_BROKEN), or null;
   * absent when the book was opened without the data keys.
   */
  auditChainBrokenAt: z.number().int().nullable().optional(),
});
export type TerminalInfo = z.infer<typeof terminalInfo>;

export const simulatedCard = z.object({
  uid: z.string(),
  cardNumber: z.string(),
  label: z.string(),
});
export type SimulatedCard = z.infer<typeof simulatedCard>;

export const printedReceipt = z.object({ jobId: z.string(), text: z.string(), at: epochMs });
export type PrintedReceipt = z.infer<typeof printedReceipt>;

/** How an error crosses the boundary: a stable code, words for a log reader, and structured facts. */
export const apiFailure = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiFailure = z.infer<typeof apiFailure>;
