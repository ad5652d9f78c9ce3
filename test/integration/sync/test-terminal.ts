/**
 * A terminal's outbox and settings in SQLite with the ledger's `outbox` and `settings` tables, usable from a
 * test and from a child process (so no test-runner imports here).
 */
import Database from 'better-sqlite3';
import type { OutboxRow, OutboxStore, SettingsStore } from '../../../sync';

/** A terminal's outbox and settings in SQLite, with the ledger's `outbox` and `settings` tables. */
export class TestTerminal implements OutboxStore, SettingsStore {
  readonly db: Database.Database;
  private nextId = 0;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    readonly terminalId: string,
    readonly storeId: string,
    file = ':memory:',
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, operation_id TEXT UNIQUE NOT NULL,
        terminal_id TEXT NOT NULL, store_id TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL,
        created_at INTEGER NOT NULL, sent_at INTEGER);
      CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL);`);
    this.nextId = (this.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  }

  /** Statements compiled once, as the ledger does on its hot paths. */
  private prepared(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  write(kind: string, payload: unknown, createdAt = Date.now()): string {
    this.nextId += 1;
    const operationId = `${this.terminalId}-${String(this.nextId).padStart(7, '0')}`;
    this.prepared(
      'INSERT INTO outbox (operation_id, terminal_id, store_id, kind, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(operationId, this.terminalId, this.storeId, kind, JSON.stringify(payload), createdAt);
    return operationId;
  }

  /** `count` top-ups and spends of a card, in one SQLite transaction; returns their operation ids in order. */
  writeMany(count: number, cardId = `${this.terminalId}-card`): string[] {
    const ids: string[] = [];
    this.db.transaction(() => {
      for (let index = 0; index < count; index += 1) {
        ids.push(
          index % 2 === 0
            ? this.write('top_up', topUp(cardId, this.storeId, 1_000))
            : this.write('spend', spend(cardId, this.storeId, 400)),
        );
      }
    })();
    return ids;
  }

  allOperationIds(): string[] {
    return (
      this.prepared('SELECT operation_id FROM outbox ORDER BY seq').all() as { operation_id: string }[]
    ).map((row) => row.operation_id);
  }

  pending(limit: number): OutboxRow[] {
    const rows = this.prepared('SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?').all(
      limit,
    ) as {
      seq: number;
      operation_id: string;
      terminal_id: string;
      store_id: string;
      kind: string;
      payload: string;
      created_at: number;
      sent_at: number | null;
    }[];
    return rows.map((row) => ({
      seq: row.seq,
      operationId: row.operation_id,
      terminalId: row.terminal_id,
      storeId: row.store_id,
      kind: row.kind,
      payload: JSON.parse(row.payload),
      createdAt: row.created_at,
      sentAt: row.sent_at,
    }));
  }

  markSent(seqs: number[], at: number): void {
    const mark = this.prepared('UPDATE outbox SET sent_at = ? WHERE seq = ? AND sent_at IS NULL');
    this.db.transaction(() => {
      for (const seq of seqs) mark.run(at, seq);
    })();
  }

  stats() {
    const row = this.prepared(
      `SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL) AS waiting,
                (SELECT min(created_at) FROM outbox WHERE sent_at IS NULL) AS oldest,
                (SELECT max(sent_at) FROM outbox) AS last_sent`,
    ).get() as { waiting: number; oldest: number | null; last_sent: number | null };
    return { waiting: row.waiting, oldestCreatedAt: row.oldest, lastSentAt: row.last_sent };
  }

  get<T>(key: string): T | undefined {
    const row = this.prepared('SELECT value FROM settings WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  set(key: string, value: unknown): void {
    this.prepared(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    ).run(key, JSON.stringify(value), Date.now());
  }

  delete(key: string): void {
    this.prepared('DELETE FROM settings WHERE key = ?').run(key);
  }

  close(): void {
    this.db.close();
  }
}

export function topUp(cardId: string, storeId: string, amount: number) {
  return {
    operation: { kind: 'top_up', amountFen: amount },
    card: { id: cardId },
    counterpartCard: null,
    transfers: [{ debit: `store:${storeId}:cash`, credit: `card:${cardId}:principal`, amount, unit: 'fen' }],
  };
}

export function spend(cardId: string, storeId: string, amount: number) {
  return {
    operation: { kind: 'spend', amountFen: amount },
    card: { id: cardId },
    counterpartCard: null,
    transfers: [
      {
        debit: `card:${cardId}:principal`,
        credit: `store:${storeId}:stored_value_revenue`,
        amount,
        unit: 'fen',
      },
    ],
  };
}
