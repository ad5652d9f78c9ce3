/**
 * Taking one backup: an online snapshot of the ledger file (into shared memory when it fits, else into the
 * backup folder), encrypted into a `.posbak` file in the backup folder, then older backups beyond the
 * retention count removed. The plain snapshot lives only for the encryption step (mode 0600, in a 0700
 * folder) and is removed whatever happens.
 */
import { readdirSync, statfsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  /**
   * Where the plain snapshot lives while it is encrypted. Default: the shared-memory folder (`/dev/shm`) when
   * it has room for twice the ledger, else the backup folder. In memory the copy never reaches the disk: the
   * only writes the backup makes are the encrypted file's, so cashiers' commits share the disk with half
   * the traffic, and no plain copy of the ledger is ever written to a disk block.
   */
  scratchDir?: string;
}

/** The default shared-memory scratch folder, or undefined when it is missing or too small for `bytes`. */
export function memoryScratchDir(bytes: number, candidate = '/dev/shm'): string | undefined {
  try {
    const fs = statfsSync(candidate);
    if (fs.bavail * fs.bsize < bytes * 2) return undefined;
    return candidate;
  } catch {
    return undefined;
  }
}

const SCRATCH_PREFIX = 'member-card-pos-backup-';

/**
 * Scratch folders of backups whose process is gone (killed mid-backup) would hold a plain ledger copy in
 * memory until the next reboot; each backup removes those it finds.
 */
async function removeStaleScratch(scratch: string): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(scratch).filter((name) => name.startsWith(SCRATCH_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(SCRATCH_PREFIX.length).split('-')[0]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
        await rm(join(scratch, name), { recursive: true, force: true }).catch(() => undefined);
      }
    }
  }
}

function ledgerBytes(path: string): number {
  try {
    const main = statSync(path).size;
    let wal = 0;
    try {
      wal = statSync(`${path}-wal`).size;
    } catch {
      wal = 0;
    }
    return main + wal;
  } catch {
    return 0;
  }
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
  const scratch = options.scratchDir ?? memoryScratchDir(ledgerBytes(options.sourcePath));
  const inMemory = scratch !== undefined && scratch !== options.dir;
  let scratchFolder: string | undefined;
  let snapshot = join(options.dir, `.snapshot-${name}.sqlite`);
  const report = options.onProgress;
  try {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    if (inMemory) {
      await removeStaleScratch(scratch);
      // A private folder (0700) of our own, so no other account's file can stand in for the snapshot.
      scratchFolder = await mkdtemp(join(scratch, `${SCRATCH_PREFIX}${process.pid}-`));
      snapshot = join(scratchFolder, 'snapshot.sqlite');
    }
    // Created empty with 0600 first, so the plain copy is never readable by others, not even for a moment.
    await rm(snapshot, { force: true });
    await writeFile(snapshot, '', { mode: 0o600 });
    const copied = await snapshotDatabase(options.sourcePath, snapshot, {
      stepBudgetMs: options.stepBudgetMs,
      // A copy in memory has no disk writes to spread out.
      ...(inMemory ? { syncEveryBytes: Number.POSITIVE_INFINITY } : {}),
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
    if (scratchFolder !== undefined) {
      await rm(scratchFolder, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
