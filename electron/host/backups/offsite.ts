/**
 * The copy off the machine: each backup (already encrypted) is copied into the admin's chosen folder, under
 * a folder named for this terminal so several tills can share one disk, with the key escrow beside it; the
 * folder keeps the same days of backups as the terminal. A copy is written under a name no backup has and
 * renamed only when it is whole and flushed, so a disk pulled out mid-copy never holds half a backup.
 */
import { copyFile, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pruneBackupsBefore } from '../../../db';
import { writeEscrow } from './escrow';

/** The folder a terminal's copies go to inside the chosen one. */
export function offsiteFolder(root: string, terminalId: string): string {
  return join(root, `member-card-pos-${terminalId}`);
}

export async function copyOffsite(options: {
  backupPath: string;
  folder: string;
  escrow: string | null;
  keepSince: number;
}): Promise<{ copied: string; removed: string[] }> {
  const name = basename(options.backupPath);
  await mkdir(options.folder, { recursive: true, mode: 0o700 });
  const partial = join(options.folder, `.${name}.partial`);
  try {
    await copyFile(options.backupPath, partial);
    const handle = await open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, join(options.folder, name));
  } finally {
    await rm(partial, { force: true });
  }
  if (options.escrow !== null) await writeEscrow(options.folder, options.escrow);
  return { copied: name, removed: await pruneBackupsBefore(options.folder, options.keepSince) };
}
