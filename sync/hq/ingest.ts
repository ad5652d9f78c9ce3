/**
 * Ingest: pushes from terminals applied to the chain ledger, each row at most once, acknowledged after COMMIT.
 *
 * - `operation_id` is unique, and each terminal's `last_seq` moves forward in the same transaction as its rows,
 *   so a retried batch finds its rows already there (duplicate) and a batch that skips a sequence number is
 *   refused whole (SEQUENCE_GAP) until the missing rows arrive.
 * - Group commit: pushes that arrive while a transaction is running wait and are then applied together in the
 *   next one, with one multi-row statement per table. Fifty terminals pushing at once cost a handful of
 *   statements and one WAL flush, not fifty. Each push still gets its own answer (or its own refusal).
 * - Every ingest transaction takes one advisory lock (the feed lock) in the statement that gives its rows their
 *   positions and holds it to COMMIT, so feed positions commit in order even with several HQ processes: a
 *   terminal reading the feed after position N never misses a row that commits later with a smaller position.
 *   What comes before (nonces, the terminals' rows, locked per terminal) runs beside other groups, so on
 *   PostgreSQL the next group is under way while the last one commits.
 */
import { and, between, eq, sql } from 'drizzle-orm';
import { SyncError } from '../errors';
import { type Reading, readOperation } from '../movements';
import type { PushResult, WireOperation } from '../wire';
import { type HqDatabase, type HqTx, rows } from './database';
import { type NonceClaim, nonceClaimOrNothing, nonceKey, nonceSweepDue, sweepNonces } from './nonces';
import { operations, overdrafts, rejections } from './schema';

/** Arbitrary constant naming HQ's feed-order lock; every writer of hq_operations takes it. */
export const FEED_LOCK = 7_201_001;
/** Upper bounds on one group transaction, so one commit stays short. */
const GROUP_MAX_PUSHES = 500;
const GROUP_MAX_ROWS = 10_000;
const GROUPS_IN_FLIGHT = 2;

export interface IngestOutcome {
  lastAppliedSeq: number;
  results: PushResult[];
}

interface Push {
  terminalId: string;
  batch: readonly WireOperation[];
  /** Rows the terminal said were waiting, this batch included. */
  waiting: number | undefined;
  now: number;
  /** The request's nonce, claimed in the transaction that applies the push. */
  nonce: NonceClaim | undefined;
  resolve(outcome: IngestOutcome): void;
  reject(error: unknown): void;
}

interface Row {
  op: WireOperation;
  reading: Extract<Reading, { ok: true }>;
  push: number;
}

interface Refusal {
  op: WireOperation;
  code: string;
  message: string;
  push: number;
}

interface TerminalState {
  storeId: string;
  lastSeq: number;
  touched: boolean;
  /** A push of this terminal in the group was its own (not a replay): it counts as the terminal being seen. */
  seen: boolean;
  lastOperationAt: number | null;
  lagMs: number | null;
  waiting: number | null;
}

export function checkBatchShape(terminalId: string, batch: readonly WireOperation[]): void {
  if (batch.length === 0) throw new SyncError('REQUEST_MALFORMED', 'A push must carry at least one row.');
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

export class Ingestor {
  private queue: Push[] = [];
  private inFlight = 0;
  /**
   * Groups in flight at once. On PostgreSQL the next group claims its nonces and locks its terminals while
   * the last one holds the feed lock and commits; PGlite is one connection, so one group at a time.
   */
  private readonly maxInFlight: number;

  constructor(private readonly database: HqDatabase) {
    this.maxInFlight = database.engine === 'postgres' ? GROUPS_IN_FLIGHT : 1;
  }

  ingest(
    terminalId: string,
    batch: readonly WireOperation[],
    now: number,
    waiting?: number,
    nonce?: NonceClaim,
  ): Promise<IngestOutcome> {
    checkBatchShape(terminalId, batch);
    return new Promise((resolve, reject) => {
      this.queue.push({ terminalId, batch, waiting, now, nonce, resolve, reject });
      this.drain();
    });
  }

  /** Starts groups from the queue while fewer than maxInFlight run; each one ending starts the next. */
  private drain(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const group: Push[] = [];
      let size = 0;
      while (this.queue.length > 0 && group.length < GROUP_MAX_PUSHES) {
        const next = this.queue[0]!;
        if (group.length > 0 && size + next.batch.length > GROUP_MAX_ROWS) break;
        group.push(this.queue.shift()!);
        size += next.batch.length;
      }
      this.inFlight += 1;
      void this.commit(group).finally(() => {
        this.inFlight -= 1;
        this.drain();
      });
    }
  }

  private async commit(group: Push[]): Promise<void> {
    let answers: (IngestOutcome | SyncError)[];
    try {
      answers = await this.database.exclusive(() =>
        this.database.db.transaction((tx) => applyGroup(tx, group)),
      );
    } catch (error) {
      const failure = new SyncError('HQ_DATABASE_UNAVAILABLE', 'HQ could not commit the push; retry later.', {
        cause: error,
      });
      for (const push of group) push.reject(failure);
      return;
    }
    // Answers go out only now, after COMMIT returned.
    group.forEach((push, index) => {
      const answer = answers[index]!;
      if (answer instanceof SyncError) push.reject(answer);
      else push.resolve(answer);
    });
  }
}

