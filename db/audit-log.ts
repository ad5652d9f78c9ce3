/**
 * The audit log read forward from a cursor, for the sync worker's audit stream. Lines are returned exactly as
 * stored (details as the JSON text that was hashed), so HQ can recompute each line's hash.
 */
import type { Context } from './context';
import { LedgerError } from './errors';
import type { SqlRow } from './rows';
import type { audit } from './schema';
import type { AuditLogStore, AuditRecord } from './types';

type Row = SqlRow<typeof audit>;

export function auditLogStore(ctx: Context): AuditLogStore {
  const q = {
    after: ctx.db.prepare<[number, number], Row>('SELECT * FROM audit WHERE id > ? ORDER BY id LIMIT ?'),
    count: ctx.db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM audit WHERE id > ?'),
  };
  const cursor = (afterId: number) => {
    if (!Number.isSafeInteger(afterId) || afterId < 0)
      throw new LedgerError('INPUT_INVALID', 'the audit cursor must be a non-negative integer');
  };
  return {
    after(afterId, limit): AuditRecord[] {
      cursor(afterId);
      if (!Number.isSafeInteger(limit) || limit <= 0)
        throw new LedgerError('INPUT_INVALID', 'limit must be positive');
      return q.after.all(afterId, limit).map((row) => ({
        id: row.id,
        at: row.at,
        action: row.action,
        outcome: row.outcome,
        code: row.code,
        operationId: row.operation_id,
        staffId: row.staff_id,
        terminalId: row.terminal_id,
        details: row.details,
        hash: row.hash,
      }));
    },
    countAfter(afterId) {
      cursor(afterId);
      return q.count.get(afterId)?.n ?? 0;
    },
  };
}
