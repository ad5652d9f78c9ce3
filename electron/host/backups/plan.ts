/**
 * The store's backup plan (setting `backups.plan`), set on the Backups screen: how often a backup is taken
 * (daily unless the admin says otherwise), how many days of backups are kept, and the folder off this
 * machine that every backup is copied to (a USB disk or a network share the admin mounted).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Ledger } from '../../../db';
import { ApiError } from '../../errors';

export const BACKUP_PLAN_SETTING = 'backups.plan';

export interface BackupPlan {
  everyHours: number;
  keepDays: number;
  /** The folder off this machine every backup is copied to, or null for none. */
  offsiteDir: string | null;
}

export const DEFAULT_BACKUP_PLAN: BackupPlan = { everyHours: 24, keepDays: 14, offsiteDir: null };
export const PLAN_LIMITS = { everyHours: [1, 168], keepDays: [1, 3650] } as const;

export function readBackupPlan(ledger: Ledger): BackupPlan {
  const stored = ledger.settings.get<Partial<BackupPlan>>(BACKUP_PLAN_SETTING) ?? {};
  return {
    everyHours: stored.everyHours ?? DEFAULT_BACKUP_PLAN.everyHours,
    keepDays: stored.keepDays ?? DEFAULT_BACKUP_PLAN.keepDays,
    offsiteDir: stored.offsiteDir ?? null,
  };
}

/**
 * The folder an admin typed, checked: an absolute path to a folder this terminal can write, on another disk
 * than the terminal's data (a copy on the same disk dies with it).
 */
export function checkOffsiteDir(typed: string, dataDir: string): string {
  const dir = typed.trim();
  if (!isAbsolute(dir)) {
    throw new ApiError('BACKUP_OFFSITE_UNREACHABLE', 'The copy folder must be a full path, e.g. /media/usb', {
      details: { dir },
    });
  }
  const folder = resolve(dir);
  let device: number;
  try {
    const info = statSync(folder);
    if (!info.isDirectory()) throw new Error('not a folder');
    accessSync(folder, constants.W_OK);
    device = info.dev;
  } catch (cause) {
    throw new ApiError('BACKUP_OFFSITE_UNREACHABLE', `${folder} is not a folder this terminal can write`, {
      cause,
      details: { dir: folder },
    });
  }
  if (device === statSync(dataDir).dev) {
    throw new ApiError(
      'BACKUP_OFFSITE_SAME_DISK',
      `${folder} is on the terminal's own disk; choose a USB disk or a network folder`,
      { details: { dir: folder } },
    );
  }
  return folder;
}
