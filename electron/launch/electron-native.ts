/**
 * The native modules (SQLite, PC/SC, HID, serial) built for Electron's ABI, in a folder of their own:
 * `node_modules/.electron-native/node_modules`. The project's own node_modules keep Node's builds, which
 * the tests, browser mode, the HQ and the benches load; the desktop shell's bundle is pointed at this folder
 * instead (see `nativeModulesPlugin`). npm builds them with Electron's headers as Electron's documentation
 * describes (runtime=electron, target=<version>, disturl=electronjs.org/headers).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';

/** The packages whose builds differ between Node and Electron (serialport brings its native bindings). */
export const NATIVE_PACKAGES = ['better-sqlite3', 'pcsclite', 'node-hid', 'serialport'] as const;

function electronNativeDir(repoRoot: string): string {
  return join(repoRoot, 'node_modules', '.electron-native');
}

/** The exact versions the working tree runs under Node, so Electron runs the same code. */
function installedVersions(repoRoot: string): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of NATIVE_PACKAGES) {
    const manifest = join(repoRoot, 'node_modules', name, 'package.json');
    versions[name] = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  }
  return versions;
}

interface Stamp {
  electron: string;
  packages: Record<string, string>;
}

/** True when the folder holds builds for this Electron version and these package versions. */
function nativeBuildIsCurrent(dir: string, wanted: Stamp): boolean {
  try {
    const stamp = JSON.parse(readFileSync(join(dir, 'built-for.json'), 'utf8')) as Stamp;
    return (
      stamp.electron === wanted.electron &&
      JSON.stringify(stamp.packages) === JSON.stringify(wanted.packages) &&
      NATIVE_PACKAGES.every((name) => existsSync(join(dir, 'node_modules', name, 'package.json')))
    );
  } catch {
    return false;
  }
}

export type NativeBuild = { ok: true; dir: string } | { ok: false; reason: string };

/** Installs and builds the native packages for `electron` in their own folder, unless already there. */
export function ensureElectronNativeModules(options: {
  repoRoot: string;
  electron: string;
  timeoutMs: number;
}): NativeBuild {
  const dir = electronNativeDir(options.repoRoot);
  const wanted: Stamp = { electron: options.electron, packages: installedVersions(options.repoRoot) };
  if (nativeBuildIsCurrent(dir, wanted)) return { ok: true, dir };
  mkdirSync(dir, { recursive: true });
  const project = JSON.parse(readFileSync(join(options.repoRoot, 'package.json'), 'utf8')) as {
    allowScripts?: Record<string, boolean>;
  };
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'electron-native-modules',
        private: true,
        dependencies: wanted.packages,
        allowScripts: { ...project.allowScripts, electron: false },
      },
      null,
      2,
    )}\n`,
  );
  const run = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--omit=dev'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    env: {
      ...process.env,
      npm_config_runtime: 'electron',
      npm_config_target: options.electron,
      npm_config_disturl: 'https://electronjs.org/headers',
    },
  });
  if (run.error !== undefined) {
    const code = (run.error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ETIMEDOUT' ? 'the build took too long' : String(run.error.message),
    };
  }
  if (run.status !== 0) {
    const line = `${run.stderr}`
      .split('\n')
      .map((text) => text.trim())
      .find((text) => /ERR!|error/i.test(text));
    return { ok: false, reason: line?.slice(0, 200) ?? `npm install exit ${run.status}` };
  }
  writeFileSync(join(dir, 'built-for.json'), `${JSON.stringify(wanted, null, 2)}\n`);
  return { ok: true, dir };
}

/**
 * Points the shell bundle's `require('better-sqlite3')` (and the other native packages) at the Electron
 * builds; everything else still comes from the project's node_modules.
 */
export function nativeModulesPlugin(dir: string): Plugin {
  const names = new Set<string>(NATIVE_PACKAGES);
  return {
    name: 'electron-native-modules',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) =>
        names.has(args.path) ? { path: join(dir, 'node_modules', args.path), external: true } : undefined,
      );
    },
  };
}
