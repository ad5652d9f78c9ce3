/**
 * An HQ server in a process of its own, started through the same entry as `npm run hq` (sync/hq/main.ts) on a
 * PostgreSQL given by `DATABASE_URL`, resolved once it listens. `kill()` ends it (SIGKILL by default: a crash;
 * SIGTERM lets it close, and write its CPU profile when it was started with one).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './postgres';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface HqProcess {
  url: string;
  port: number;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface HqProcessOptions {
  /** The port to listen on (a restart on the same port); a free one by default. */
  port?: number;
  timeoutMs?: number;
  /** Extra node flags, e.g. `--cpu-prof --cpu-prof-dir=DIR` to profile the process until it exits. */
  nodeArgs?: readonly string[];
}

export async function startHqProcess(
  env: Record<string, string>,
  options: HqProcessOptions = {},
): Promise<HqProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const listenPort = options.port ?? (await freePort());
  const nodeArgs = options.nodeArgs ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'sync/hq/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env, HQ_PORT: String(listenPort) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`HQ did not start in ${timeoutMs} ms: ${log}`));
    }, timeoutMs);
    child.stderr!.on('data', (chunk) => {
      log += String(chunk);
      if (log.includes('HQ listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`HQ exited with ${code} before listening: ${log}`));
    });
  });
  return {
    url: `http://127.0.0.1:${listenPort}`,
    port: listenPort,
    child,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
