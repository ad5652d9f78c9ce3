/**
 * What every part of the ledger shares: the handle, the clock, id generation, and the two append-only
 * side records every change writes (an audit line and, for what HQ must learn, an outbox row).
 */
import { monotonicFactory } from 'ulid';
import { type AuditFields, auditHash } from './audit-hash';
import { type AuditSealer, auditSealerOf, sealOn } from './audit-seal';
import { LedgerError } from './errors';
import type { Database } from './types';

export interface Context {
  db: Database;
  now: () => number;
  newId: (at: number) => string;
  /** Seals each new audit line's hash when the ledger was opened with the data keys. */
  readonly sealer: AuditSealer | undefined;

  audit(line: AuditLine): void;
  enqueue(row: {
    operationId: string;
    terminalId: string;
    storeId: string;
    kind: string;
    payload: unknown;
    at: number;
  }): void;
}

export interface AuditLine {
  at: number;
  action: string;
  outcome: 'ok' | 'rejected';
  code?: string | null;
  operationId?: string | null;
  staffId?: string | null;
  terminalId?: string | null;
  details?: Record<string, unknown> | null;
}

export { type AuditFields, auditHash } from './audit-hash';

export function createContext(db: Database, now: () => number): Context {
  const makeId = monotonicFactory();
  const lastAudit = db.prepare<[], { id: number; hash: string | null }>(
    'SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1',
  );
  const insertAudit = db.prepare(
    `INSERT INTO audit (id, at, action, outcome, code, operation_id, staff_id, terminal_id, details, hash, seal)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertOutbox = db.prepare(
    `INSERT INTO outbox (operation_id, terminal_id, store_id, kind, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  return {
    db,
    now,
    newId: (at) => makeId(at),
    get sealer() {
      return auditSealerOf(db);
    },
    audit(line) {
      // Read and append in the caller's transaction, so two writers cannot fork the chain.
      const last = lastAudit.get();
      const fields: AuditFields = [
        (last?.id ?? 0) + 1,
        line.at,
        line.action,
        line.outcome,
        line.code ?? null,
        line.operationId ?? null,
        line.staffId ?? null,
        line.terminalId ?? null,
        line.details ? JSON.stringify(line.details) : null,
      ];
      const hash = auditHash(last?.hash ?? null, fields);
      insertAudit.run(...fields, hash, sealOn(db, hash));
    },
    enqueue(row) {
      insertOutbox.run(
        row.operationId,
        row.terminalId,
        row.storeId,
        row.kind,
        JSON.stringify(row.payload),
        row.at,
      );
    },
  };
}

/**
 * Runs `work` in one transaction. If it throws a LedgerError, nothing it wrote stays, and a rejected audit
 * line is written on its own (the only trace a refused request leaves). Other errors are wrapped so the
 * caller always sees a stable code.
 */
export function guarded<T>(
  ctx: Context,
  action: string,
  // Whatever the caller sent; only text values end up on the audit line.
  who: { operationId?: unknown; staffId?: unknown; terminalId?: unknown },
  work: () => T,
): T {
  try {
    return ctx.db.transaction(work).immediate();
  } catch (error) {
    const failure = asLedgerError(error, action);
    try {
      auditAlone(ctx, {
        at: ctx.now(),
        action,
        outcome: 'rejected',
        code: failure.code,
        operationId: typeof who.operationId === 'string' ? who.operationId : null,
        staffId: typeof who.staffId === 'string' ? who.staffId : null,
        terminalId: typeof who.terminalId === 'string' ? who.terminalId : null,
        details: { message: failure.message, ...(failure.details ?? {}) },
      });
    } catch {
      // A ledger that cannot even take an audit line is reported by the original error.
    }
    throw failure;
  }
}

/** One audit line in its own transaction (the chain's read and append stay together). */
export function auditAlone(ctx: Context, line: AuditLine): void {
  ctx.db.transaction(() => ctx.audit(line)).immediate();
}

export function asLedgerError(error: unknown, action: string): LedgerError {
  if (error instanceof LedgerError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('balances_no_overdraft')) {
    return new LedgerError('BALANCE_INSUFFICIENT', 'a member account would go below zero', { cause: error });
  }
  if (message.includes('LEDGER_IMMUTABLE')) {
    return new LedgerError('INVARIANT_BROKEN', 'history in the ledger cannot be changed', { cause: error });
  }
  if (message.includes('database connection is not open')) {
    return new LedgerError('LEDGER_CLOSED', 'the ledger is closed', { cause: error });
  }
  return new LedgerError('STORAGE_FAILED', `${action} failed in storage: ${message}`, { cause: error });
}

export function requireText(value: unknown, field: string, max = 200): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new LedgerError('INPUT_INVALID', `${field} must be a non-empty text of at most ${max} characters`, {
      details: { field },
    });
  }
  return value;
}

export function optionalText(value: unknown, field: string, max = 500): string | null {
  if (value === undefined || value === null) return null;
  return requireText(value, field, max);
}
