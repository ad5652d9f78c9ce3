/**
 * Backups for the admin's screen. A backup runs in the background (the counter keeps selling; the screen
 * polls `backups.status` for the bar). A restore never touches the live book: it decrypts into a fresh file
 * beside it, runs SQLite's integrity check and the ledger's invariants on that file, and only then marks it
 * to take the live book's place at the next start (`applyPendingRestore`, before the ledger opens). Every
 * backup and restore leaves an audit line.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BackupError,
  type BackupProgress,
  type Keyring,
  type Ledger,
  listBackups,
  openLedger,
  restoreBackup,
  takeBackup,
} from '../../../db';
import type { CommandName } from '../../contract';
import { ApiError } from '../../errors';
import type { Handlers } from '../api';
import { codeOf, hostAudit } from '../audit';
import type { Logger } from '../logger';

export type BackupHandlerNames = Extract<CommandName, `backups.${string}`>;

/** The verified file waiting for the next start, and the note that says which backup it came from. */
export const RESTORE_CANDIDATE_SUFFIX = '.restored';
const RESTORE_NOTE_SUFFIX = '.restore-pending.json';
const KEEP_BACKUPS = 14;

interface RestoreNote {
  name: string;
  takenAt: number;
}

function readNote(ledgerPath: string): RestoreNote | null {
  try {
    const note = JSON.parse(readFileSync(`${ledgerPath}${RESTORE_NOTE_SUFFIX}`, 'utf8')) as RestoreNote;
    return typeof note.name === 'string' && Number.isSafeInteger(note.takenAt) ? note : null;
  } catch {
    return null;
  }
}

/**
 * At start, before the ledger opens: a verified restore takes the live book's place; the book it replaces
 * is kept as `<ledger>.before-restore-<time>`. Returns what was restored, or null.
 */
export function applyPendingRestore(ledgerPath: string, now: () => number = Date.now): RestoreNote | null {
  const note = readNote(ledgerPath);
  const candidate = `${ledgerPath}${RESTORE_CANDIDATE_SUFFIX}`;
  if (note === null || !existsSync(candidate)) {
    rmSync(`${ledgerPath}${RESTORE_NOTE_SUFFIX}`, { force: true });
    return null;
  }
  if (existsSync(ledgerPath)) renameSync(ledgerPath, `${ledgerPath}.before-restore-${now()}`);
  for (const side of ['-wal', '-shm']) rmSync(`${ledgerPath}${side}`, { force: true });
  renameSync(candidate, ledgerPath);
  rmSync(`${ledgerPath}${RESTORE_NOTE_SUFFIX}`, { force: true });
  return note;
}

export function createBackupHandlers(deps: {
  ledger: Ledger;
  ledgerPath: string;
  backupDir: string;
  keyring: Keyring | undefined;
  identity: { terminalId: string };
  logger: Logger;
  now?: () => number;
}): Pick<Handlers, BackupHandlerNames> {
  const now = deps.now ?? Date.now;
  const audit = hostAudit(deps.ledger, deps.identity.terminalId, now);
  const record = (
    action: string,
    staffId: string | undefined,
    outcome: 'ok' | 'rejected',
    details: Record<string, unknown>,
    code?: string,
  ) => audit.record({ action, staffId, outcome, details, code: code ?? null });

  let running: Promise<unknown> | null = null;
  let progress: BackupProgress | null = null;
  let last: { ok: boolean; name: string | null; at: number; code: string | null } | null = null;

  const keys = (): Keyring => {
    if (deps.keyring === undefined) {
      throw new ApiError(
        'BACKUP_KEYS_MISSING',
        'This terminal was started without its data keys; backups need them',
      );
    }
    return deps.keyring;
  };

  return {
    'backups.status': async () => {
      const backups = await listBackups(deps.backupDir).catch(() => []);
      return {
        running: running !== null,
        fraction: running === null ? 0 : (progress?.fraction ?? 0),
        phase: running === null ? null : (progress?.phase ?? null),
        last,
        backups: backups.map((entry) => ({ name: entry.name, takenAt: entry.takenAt, bytes: entry.bytes })),
        restorePending: readNote(deps.ledgerPath),
      };
    },
    'backups.run': (_input, { session }) => {
      const keyring = keys();
      if (running !== null) return { started: false };
      progress = null;
      const staffId = session.staff?.id;
      running = takeBackup({
        sourcePath: deps.ledgerPath,
        dir: deps.backupDir,
        keyring,
        keep: KEEP_BACKUPS,
        now,
        onProgress: (event) => {
          progress = event;
        },
      })
        .then((result) => {
          last = { ok: true, name: result.name, at: now(), code: null };
          record('backup.take', staffId, 'ok', {
            name: result.name,
            bytes: result.bytes,
            removed: result.removed,
          });
        })
        .catch((error: unknown) => {
          const code = error instanceof BackupError ? error.code : 'BACKUP_FAILED';
          last = { ok: false, name: null, at: now(), code };
          deps.logger.error({ err: error }, 'backup failed');
          record('backup.take', staffId, 'rejected', {}, code);
        })
        .finally(() => {
          running = null;
        });
      return { started: true };
    },
    'backups.restore': async ({ name }, { session }) => {
      const keyring = keys();
      const staffId = session.staff?.id;
      const candidate = `${deps.ledgerPath}${RESTORE_CANDIDATE_SUFFIX}`;
      rmSync(candidate, { force: true });
      try {
        const restored = await restoreBackup({
          backupPath: join(deps.backupDir, name),
          livePath: candidate,
          keyring,
          keepReplaced: false,
          now,
          checkInvariants: (path) => {
            const ledger = openLedger({ path, checkpointIntervalMs: 0, checkInvariantsAtOpen: false });
            try {
              return ledger.checkInvariants();
            } finally {
              ledger.close();
            }
          },
        });
        const note: RestoreNote = { name, takenAt: restored.backupTakenAt };
        writeFileSync(`${deps.ledgerPath}${RESTORE_NOTE_SUFFIX}`, JSON.stringify(note), { mode: 0o600 });
        record('backup.restore', staffId, 'ok', { name, takenAt: restored.backupTakenAt, pending: true });
        return {
          verified: true as const,
          name,
          takenAt: restored.backupTakenAt,
          databaseBytes: restored.databaseBytes,
          restartRequired: true as const,
        };
      } catch (error) {
        rmSync(candidate, { force: true });
        record('backup.restore', staffId, 'rejected', { name }, codeOf(error, 'BACKUP_FAILED'));
        throw error;
      }
    },
  };
}
