/**
 * Taking one backup: an online snapshot of the ledger file into the backup folder, encrypted into a
 * `.posbak` file, then older backups beyond the retention count removed. The plain snapshot lives only
 * for the encryption step (mode 0600) and is removed whatever happens.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Keyring } from '../crypto';
import { encryptFile } from './container';
import { BackupError, isNoSpace } from './errors';
import { backupFileName, pruneBackups } from './rotation';
import { snapshotDatabase } from './snapshot';

export type BackupPhase = 'copy' | 'encrypt';

export interface BackupProgress {
  phase: BackupPhase;
  /** Pages (copy) or bytes (encrypt) done and in total for this phase. */
  done: number;
  total: number;
  /** The whole backup's progress, 0..1, for one progress bar. */
  fraction: number;
}

export interface TakeBackupOptions {
  /** The live ledger file. */
  sourcePath: string;
  /** The backup folder (created 0700 when missing). */
  dir: string;
  keyring: Keyring;
  /** How many backups to keep, newest first. */
  keep: number;
  now?: () => number;
  onProgress?: (progress: BackupProgress) => void;
  chunkBytes?: number;
  stepBudgetMs?: number;
}

export interface BackupResult {
  name: string;
  path: string;
  takenAt: number;
  /** Size of the encrypted file. */
  bytes: number;
  /** Size of the database it holds. */
  databaseBytes: number;
  removed: string[];
  durationMs: number;
  /** Times SQLite restarted the copy because the source changed under it (0 with the pinned snapshot). */
  copyRestarts: number;
}

/** The copy is most of the work; the split keeps the bar moving at a steady rate. */
const COPY_SHARE = 0.6;

export async function takeBackup(options: TakeBackupOptions): Promise<BackupResult> {
  if (!Number.isSafeInteger(options.keep) || options.keep < 1) {
    throw new BackupError('BACKUP_OPTION_INVALID', 'keep at least one backup', {
      details: { keep: options.keep },
    });
  }
  const now = options.now ?? Date.now;
  const started = performance.now();
  const takenAt = now();
  const name = backupFileName(takenAt);
  const path = join(options.dir, name);
  const snapshot = join(options.dir, `.snapshot-${name}.sqlite`);
  const report = options.onProgress;
  try {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    // Created empty with 0600 first, so the plain copy is never readable by others, not even for a moment.
    await rm(snapshot, { force: true });
    await writeFile(snapshot, '', { mode: 0o600 });
    const copied = await snapshotDatabase(options.sourcePath, snapshot, {
      stepBudgetMs: options.stepBudgetMs,
      onProgress: ({ done, total }) =>
        report?.({ phase: 'copy', done, total, fraction: total === 0 ? 0 : (COPY_SHARE * done) / total }),
    });
    const bytes = await encryptFile(snapshot, path, {
      keyring: options.keyring,
      createdAt: takenAt,
      chunkBytes: options.chunkBytes,
      onProgress: (done, total) =>
        report?.({
          phase: 'encrypt',
          done,
          total,
          fraction: COPY_SHARE + (total === 0 ? 1 : done / total) * (1 - COPY_SHARE),
        }),
    });
    const removed = await pruneBackups(options.dir, options.keep);
    return {
      name,
      path,
      takenAt,
      bytes,
      databaseBytes: copied.pages * copied.pageSize,
      removed,
      durationMs: performance.now() - started,
      copyRestarts: copied.restarts,
    };
  } catch (cause) {
    if (cause instanceof BackupError) throw cause;
    throw new BackupError(
      isNoSpace(cause) ? 'BACKUP_NO_SPACE' : 'BACKUP_FAILED',
      `the backup of ${options.sourcePath} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, details: { dir: options.dir } },
    );
  } finally {
    await rm(snapshot, { force: true }).catch(() => undefined);
    await rm(`${snapshot}-journal`, { force: true }).catch(() => undefined);
  }
}
