/**
 * Restoring a backup: decrypt into a fresh file beside the live ledger, prove it (SQLite's integrity and
 * foreign-key checks, then the caller's ledger invariant check), and only then swap it in with one rename.
 * Nothing touches the live file until the candidate has passed every check; any failure removes the
 * candidate and leaves the live ledger byte for byte as it was. The replaced file is kept (hard link) so a restore can itself be undone.
 *
 * The caller closes its ledger before restoring and opens it again afterwards.
 */
import { existsSync } from 'node:fs';
import { link, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Keyring } from '../crypto';
import { decryptFile, syncDirectory } from './container';
import { BackupError, isNoSpace } from './errors';

export interface InvariantVerdict {
  ok: boolean;
  problems?: readonly unknown[];
}

export interface RestoreOptions {
  backupPath: string;
  /** The live ledger file to replace. */
  livePath: string;
  keyring: Keyring;
  /**
   * The ledger's own invariant check, run on the candidate file before it replaces anything, e.g.
   * `(path) => { const l = openLedger({ path, checkInvariantsAtOpen: false }); try { return l.checkInvariants(); } finally { l.close(); } }`.
   */
  checkInvariants: (candidatePath: string) => InvariantVerdict | Promise<InvariantVerdict>;
  /** Keep the replaced live file as `<live>.before-restore-<time>`. Default true. */
  keepReplaced?: boolean;
  now?: () => number;
  onProgress?: (progress: { phase: 'decrypt' | 'verify'; done: number; total: number }) => void;
}

export interface RestoreResult {
  livePath: string;
  /** Where the previous live file was kept, when there was one and it was kept. */
  replacedPath: string | null;
  backupTakenAt: number;
  databaseBytes: number;
}

const SIDE_FILES = ['-wal', '-shm', '-journal'];

async function removeWithSideFiles(path: string): Promise<void> {
  for (const suffix of ['', ...SIDE_FILES])
    await rm(`${path}${suffix}`, { force: true }).catch(() => undefined);
}

/** SQLite's own checks on the candidate: every page and index (integrity_check) and every reference. */
function checkIntegrity(candidate: string): void {
  let db: Sqlite.Database | undefined;
  try {
    db = new Sqlite(candidate, { fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    const messages = integrity.map((row) => row.integrity_check);
    if (messages.length !== 1 || messages[0] !== 'ok') {
      throw new BackupError('RESTORE_INTEGRITY_FAILED', 'the backup fails SQLite integrity_check', {
        details: { problems: messages.slice(0, 20) },
      });
    }
    const dangling = db.pragma('foreign_key_check') as unknown[];
    if (dangling.length > 0) {
      throw new BackupError('RESTORE_INTEGRITY_FAILED', 'the backup has rows that point at missing rows', {
        details: { problems: dangling.slice(0, 20), count: dangling.length },
      });
    }
    // Fold the WAL back so the file about to be renamed is complete on its own.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (cause) {
    if (cause instanceof BackupError) throw cause;
    throw new BackupError(
      'RESTORE_INTEGRITY_FAILED',
      `the backup does not open as a database: ${String(cause)}`,
      {
        cause,
      },
    );
  } finally {
    db?.close();
  }
}

/**
 * Refuses while any other connection holds the live ledger (renaming under an open connection would split
 * the ledger in two). An exclusive lock is only granted when nobody else has the file open; with it held, the
 * WAL is folded back into the file, so what the hard link keeps is the complete previous ledger.
 */
function checkLiveIsClosed(livePath: string): void {
  if (!existsSync(livePath)) return;
  let db: Sqlite.Database | undefined;
  try {
    db = new Sqlite(livePath, { fileMustExist: true });
    db.pragma('busy_timeout = 250');
    db.pragma('locking_mode = EXCLUSIVE');
    try {
      db.exec('BEGIN EXCLUSIVE');
      db.exec('COMMIT');
    } catch (cause) {
      throw new BackupError('RESTORE_LIVE_IN_USE', 'the live ledger is open; close it before restoring', {
        cause,
        details: { path: livePath },
      });
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (cause) {
    if (cause instanceof BackupError) throw cause;
    throw new BackupError(
      'RESTORE_LIVE_IN_USE',
      `cannot take the live ledger for restore: ${String(cause)}`,
      {
        cause,
        details: { path: livePath },
      },
    );
  } finally {
    db?.close();
  }
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const now = options.now ?? Date.now;
  const dir = dirname(options.livePath);
  const stamp = new Date(now()).toISOString().replace(/[-:.]/g, '');
  const candidate = join(dir, `.${basename(options.livePath)}.restore-${stamp}`);
  let swapped = false;
  try {
    await removeWithSideFiles(candidate);
    const header = await decryptFile(options.backupPath, candidate, {
      keyring: options.keyring,
      onProgress: (done, total) => options.onProgress?.({ phase: 'decrypt', done, total }),
    });
    options.onProgress?.({ phase: 'verify', done: 0, total: 2 });
    checkIntegrity(candidate);
    options.onProgress?.({ phase: 'verify', done: 1, total: 2 });
    let verdict: InvariantVerdict;
    try {
      verdict = await options.checkInvariants(candidate);
    } catch (cause) {
      throw new BackupError(
        'RESTORE_INVARIANTS_FAILED',
        `the ledger check refused the backup: ${String(cause)}`,
        {
          cause,
        },
      );
    }
    if (!verdict.ok) {
      throw new BackupError('RESTORE_INVARIANTS_FAILED', 'the backup fails the ledger invariant check', {
        details: { problems: (verdict.problems ?? []).slice(0, 20) },
      });
    }
    options.onProgress?.({ phase: 'verify', done: 2, total: 2 });
    // The invariant check may have opened (and migrated) the candidate; make sure it is whole on its own.
    checkIntegrity(candidate);

    checkLiveIsClosed(options.livePath);
    let replacedPath: string | null = null;
    if ((options.keepReplaced ?? true) && existsSync(options.livePath)) {
      replacedPath = `${options.livePath}.before-restore-${stamp}`;
      await link(options.livePath, replacedPath);
    }
    // The live WAL and shared-memory index describe the old file; after the checkpoint above they are
    // empty, and left in place they would be read against the new one.
    for (const suffix of ['-wal', '-shm']) await rm(`${options.livePath}${suffix}`, { force: true });
    await rename(candidate, options.livePath);
    swapped = true;
    await syncDirectory(dir);
    return {
      livePath: options.livePath,
      replacedPath,
      backupTakenAt: header.createdAt,
      databaseBytes: (await stat(options.livePath)).size,
    };
  } catch (cause) {
    if (cause instanceof BackupError) throw cause;
    throw new BackupError(
      isNoSpace(cause) ? 'BACKUP_NO_SPACE' : 'RESTORE_FAILED',
      `restoring ${options.backupPath} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, details: { backupPath: options.backupPath, livePath: options.livePath } },
    );
  } finally {
    if (!swapped) await removeWithSideFiles(candidate);
  }
}
