/**
 * Encrypted online backups of the ledger: taken while the counter keeps working, rotated, scheduled, and
 * restored only after the copy proves itself.
 */
export {
  type BackupPhase,
  type BackupProgress,
  type BackupResult,
  memoryScratchDir,
  type TakeBackupOptions,
  takeBackup,
} from './backup';
export {
  BACKUP_FORMAT_VERSION,
  BACKUP_MAGIC,
  type BackupHeader,
  decryptFile,
  encryptFile,
  inspectBackup,
} from './container';
export { BACKUP_ERROR_CODES, BackupError, type BackupErrorCode, isBackupError } from './errors';
export { type InvariantVerdict, type RestoreOptions, type RestoreResult, restoreBackup } from './restore';
export {
  BACKUP_EXTENSION,
  type BackupEntry,
  backupFileName,
  listBackups,
  pruneBackups,
  pruneBackupsBefore,
} from './rotation';
export { type BackupScheduler, type BackupSchedulerOptions, createBackupScheduler } from './scheduler';
export { type SnapshotProgress, type SnapshotResult, snapshotDatabase } from './snapshot';
