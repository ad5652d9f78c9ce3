/** Records beside the money that other parts of the terminal use: outbox, audit log, print jobs, settings. */

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
