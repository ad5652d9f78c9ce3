/**
 * The receipt print queue's durable side: a job is stored before it is printed, so a crash or a paper-out
 * never loses a receipt, and an interrupted job ('printing' at restart) is the first one offered again.
 */

import type { Context } from './context';
import { requireText } from './context';
import { LedgerError } from './errors';
import type { SqlRow } from './rows';
import type { printJobs } from './schema';
import type { PrintJobRecord, PrintJobState, PrintJobStore } from './types';

const STATES: readonly PrintJobState[] = ['queued', 'printing', 'done', 'failed'];

type Row = SqlRow<typeof printJobs>;

const toRecord = (row: Row): PrintJobRecord => ({
  id: row.id,
  printerId: row.printer_id,
  kind: row.kind,
  bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength),
  state: row.state,
  attempts: row.attempts,
  lastError: row.last_error,
  reprintOf: row.reprint_of,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function printJobStore(ctx: Context): PrintJobStore {
  const { db } = ctx;
  const q = {
    get: db.prepare<[string], Row>('SELECT * FROM print_jobs WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO print_jobs (id, printer_id, kind, bytes, state, attempts, last_error, reprint_of, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'queued', 0, NULL, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ),
    next: db.prepare<[string], Row>(
      `SELECT * FROM print_jobs WHERE printer_id = ? AND state IN ('printing', 'queued')
       ORDER BY CASE state WHEN 'printing' THEN 0 ELSE 1 END, created_at, id LIMIT 1`,
    ),
    setState: db.prepare(
      `UPDATE print_jobs SET state = ?, last_error = ?, updated_at = ?,
         attempts = attempts + CASE WHEN ? = 'printing' THEN 1 ELSE 0 END
       WHERE id = ?`,
    ),
  };
  return {
    add(job) {
      const id = requireText(job.id, 'id', 64);
      requireText(job.printerId, 'printerId', 128);
      requireText(job.kind, 'kind', 64);
      if (!(job.bytes instanceof Uint8Array))
        throw new LedgerError('INPUT_INVALID', 'print job bytes must be a Uint8Array');
      if (!Number.isSafeInteger(job.createdAt))
        throw new LedgerError('INPUT_INVALID', 'createdAt must be UTC ms');
      const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
      q.insert.run(id, job.printerId, job.kind, bytes, job.reprintOf ?? null, job.createdAt, job.createdAt);
      return toRecord(q.get.get(id)!);
    },
    next(printerId) {
      const row = q.next.get(printerId);
      return row ? toRecord(row) : undefined;
    },
    setState(id, state, error, at) {
      if (!STATES.includes(state))
        throw new LedgerError('INPUT_INVALID', 'unknown print job state', { details: { state } });
      const result = q.setState.run(state, error ?? null, at ?? ctx.now(), state, id);
      if (result.changes === 0)
        throw new LedgerError('PRINT_JOB_UNKNOWN', 'no such print job', { details: { id } });
    },
    get(id) {
      const row = q.get.get(id);
      return row ? toRecord(row) : undefined;
    },
    list(filter) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter?.printerId !== undefined) {
        where.push('printer_id = ?');
        params.push(filter.printerId);
      }
      if (filter?.states !== undefined && filter.states.length > 0) {
        where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
        params.push(...filter.states);
      }
      params.push(filter?.limit ?? 100);
      const sql = `SELECT * FROM print_jobs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ?`;
      return (db.prepare(sql).all(...params) as Row[]).map(toRecord);
    },
  };
}