async function applyGroup(tx: HqTx, group: Push[]): Promise<(IngestOutcome | SyncError)[]> {
  const { terminals, replayed } = await lockTerminals(tx, group);
  const answers: (IngestOutcome | SyncError)[] = [];
  const results: Map<number, PushResult>[] = group.map(() => new Map());
  const fresh: Row[] = [];
  const refused: Refusal[] = [];
  const inGroup = new Map<string, { operationId: string; result: PushResult }>();
  const now = group[group.length - 1]!.now;

  for (let index = 0; index < group.length; index += 1) {
    const push = group[index]!;
    if (replayed.has(index)) {
      answers.push(new SyncError('REPLAYED_REQUEST', 'This request was already received.'));
      continue;
    }
    const terminal = terminals.get(push.terminalId);
    if (!terminal) {
      answers.push(new SyncError('UNKNOWN_TERMINAL', 'This terminal is not enrolled.'));
      continue;
    }
    terminal.seen = true;
    const first = push.batch[0]!;
    if (first.seq > terminal.lastSeq + 1) {
      answers.push(
        new SyncError('SEQUENCE_GAP', 'HQ is missing earlier rows from this terminal.', {
          details: { expectedSeq: terminal.lastSeq + 1, receivedSeq: first.seq },
        }),
      );
      continue;
    }
    if (push.waiting !== undefined) terminal.waiting = Math.max(0, push.waiting - push.batch.length);
    const seen = push.batch.filter((op) => op.seq <= terminal.lastSeq);
    if (seen.length > 0) await answerSeen(tx, push.terminalId, seen, results[index]!, inGroup);
    for (const op of push.batch) {
      if (op.seq <= terminal.lastSeq) continue;
      const reading: Reading =
        op.storeId === terminal.storeId
          ? readOperation(op.kind, op.payload)
          : {
              ok: false,
              code: 'STORE_MISMATCH',
              message: 'The row names another store than the terminal belongs to.',
            };
      if (reading.ok) fresh.push({ op, reading, push: index });
      else refused.push({ op, code: reading.code, message: reading.message, push: index });
      const result: PushResult = reading.ok
        ? { operationId: op.operationId, seq: op.seq, status: 'applied' }
        : {
            operationId: op.operationId,
            seq: op.seq,
            status: 'rejected',
            code: reading.code,
            message: reading.message,
          };
      results[index]!.set(op.seq, result);
      inGroup.set(`${push.terminalId}\u0000${op.seq}`, { operationId: op.operationId, result });
      terminal.lastSeq = op.seq;
      terminal.lastOperationAt = op.createdAt;
      // The first new row of the terminal's first push in this group is the oldest it had not delivered.
      terminal.lagMs ??= Math.max(0, push.now - op.createdAt);
      terminal.touched = true;
    }
    answers.push({ lastAppliedSeq: terminal.lastSeq, results: [] });
  }

  // The terminals' rows are locked already, and what they record does not hang on the insert's outcome (a
  // refused row counts as received): moved before the feed lock is taken, to keep the locked part short.
  await advanceTerminals(tx, terminals, now);
  const applied = await insertOperations(tx, fresh, refused, results, now);
  await applyToCards(tx, applied, now);
  if (refused.length > 0) await insertRejections(tx, refused, now);

  return answers.map((answer, index) => {
    if (answer instanceof SyncError) return answer;
    const push = group[index]!;
    return {
      lastAppliedSeq: answer.lastAppliedSeq,
      results: push.batch.map((op) => results[index]!.get(op.seq)!),
    };
  });
}

