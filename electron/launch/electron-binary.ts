/**
 * Electron's binary for `npm start`. The `electron` npm package downloads it in an install script, which
 * this project switches off (`allowScripts`: installs, CI and the tests never wait on a 100 MB download).
 * `npm start` runs that same installer itself, with a short timeout, and keeps the reason when it cannot, so
 * the launcher can say in one line why it opened browser mode instead.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronFetch = { ok: true; binary: string } | { ok: false; reason: string };

const require = createRequire(import.meta.url);

/** Where the `electron` package lives (its installer, version and, once fetched, `dist/`). */
function electronPackageDir(): string | null {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

export function electronVersion(): string | null {
  const dir = electronPackageDir();
  if (dir === null) return null;
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The binary's path when the package has one on disk (its index.js throws until it does). */
export function installedElectronBinary(): string | null {
  const dir = electronPackageDir();
  if (dir === null) return null;
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** The installer's last words worth showing: its error line, one line, no stack. */
function lastError(output: string): string | null {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at '));
  const error = lines.find((line) => /error|ENOTFOUND|ECONN|ETIMEDOUT|EAI_AGAIN|\b[45]\d\d\b/i.test(line));
  return (error ?? lines.at(-1) ?? null)?.slice(0, 200) ?? null;
}

/**
 * Runs the electron package's own installer (it honours ELECTRON_MIRROR, electron_config_cache and the other
 * variables @electron/get documents). Resolves to the binary, or to the reason there is none.
 */
export async function fetchElectronBinary(options: {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}): Promise<ElectronFetch> {
  const env = options.env ?? process.env;
  const dir = electronPackageDir();
  if (dir === null) return { ok: false, reason: 'the electron package is not installed' };
  const skip = env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  if (skip !== undefined && skip !== '') {
    return { ok: false, reason: `its download is switched off (ELECTRON_SKIP_BINARY_DOWNLOAD=${skip})` };
  }
  const child = spawn(process.execPath, [join(dir, 'install.js')], { cwd: dir, env, stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  const outcome = await new Promise<number | 'timeout' | Error>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('timeout');
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
  if (outcome === 'timeout') {
    return { ok: false, reason: `no download within ${Math.round(options.timeoutMs / 1000)} s` };
  }
  if (outcome instanceof Error) return { ok: false, reason: outcome.message };
  const binary = installedElectronBinary();
  if (outcome === 0 && binary !== null) return { ok: true, binary };
  return { ok: false, reason: lastError(output) ?? `installer exit ${outcome}` };
}

/**
 * A failed download is remembered for an hour so a till without internet does not wait on every start;
 * `--fetch-electron` tries again at once.
 */
export function rememberedFailure(stateFile: string, now: number): string | null {
  try {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { at: number; reason: string };
    return now - state.at < 60 * 60 * 1000 ? state.reason : null;
  } catch {
    return null;
  }
}

export function rememberFailure(stateFile: string, reason: string, now: number): void {
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify({ at: now, reason })}\n`);
}
