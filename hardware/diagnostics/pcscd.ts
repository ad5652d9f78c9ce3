/**
 * Is pcscd there and reachable? Looks for the binary, the daemon process (`/proc/<pid>/comm`) and its
 * socket. A socket with no process is fine when systemd holds it (socket activation) and stale when
 * nothing accepts on it, so the socket is tried with a real connect.
 */
import { connect } from 'node:net';
import { type Finding, failed, passed } from './finding';
import { PCSCD_BINARIES, pcscdSocketPath } from './paths';
import { type DiagnosticRoots, exists, processesNamed } from './system';

export interface PcscdCheckOptions {
  readonly roots: DiagnosticRoots;
  readonly socketPath?: string | undefined;
  /** Where `PCSCLITE_CSOCK_NAME` is read when no socket path is given (default the process environment). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly binaries?: readonly string[] | undefined;
  readonly connectTimeoutMs?: number | undefined;
}

function socketAnswers(path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function checkPcscd(options: PcscdCheckOptions): Promise<Finding> {
  const id = 'pcscd';
  const socket = options.socketPath ?? pcscdSocketPath(options.env);
  const params = { socket };
  const binaries = options.binaries ?? PCSCD_BINARIES;
  const pids = await processesNamed(options.roots.proc, 'pcscd');
  const socketThere = await exists(socket);

  if (pids.length === 0 && !socketThere) {
    const installed = (await Promise.all(binaries.map(exists))).some(Boolean);
    return installed
      ? failed(id, 'error', 'PCSCD_NOT_RUNNING', 'START_PCSCD', params)
      : failed(id, 'error', 'PCSCD_NOT_INSTALLED', 'INSTALL_PCSCD', params);
  }
  if (!socketThere) return failed(id, 'error', 'PCSCD_SOCKET_MISSING', 'RESTART_PCSCD', params);
  if (await socketAnswers(socket, options.connectTimeoutMs ?? 1_000)) {
    return passed(id, { ...params, pid: pids.join(',') });
  }
  return failed(
    id,
    'error',
    pids.length === 0 ? 'PCSCD_NOT_RUNNING' : 'PCSCD_SOCKET_STALE',
    'RESTART_PCSCD',
    params,
  );
}