/**
 * One statement for the start of a group: claims the pushes' nonces and locks their terminals' rows (in id
 * order, so two groups locking the same terminals cannot deadlock). A terminal's rows are then the group's
 * until it commits: another group with a push of the same terminal waits here and reads the new last_seq.
 * Returns the terminals found and the indexes of pushes whose nonce was live (replays), which are refused
 * without touching their rows.
 */
async function lockTerminals(
  tx: HqTx,
  group: Push[],
): Promise<{ terminals: Map<string, TerminalState>; replayed: Set<number> }> {
  const replayed = new Set<number>();
  const claims: NonceClaim[] = [];
  const first = new Map<string, number>();
  group.forEach((push, index) => {
    if (!push.nonce) return;
    const key = nonceKey(push.nonce.terminalId, push.nonce.nonce);
    if (first.has(key)) replayed.add(index);
    else {
      first.set(key, index);
      claims.push(push.nonce);
    }
  });
  const now = group[group.length - 1]!.now;
  // Terminals that only push still have their spent nonces swept, now and then, in a push's transaction.
  if (claims.length > 0 && nonceSweepDue(now)) await sweepNonces(tx, now);
  const ids = [...new Set(group.map((push) => push.terminalId))].sort();
  // Both lists come back as JSON arrays of [terminal, store, last_seq] and [terminal, nonce].
  const [answer] = await rows<{ terminals: [string, string, number][]; claimed: [string, string][] }>(
    tx,
    sql`with claimed as (${nonceClaimOrNothing(claims, now)}),
             locked as (select terminal_id, store_id, last_seq from hq_terminals
                         where terminal_id = any(${sql.param(ids)}::text[])
                         order by terminal_id for update)
        select (select coalesce(json_agg(json_build_array(terminal_id, store_id, last_seq)), '[]') from locked) as terminals,
               (select coalesce(json_agg(json_build_array(terminal_id, nonce)), '[]') from claimed) as claimed`,
  );
  const claimed = new Set(answer!.claimed.map(([terminalId, nonce]) => nonceKey(terminalId, nonce)));
  for (const [key, index] of first) if (!claimed.has(key)) replayed.add(index);
  const terminals = new Map<string, TerminalState>();
  for (const [terminalId, storeId, lastSeq] of answer!.terminals) {
    terminals.set(terminalId, {
      storeId,
      lastSeq: Number(lastSeq),
      touched: false,
      seen: false,
      lastOperationAt: null,
      lagMs: null,
      waiting: null,
    });
  }
  return { terminals, replayed };
}

