/** The public face of `sync/`: the wire protocol, the terminal's sync worker and its HTTP client. */
export {
  AUDIT_CURSOR_KEY,
  type AuditPushOutcome,
  type AuditRefusal,
  type AuditSource,
  AuditStream,
} from './audit-stream';
export { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff';
export {
  type ChainCardKeys,
  cardKeysContext,
  checkHqUrl,
  type EnrolledTerminal,
  enrolTerminal,
  HqHttpClient,
  type HqTransport,
  isRetryable,
  type TerminalCredentials,
} from './client';
export { SyncError } from './errors';
export {
  assertOfflineSpendAllowed,
  checkOfflineSpend,
  type OfflineSpendAnswer,
  type OfflineSpendQuestion,
} from './guard';
export { type CardMovement, type Reading, readOperation } from './movements';
export type {
  FeedSink,
  OutboxRow,
  OutboxStore,
  SettingsStore,
} from './outbox';
export { makeRatingToken, type RatingClaims } from './rating-token';
export { signRequest, verifyRequest } from './signing';
export * from './wire';
export {
  addSyncErrors,
  offlineExposure,
  type PushOutcome,
  SETTINGS_KEYS,
  type SyncErrorRecord,
  type SyncStatus,
  SyncWorker,
  type SyncWorkerOptions,
} from './worker';
