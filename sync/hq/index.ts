/** The public face of the HQ server: open its database, run its service, serve it over HTTP. */
export { HQ_ROLES, HqAccounts, type HqPrincipal, type HqRole } from './accounts';
export { AdminAudit, type AdminAuditEntry } from './admin-audit';
export { type HqDatabase, MIGRATIONS_FOLDER, type OpenHqDatabaseOptions, openHqDatabase } from './database';
export type { IngestOutcome } from './ingest';
export { DEFAULT_LIMITS, type HqLimits, type LimitPolicy } from './limits';
export { type HqServerOptions, isLoopback, type RunningHqServer, startHqServer } from './server';
export { type HqReport, HqService } from './service';
