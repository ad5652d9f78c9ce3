/** The outbox as the sync worker sees it: unsent rows in sequence order, marked once HQ acknowledges. */
import type { Context } from './context';
import { LedgerError } from './errors';
import type { SqlRow } from './rows';
import type { outbox } from './schema';
import type { OutboxRow, OutboxStore } from './types';

type Row = SqlRow<typeof outbox>;

export function outboxStore(ctx: Context): OutboxStore {
  const { db } = ctx;
  const q = {
    pending: db.prepare<[number], Row>('SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?'),
    markSent: db.prepare('UPDATE outbox SET sent_at = ? WHERE seq = ? AND sent_at IS NULL'),
    sequence: db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'"),
    insertSequence: db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)"),
    setSequence: db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'"),
    stats: db.prepare<[], { waiting: number; oldest: number | null; last_sent: number | null }>(
      `SELECT (SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL) AS waiting,
              (SELECT created_at FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT 1) AS oldest,
              (SELECT MAX(sent_at) FROM outbox) AS last_sent`,
    ),
  };
  const markAll = db.transaction((seqs: number[], at: number) => {
    for (const seq of seqs) q.markSent.run(at, seq);
  });
  return {
    pending(limit: number): OutboxRow[] {
      if (!Number.isSafeInteger(limit) || limit <= 0)
        throw new LedgerError('INPUT_INVALID', 'limit must be positive');
      return q.pending.all(limit).map((row) => ({
        seq: row.seq,
        operationId: row.operation_id,
        terminalId: row.terminal_id,
        storeId: row.store_id,
        kind: row.kind,
        payload: JSON.parse(row.payload) as unknown,
        createdAt: row.created_at,
        sentAt: row.sent_at,
      }));
    },
    markSent(seqs: number[], at: number): void {
      if (!seqs.every((seq) => Number.isSafeInteger(seq)) || !Number.isSafeInteger(at)) {
        throw new LedgerError('INPUT_INVALID', 'sequence numbers and the time must be integers');
      }
      markAll.immediate(seqs, at);
    },
    startAfter(seq: number): void {
      if (!Number.isSafeInteger(seq) || seq < 0)
        throw new LedgerError('INPUT_INVALID', 'seq must be a whole number');
      // AUTOINCREMENT keeps the last number in sqlite_sequence; a row there exists once any row was inserted.
      const current = q.sequence.get()?.seq ?? 0;
      if (seq <= current) return;
      if (q.sequence.get() === undefined) q.insertSequence.run(seq);
      else q.setSequence.run(seq);
    },
    stats() {
      const row = q.stats.get() ?? { waiting: 0, oldest: null, last_sent: null };
      return { waiting: row.waiting, oldestCreatedAt: row.oldest, lastSentAt: row.last_sent };
    },
  };
}
