/**
 * Ingest: one push from one terminal, applied in one transaction.
 *
 * Each row is applied at most once: `operation_id` is unique, and the terminal's `last_seq` moves forward in the
 * same transaction as its rows, so a retried batch finds its rows already there (duplicate) and a batch that
 * skips a sequence number is refused whole (SEQUENCE_GAP) until the missing rows arrive. The answer is built
 * only after COMMIT returns, so an acknowledged row is a durable row.
 *
 * Ingest transactions take one advisory lock before they write. That makes feed positions commit in order, so a
 * terminal reading the feed after position N never misses a row that commits later with a smaller position.
 */
import { and, between, eq, inArray, sql } from 'drizzle-orm';
import { SyncError } from '../errors';
import { type Reading, readOperation } from '../movements';
import type { PushResult, WireOperation } from '../wire';
import type { HqDatabase, HqTx } from './database';
import { cards, operations, overdrafts, rejections, terminals } from './schema';

/** Arbitrary constant naming HQ's feed-order lock. */
const FEED_LOCK = 7_201_001;

export interface IngestOutcome {
  lastAppliedSeq: number;
  results: PushResult[];
}

interface Fresh {
  op: WireOperation;
  reading: Reading;
}

export async function ingest(
  database: HqDatabase,
  terminalId: string,
  batch: readonly WireOperation[],
  now: number,
): Promise<IngestOutcome> {
  checkBatchShape(terminalId, batch);
  return database.exclusive(() => database.db.transaction((tx) => ingestIn(tx, terminalId, batch, now)));
}

function checkBatchShape(terminalId: string, batch: readonly WireOperation[]): void {
  for (let index = 0; index < batch.length; index += 1) {
    const op = batch[index]!;
    if (op.terminalId !== terminalId) {
      throw new SyncError(
        'TERMINAL_MISMATCH',
        'A row names another terminal than the one that signed the request.',
        {
          details: { seq: op.seq, terminalId: op.terminalId },
        },
      );
    }
    if (index > 0 && op.seq !== batch[index - 1]!.seq + 1) {
      throw new SyncError(
        'BATCH_NOT_CONTIGUOUS',
        'A batch must carry consecutive sequence numbers in order.',
        {
          details: { at: index, seq: op.seq, previous: batch[index - 1]!.seq },
        },
      );
    }
  }
}

async function ingestIn(
  tx: HqTx,
  terminalId: string,
  batch: readonly WireOperation[],
  now: number,
): Promise<IngestOutcome> {
  await tx.execute(sql`select pg_advisory_xact_lock(${FEED_LOCK})`);
  const [terminal] = await tx
    .select({ lastSeq: terminals.lastSeq, storeId: terminals.storeId })
    .from(terminals)
    .where(eq(terminals.terminalId, terminalId));
  if (!terminal) throw new SyncError('UNKNOWN_TERMINAL', 'This terminal is not enrolled.');
  const lastSeq = terminal.lastSeq;
  const first = batch[0]!;
  if (first.seq > lastSeq + 1) {
    throw new SyncError('SEQUENCE_GAP', 'HQ is missing earlier rows from this terminal.', {
      details: { expectedSeq: lastSeq + 1, receivedSeq: first.seq },
    });
  }

  const results = new Map<number, PushResult>();
  const seen = batch.filter((op) => op.seq <= lastSeq);
  if (seen.length > 0) await answerSeen(tx, terminalId, seen, results);

  const fresh: Fresh[] = batch
    .filter((op) => op.seq > lastSeq)
    .map((op) => ({
      op,
      reading:
        op.storeId === terminal.storeId
          ? readOperation(op.kind, op.payload)
          : {
              ok: false,
              code: 'STORE_MISMATCH',
              message: 'The row names another store than the terminal belongs to.',
            },
    }));
  if (fresh.length > 0) {
    await applyFresh(tx, terminalId, fresh, results, now);
    const newest = fresh[fresh.length - 1]!.op;
    await tx
      .update(terminals)
      .set({ lastSeq: newest.seq, lastSeenAt: now, lastOperationAt: newest.createdAt })
      .where(eq(terminals.terminalId, terminalId));
  } else {
    await tx.update(terminals).set({ lastSeenAt: now }).where(eq(terminals.terminalId, terminalId));
  }
  const newLast = Math.max(lastSeq, batch[batch.length - 1]!.seq);
  return { lastAppliedSeq: newLast, results: batch.map((op) => results.get(op.seq)!) };
}

/** Rows at or below last_seq were answered before; answer them the same way again. */
async function answerSeen(
  tx: HqTx,
  terminalId: string,
  seen: WireOperation[],
  results: Map<number, PushResult>,
) {
  const low = seen[0]!.seq;
  const high = seen[seen.length - 1]!.seq;
  const applied = await tx
    .select({ seq: operations.seq, operationId: operations.operationId })
    .from(operations)
    .where(and(eq(operations.terminalId, terminalId), between(operations.seq, low, high)));
  const refused = await tx
    .select({
      seq: rejections.seq,
      operationId: rejections.operationId,
      code: rejections.code,
      message: rejections.message,
    })
    .from(rejections)
    .where(and(eq(rejections.terminalId, terminalId), between(rejections.seq, low, high)));
  const appliedBySeq = new Map(applied.map((row) => [row.seq, row.operationId]));
  const refusedBySeq = new Map(refused.map((row) => [row.seq, row]));
  for (const op of seen) {
    const refusal = refusedBySeq.get(op.seq);
    if (appliedBySeq.get(op.seq) === op.operationId) {
      results.set(op.seq, { operationId: op.operationId, seq: op.seq, status: 'duplicate' });
    } else if (refusal && refusal.operationId === op.operationId) {
      results.set(op.seq, {
        operationId: op.operationId,
        seq: op.seq,
        status: 'rejected',
        code: refusal.code,
        message: refusal.message,
      });
    } else {
      // The terminal reused a sequence number for another operation: its outbox is not what HQ recorded.
      results.set(op.seq, {
        operationId: op.operationId,
        seq: op.seq,
        status: 'rejected',
        code: 'SEQUENCE_CONFLICT',
        message: 'HQ already holds another operation under this sequence number.',
      });
    }
  }
}

