/**
 * `npm run hq`: starts the HQ server.
 *   DATABASE_URL   PostgreSQL connection string; without it, PGlite in HQ_DATA_DIR (default ./.data/hq)
 *   HQ_HOST        listen address (default 127.0.0.1); anything but loopback needs HQ_TLS_KEY + HQ_TLS_CERT
 *   HQ_PORT        listen port (default 8780)
 *   HQ_ADMIN_TOKEN bearer token for the managers' page and admin routes (required off loopback)
 * `npm run hq -- enrol <terminalId> <storeId>` prints a one-time enrolment code and exits.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SyncError } from '../errors';
import { openHqDatabase } from './database';
import { isLoopback, startHqServer } from './server';
import { HqService } from './service';

async function main(): Promise<void> {
  const env = process.env;
  const dataDir = resolve(env.HQ_DATA_DIR ?? '.data/hq');
  if (!env.DATABASE_URL) mkdirSync(dataDir, { recursive: true });
  const database = env.DATABASE_URL
    ? await openHqDatabase({ databaseUrl: env.DATABASE_URL })
    : await openHqDatabase({ dataDir });
  const service = new HqService(database);
  const [command, ...args] = process.argv.slice(2);
  if (command === 'enrol') {
    const [terminalId, storeId] = args;
    if (!terminalId || !storeId)
      throw new SyncError('USAGE', 'usage: npm run hq -- enrol <terminalId> <storeId>');
    process.stdout.write(`${await service.createEnrolmentCode({ terminalId, storeId, now: Date.now() })}\n`);
    await database.close();
    return;
  }
  const host = env.HQ_HOST ?? '127.0.0.1';
  const tls =
    env.HQ_TLS_KEY && env.HQ_TLS_CERT
      ? { key: readFileSync(env.HQ_TLS_KEY), cert: readFileSync(env.HQ_TLS_CERT) }
      : undefined;
  if (!isLoopback(host) && !env.HQ_ADMIN_TOKEN) {
    throw new SyncError('ADMIN_TOKEN_REQUIRED', 'Set HQ_ADMIN_TOKEN when HQ listens beyond this machine.');
  }
  const server = await startHqServer({
    service,
    host,
    port: Number(env.HQ_PORT ?? 8780),
    ...(tls ? { tls } : {}),
    ...(env.HQ_ADMIN_TOKEN ? { adminToken: env.HQ_ADMIN_TOKEN } : {}),
  });
  process.stderr.write(`HQ listening on ${server.url} (${database.engine})\n`);
  const shutdown = async () => {
    await server.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const code = error instanceof SyncError ? error.code : 'HQ_START_FAILED';
  process.stderr.write(`hq: ${code}: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof Error && error.cause) process.stderr.write(`  cause: ${String(error.cause)}\n`);
  process.exit(1);
});
