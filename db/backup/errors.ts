/**
 * Refusals from taking, reading and restoring backups. Codes are stable; a restore that fails for any
 * reason leaves the live ledger exactly as it was, and the code says why.
 */
import { CodedError } from '../../common/coded-error';

export const BACKUP_ERROR_CODES = [
  /** Copying or writing the backup failed (details carry the cause). */
  'BACKUP_FAILED',
  /** The disk (or the backup folder's file system) is full; nothing partial is left behind. */
  'BACKUP_NO_SPACE',
  /** The backup file does not exist. */
  'BACKUP_NOT_FOUND',
  /** Not a backup of this product (wrong magic) or a header that does not parse. */
  'BACKUP_FORMAT_INVALID',
  /** A backup written by a newer format version. */
  'BACKUP_VERSION_UNSUPPORTED',
  /** The backup was encrypted with a key this terminal does not hold. */
  'BACKUP_KEY_UNKNOWN',
  /** This terminal holds a key of that id, but not the one the backup was made with (another terminal's). */
  'BACKUP_KEY_MISMATCH',
  /** The file ends before its last chunk: cut short by a copy, a full disk or a crash. */
  'BACKUP_TRUNCATED',
  /** A chunk or the header fails authentication, chunks were reordered, or data follows the end. */
  'BACKUP_TAMPERED',
  /** The decrypted database fails SQLite's integrity check. */
  'RESTORE_INTEGRITY_FAILED',
  /** The decrypted database fails the ledger's invariant check. */
  'RESTORE_INVARIANTS_FAILED',
  /** The live ledger is still open elsewhere; close it before restoring. */
  'RESTORE_LIVE_IN_USE',
  /** Writing or swapping in the restored file failed; the live file is untouched. */
  'RESTORE_FAILED',
  /** A bad option (retention count, interval, path). */
  'BACKUP_OPTION_INVALID',
] as const;

export type BackupErrorCode = (typeof BACKUP_ERROR_CODES)[number];

export class BackupError extends CodedError<BackupErrorCode> {
  override readonly name = 'BackupError';
}

export function isBackupError(value: unknown, code?: BackupErrorCode): value is BackupError {
  return value instanceof BackupError && (code === undefined || value.code === code);
}

/** True for a full disk, whether Node (ENOSPC) or SQLite (SQLITE_FULL) noticed it. */
export function isNoSpace(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'SQLITE_FULL' || /disk is full|ENOSPC/.test(current.message))
      return true;
    current = current.cause;
  }
  return false;
}
