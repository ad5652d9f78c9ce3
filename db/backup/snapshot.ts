/**
 * The online copy: SQLite's backup API (better-sqlite3 `db.backup`) run from a dedicated read-only
 * connection that first pins a read snapshot.
 *
 * Why a separate, pinned connection: the backup API restarts from page one whenever another connection
 * writes to the source, so a busy counter (or a second process) could keep a plain backup from ever
 * finishing. Inside an open read transaction, WAL mode gives the copy one consistent snapshot while
 * cashiers keep committing; their commits simply are not in this backup. The copy runs in small steps on
 * the event loop, each sized to a time budget, so an operation waiting behind a step waits milliseconds.
 */
import { type FileHandle, open } from 'node:fs/promises';
import Sqlite from 'better-sqlite3';
import { DEFAULT_SYNC_EVERY_BYTES } from './container';
import { BackupError, isNoSpace } from './errors';

export interface SnapshotProgress {
  /** Pages copied so far and the database's size in pages. */
  done: number;
  total: number;
}

export interface SnapshotOptions {
  onProgress?: (progress: SnapshotProgress) => void;
  /** Target time of one copy step, in milliseconds. Default 2. */
  stepBudgetMs?: number;
  /**
   * Flush the copy to disk every this many bytes (default 4 MB), in the background, so the kernel never
   * holds a large backlog of dirty pages that the ledger's own commit fsyncs would queue behind.
   */
  syncEveryBytes?: number;
}

export interface SnapshotResult {
  pages: number;
  pageSize: number;
  /** How often SQLite restarted the copy (stays 0 with the pinned snapshot; reported to prove it). */
  restarts: number;
}

const FIRST_STEP_PAGES = 64;
const MAX_STEP_PAGES = 1 << 16;

export async function snapshotDatabase(
  sourcePath: string,
  destPath: string,
  options: SnapshotOptions = {},
): Promise<SnapshotResult> {
  const budget = options.stepBudgetMs ?? 2;
  let reader: Sqlite.Database;
  try {
    reader = new Sqlite(sourcePath, { readonly: true, fileMustExist: true });
  } catch (cause) {
    throw new BackupError('BACKUP_FAILED', `cannot open the ledger at ${sourcePath} for backup`, {
      cause,
      details: { path: sourcePath },
    });
  }
  let restarts = 0;
  const syncEvery = options.syncEveryBytes ?? DEFAULT_SYNC_EVERY_BYTES;
  let destHandle: FileHandle | undefined;
  let syncing: Promise<void> | undefined;
  let syncedPages = 0;
  const flushInBackground = (copiedPages: number, pageSize: number) => {
    if (syncing !== undefined || (copiedPages - syncedPages) * pageSize < syncEvery) return;
    syncedPages = copiedPages;
    syncing = (async () => {
      destHandle ??= await open(destPath, 'r');
      await destHandle.datasync();
    })()
      .catch(() => undefined)
      .finally(() => {
        syncing = undefined;
      });
  };
  try {
    reader.pragma('busy_timeout = 5000');
    const pageSize = Number(reader.pragma('page_size', { simple: true }));
    // BEGIN is deferred; the first read takes the snapshot, which the whole copy then sees.
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM sqlite_schema').get();
    let pagesPerStep = FIRST_STEP_PAGES;
    let lastRemaining = Number.POSITIVE_INFINITY;
    let stepStarted = performance.now();
    const result = await reader.backup(destPath, {
      progress({ totalPages, remainingPages }) {
        const elapsed = performance.now() - stepStarted;
        if (remainingPages > lastRemaining) restarts += 1;
        lastRemaining = remainingPages;
        // Grow or shrink the next step toward the time budget; never more than double at once.
        if (elapsed > 0) {
          const scaled = Math.round((pagesPerStep * budget) / elapsed);
          pagesPerStep = Math.max(16, Math.min(MAX_STEP_PAGES, pagesPerStep * 2, scaled));
        }
        options.onProgress?.({ done: totalPages - remainingPages, total: totalPages });
        flushInBackground(totalPages - remainingPages, pageSize);
        stepStarted = performance.now();
        return pagesPerStep;
      },
    });
    reader.exec('COMMIT');
    options.onProgress?.({ done: result.totalPages, total: result.totalPages });
    return { pages: result.totalPages, pageSize, restarts };
  } catch (cause) {
    if (cause instanceof BackupError) throw cause;
    throw new BackupError(
      isNoSpace(cause) ? 'BACKUP_NO_SPACE' : 'BACKUP_FAILED',
      `the online copy of ${sourcePath} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, details: { path: sourcePath } },
    );
  } finally {
    reader.close();
    await syncing;
    await destHandle?.close().catch(() => undefined);
  }
}
