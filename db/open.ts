/**
 * Opening the SQLite file: pragmas set explicitly on every open, then the committed migrations.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { LedgerError } from './errors';
import type { Database } from './types';

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * better-sqlite3's build defaults WAL to synchronous=NORMAL, which can lose the last commits on power loss;
 * a stored-value ledger must not, so FULL is set on every open. Automatic checkpoints are pushed far out
 * (a safety net) because a checkpoint inside a cashier's commit shows up as a slow sale; the ledger runs
 * passive checkpoints on a timer instead.
 */
export function applyLedgerPragmas(db: Database): void {
  db.pragma('journal_mode = WAL');
  const mode = db.pragma('journal_mode', { simple: true });
  if (mode !== 'wal' && !db.memory) {
    throw new LedgerError('NOT_READY', `the ledger needs WAL journaling, the file is in ${String(mode)}`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('journal_size_limit = 67108864');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  // Content a change removes (an anonymised member, a name replaced by its envelope) is overwritten with zeros
  // in the file, not left readable in free space until the page happens to be reused.
  db.pragma('secure_delete = ON');
  // Reads through a memory map skip a system call per page; writes still go through the WAL, so durability
  // does not change.
  db.pragma('mmap_size = 1073741824');
}

export function openDatabase(path: string, image?: Buffer): Database {
  if (image !== undefined && path !== ':memory:') {
    throw new LedgerError('INPUT_INVALID', 'a serialized ledger opens in memory only; pass path ":memory:"');
  }
  let db: Database;
  try {
    db = image === undefined ? new Sqlite(path) : new Sqlite(rollbackImage(image));
  } catch (cause) {
    throw new LedgerError('NOT_READY', `cannot open the ledger file ${path}`, { cause, details: { path } });
  }
  try {
    applyLedgerPragmas(db);
    migrate(drizzle(db), { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (cause) {
    db.close();
    if (cause instanceof LedgerError) throw cause;
    throw new LedgerError('NOT_READY', `cannot prepare the ledger file ${path}`, {
      cause,
      details: { path },
    });
  }
  return db;
}

/**
 * A serialized WAL-mode ledger says "WAL" in its header (bytes 18–19 = 2), which an in-memory database
 * cannot open; the copy is marked as a rollback-journal file (1), which changes nothing in its content.
 */
function rollbackImage(image: Buffer): Buffer {
  const copy = Buffer.from(image);
  if (copy.length >= 20 && copy[18] === 2 && copy[19] === 2) {
    copy[18] = 1;
    copy[19] = 1;
  }
  return copy;
}
