/**
 * `npm run hq`: starts the HQ server.
 *   DATABASE_URL       PostgreSQL connection string; without it, PGlite in HQ_DATA_DIR (default ./.data/hq)
 *   HQ_HOST            listen address (default 127.0.0.1); anything but loopback needs HQ_TLS_KEY + HQ_TLS_CERT
 *   HQ_PORT            listen port (default 8780)
 *   HQ_PUBLIC_ORIGIN   the origin(s) people open HQ's page at, comma-separated (default: the listen address)
 *   HQ_KEY_CACHE_MS    how long a terminal's key (and its revocation) is cached (default 10000)
 *   HQ_LIMIT_ADDRESS   rate,burst,concurrent per client address (default 200,400,64)
 *   HQ_LIMIT_TERMINAL  rate,burst,concurrent per terminal (default 20,40,4)
 *   HQ_LIMIT_RATING    rate,burst,concurrent of customers' rating posts per client address (default 1,30,4)
 * `npm run hq -- user|token|revoke|store|stores|terminal|enrol ...` manages HQ users, stores and terminals and
 * exits (see `cli.ts`).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SyncError } from '../errors';
import { CLI_COMMANDS, runCli } from './cli';
import { openHqDatabase } from './database';
import type { LimitPolicy } from './limits';
import { startHqServer } from './server';
import { HqService } from './service';

function limitFrom(name: string, text: string | undefined): LimitPolicy | undefined {
  if (text === undefined) return undefined;
  const [ratePerSecond, burst, concurrent] = text.split(',').map(Number);
  if (![ratePerSecond, burst, concurrent].every((value) => Number.isFinite(value) && value! > 0)) {
    throw new SyncError('LIMIT_INVALID', `${name} is rate,burst,concurrent (three positive numbers).`);
  }
  return { ratePerSecond: ratePerSecond!, burst: burst!, concurrent: concurrent! };
}

async function main(): Promise<void> {
  const env = process.env;
  const dataDir = resolve(env.HQ_DATA_DIR ?? '.data/hq');
  if (!env.DATABASE_URL) mkdirSync(dataDir, { recursive: true });
  const database = env.DATABASE_URL
    ? await openHqDatabase({ databaseUrl: env.DATABASE_URL })
    : await openHqDatabase({ dataDir });
  const service = new HqService(
    database,
    env.HQ_KEY_CACHE_MS ? { keyTtlMs: Number(env.HQ_KEY_CACHE_MS) } : {},
  );
  const [command, ...args] = process.argv.slice(2);
  if (command !== undefined) {
    if (!CLI_COMMANDS.has(command))
      throw new SyncError('CLI_ARGUMENTS_INVALID', `unknown command ${command}`);
    try {
      process.stdout.write(`${await runCli(service, command, args)}\n`);
    } finally {
      await database.close();
    }
    return;
  }
  const host = env.HQ_HOST ?? '127.0.0.1';
  const tls =
    env.HQ_TLS_KEY && env.HQ_TLS_CERT
      ? { key: readFileSync(env.HQ_TLS_KEY), cert: readFileSync(env.HQ_TLS_CERT) }
      : undefined;
  const address = limitFrom('HQ_LIMIT_ADDRESS', env.HQ_LIMIT_ADDRESS);
  const terminal = limitFrom('HQ_LIMIT_TERMINAL', env.HQ_LIMIT_TERMINAL);
  const rating = limitFrom('HQ_LIMIT_RATING', env.HQ_LIMIT_RATING);
  const server = await startHqServer({
    service,
    host,
    port: Number(env.HQ_PORT ?? 8780),
    ...(tls ? { tls } : {}),
    ...(env.HQ_PUBLIC_ORIGIN ? { publicOrigins: env.HQ_PUBLIC_ORIGIN.split(',').map((o) => o.trim()) } : {}),
    limits: {
      ...(address ? { address } : {}),
      ...(terminal ? { terminal } : {}),
      ...(rating ? { rating } : {}),
    },
  });
  process.stderr.write(
    `HQ listening on ${server.url} (${database.engine}); page at ${server.origins.join(', ')}\n`,
  );
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
