/**
 * The terminal's sync worker. It pushes outbox rows to HQ in order and in batches, and pulls HQ's change feed
 * into the local ledger through a FeedSink.
 *
 * - Crash-safe by construction: a row leaves the outbox's pending set only after HQ acknowledged it (applied,
 *   duplicate or rejected), and HQ applies each row at most once, so resending after any crash is harmless.
 * - Retryable failures (network, 5xx, timeouts, a clock HQ refused) back off exponentially with full jitter.
 * - A rejected row is acknowledged and recorded as a sync error for a manager; the rows after it keep flowing.
 * - The feed cursor is saved only after the sink applied the page, so a crash re-applies, never skips.
 * - With an audit source, the audit log goes to HQ on a stream of its own (`audit-stream.ts`), backing off on
 *   its own: a line HQ refuses becomes a sync error and never holds up the outbox.
 */
import { type AuditPushOutcome, type AuditRefusal, type AuditSource, AuditStream } from './audit-stream';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff';
import { type HqTransport, isRetryable } from './client';
import { SyncError } from './errors';
import { checkOfflineSpend, type OfflineSpendAnswer } from './guard';
import { readOperation } from './movements';
import type { FeedSink, OutboxRow, OutboxStore, SettingsStore } from './outbox';
import {
  DEFAULT_OFFLINE_CAPS,
  MAX_AUDIT_BATCH,
  MAX_PUSH_BATCH,
  type OfflineCaps,
  offlineCapsSchema,
  type WireOperation,
} from './wire';

export const SETTINGS_KEYS = {
  errors: 'sync.errors',
  feedCursor: 'sync.feedCursor',
  caps: 'sync.offlineCaps',
  /** The chain's amount limits HQ published; the host reads the same key (`electron/host/amount-limits.ts`). */
  amountLimits: 'wallet.amountLimits',
  /** The chain's rule for typed card numbers, as HQ last sent it (`keyedEntryPolicySchema`). */
  keyedEntry: 'sync.keyedEntryPolicy',
  lastContactAt: 'sync.lastContactAt',
} as const;

/**
 * A row HQ refused, kept for a manager to read and resolve. An audit line HQ refused is one too: its
 * `operationId` is `audit:<id>`, `seq` the audit id and `kind` is `audit`.
 */
export interface SyncErrorRecord {
  operationId: string;
  seq: number;
  kind: string;
  code: string;
  message: string;
  at: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
}

/**
 * Adds sync errors for a manager to see, each once (by operation id). The host also reports here what it finds
 * wrong with the book itself (a broken audit seal), so it is seen where sync trouble is seen.
 */
export function addSyncErrors(settings: SettingsStore, records: readonly SyncErrorRecord[]): void {
  const existing = settings.get<SyncErrorRecord[]>(SETTINGS_KEYS.errors) ?? [];
  const known = new Set(existing.map((entry) => entry.operationId));
  const added = records.filter((record) => !known.has(record.operationId));
  if (added.length > 0) settings.set(SETTINGS_KEYS.errors, [...existing, ...added]);
}

export interface SyncStatus {
  online: boolean;
  waiting: number;
  oldestWaitingAt: number | null;
  lastSuccessAt: number | null;
  lastContactAt: number | null;
  consecutiveFailures: number;
  lastError: { code: string; message: string; at: number } | null;
  openSyncErrors: number;
  nextAttemptAt: number | null;
  /** Audit lines HQ has not acknowledged yet; null when this worker ships no audit log. */
  auditWaiting: number | null;
}

export interface PushOutcome {
  sent: number;
  applied: number;
  duplicate: number;
  rejected: number;
}

export interface SyncWorkerOptions {
  /**
   * Store ids of this book that HQ knows by another id: a standalone store that joined a chain later keeps its
   * own id in its book, and its rows go up under the store id HQ assigned.
   */
  storeIds?: Readonly<Record<string, string>>;
  terminalId: string;
  outbox: OutboxStore;
  settings: SettingsStore;
  transport: HqTransport;
  sink?: FeedSink;
  /** The terminal's audit log; when given, it is sent to HQ on its own stream. */
  audit?: AuditSource;
  auditBatchSize?: number;
  batchSize?: number;
  backoff?: BackoffPolicy;
  /** Pause when the outbox is empty before looking again. */
  idleMs?: number;
  /** How often to pull the feed while running. */
  pullEveryMs?: number;
  feedPageSize?: number;
  now?: () => number;
  random?: () => number;
  onStatus?: (status: SyncStatus) => void;
}

