/**
 * Backups for the admin's screen. A backup runs in the background (the counter keeps selling; the screen
 * polls `backups.status` for the bar). A restore never touches the book in use: it decrypts into a fresh file
 * beside it, runs SQLite's integrity check and the ledger's invariants on that file, and only then marks it
 * to take that book's place at the next start (`applyPendingRestore`, before the ledger opens). Every backup
 * and restore leaves an audit line.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Keyring,
  type Ledger,
  listBackups,
  openLedger,
  restoreBackup,
  withinTransaction,
} from '../../../db';
import type { CommandName } from '../../contract';
import { ApiError } from '../../errors';
import type { Handlers } from '../api';
import { codeOf, type HostAudit } from '../audit';
import { BACKUP_PLAN_SETTING, type BackupPlan, checkOffsiteDir, readBackupPlan } from '../backups/plan';
import { type BackupService, backupKeyring } from '../backups/service';
import { readHqLink } from '../enrolment/link';
import type { KeyRotation } from '../key-rotation';

export type BackupHandlerNames = Extract<CommandName, `backups.${string}`>;

/** The verified file waiting for the next start, and the note that says which backup it came from. */
export const RESTORE_CANDIDATE_SUFFIX = '.restored';
const RESTORE_NOTE_SUFFIX = '.restore-pending.json';

export interface RestoreNote {
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
 * At start, before the ledger opens: a verified restore takes the place of the book in use; the book it
 * replaces is kept as `<ledger>.before-restore-<time>`. Returns what was restored, or null.
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

/** The ledger's own invariants on a restored file, before it may take any book's place. */
export function checkBookInvariants(path: string) {
  const ledger = openLedger({ path, checkpointIntervalMs: 0, checkInvariantsAtOpen: false });
  try {
    return ledger.checkInvariants();
  } finally {
    ledger.close();
  }
}

/** Whether a book file is a till of a chain (its link with HQ is in its settings). */
function bookIsEnrolled(path: string): boolean {
  const ledger = openLedger({ path, checkpointIntervalMs: 0, checkInvariantsAtOpen: false });
  try {
    return readHqLink(ledger.settings) !== undefined;
  } finally {
    ledger.close();
  }
}

/**
 * A till of a chain is never restored from its own backup: the book would go back to sequence numbers HQ
 * has already applied and lose operations HQ holds, and the till would split from the chain. It comes back
 * by enrolment instead (a new code from HQ), which continues its sequence after HQ's last row.
 */
export function enrolledRestoreRefused(): ApiError {
  return new ApiError(
    'RESTORE_TILL_ENROLLED',
    'This till belongs to a chain: HQ holds its book. Enrol it again with a code from HQ instead of restoring',
  );
}

export function createBackupHandlers(deps: {
  ledger: Ledger;
  ledgerPath: string;
  backupDir: string;
  dataDir: string;
  keyring: Keyring | undefined;
  identity: { terminalId: string };
  service: BackupService;
  /** Key rotation; null without data keys. */
  keys: KeyRotation | null;
  audit: HostAudit;
  now?: () => number;
}): Pick<Handlers, BackupHandlerNames> {
  const now = deps.now ?? Date.now;
  const { service, audit } = deps;
  const record = (
    action: string,
    staffId: string | undefined,
    outcome: 'ok' | 'rejected',
    details: Record<string, unknown>,
    code?: string,
  ) => audit.record({ action, staffId, outcome, details, code: code ?? null });

  return {
    'backups.status': async () => {
      const backups = await listBackups(deps.backupDir).catch(() => []);
      const progress = service.progress;
      return {
        running: service.running,
        fraction: service.running ? (progress?.fraction ?? 0) : 0,
        phase: service.running ? (progress?.phase ?? null) : null,
        last: service.last,
        backups: backups.map((entry) => ({ name: entry.name, takenAt: entry.takenAt, bytes: entry.bytes })),
        restorePending: readNote(deps.ledgerPath),
        plan: service.plan(),
        nextDueAt: await service.nextDueAt(),
        escrowIssued: service.escrowIssued(),
      };
    },
    'backups.run': (_input, { session }) => ({ started: service.start(session.staff?.id ?? null) }),
    'backups.configure': ({ everyHours, keepDays, offsiteDir }, { session }) => {
      const staffId = session.staff?.id;
      const next: BackupPlan = {
        everyHours,
        keepDays,
        offsiteDir:
          offsiteDir === null || offsiteDir.trim() === '' ? null : checkOffsiteDir(offsiteDir, deps.dataDir),
      };
      withinTransaction(deps.ledger, () => {
        const before = readBackupPlan(deps.ledger);
        if (JSON.stringify(before) === JSON.stringify(next)) return;
        deps.ledger.settings.set(BACKUP_PLAN_SETTING, next);
        audit.record({
          action: 'settings.change',
          staffId,
          details: { key: BACKUP_PLAN_SETTING, from: before, to: next },
        });
      });
      return service.plan();
    },
    'backups.keys': () => {
      if (deps.keys === null) return { currentKeyId: null, keyIds: [], running: false, rotation: null };
      const { rotation, ...held } = deps.keys.status();
      return {
        ...held,
        rotation:
          rotation === null
            ? null
            : {
                keyId: rotation.keyId,
                startedAt: rotation.startedAt,
                done: rotation.done,
                total: rotation.total,
                finishedAt: rotation.finishedAt,
              },
      };
    },
    'backups.rotateKeys': async (_input, { session }) => {
      if (deps.keys === null) backupKeyring(undefined);
      return deps.keys!.rotate(session.staff?.id ?? null);
    },
    'backups.issueRecoveryCode': async (_input, { session }) => {
      const code = await service.issueEscrowCode();
      record('backup.escrow', session.staff?.id, 'ok', {});
      return { code };
    },
    'backups.restore': async ({ name }, { session }) => {
      const keyring = backupKeyring(deps.keyring);
      const staffId = session.staff?.id;
      const candidate = `${deps.ledgerPath}${RESTORE_CANDIDATE_SUFFIX}`;
      rmSync(candidate, { force: true });
      try {
        if (readHqLink(deps.ledger.settings) !== undefined) throw enrolledRestoreRefused();
        const restored = await restoreBackup({
          backupPath: join(deps.backupDir, name),
          livePath: candidate,
          keyring,
          keepReplaced: false,
          now,
          checkInvariants: checkBookInvariants,
        });
        if (bookIsEnrolled(candidate)) throw enrolledRestoreRefused();
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
