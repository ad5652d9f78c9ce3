/**
 * CPU time used by processes, read from Linux's /proc: what a run cost each process regardless of how busy
 * the machine was with other work, so a figure from a shared machine still says where the time goes.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second for /proc's utime and stime (USER_HZ, 100 on Linux everywhere we run). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU milliseconds of one process so far, or 0 once it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
  } catch {
    return 0;
  }
}

/** The pids of a PostgreSQL cluster's processes: the postmaster (first line of postmaster.pid) and its children. */
export function clusterPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === postmaster) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** CPU milliseconds per process at one moment, to subtract from a later reading. */
export type CpuReading = Map<number, number>;

export function readCpu(pids: readonly number[]): CpuReading {
  return new Map(pids.map((pid) => [pid, cpuMsOf(pid)]));
}

/**
 * CPU milliseconds the processes used since `before`; a process started meanwhile counts whole, one that ended
 * meanwhile is lost (short-lived PostgreSQL backends: the figure is a floor).
 */
export function cpuSince(before: CpuReading, pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    const now = cpuMsOf(pid);
    if (now > 0) total += now - (before.get(pid) ?? 0);
  }
  return total;
}
