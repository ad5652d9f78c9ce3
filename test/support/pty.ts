/**
 * A pseudo-terminal pair made by socat: two linked serial lines, `a` and `b`, in a temporary directory.
 * Bytes written to one end come out of the other, through the real tty layer, so serial code runs as it
 * does against a USB-serial adapter. `unplug()` kills socat (both ends see the line vanish) and `plugIn()`
 * starts it again on the same paths. ptys refuse DTR/RTS ioctls, so open them without setting those.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** Path of one end (a symlink to /dev/pts/N). */
  readonly a: string;
  /** Path of the other end. */
  readonly b: string;
  /** Kills socat, as when the cable is pulled; the paths disappear. */
  unplug(): Promise<void>;
  /** Starts socat again on the same paths. */
  plugIn(): Promise<void>;
  /** Stops socat and removes the directory. */
  stop(): Promise<void>;
}

export async function startPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  let child: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    let log = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const started = Date.now();
    // socat logs "starting data transfer loop" once both ptys exist and are linked.
    while (!(log.includes('starting data transfer loop') && existsSync(a) && existsSync(b))) {
      if (proc.exitCode !== null) throw new Error(`socat exited: ${log}`);
      if (Date.now() - started > 5000) throw new Error(`socat did not start: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  const kill = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    a,
    b,
    unplug: kill,
    plugIn: start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