export class SyncWorker {
  private readonly batchSize: number;
  private readonly backoff: BackoffPolicy;
  private readonly now: () => number;
  private readonly random: () => number;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private failures = 0;
  private lastError: SyncStatus['lastError'] = null;
  private nextAttemptAt: number | null = null;
  private nextPullAt = 0;
  private contactAt: number | null = null;
  private waitingCounted: { at: number; waiting: number } | null = null;
  private contactSavedAt = Number.NEGATIVE_INFINITY;
  private readonly audit: AuditStream | null;
  private readonly auditBatchSize: number;
  private nextAuditAt = 0;
  /** Callers of `syncNow` waiting for the next round to end. */
  private asked: (() => void)[] = [];

  constructor(private readonly options: SyncWorkerOptions) {
    this.batchSize = Math.min(Math.max(1, options.batchSize ?? 500), MAX_PUSH_BATCH);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.auditBatchSize = Math.min(Math.max(1, options.auditBatchSize ?? 200), MAX_AUDIT_BATCH);
    this.audit = options.audit
      ? new AuditStream({
          terminalId: options.terminalId,
          source: options.audit,
          settings: options.settings,
          transport: options.transport,
          batchSize: this.auditBatchSize,
          onRefused: (refusal) => this.auditRefused(refusal),
        })
      : null;
  }

  /** Sends one batch of audit lines from the audit cursor; throws a SyncError when HQ did not take them all. */
  async pushAuditOnce(): Promise<AuditPushOutcome> {
    if (this.audit === null) return { sent: 0, accepted: 0, duplicate: 0 };
    const outcome = await this.audit.pushOnce();
    if (outcome.sent > 0) this.contacted(this.now());
    return outcome;
  }

  /** Sends audit lines until none wait or a failure; retries with backoff. Resolves when drained. */
  async drainAudit(options: { maxAttempts?: number } = {}): Promise<void> {
    let attempts = 0;
    for (;;) {
      try {
        const outcome = await this.pushAuditOnce();
        if (outcome.sent === 0) return;
      } catch (error) {
        attempts += 1;
        this.recordError(error);
        if (options.maxAttempts !== undefined && attempts >= options.maxAttempts) throw error;
        await sleep(backoffDelay(attempts - 1, this.backoff, this.random));
      }
    }
  }

  /** Sends one batch of pending rows; throws a SyncError when HQ could not take it. */
  async pushOnce(): Promise<PushOutcome> {
    const { outbox, transport, terminalId } = this.options;
    const rows = outbox.pending(this.batchSize);
    if (rows.length === 0) return { sent: 0, applied: 0, duplicate: 0, rejected: 0 };
    const answer = await transport.push(
      terminalId,
      rows.map((row) => toWire(row, terminalId, this.options.storeIds)),
      this.waitingEstimate(rows.length),
    );
    const outcome: PushOutcome = { sent: rows.length, applied: 0, duplicate: 0, rejected: 0 };
    const bySeq = new Map(answer.results.map((result) => [result.seq, result]));
    const acknowledged: number[] = [];
    const refused: SyncErrorRecord[] = [];
    const at = this.now();
    for (const row of rows) {
      const result = bySeq.get(row.seq);
      if (!result || result.operationId !== row.operationId) break;
      acknowledged.push(row.seq);
      outcome[result.status] += 1;
      if (result.status === 'rejected') {
        refused.push({
          operationId: row.operationId,
          seq: row.seq,
          kind: row.kind,
          code: result.code ?? 'REJECTED',
          message: result.message ?? 'HQ refused this operation.',
          at,
          resolvedAt: null,
          resolvedBy: null,
        });
      }
    }
    // Errors are saved before the rows are marked, so a crash between the two re-sends rather than forgets.
    if (refused.length > 0) this.addSyncErrors(refused);
    if (acknowledged.length > 0) outbox.markSent(acknowledged, at);
    if (this.waitingCounted) this.waitingCounted.waiting -= acknowledged.length;
    this.contacted(at);
    if (acknowledged.length < rows.length) {
      throw new SyncError('HQ_RESPONSE_INVALID', 'HQ did not answer for every row of the batch.', {
        details: { sent: rows.length, answered: acknowledged.length },
      });
    }
    return outcome;
  }

