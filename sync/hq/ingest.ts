/**
 * Ingest: pushes from terminals applied to the chain ledger, each row at most once, acknowledged after COMMIT.
 *
 * - `operation_id` is unique, and each terminal's `last_seq` moves forward in the same transaction as its rows,
 *   so a retried batch finds its rows already there (duplicate) and a batch that skips a sequence number is
 *   refused whole (SEQUENCE_GAP) until the missing rows arrive.
 * - Group commit: pushes that arrive while a transaction is running wait and are then applied together in the
 *   next one, in two statements between BEGIN and COMMIT: one claims the nonces and locks the terminals, one
 *   writes the rows, the terminals and the cards (`ingest-write.ts`). Fifty terminals pushing at once cost four
 *   round trips and one WAL flush, not fifty. Each push still gets its own answer (or its own refusal).
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
import { type Refusal, type Row, type TerminalState, writeGroup } from './ingest-write';
import { type NonceClaim, nonceClaimOrNothing, nonceKey, nonceSweepDue, sweepNonces } from './nonces';
import { operations, rejections } from './schema';

export { FEED_LOCK } from './ingest-write';

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

  await writeGroup(tx, terminals, fresh, refused, results, now);
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
