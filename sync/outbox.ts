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
 * Applies other terminals' changes (members, cards, card states, wallet movements) to the local ledger.
 * Must be idempotent on `operationId`: after a crash the same page is applied again.
 */
export interface FeedSink {
  apply(entries: readonly FeedEntry[]): void | Promise<void>;
}
