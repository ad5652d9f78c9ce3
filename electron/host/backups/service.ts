/**
 * The terminal's backups: one at a time, on demand from the Backups screen or on the store's schedule (daily
 * unless the plan says otherwise), each followed by the same work: backups older than the days kept are
 * removed (the newest always stays), the key escrow is sealed again beside them, and the new backup is copied
 * to the folder off this machine. A copy that fails leaves the local backup in place and says why.
 *
 * The schedule looks every minute whether the newest backup is older than the plan's interval, so a terminal
 * that was off overnight takes its backup shortly after it starts, and a change of plan applies at once.
 */
import {
  BackupError,
  type BackupProgress,
  type Keyring,
  type Ledger,
  listBackups,
  pruneBackupsBefore,
  takeBackup,
} from '../../../db';
import { ApiError } from '../../errors';
import type { SecretStore } from '../../keystore/secrets';
import type { HostAudit } from '../audit';
import { readHqLink } from '../enrolment/link';
import type { Logger } from '../logger';
import { type EscrowContent, escrowIssued, issueEscrowCode, sealEscrow, writeEscrow } from './escrow';
import { copyOffsite, offsiteFolder } from './offsite';
import { type BackupPlan, readBackupPlan } from './plan';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The local backup is kept by days; the count only bounds one take's own prune step. */
const NO_COUNT_LIMIT = Number.MAX_SAFE_INTEGER;

/** The data keys a backup or a restore needs, or BACKUP_KEYS_MISSING. */
export function backupKeyring(keyring: Keyring | undefined): Keyring {
  if (keyring === undefined) {
    throw new ApiError(
      'BACKUP_KEYS_MISSING',
      'This terminal was started without its data keys; backups need them',
    );
  }
  return keyring;
}

export interface LastBackup {
  ok: boolean;
  name: string | null;
  at: number;
  code: string | null;
  /** The copy off the machine: null when no folder is chosen. */
  offsite: { ok: boolean; code: string | null } | null;
}

export interface BackupService {
  readonly running: boolean;
  readonly progress: BackupProgress | null;
  readonly last: LastBackup | null;
  plan(): BackupPlan;
  /** When the schedule takes the next backup (UTC ms), or null when this terminal cannot back up. */
  nextDueAt(): Promise<number | null>;
  escrowIssued(): boolean;
  /** Starts a backup in the background; false when one is already running. */
  start(staffId: string | null): boolean;
  /** Resolves when the backup running now (if any) has finished. */
  settled(): Promise<void>;
  /** A new backup recovery code (shown once); the escrow is sealed under it at once. */
  issueEscrowCode(): Promise<string>;
  /** Seals the escrow again with the keys held now (after a key rotation). */
  refreshEscrow(): Promise<void>;
  /** Looks once whether a backup is due, and starts it. */
  checkSchedule(): Promise<void>;
  startSchedule(checkEveryMs: number): void;
  stop(): Promise<void>;
}

