/**
 * Member-registry changes go on the ledger's own hash-chained audit log, so one chain covers money and personal
 * data alike. Lines never carry the personal values themselves, only which fields changed.
 */
import { sealOn } from '../audit-seal';
import { auditHash } from '../context';
import type { Database } from '../types';
import { MemberError } from './errors';

export interface MemberAuditLine {
  at: number;
  action: string;
  outcome: 'ok' | 'rejected';
  code?: string | null;
  operationId?: string | null;
  staffId?: string | null;
  terminalId?: string | null;
  details?: Record<string, unknown> | null;
}

export interface AuditWriter {
  /** Appends in the caller's transaction. */
  write(line: MemberAuditLine): void;
  /**
   * Runs `work` in one immediate transaction; a refusal leaves nothing but a rejected audit line, written on
   * its own after the rollback.
   */
  guarded<T>(action: string, who: { staffId?: unknown; terminalId?: unknown }, work: () => T): T;
}

export function auditWriter(db: Database, now: () => number): AuditWriter {
  const last = db.prepare<[], { id: number; hash: string | null }>(
    'SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1',
  );
  const insert = db.prepare(
    `INSERT INTO audit (id, at, action, outcome, code, operation_id, staff_id, terminal_id, details, hash, seal)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  function write(line: MemberAuditLine): void {
    const previous = last.get();
    const fields = [
      (previous?.id ?? 0) + 1,
      line.at,
      line.action,
      line.outcome,
      line.code ?? null,
      line.operationId ?? null,
      line.staffId ?? null,
      line.terminalId ?? null,
      line.details ? JSON.stringify(line.details) : null,
    ] as const;
    const hash = auditHash(previous?.hash ?? null, [...fields]);
    insert.run(...fields, hash, sealOn(db, hash));
  }
  return {
    write,
    guarded(action, who, work) {
      try {
        return db.transaction(work).immediate();
      } catch (error) {
        const coded = error as { code?: unknown; message?: unknown; details?: unknown };
        if (typeof coded.code === 'string' && !db.inTransaction) {
          try {
            db.transaction(() =>
              write({
                at: now(),
                action,
                outcome: 'rejected',
                code: coded.code as string,
                staffId: typeof who.staffId === 'string' ? who.staffId : null,
                terminalId: typeof who.terminalId === 'string' ? who.terminalId : null,
                details: { message: String(coded.message) },
              }),
            ).immediate();
          } catch {
            // The original refusal is what the caller needs to see.
          }
        }
        if (typeof coded.code === 'string') throw error;
        // Anything uncoded (a storage failure) still reaches the caller with a stable code.
        const message = error instanceof Error ? error.message : String(error);
        throw new MemberError('STORAGE_FAILED', `${action} failed in storage: ${message}`, { cause: error });
      }
    },
  };
}
