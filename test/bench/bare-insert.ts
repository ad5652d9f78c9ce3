/**
 * The baseline of the HQ benches: the same rows put into `hq_operations` with one plain multi-row INSERT per
 * batch, no checks, no ledger, no HTTP — what PostgreSQL alone costs for them.
 */
import type pg from 'pg';
import type { WireOperation } from '../../sync';

export async function bareInsert(
  client: pg.Client,
  chunk: readonly WireOperation[],
  now: number,
): Promise<void> {
  const values: unknown[] = [];
  const tuples = chunk.map((op, index) => {
    values.push(
      op.operationId,
      op.terminalId,
      op.storeId,
      op.seq,
      op.kind,
      JSON.stringify(op.payload),
      op.createdAt,
    );
    const base = index * 7;
    return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, ${now})`;
  });
  await client.query(
    `insert into hq_operations (operation_id, terminal_id, store_id, seq, kind, payload, created_at, received_at) values ${tuples.join(', ')}`,
    values,
  );
}
