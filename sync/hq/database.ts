/**
 * Opens HQ's database: PGlite in a directory (the embedded default) or PostgreSQL through `DATABASE_URL`,
 * behind one drizzle `pg` handle, and applies the committed migrations.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { SyncError } from '../errors';
import * as schema from './schema';

export type HqDb = PgDatabase<PgQueryResultHKT, typeof schema>;
export type HqTx = Parameters<Parameters<HqDb['transaction']>[0]>[0];

export interface HqDatabase {
  readonly db: HqDb;
  readonly engine: 'pglite' | 'postgres';
  /**
   * Runs `work` so that it does not interleave with other work on a single-connection engine. PGlite is one
   * connection: two transactions must not overlap on it. PostgreSQL has a pool, so work runs as it comes.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export type OpenHqDatabaseOptions =
  | { databaseUrl: string; poolSize?: number }
  | { dataDir: string }
  | { pglite: PGlite };

export async function openHqDatabase(options: OpenHqDatabaseOptions): Promise<HqDatabase> {
  try {
    if ('databaseUrl' in options) {
      const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
      // A connection the server drops (PostgreSQL restarting, a failover) raises an 'error' event on the pool
      // when idle and on the client when checked out; unheard, either would crash HQ. The pool replaces the
      // connection, and the request using it fails with HQ_DATABASE_UNAVAILABLE and is retried by its till.
      const connectionLost = (error: Error) => {
        process.stderr.write(`hq: database connection lost: ${error.message}\n`);
      };
      pool.on('error', connectionLost);
      pool.on('connect', (client) => client.on('error', connectionLost));
      releaseLostConnections(pool);
      const db = drizzlePg(pool, { schema });
      await migratePg(db, { migrationsFolder: MIGRATIONS_FOLDER });
      return {
        db: db as unknown as HqDb,
        engine: 'postgres',
        exclusive: (work) => work(),
        close: () => pool.end(),
      };
    }
    const ownsClient = !('pglite' in options);
    const client = 'pglite' in options ? options.pglite : new PGlite(options.dataDir);
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
    const queue = new SerialQueue();
    return {
      db: db as unknown as HqDb,
      engine: 'pglite',
      exclusive: (work) => queue.run(work),
      close: async () => {
        if (ownsClient) await client.close();
      },
    };
  } catch (error) {
    throw new SyncError('HQ_DATABASE_UNAVAILABLE', 'HQ could not open or migrate its database.', {
      cause: error,
    });
  }
}

/**
 * A checked-out connection that the server drops goes back to the pool at once, to be discarded, and a second
 * release of it is ignored. Without this a slot leaks whenever the connection dies before drizzle's
 * transaction reaches its `try` (its `BEGIN` runs outside it, so nothing releases the client when `BEGIN`
 * fails); after as many such moments as the pool has slots, HQ would wait for a connection forever.
 */
function releaseLostConnections(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  const guarded = async (): Promise<pg.PoolClient> => {
    const client = await (connect() as Promise<pg.PoolClient>);
    const release = client.release.bind(client);
    let released = false;
    const onLost = (error: Error) => client.release(error);
    client.release = (error?: Error | boolean) => {
      if (released) return;
      released = true;
      client.removeListener('error', onLost);
      release(error);
    };
    client.once('error', onLost);
    return client;
  };
  // pg's own pool.query calls connect with a callback; only the promise form (drizzle's) is guarded.
  pool.connect = ((...args: unknown[]) =>
    args.length > 0 ? connect(...args) : guarded()) as typeof pool.connect;
}

/** PostgreSQL error classes meaning "the server is going away or not there yet" rather than a bad query. */
const UNREACHABLE_SQLSTATES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);
const UNREACHABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/**
 * Whether `error` (or what caused it) says the database cannot be reached right now: the request may be
 * retried as it is, so HQ answers 503 with Retry-After instead of a 500.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE_SQLSTATES.has(code) || UNREACHABLE_ERRNOS.has(code)))
      return true;
    if (
      /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
        current.message,
      )
    )
      return true;
    current = current.cause;
  }
  return false;
}

/** Runs async jobs one after another, in arrival order. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The rows of a raw query, whichever driver ran it (both return `{ rows }`). */
export async function rows<T>(db: HqDb | HqTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
