/**
 * A throwaway PostgreSQL 15 cluster for tests and benchmarks: `initdb` into a temp directory owned by the
 * `postgres` user, `pg_ctl start` on a free loopback port with its socket in the same directory, and
 * `stop()` to shut it down (immediate mode) and delete everything.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

export interface PostgresCluster {
  url: string;
  port: number;
  dir: string;
  /** Shuts the server down (fast mode: clients are cut off) and keeps its data, as an operator's restart does. */
  stopServer(): Promise<void>;
  /** Starts the server again on the same port and data after `stopServer()`. */
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ids(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry: string) => entry.startsWith(`${name}:`));
  if (!line) throw new Error(`no ${name} user on this machine`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs a PostgreSQL binary as `postgres` when we are root (PostgreSQL refuses to run as root). */
async function asPostgres(binary: string, args: string[]): Promise<void> {
  const asRoot = userInfo().uid === 0;
  const [command, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(BIN, binary), ...args]]
    : [join(BIN, binary), args];
  await run(command, argv, { maxBuffer: 8 * 1024 * 1024 });
}

export async function startPostgres(
  options: { settings?: Record<string, string> } = {},
): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-pg-'));
  const data = join(dir, 'data');
  if (userInfo().uid === 0) {
    const { uid, gid } = ids('postgres');
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const port = await freePort();
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dir,
    max_connections: '200',
    ...options.settings,
  };
  const flags = Object.entries(settings)
    .map(([key, value]) => `-c ${key}=${value}`)
    .join(' ');
  let running = false;
  const startServer = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-o', flags, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
    running = true;
  };
  const stopServer = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    running = false;
  };
  try {
    await asPostgres('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-sync',
    ]);
    await startServer();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  // A process that dies without calling stop() (an uncaught error, a failed fork) must not leave a server behind.
  const stopOnExit = () => {
    if (stopped) return;
    stopped = true;
    const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
    try {
      if (userInfo().uid === 0)
        execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else execFileSync(join(BIN, 'pg_ctl'), args, { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopOnExit);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stopServer,
    startServer,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopOnExit);
      try {
        if (running) await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Where a test run's shared cluster is, set by the integration tests' global setup (test/setup). */
export const SHARED_POSTGRES_ENV = 'POS_TEST_POSTGRES_URL';

export interface PostgresDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database of its own for one test: a new database in the run's shared cluster when there is one
 * (creating a database takes milliseconds, a cluster seconds), otherwise a cluster of its own.
 */
export async function freshDatabase(): Promise<PostgresDatabase> {
  const shared = process.env[SHARED_POSTGRES_ENV];
  if (!shared) {
    const cluster = await startPostgres();
    return { url: cluster.url, drop: () => cluster.stop() };
  }
  const { default: pg } = await import('pg');
  const name = `test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: shared });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(shared);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: shared });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
