/**
 * What an ingest group writes once it knows which rows are fresh, in as few round trips as the data allows:
 * one statement moves the terminals on, inserts the fresh rows under the feed lock and adds each card's net
 * movement of the rows that went in. Only rare outcomes cost more: an operation id HQ already holds, a spend
 * that takes a card below zero (an overdraft to flag), a card issued or changing state.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Reading } from '../movements';
import type { PushResult, WireOperation } from '../wire';
import { type HqTx, rows } from './database';
import { overdrafts } from './schema';

/** Arbitrary constant naming HQ's feed-order lock; every writer of hq_operations takes it. */
export const FEED_LOCK = 7_201_001;

export interface Row {
  op: WireOperation;
  reading: Extract<Reading, { ok: true }>;
  push: number;
}

export interface Refusal {
  op: WireOperation;
  code: string;
  message: string;
  push: number;
}

export interface TerminalState {
  storeId: string;
  lastSeq: number;
  touched: boolean;
  /** A push of this terminal in the group was its own (not a replay): it counts as the terminal being seen. */
  seen: boolean;
  lastOperationAt: number | null;
  lagMs: number | null;
  waiting: number | null;
}

/**
 * Writes a group's fresh rows and moves its terminals on; returns the rows applied. A row whose operation id
 * HQ already holds under another (terminal, seq) is refused (added to `refused` and `results`), the original
 * kept.
 *
 * The statement takes the feed lock before any row gets its position (the sort needs every row before the
 * first is inserted), and the lock is held until COMMIT: positions are handed out in commit order. Cards are
 * upserted in id order, so two writers of the same cards lock them in the same order.
 */
