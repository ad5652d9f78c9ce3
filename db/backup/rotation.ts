/**
 * Backup file names and retention. A backup is named by the UTC instant it was taken, to the millisecond,
 * so names sort in time order and two backups never collide:  ledger-20261122T083015123Z.posbak
 */
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackupError } from './errors';

export const BACKUP_EXTENSION = '.posbak';
const NAME_PATTERN = /^ledger-(\d{8}T\d{9}Z)\.posbak$/;

export interface BackupEntry {
  name: string;
  path: string;
  takenAt: number;
  bytes: number;
}

export function backupFileName(at: number): string {
  if (!Number.isSafeInteger(at) || at < 0) {
    throw new BackupError('BACKUP_OPTION_INVALID', 'a backup time is UTC epoch milliseconds', {
      details: { at },
    });
  }
  const iso = new Date(at).toISOString(); // 2026-11-22T08:30:15.123Z
  const stamp = iso.replace(/[-:]/g, '').replace('.', '');
  return `ledger-${stamp}${BACKUP_EXTENSION}`;
}

export function timeOfBackupName(name: string): number | undefined {
  const match = NAME_PATTERN.exec(name);
  if (!match) return undefined;
  const s = match[1]!;
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? undefined : at;
}

/** The backups in a folder, newest first. Files that are not finished backups (".partial") are ignored. */
export async function listBackups(dir: string): Promise<BackupEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new BackupError('BACKUP_FAILED', `cannot list backups in ${dir}`, { cause, details: { dir } });
  }
  const entries: BackupEntry[] = [];
  for (const name of names) {
    const takenAt = timeOfBackupName(name);
    if (takenAt === undefined) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) entries.push({ name, path, takenAt, bytes: info.size });
  }
  return entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

/** Deletes all but the `keep` newest backups; returns the names removed. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  if (!Number.isSafeInteger(keep) || keep < 1) {
    throw new BackupError('BACKUP_OPTION_INVALID', 'keep at least one backup', { details: { keep } });
  }
  return removeBackups(dir, (await listBackups(dir)).slice(keep));
}

/**
 * Deletes the backups taken before `cutoff` (UTC ms), except the newest one, which stays whatever its age:
 * a terminal that was off for a month still has its last backup. Returns the names removed.
 */
export async function pruneBackupsBefore(dir: string, cutoff: number): Promise<string[]> {
  const [, ...older] = await listBackups(dir);
  return removeBackups(
    dir,
    older.filter((entry) => entry.takenAt < cutoff),
  );
}

async function removeBackups(dir: string, doomedEntries: readonly BackupEntry[]): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of doomedEntries) {
    // Out of the list first (a name no backup has), so a removal cut short never looks like a backup.
    const doomed = join(dir, `.${entry.name}${REMOVING_SUFFIX}`);
    await rename(entry.path, doomed);
    removed.push(entry.name);
  }
  // Also whatever an earlier run left half removed.
  for (const name of await readdir(dir)) {
    if (name.startsWith('.') && name.endsWith(REMOVING_SUFFIX)) await removeGradually(join(dir, name));
  }
  return removed;
}

const REMOVING_SUFFIX = '.removing';
const TRUNCATE_STEP_BYTES = 32 << 20;

/**
 * Deleting a gigabyte file in one unlink frees all its blocks in one journal transaction, and a cashier's
 * commit that syncs meanwhile waits for it (a few hundred milliseconds on a busy disk). Cutting the file
 * down in 32 MB steps, with the event loop free between them, spreads that work into small pieces.
 */
async function removeGradually(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r+');
    try {
      let size = (await handle.stat()).size;
      while (size > 0) {
        size = Math.max(0, size - TRUNCATE_STEP_BYTES);
        await handle.truncate(size);
        await sleep(2);
      }
    } finally {
      await handle.close();
    }
  } catch {
    // Removed anyway below.
  }
  await rm(path, { force: true });
}