export function createBackupService(deps: {
  ledger: Ledger;
  ledgerPath: string;
  backupDir: string;
  keyring: Keyring | undefined;
  secrets: SecretStore | undefined;
  identity: { storeId: string; terminalId: string };
  cardKeys: () => EscrowContent['cardKeys'];
  audit: HostAudit;
  logger: Logger;
  now: () => number;
}): BackupService {
  const { now, audit, logger } = deps;
  let running: Promise<void> | null = null;
  let progress: BackupProgress | null = null;
  let last: LastBackup | null = null;
  let timer: NodeJS.Timeout | undefined;

  const keys = () => backupKeyring(deps.keyring);

  const escrowText = (keyring: Keyring): string | null =>
    deps.secrets === undefined
      ? null
      : sealEscrow(deps.secrets, {
          storeId: deps.identity.storeId,
          terminalId: deps.identity.terminalId,
          enrolled: readHqLink(deps.ledger.settings) !== undefined,
          keyring,
          cardKeys: deps.cardKeys(),
        });

  const copyOff = async (plan: BackupPlan, path: string, escrow: string | null, keepSince: number) => {
    if (plan.offsiteDir === null) return { offsite: null, details: {} };
    try {
      const copy = await copyOffsite({
        backupPath: path,
        folder: offsiteFolder(plan.offsiteDir, deps.identity.terminalId),
        escrow,
        keepSince,
      });
      return { offsite: { ok: true, code: null }, details: { offsite: copy } };
    } catch (error) {
      logger.error({ err: error, dir: plan.offsiteDir }, 'the backup was not copied off the machine');
      const code = 'BACKUP_OFFSITE_UNREACHABLE';
      return { offsite: { ok: false, code }, details: { offsite: { failed: code } } };
    }
  };

  const take = async (keyring: Keyring, staffId: string | null, trigger: 'screen' | 'schedule') => {
    const plan = readBackupPlan(deps.ledger);
    try {
      const result = await takeBackup({
        sourcePath: deps.ledgerPath,
        dir: deps.backupDir,
        keyring,
        keep: NO_COUNT_LIMIT,
        now,
        onProgress: (event) => {
          progress = event;
        },
      });
      const keepSince = now() - plan.keepDays * DAY_MS;
      const removed = await pruneBackupsBefore(deps.backupDir, keepSince);
      const escrow = escrowText(keyring);
      if (escrow !== null) await writeEscrow(deps.backupDir, escrow);
      const copy = await copyOff(plan, result.path, escrow, keepSince);
      last = { ok: true, name: result.name, at: now(), code: null, offsite: copy.offsite };
      audit.record({
        action: 'backup.take',
        staffId,
        details: { name: result.name, bytes: result.bytes, removed, trigger, ...copy.details },
      });
    } catch (error) {
      const code = error instanceof BackupError ? error.code : 'BACKUP_FAILED';
      last = { ok: false, name: null, at: now(), code, offsite: null };
      logger.error({ err: error }, 'backup failed');
      audit.record({ action: 'backup.take', staffId, outcome: 'rejected', code, details: { trigger } });
    }
  };

  const begin = (staffId: string | null, trigger: 'screen' | 'schedule'): boolean => {
    const keyring = keys();
    if (running !== null) return false;
    progress = null;
    running = take(keyring, staffId, trigger).finally(() => {
      running = null;
    });
    return true;
  };

  /** Seals the escrow again (a new code, a rotated key) beside the backups and their copy off the machine. */
  const refreshEscrow = async () => {
    if (deps.keyring === undefined) return;
    const escrow = escrowText(deps.keyring);
    if (escrow === null) return;
    await writeEscrow(deps.backupDir, escrow);
    const plan = readBackupPlan(deps.ledger);
    if (plan.offsiteDir !== null) {
      await writeEscrow(offsiteFolder(plan.offsiteDir, deps.identity.terminalId), escrow).catch(
        (error: unknown) => logger.error({ err: error }, 'the escrow was not copied off the machine'),
      );
    }
  };

  const nextDueAt = async (): Promise<number | null> => {
    if (deps.keyring === undefined) return null;
    const [newest] = await listBackups(deps.backupDir).catch(() => []);
    const every = readBackupPlan(deps.ledger).everyHours * HOUR_MS;
    return newest === undefined ? now() : newest.takenAt + every;
  };

  const checkSchedule = async () => {
    if (running !== null) return;
    const due = await nextDueAt();
    if (due !== null && due <= now()) begin(null, 'schedule');
  };

  return {
    get running() {
      return running !== null;
    },
    get progress() {
      return progress;
    },
    get last() {
      return last;
    },
    plan: () => readBackupPlan(deps.ledger),
    nextDueAt,
    escrowIssued: () => escrowIssued(deps.secrets),
    start: (staffId) => begin(staffId, 'screen'),
    settled: async () => {
      await running;
    },
    async issueEscrowCode() {
      keys();
      if (deps.secrets === undefined) {
        throw new ApiError('BACKUP_KEYS_MISSING', 'This terminal has no key store to keep the escrow key in');
      }
      const code = await issueEscrowCode(deps.secrets);
      await refreshEscrow();
      return code;
    },
    refreshEscrow,
    checkSchedule,
    startSchedule(checkEveryMs) {
      if (timer !== undefined || deps.keyring === undefined) return;
      timer = setInterval(() => {
        checkSchedule().catch((error: unknown) => logger.error({ err: error }, 'backup schedule failed'));
      }, checkEveryMs);
      // A pending check must never be what keeps the process alive.
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
