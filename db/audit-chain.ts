/**
 * Verifying the audit chain: every line's hash must be the SHA-256 of the previous line's hash and its own
 * content. Lines written before the chain existed (no hash) may only come before the first chained line.
 * With the data keys, each seal must match its line's hash, and once a line is sealed every later one must be
 * (lines from before seals or keys existed may only come first).
 */
import { type AuditFields, auditHash, type Context } from './context';
import type { AuditChainReport } from './types';

export function auditChainModule(ctx: Context) {
  const lines = ctx.db
    .prepare(
      `SELECT id, at, action, outcome, code, operation_id, staff_id, terminal_id, details, hash, seal FROM audit ORDER BY id`,
    )
    .raw();

  return {
    verifyAuditChain(): AuditChainReport {
      let previous: string | null = null;
      let chained = false;
      let sealed = false;
      const sealer = ctx.sealer;
      let count = 0;
      const report = (brokenAt: number | null, message: string | null): AuditChainReport => ({
        ok: brokenAt === null,
        lines: count,
        brokenAt,
        message,
      });
      return ctx.db.transaction(() => {
        for (const row of lines.iterate() as Iterable<[...AuditFields, string | null, string | null]>) {
          count += 1;
          const fields = row.slice(0, 9) as AuditFields;
          const hash = row[9];
          if (hash === null) {
            if (chained) return report(fields[0], `audit line ${fields[0]} has no hash inside the chain`);
            continue;
          }
          if (hash !== auditHash(chained ? previous : null, fields)) {
            return report(fields[0], `audit line ${fields[0]} does not match its hash or its predecessor`);
          }
          const seal = row[10];
          if (sealer !== undefined) {
            if (seal === null) {
              if (sealed) return report(fields[0], `audit line ${fields[0]} has lost its seal`);
            } else if (!sealer.verify(hash, seal)) {
              return report(
                fields[0],
                `audit line ${fields[0]} does not match its seal: the audit log was rewritten outside the terminal`,
              );
            } else {
              sealed = true;
            }
          }
          chained = true;
          previous = hash;
        }
        return report(null, null);
      })();
    },
  };
}