async function applyFresh(
  tx: HqTx,
  terminalId: string,
  fresh: Fresh[],
  results: Map<number, PushResult>,
  now: number,
): Promise<void> {
  const readable = fresh.filter((row) => row.reading.ok);
  const refused: { op: WireOperation; code: string; message: string }[] = [];
  for (const row of fresh) {
    if (!row.reading.ok) refused.push({ op: row.op, code: row.reading.code, message: row.reading.message });
  }

  let applied = readable;
  if (readable.length > 0) {
    const inserted = await tx
      .insert(operations)
      .values(
        readable.map(({ op, reading }) => ({
          operationId: op.operationId,
          terminalId,
          storeId: op.storeId,
          seq: op.seq,
          kind: op.kind,
          payload: op.payload ?? null,
          cardId: reading.ok ? reading.cardId : null,
          cardDelta: reading.ok ? reading.cardDelta : null,
          createdAt: op.createdAt,
          receivedAt: now,
        })),
      )
      .onConflictDoNothing({ target: operations.operationId })
      .returning({ operationId: operations.operationId });
    if (inserted.length !== readable.length) {
      // An operation id HQ already holds under another (terminal, seq): refuse the copy, keep the original.
      const landed = new Set(inserted.map((row) => row.operationId));
      applied = readable.filter((row) => landed.has(row.op.operationId));
      for (const row of readable) {
        if (!landed.has(row.op.operationId)) {
          refused.push({
            op: row.op,
            code: 'DUPLICATE_OPERATION_ID',
            message: 'HQ already holds this operation id from another sequence number.',
          });
        }
      }
    }
    await applyToCards(tx, terminalId, applied, now);
  }
  for (const row of applied) {
    results.set(row.op.seq, { operationId: row.op.operationId, seq: row.op.seq, status: 'applied' });
  }
  if (refused.length > 0) {
    await tx
      .insert(rejections)
      .values(
        refused.map(({ op, code, message }) => ({
          operationId: op.operationId,
          terminalId,
          storeId: op.storeId,
          seq: op.seq,
          kind: op.kind,
          payload: op.payload ?? null,
          code,
          message,
          createdAt: op.createdAt,
          receivedAt: now,
        })),
      )
      .onConflictDoNothing();
    for (const { op, code, message } of refused) {
      results.set(op.seq, { operationId: op.operationId, seq: op.seq, status: 'rejected', code, message });
    }
  }
}

interface CardState {
  issuerStoreId: string;
  balance: number;
  state: string;
  touched: boolean;
}

/** Moves chain-wide card balances row by row, flagging every spend that takes a card below zero. */
async function applyToCards(tx: HqTx, terminalId: string, applied: Fresh[], now: number): Promise<void> {
  const ids = new Set<string>();
  for (const { reading } of applied) {
    if (!reading.ok) continue;
    for (const movement of reading.movements) ids.add(movement.cardId);
    if (reading.issuedCardId) ids.add(reading.issuedCardId);
    if (reading.stateChange) ids.add(reading.stateChange.cardId);
  }
  if (ids.size === 0) return;
  const existing = await tx
    .select({
      cardId: cards.cardId,
      issuerStoreId: cards.issuerStoreId,
      balance: cards.balance,
      state: cards.state,
    })
    .from(cards)
    .where(inArray(cards.cardId, [...ids]));
  const known = new Map<string, CardState>(existing.map((row) => [row.cardId, { ...row, touched: false }]));
  const flagged: (typeof overdrafts.$inferInsert)[] = [];

  for (const { op, reading } of applied) {
    if (!reading.ok) continue;
    const cardOf = (cardId: string): CardState => {
      let card = known.get(cardId);
      if (!card) {
        // First sight of a card: until its issue arrives, the store that first used it stands as issuer.
        card = { issuerStoreId: op.storeId, balance: 0, state: 'active', touched: true };
        known.set(cardId, card);
      }
      card.touched = true;
      return card;
    };
    if (reading.issuedCardId) cardOf(reading.issuedCardId).issuerStoreId = op.storeId;
    if (reading.stateChange) cardOf(reading.stateChange.cardId).state = reading.stateChange.state;
    for (const movement of reading.movements) {
      const card = cardOf(movement.cardId);
      card.balance += movement.delta;
      if (movement.delta < 0 && card.balance < 0) {
        flagged.push({
          cardId: movement.cardId,
          operationId: op.operationId,
          storeId: op.storeId,
          terminalId,
          amount: -movement.delta,
          balanceAfter: card.balance,
          detectedAt: now,
        });
      }
    }
  }

  const touched = [...known].filter(([, card]) => card.touched);
  await tx
    .insert(cards)
    .values(
      touched.map(([cardId, card]) => ({
        cardId,
        issuerStoreId: card.issuerStoreId,
        balance: card.balance,
        state: card.state,
        updatedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: cards.cardId,
      set: {
        issuerStoreId: sql`excluded.issuer_store_id`,
        balance: sql`excluded.balance`,
        state: sql`excluded.state`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
  if (flagged.length > 0) await tx.insert(overdrafts).values(flagged).onConflictDoNothing();
}
