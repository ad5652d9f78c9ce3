/**
 * The ledger's public face: the double-entry stored-value accounts of one terminal, in SQLite.
 * Other folders import from here and nowhere else in db/.
 */
export { type AuditFields, auditHash } from './audit-hash';
export * from './backup';
export * from './crypto';
export { isLedgerError, LEDGER_ERROR_CODES, LedgerError, type LedgerErrorCode } from './errors';
export * from './feed';
export { ledgerAudit, withinTransaction } from './host-access';
export { openLedger } from './ledger';
export * from './members';
export { applyLedgerPragmas } from './open';
export * from './promotions';
export * from './ratings';
export { newRecoveryCode, normalizeRecoveryCode } from './recovery';
export * from './reports';
export { DEMO, type DemoSeed, seedDemo } from './seed';
export * from './shifts';
export * from './types';
