/**
 * The shapes the sync worker needs from the terminal's ledger, kept structural so `sync/` codes against the
 * outbox, the settings and the feed sink without depending on how the ledger stores them.
 */
import type { FeedEntry } from './wire';

export interface OutboxRow {
  seq: number;
  operationId: string;
  terminalId: string;
  storeId: string;
  kind: string;
  payload: unknown;
  createdAt: number;
  sentAt: number | null;
}

export interface OutboxStore {
  /** Unsent rows, lowest seq first. */
  pending(limit: number): OutboxRow[];
  markSent(seqs: number[], at: number): void;
  stats(): { waiting: number; oldestCreatedAt: number | null; lastSentAt: number | null };
}

export interface SettingsStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/**
 * Applies other terminals' changes (members, cards, card states, wallet movements) and HQ's own (card states,
 * bonus rules) to the local ledger. Must be idempotent on `operationId`: after a crash the same page is applied
 * again. A sink that saves `page.cursor` under `sync.feedCursor` in the transaction that applies the entries
 * makes page and cursor one commit; the worker saves the same cursor again afterwards.
 */
export interface FeedSink {
  apply(entries: readonly FeedEntry[], page: { cursor: number }): unknown;
}
