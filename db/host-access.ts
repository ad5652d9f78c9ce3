/**
 * The two ways the host reaches the ledger's file beyond its modules' own operations, so that no SQLite handle
 * ever leaves `db/`: one transaction around several writes (a setting and its audit line, a store joined to a
 * chain), and the hash-chained audit log for the host's own actions.
 */
import { type AuditWriter, auditWriter } from './members/audit';
import type { Ledger } from './types';

/** Runs `work` in one IMMEDIATE transaction, or inside the caller's when one is already open. */
export function withinTransaction<T>(ledger: Ledger, work: () => T): T {
  return ledger.sqlite.inTransaction ? work() : ledger.sqlite.transaction(work).immediate();
}

/** The ledger's audit log, for lines the host writes about its own actions (pairing, settings, sign-ins). */
export function ledgerAudit(ledger: Ledger, now: () => number): AuditWriter {
  return auditWriter(ledger.sqlite, now);
}
