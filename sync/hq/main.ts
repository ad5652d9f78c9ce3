/**
 * `npm run hq`: starts the HQ server.
 *   DATABASE_URL   PostgreSQL connection string; without it, PGlite in HQ_DATA_DIR (default ./.data/hq)
 *   HQ_HOST        listen address (default 127.0.0.1); anything but loopback needs HQ_TLS_KEY + HQ_TLS_CERT
 *   HQ_PORT        listen port (default 8780)
 *   HQ_ADMIN_TOKEN bearer token for the managers' page and admin routes (required off loopback)
 * Provisioning, each printing what it made and exiting:
 *   npm run hq -- store <storeId> <name> [--address A] [--time-zone Asia/Shanghai] [--currency CNY]
 *   npm run hq -- terminal <storeId> <name> [--id <terminalId>] [--ttl-hours 24]   a new terminal and its code
 *   npm run hq -- enrol <terminalId> [--ttl-hours 24]    a new one-time code for a terminal (a replaced till)
 *   npm run hq -- stores                                 the chain's stores
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SyncError } from '../errors';
import { openHqDatabase } from './database';
import { isLoopback, startHqServer } from './server';
import { HqService } from './service';

interface Args {
  positional: string[];
  options: Map<string, string>;
}

function parseArgs(args: string[]): Args {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg.startsWith('--')) {
      const value = args[index + 1];
      if (value === undefined) throw new SyncError('USAGE', `${arg} needs a value`);
      options.set(arg.slice(2), value);
      index += 1;
    } else positional.push(arg);
  }
  return { positional, options };
}

function ttlOf(args: Args): number | undefined {
  const hours = args.options.get('ttl-hours');
  if (hours === undefined) return undefined;
  const value = Number(hours);
  if (!Number.isFinite(value) || value <= 0)
    throw new SyncError('USAGE', '--ttl-hours must be a positive number');
  return Math.round(value * 60 * 60 * 1000);
}

/** A code in four groups of five, easier to read aloud and type; the till ignores the dashes. */
function grouped(code: string): string {
  return code.match(/.{1,5}/g)!.join('-');
}

function codeLines(terminalId: string, code: string, expiresAt: number): string {
  return [
    `terminal: ${terminalId}`,
    `code:     ${grouped(code)}`,
    `expires:  ${new Date(expiresAt).toISOString()}`,
  ].join('\n');
}

const COMMANDS: Record<string, (service: HqService, args: Args, now: number) => Promise<string>> = {
  async store(service, args, now) {
    const [id, name] = args.positional;
    if (!id || !name) {
      throw new SyncError(
        'USAGE',
        'usage: npm run hq -- store <storeId> <name> [--address A] [--time-zone Asia/Shanghai] [--currency CNY]',
      );
    }
    const store = await service.saveStore({
      id,
      name,
      address: args.options.get('address') ?? '',
      timeZone: args.options.get('time-zone') ?? 'Asia/Shanghai',
      currency: args.options.get('currency') ?? 'CNY',
      now,
    });
    return `store: ${store.id} ${store.name} (${store.timeZone}, ${store.currency})`;
  },
  async stores(service) {
    const stores = await service.stores();
    return stores
      .map((store) => `${store.id}\t${store.name}\t${store.timeZone}\t${store.currency}`)
      .join('\n');
  },
  async terminal(service, args, now) {
    const [storeId, name] = args.positional;
    if (!storeId || !name) {
      throw new SyncError(
        'USAGE',
        'usage: npm run hq -- terminal <storeId> <name> [--id <terminalId>] [--ttl-hours 24]',
      );
    }
    const terminalId = args.options.get('id');
    const made = await service.createTerminal({
      storeId,
      name,
      now,
      ...(terminalId === undefined ? {} : { terminalId }),
      ...(ttlOf(args) === undefined ? {} : { ttlMs: ttlOf(args) }),
    });
    return codeLines(made.terminalId, made.code, made.expiresAt);
  },
  async enrol(service, args, now) {
    const [terminalId] = args.positional;
    if (!terminalId) throw new SyncError('USAGE', 'usage: npm run hq -- enrol <terminalId> [--ttl-hours 24]');
    const ttlMs = ttlOf(args);
    const made = await service.createEnrolmentCode({
      terminalId,
      now,
      ...(ttlMs === undefined ? {} : { ttlMs }),
    });
    return codeLines(made.terminalId, made.code, made.expiresAt);
  },
};

async function main(): Promise<void> {
  const env = process.env;
  const dataDir = resolve(env.HQ_DATA_DIR ?? '.data/hq');
  if (!env.DATABASE_URL) mkdirSync(dataDir, { recursive: true });
  const database = env.DATABASE_URL
    ? await openHqDatabase({ databaseUrl: env.DATABASE_URL })
    : await openHqDatabase({ dataDir });
  const service = new HqService(database);
  const [command, ...args] = process.argv.slice(2);
  if (command !== undefined && command in COMMANDS) {
    try {
      process.stdout.write(`${await COMMANDS[command]!(service, parseArgs(args), Date.now())}\n`);
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