  /** Pulls the feed from the saved cursor until HQ has nothing more; returns the number of entries applied. */
  async pullOnce(): Promise<number> {
    const { settings, transport, sink } = this.options;
    let applied = 0;
    for (;;) {
      const after = settings.get<number>(SETTINGS_KEYS.feedCursor) ?? 0;
      const page = await transport.feed(after, this.options.feedPageSize ?? 500);
      if (page.entries.length > 0 && sink) await sink.apply(page.entries, { cursor: page.cursor });
      settings.set(SETTINGS_KEYS.caps, page.caps);
      if (page.amountLimits !== undefined) settings.set(SETTINGS_KEYS.amountLimits, page.amountLimits);
      if (page.keyedEntry !== undefined) settings.set(SETTINGS_KEYS.keyedEntry, page.keyedEntry);
      settings.set(SETTINGS_KEYS.feedCursor, page.cursor);
      this.contacted(this.now());
      applied += page.entries.length;
      if (!page.hasMore) return applied;
    }
  }

  /** Pushes until the outbox is empty or a failure; retries with backoff. Resolves when drained. */
  async drain(options: { maxAttempts?: number } = {}): Promise<void> {
    let attempts = 0;
    for (;;) {
      try {
        const outcome = await this.pushOnce();
        this.succeeded();
        if (outcome.sent === 0) return;
      } catch (error) {
        attempts += 1;
        const delay = this.failed(error);
        if (options.maxAttempts !== undefined && attempts >= options.maxAttempts) throw error;
        await sleep(delay);
      }
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
    for (const answer of this.asked.splice(0)) answer();
  }

  /**
   * A round now (pull the feed, push the outbox and the audit log) instead of when it is due, past any backoff:
   * a person at the till asked for it. Resolves with the status once a round that began after the call ended;
   * at once when the worker is not running.
   */
  syncNow(): Promise<SyncStatus> {
    if (!this.running) return Promise.resolve(this.status());
    this.nextPullAt = 0;
    this.nextAuditAt = 0;
    const done = new Promise<SyncStatus>((resolve) => this.asked.push(() => resolve(this.status())));
    this.wake?.();
    return done;
  }

  /**
   * Cuts the current pause short, e.g. right after a sale was written to the outbox — but only while HQ is
   * answering. After a failure the backoff stands until HQ answered again: a busy till in an outage would
   * otherwise retry on every sale, and every till of the chain at once when HQ comes back.
   */
  nudge(): void {
    if (this.failures === 0) this.wake?.();
  }

  private async run(): Promise<void> {
    let pullFailures = 0;
    let auditFailures = 0;
    while (this.running) {
      const answering = this.asked.splice(0);
      let pause = this.options.idleMs ?? 2_000;
      // The feed is pulled on its own schedule and its failures back off on their own: a feed HQ cannot serve
      // or a sink that cannot apply a page must never hold up the outbox.
      if (this.now() >= this.nextPullAt) {
        try {
          await this.pullOnce();
          pullFailures = 0;
          this.nextPullAt = this.now() + (this.options.pullEveryMs ?? DEFAULT_PULL_EVERY_MS);
        } catch (error) {
          pullFailures += 1;
          this.recordError(error);
          this.nextPullAt =
            this.now() +
            Math.max(
              this.backoff.baseMs + backoffDelay(pullFailures - 1, this.backoff, this.random),
              retryAfterOf(error),
            );
        }
      }
      try {
        const outcome = await this.pushOnce();
        this.succeeded();
        if (outcome.sent === this.batchSize) pause = 0;
      } catch (error) {
        pause = this.failed(error);
      }
      // The audit stream has its own schedule too: a refused line or an HQ without the audit route backs off
      // here and leaves the outbox's pace alone.
      if (this.audit !== null && this.now() >= this.nextAuditAt) {
        try {
          const outcome = await this.pushAuditOnce();
          auditFailures = 0;
          if (outcome.sent === this.auditBatchSize) pause = 0;
        } catch (error) {
          auditFailures += 1;
          this.recordError(error);
          this.nextAuditAt =
            this.now() +
            Math.max(
              this.backoff.baseMs + backoffDelay(auditFailures - 1, this.backoff, this.random),
              retryAfterOf(error),
            );
        }
      }
      for (const answer of answering) answer();
      // Someone asked for a round while this one ran: it starts at once.
      if (pause > 0 && this.running && this.asked.length === 0) await this.pause(pause);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private succeeded(): void {
    this.failures = 0;
    this.nextAttemptAt = null;
    this.publish();
  }

  /**
   * Rows waiting, for HQ's lag report. A short batch is everything that waits; after a full one the outbox is
   * counted again at most every few seconds, so a long drain does not count its outbox once per batch.
   */
  private waitingEstimate(batch: number): number {
    const at = this.now();
    if (batch < this.batchSize) return batch;
    if (this.waitingCounted === null || at - this.waitingCounted.at >= CONTACT_SAVE_EVERY_MS) {
      this.waitingCounted = { at, waiting: this.options.outbox.stats().waiting };
    }
    return Math.max(batch, this.waitingCounted.waiting);
  }

  private recordError(error: unknown): { code: string; at: number } {
    const at = this.now();
    const code = error instanceof SyncError ? error.code : 'SYNC_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    this.lastError = { code, message, at };
    this.publish();
    return { code, at };
  }

  /** Records a failed push and returns how long to wait before the next attempt. */
  private failed(error: unknown): number {
    this.failures += 1;
    const { code, at } = this.recordError(error);
    // A refused clock is corrected by the client from HQ's answer: retry at once, but only once in a row.
    // HQ's Retry-After is a floor: under load HQ says when it can take the terminal again.
    const delay =
      code === 'CLOCK_SKEW' && this.failures === 1
        ? 0
        : Math.max(
            backoffDelay(this.failures - 1, this.backoff, this.random) +
              (isRetryable(error) ? 0 : this.backoff.baseMs),
            retryAfterOf(error),
          );
    this.nextAttemptAt = at + delay;
    this.publish();
    return delay;
  }

  /**
   * Remembers when HQ last answered. Saved at most every few seconds: while a backlog drains, a durable write
   * per batch would cost a disk flush each, and the offline-age cap is counted in hours.
   */
  private contacted(at: number): void {
    this.contactAt = at;
    if (at - this.contactSavedAt >= CONTACT_SAVE_EVERY_MS) {
      this.options.settings.set(SETTINGS_KEYS.lastContactAt, at);
      this.contactSavedAt = at;
    }
  }

  private lastContactAt(): number | null {
    return this.contactAt ?? this.options.settings.get<number>(SETTINGS_KEYS.lastContactAt) ?? null;
  }

  private publish(): void {
    this.options.onStatus?.(this.status());
  }

  status(): SyncStatus {
    const { outbox } = this.options;
    const stats = outbox.stats();
    return {
      online: this.failures === 0 && this.lastContactAt() !== null,
      waiting: stats.waiting,
      oldestWaitingAt: stats.oldestCreatedAt,
      lastSuccessAt: stats.lastSentAt,
      lastContactAt: this.lastContactAt(),
      consecutiveFailures: this.failures,
      lastError: this.lastError,
      openSyncErrors: this.syncErrors().filter((record) => record.resolvedAt === null).length,
      nextAttemptAt: this.nextAttemptAt,
      auditWaiting: this.audit?.waiting() ?? null,
    };
  }

  syncErrors(): SyncErrorRecord[] {
    return this.options.settings.get<SyncErrorRecord[]>(SETTINGS_KEYS.errors) ?? [];
  }

  /** A manager marks a sync error as dealt with; it stays in the list for the record. */
  resolveSyncError(operationId: string, managerId: string): boolean {
    const records = this.syncErrors();
    const record = records.find((entry) => entry.operationId === operationId && entry.resolvedAt === null);
    if (!record) return false;
    record.resolvedAt = this.now();
    record.resolvedBy = managerId;
    this.options.settings.set(SETTINGS_KEYS.errors, records);
    this.publish();
    return true;
  }

  private auditRefused(refusal: AuditRefusal): void {
    this.addSyncErrors([
      {
        operationId: `audit:${refusal.auditId}`,
        seq: refusal.auditId,
        kind: 'audit',
        code: refusal.code,
        message: refusal.message,
        at: this.now(),
        resolvedAt: null,
        resolvedBy: null,
      },
    ]);
    this.publish();
  }

  private addSyncErrors(records: SyncErrorRecord[]): void {
    addSyncErrors(this.options.settings, records);
  }

  /**
   * Whether HQ can vouch for balances now: it answered after the last failure, and within three feed pulls.
   * Otherwise a spend is bounded by the offline caps (`checkOfflineSpend`).
   */
  hqReachable(): boolean {
    const contact = this.lastContactAt();
    if (contact === null) return false;
    if (this.lastError !== null && this.lastError.at > contact) return false;
    return this.now() - contact <= REACHABLE_PULLS * (this.options.pullEveryMs ?? DEFAULT_PULL_EVERY_MS);
  }

  caps(): OfflineCaps {
    const parsed = offlineCapsSchema.safeParse(this.options.settings.get(SETTINGS_KEYS.caps));
    return parsed.success ? parsed.data : DEFAULT_OFFLINE_CAPS;
  }

  /**
   * May this card be charged `amountFen` of stored value without HQ? Counts the stored value already charged
   * and not yet acknowledged by HQ (the outbox's pending rows), per card and for the whole terminal.
   */
  checkOfflineSpend(cardId: string, amountFen: number): OfflineSpendAnswer {
    const question = {
      caps: this.caps(),
      amountFen,
      cardOfflineFen: 0,
      terminalOfflineFen: 0,
      lastContactAt: this.lastContactAt(),
      now: this.now(),
    };
    // Cheap answers first: too long offline needs no scan, and an empty outbox has nothing unacknowledged.
    const withoutScan = checkOfflineSpend(question);
    const tooLong = !withoutScan.allowed && withoutScan.reason === 'too_long_offline';
    if (tooLong || this.options.outbox.stats().waiting === 0) return withoutScan;
    const exposure = offlineExposure(this.options.outbox.pending(MAX_OFFLINE_SCAN));
    return checkOfflineSpend({
      ...question,
      cardOfflineFen: exposure.byCard.get(cardId) ?? 0,
      terminalOfflineFen: exposure.total,
    });
  }
}

const MAX_OFFLINE_SCAN = 100_000;
const DEFAULT_PULL_EVERY_MS = 30_000;
/** HQ counts as reachable while its last answer is no older than this many feed pulls. */
const REACHABLE_PULLS = 3;
/** Value leaving a card that no member took away: a card-to-card move, bonus lapsed or forfeited. */
const NOT_SPENT: ReadonlySet<string> = new Set(['card_transfer', 'transfer', 'expiry', 'forfeit']);
const CONTACT_SAVE_EVERY_MS = 5_000;

/** Stored value taken from cards by rows HQ has not acknowledged yet. */
export function offlineExposure(rows: readonly OutboxRow[]): { total: number; byCard: Map<string, number> } {
  const byCard = new Map<string, number>();
  let total = 0;
  for (const row of rows) {
    const reading = readOperation(row.kind, row.payload);
    if (!reading.ok) continue;
    for (const movement of reading.movements) {
      if (movement.delta >= 0 || NOT_SPENT.has(row.kind)) continue;
      byCard.set(movement.cardId, (byCard.get(movement.cardId) ?? 0) - movement.delta);
      total -= movement.delta;
    }
  }
  return { total, byCard };
}

/** The outbox belongs to this terminal alone, so every row is sent under its id (rows written without an actor carry none). */
function toWire(
  row: OutboxRow,
  terminalId: string,
  storeIds?: Readonly<Record<string, string>>,
): WireOperation {
  return {
    seq: row.seq,
    operationId: row.operationId,
    terminalId,
    storeId: storeIds?.[row.storeId] ?? row.storeId,
    kind: row.kind,
    payload: row.payload,
    createdAt: row.createdAt,
  };
}

/** How long HQ asked the terminal to wait (its Retry-After), or 0. */
function retryAfterOf(error: unknown): number {
  const hinted = error instanceof SyncError ? error.details?.retryAfterMs : undefined;
  return typeof hinted === 'number' && hinted > 0 ? hinted : 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
