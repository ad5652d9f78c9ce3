/** Small readers of /proc and /sys shared by the checks; every root is a parameter so tests use a temp tree. */
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

export interface DiagnosticRoots {
  /** Default `/dev`. */
  readonly dev: string;
  /** Default `/sys`. */
  readonly sys: string;
  /** Default `/proc`. */
  readonly proc: string;
  /** Default `/etc` (group names). */
  readonly etc: string;
}

export const SYSTEM_DIAGNOSTIC_ROOTS: DiagnosticRoots = {
  dev: '/dev',
  sys: '/sys',
  proc: '/proc',
  etc: '/etc',
};

export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Pids whose `comm` is `name` (the kernel's 15-character process name). */
export async function processesNamed(procRoot: string, name: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await listDir(procRoot)) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readText(join(procRoot, entry, 'comm'));
    if (comm?.trim() === name) pids.push(Number(entry));
  }
  return pids;
}

/** Loadable kernel modules currently loaded, from /proc/modules. */
export async function loadedModules(roots: DiagnosticRoots): Promise<Set<string>> {
  const modules = new Set<string>();
  const text = await readText(join(roots.proc, 'modules'));
  for (const line of text?.split('\n') ?? []) {
    const name = line.split(' ')[0];
    if (name) modules.add(name);
  }
  return modules;
}

/** The driver bound to a sysfs device directory, or undefined. */
export async function boundDriver(deviceDir: string): Promise<string | undefined> {
  try {
    return basename(await readlink(join(deviceDir, 'driver')));
  } catch {
    return undefined;
  }
}

/** Group name for a gid, from `<etc>/group`; the number as text when unknown. */
export async function groupName(etcRoot: string, gid: number): Promise<string> {
  const text = await readText(join(etcRoot, 'group'));
  for (const line of text?.split('\n') ?? []) {
    const [name, , id] = line.split(':');
    if (name && id !== undefined && Number(id) === gid) return name;
  }
  return String(gid);
}
