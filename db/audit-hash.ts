/**
 * The audit chain's hash, on its own with nothing but node:crypto: HQ recomputes every shipped line with this
 * very function, and must be able to load it without the terminal's SQLite ledger.
 */
import { createHash } from 'node:crypto';

/** An audit line as stored: id, at, action, outcome, code, operation, staff, terminal, details (JSON). */
export type AuditFields = [
  number,
  number,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
];

/** SHA-256 (hex) of the previous line's hash and this line's fields. */
export function auditHash(previous: string | null, fields: AuditFields): string {
  return createHash('sha256')
    .update(JSON.stringify([previous, ...fields]))
    .digest('hex');
}