/** Rows at or below last_seq were answered before (or earlier in this group); answer them the same way again. */
async function answerSeen(
  tx: HqTx,
  terminalId: string,
  seen: WireOperation[],
  results: Map<number, PushResult>,
  inGroup: Map<string, { operationId: string; result: PushResult }>,
): Promise<void> {
  const low = seen[0]!.seq;
  const high = seen[seen.length - 1]!.seq;
  const applied = await tx
    .select({ seq: operations.seq, operationId: operations.operationId })
    .from(operations)
    .where(and(eq(operations.terminalId, terminalId), between(operations.seq, low, high)));
  const refusedRows = await tx
    .select({
      seq: rejections.seq,
      operationId: rejections.operationId,
      code: rejections.code,
      message: rejections.message,
    })
    .from(rejections)
    .where(and(eq(rejections.terminalId, terminalId), between(rejections.seq, low, high)));
  const appliedBySeq = new Map(applied.map((row) => [row.seq, row.operationId]));
  const refusedBySeq = new Map(refusedRows.map((row) => [row.seq, row]));
  for (const op of seen) {
    const here = inGroup.get(`${terminalId}\u0000${op.seq}`);
    const refusal = refusedBySeq.get(op.seq);
    if (here && here.operationId === op.operationId) {
      results.set(
        op.seq,
        here.result.status === 'applied' ? { ...here.result, status: 'duplicate' } : here.result,
      );
    } else if (!here && appliedBySeq.get(op.seq) === op.operationId) {
      results.set(op.seq, { operationId: op.operationId, seq: op.seq, status: 'duplicate' });
    } else if (!here && refusal && refusal.operationId === op.operationId) {
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

/**
 * One INSERT for every fresh row of the group; rows whose operation id HQ already holds become refusals.
 * The statement takes the feed lock before any row gets its position (the sort needs every joined row before
 * the first is inserted), and the lock is held until COMMIT: positions are handed out in commit order.
 * Everything a group does before this statement runs beside other groups.
 */
async function insertOperations(
  tx: HqTx,
  fresh: Row[],
  refused: Refusal[],
  results: Map<number, PushResult>[],
  now: number,
): Promise<Row[]> {
  if (fresh.length === 0) return [];
  const unique: Row[] = [];
  const clashes: Row[] = [];
  const ids = new Set<string>();
  for (const row of fresh) {
    if (ids.has(row.op.operationId)) clashes.push(row);
    else {
      ids.add(row.op.operationId);
      unique.push(row);
    }
  }
  // One JSON document for the whole batch: PostgreSQL parses it once, and payloads stay structured (jsonb).
  const document = JSON.stringify(
    unique.map(({ op, reading }) => ({
      operation_id: op.operationId,
      terminal_id: op.terminalId,
      store_id: op.storeId,
      seq: op.seq,
      kind: op.kind,
      payload: op.payload ?? null,
      card_id: reading.cardId,
      card_delta: reading.cardDelta,
      created_at: op.createdAt,
    })),
  );
  const inserted = await rows<{ operation_id: string }>(
    tx,
    sql`with feed_lock as materialized (select pg_advisory_xact_lock(${FEED_LOCK}) as held)
        insert into hq_operations (operation_id, terminal_id, store_id, seq, kind, payload, card_id, card_delta, created_at, received_at)
        select v.operation_id, v.terminal_id, v.store_id, v.seq, v.kind, v.payload, v.card_id, v.card_delta, v.created_at, ${now}::bigint
          from feed_lock, rows from (
                 jsonb_to_recordset(${document}::jsonb)
                   as (operation_id text, terminal_id text, store_id text, seq bigint, kind text, payload jsonb,
                       card_id text, card_delta bigint, created_at bigint)
               ) with ordinality as v(operation_id, terminal_id, store_id, seq, kind, payload, card_id, card_delta, created_at, ord)
         order by v.ord
        on conflict (operation_id) do nothing
        returning operation_id`,
  );
  if (inserted.length === unique.length && clashes.length === 0) return fresh;
  // An operation id HQ already holds under another (terminal, seq): refuse the copy, keep the original.
  const landed = new Set(inserted.map((row) => row.operation_id));
  const applied = unique.filter((row) => landed.has(row.op.operationId));
  for (const row of [...unique.filter((entry) => !landed.has(entry.op.operationId)), ...clashes]) {
    const code = 'DUPLICATE_OPERATION_ID';
    const message = 'HQ already holds this operation id from another sequence number.';
    refused.push({ op: row.op, code, message, push: row.push });
    results[row.push]!.set(row.op.seq, {
      operationId: row.op.operationId,
      seq: row.op.seq,
      status: 'rejected',
      code,
      message,
    });
  }
  return applied;
}

async function insertRejections(tx: HqTx, refused: Refusal[], now: number): Promise<void> {
  await tx
    .insert(rejections)
    .values(
      refused.map(({ op, code, message }) => ({
        operationId: op.operationId,
        terminalId: op.terminalId,
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
}

async function advanceTerminals(tx: HqTx, terminals: Map<string, TerminalState>, now: number): Promise<void> {
  // A replayed request is someone else's copy: it neither moves the terminal nor counts as having seen it.
  const ids = [...terminals.keys()].filter((id) => terminals.get(id)!.seen);
  if (ids.length === 0) return;
  const states = ids.map((id) => terminals.get(id)!);
  await tx.execute(
    sql`update hq_terminals t
           set last_seq = v.last_seq,
               last_seen_at = ${now}::bigint,
               last_operation_at = coalesce(v.last_operation_at, t.last_operation_at),
               lag_ms = coalesce(v.lag_ms, t.lag_ms),
               waiting = coalesce(v.waiting, t.waiting)
          from unnest(
            ${sql.param(ids)}::text[],
            ${sql.param(states.map((state) => state.lastSeq))}::bigint[],
            ${sql.param(states.map((state) => (state.touched ? state.lastOperationAt : null)))}::bigint[],
            ${sql.param(states.map((state) => state.lagMs))}::bigint[],
            ${sql.param(states.map((state) => state.waiting))}::bigint[]
          ) as v(terminal_id, last_seq, last_operation_at, lag_ms, waiting)
         where t.terminal_id = v.terminal_id`,
  );
}

interface CardChange {
  /** The store of the first row in the group that touched the card: its issuer if HQ never saw it before. */
  firstStoreId: string;
  delta: number;
  issuerStoreId: string | null;
  state: string | null;
}

/**
 * Moves chain-wide card balances by the group's applied rows and flags every spend that takes a card below
 * zero. One upsert adds each card's net movement and returns the new balances; the balance before the group
 * is that minus the net, and the rows are replayed on it in order to find the spends that went below zero.
 * Issues and state changes (rare) are set by a second statement. Runs under the feed lock, after the rows.
 */
async function applyToCards(tx: HqTx, applied: Row[], now: number): Promise<void> {
  const changes = new Map<string, CardChange>();
  const changeOf = (cardId: string, storeId: string): CardChange => {
    let change = changes.get(cardId);
    if (!change) {
      change = { firstStoreId: storeId, delta: 0, issuerStoreId: null, state: null };
      changes.set(cardId, change);
    }
    return change;
  };
  for (const { op, reading } of applied) {
    if (reading.issuedCardId) changeOf(reading.issuedCardId, op.storeId).issuerStoreId = op.storeId;
    if (reading.stateChange)
      changeOf(reading.stateChange.cardId, op.storeId).state = reading.stateChange.state;
    for (const movement of reading.movements) changeOf(movement.cardId, op.storeId).delta += movement.delta;
  }
  if (changes.size === 0) return;
  // Sorted, so two writers of the same cards lock them in the same order.
  const ids = [...changes.keys()].sort();
  const after = await rows<{ card_id: string; balance: string | number }>(
    tx,
    sql`insert into hq_cards (card_id, issuer_store_id, balance, state, updated_at)
        select v.card_id, v.issuer_store_id, v.delta, 'active', ${now}::bigint
          from unnest(
            ${sql.param(ids)}::text[],
            ${sql.param(ids.map((id) => changes.get(id)!.firstStoreId))}::text[],
            ${sql.param(ids.map((id) => changes.get(id)!.delta))}::bigint[]
          ) as v(card_id, issuer_store_id, delta)
        on conflict (card_id) do update
          set balance = hq_cards.balance + excluded.balance, updated_at = excluded.updated_at
        returning card_id, balance`,
  );
  const balances = new Map(
    after.map((row) => [row.card_id, Number(row.balance) - changes.get(row.card_id)!.delta]),
  );

  const flagged: (typeof overdrafts.$inferInsert)[] = [];
  for (const { op, reading } of applied) {
    for (const movement of reading.movements) {
      const balance = balances.get(movement.cardId)! + movement.delta;
      balances.set(movement.cardId, balance);
      if (movement.delta < 0 && balance < 0) {
        flagged.push({
          cardId: movement.cardId,
          operationId: op.operationId,
          storeId: op.storeId,
          terminalId: op.terminalId,
          amount: -movement.delta,
          balanceAfter: balance,
          detectedAt: now,
        });
      }
    }
  }
  if (flagged.length > 0) await tx.insert(overdrafts).values(flagged).onConflictDoNothing();

  const marked = ids.filter(
    (id) => changes.get(id)!.issuerStoreId !== null || changes.get(id)!.state !== null,
  );
  if (marked.length === 0) return;
  await tx.execute(
    sql`update hq_cards c
           set issuer_store_id = coalesce(v.issuer_store_id, c.issuer_store_id),
               state = coalesce(v.state, c.state)
          from unnest(
            ${sql.param(marked)}::text[],
            ${sql.param(marked.map((id) => changes.get(id)!.issuerStoreId))}::text[],
            ${sql.param(marked.map((id) => changes.get(id)!.state))}::text[]
          ) as v(card_id, issuer_store_id, state)
         where c.card_id = v.card_id`,
  );
}