export async function writeGroup(
  tx: HqTx,
  terminals: Map<string, TerminalState>,
  fresh: Row[],
  refused: Refusal[],
  results: Map<number, PushResult>[],
  now: number,
): Promise<Row[]> {
  const advance = advanceStatement(terminals, now);
  if (fresh.length === 0) {
    if (advance) await tx.execute(advance);
    return [];
  }
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
  const [answer] = await rows<{ inserted: number; balances: [string, string | number][] | string }>(
    tx,
    // The lock is taken after the terminals' update (it reads its count), which a statement otherwise runs last:
    // their rows are locked already, and what they record does not hang on the insert's outcome, so it stays
    // out of the part that holds the feed lock.
    sql`with ${advance ? sql`advanced as (${advance} returning 1),` : sql``}
             feed_lock as materialized (
               select pg_advisory_xact_lock(${FEED_LOCK}) as held
               ${advance ? sql`from (select count(*) from advanced) as advanced_first` : sql``}),
             inserted as (${insertStatement(unique, now)}),
             moved as (${movedStatement(unique)}),
             carded as (
               insert into hq_cards (card_id, issuer_store_id, balance, state, updated_at)
               select card_id, store_id, delta, 'active', ${now}::bigint from moved order by card_id
               on conflict (card_id) do update
                 set balance = hq_cards.balance + excluded.balance, updated_at = excluded.updated_at
               returning card_id, balance)
        select (select count(*) from inserted)::int as inserted,
               (select coalesce(json_agg(json_build_array(card_id, balance)), '[]') from carded) as balances`,
  );
  const balances = new Map<string, number>();
  const pairs = typeof answer!.balances === 'string' ? JSON.parse(answer!.balances) : answer!.balances;
  for (const [cardId, balance] of pairs as [string, string | number][]) balances.set(cardId, Number(balance));

  let applied = fresh;
  if (answer!.inserted !== unique.length || clashes.length > 0) {
    applied = await landed(tx, unique);
    const kept = new Set(applied);
    for (const row of [...unique.filter((entry) => !kept.has(entry)), ...clashes]) {
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
  }
  await settleCards(tx, applied, balances, now);
  return applied;
}

/** Of rows inserted with `on conflict do nothing`, those that went in: HQ holds their id under their (terminal, seq). */
async function landed(tx: HqTx, unique: Row[]): Promise<Row[]> {
  const found = await rows<{ operation_id: string; terminal_id: string; seq: string | number }>(
    tx,
    sql`select operation_id, terminal_id, seq from hq_operations
         where operation_id = any(${sql.param(unique.map((row) => row.op.operationId))}::text[])`,
  );
  const held = new Map(found.map((row) => [row.operation_id, `${row.terminal_id}\u0000${Number(row.seq)}`]));
  return unique.filter((row) => held.get(row.op.operationId) === `${row.op.terminalId}\u0000${row.op.seq}`);
}

/** The terminals seen in the group move on: last_seq, when seen, and what their pushes said of their backlog. */
function advanceStatement(terminals: Map<string, TerminalState>, now: number): SQL | undefined {
  // A replayed request is someone else's copy: it neither moves the terminal nor counts as having seen it.
  const ids = [...terminals.keys()].filter((id) => terminals.get(id)!.seen);
  if (ids.length === 0) return undefined;
  const states = ids.map((id) => terminals.get(id)!);
  return sql`update hq_terminals t
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
         where t.terminal_id = v.terminal_id`;
}

/** The rows, in order, as one JSON document: PostgreSQL parses it once, and payloads stay structured (jsonb). */
function insertStatement(unique: Row[], now: number): SQL {
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
  return sql`insert into hq_operations (operation_id, terminal_id, store_id, seq, kind, payload, card_id, card_delta, created_at, received_at)
        select v.operation_id, v.terminal_id, v.store_id, v.seq, v.kind, v.payload, v.card_id, v.card_delta, v.created_at, ${now}::bigint
          from feed_lock, rows from (
                 jsonb_to_recordset(${document}::jsonb)
                   as (operation_id text, terminal_id text, store_id text, seq bigint, kind text, payload jsonb,
                       card_id text, card_delta bigint, created_at bigint)
               ) with ordinality as v(operation_id, terminal_id, store_id, seq, kind, payload, card_id, card_delta, created_at, ord)
         order by v.ord
        on conflict (operation_id) do nothing
        returning operation_id`;
}

/**
 * Each card the rows that went in touched, with its net movement and the store of the first of them (its issuer
 * if HQ never saw the card before). A card issued or changing state is touched with no movement, so it exists.
 */
function movedStatement(unique: Row[]): SQL {
  const operationIds: string[] = [];
  const cardIds: string[] = [];
  const deltas: number[] = [];
  const storeIds: string[] = [];
  const touch = (row: Row, cardId: string, delta: number) => {
    operationIds.push(row.op.operationId);
    cardIds.push(cardId);
    deltas.push(delta);
    storeIds.push(row.op.storeId);
  };
  for (const row of unique) {
    const { reading } = row;
    if (reading.issuedCardId) touch(row, reading.issuedCardId, 0);
    if (reading.stateChange) touch(row, reading.stateChange.cardId, 0);
    for (const movement of reading.movements) touch(row, movement.cardId, movement.delta);
  }
  return sql`select m.card_id, (array_agg(m.store_id order by m.ord))[1] as store_id, sum(m.delta)::bigint as delta
          from unnest(
            ${sql.param(operationIds)}::text[],
            ${sql.param(cardIds)}::text[],
            ${sql.param(deltas)}::bigint[],
            ${sql.param(storeIds)}::text[]
          ) with ordinality as m(operation_id, card_id, delta, store_id, ord)
         where m.operation_id in (select operation_id from inserted)
         group by m.card_id`;
}

/**
 * After the balances moved: flags every spend that took a card below zero, and sets the issuer and state of
 * cards issued or changed. `balances` holds each touched card's balance after the group; the balance before is
 * that minus the group's net, and the rows are replayed on it in order to find the spends that went below zero.
 */
async function settleCards(
  tx: HqTx,
  applied: Row[],
  balances: Map<string, number>,
  now: number,
): Promise<void> {
  const net = new Map<string, number>();
  const marks = new Map<string, { issuerStoreId: string | null; state: string | null }>();
  const markOf = (cardId: string) => {
    let mark = marks.get(cardId);
    if (!mark) {
      mark = { issuerStoreId: null, state: null };
      marks.set(cardId, mark);
    }
    return mark;
  };
  for (const { op, reading } of applied) {
    if (reading.issuedCardId) markOf(reading.issuedCardId).issuerStoreId = op.storeId;
    if (reading.stateChange) markOf(reading.stateChange.cardId).state = reading.stateChange.state;
    for (const movement of reading.movements) {
      net.set(movement.cardId, (net.get(movement.cardId) ?? 0) + movement.delta);
    }
  }
  const running = new Map([...net].map(([cardId, delta]) => [cardId, balances.get(cardId)! - delta]));
  const flagged: (typeof overdrafts.$inferInsert)[] = [];
  for (const { op, reading } of applied) {
    for (const movement of reading.movements) {
      const balance = running.get(movement.cardId)! + movement.delta;
      running.set(movement.cardId, balance);
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

  if (marks.size === 0) return;
  const marked = [...marks.keys()].sort();
  await tx.execute(
    sql`update hq_cards c
           set issuer_store_id = coalesce(v.issuer_store_id, c.issuer_store_id),
               state = coalesce(v.state, c.state)
          from unnest(
            ${sql.param(marked)}::text[],
            ${sql.param(marked.map((id) => marks.get(id)!.issuerStoreId))}::text[],
            ${sql.param(marked.map((id) => marks.get(id)!.state))}::text[]
          ) as v(card_id, issuer_store_id, state)
         where c.card_id = v.card_id`,
  );
}
