/** The public face of the HQ server: open its database, run its service, serve it over HTTP. */
export { type HqDatabase, MIGRATIONS_FOLDER, type OpenHqDatabaseOptions, openHqDatabase } from './database';
export type { IngestOutcome } from './ingest';
export { type HqServerOptions, isLoopback, type RunningHqServer, startHqServer } from './server';
export { type HqReport, HqService } from './service';
