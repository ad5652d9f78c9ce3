/**
 * `npm start`: the desktop app when Electron's binary is installed or can be fetched (and the native modules
 * built for it), browser mode otherwise, saying why in one line. `npm run start:web` (or `--web`): browser
 * mode. Options: `--port N`, `--training`, `--demo`, `--fetch-electron` (try the download again now).
 * The data directory is `POS_DATA_DIR`, else `~/.local/share/member-card-pos`. A directory without a book
 * opens the setup screen; `--demo` opens the demo café instead (never over a live store's book).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { resolveDataDir } from '../host/data-dir';
import { openBrowserModeKeys } from '../host/keys';
import { openTerminal, type Terminal } from '../host/setup/first-start';
import { startWebServer } from '../transports/web-server';
import {
  electronVersion,
  fetchElectronBinary,
  installedElectronBinary,
  rememberedFailure,
  rememberFailure,
} from './electron-binary';
import { ensureElectronNativeModules, NATIVE_PACKAGES } from './electron-native';
import { ensureRendererBuilt, REPO_ROOT } from './renderer-build';

const args = process.argv.slice(2);
const say = (line: string) => process.stderr.write(`${line}\n`);
/** The last failed Electron download, so a till without internet does not wait on it every start. */
const FETCH_STATE = join(REPO_ROOT, 'node_modules', '.cache', 'member-card-pos', 'electron-fetch.json');

function option(name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function startBrowserMode(): Promise<void> {
  const staticDir = await ensureRendererBuilt(say);
  const dataDir = resolveDataDir();
  const keys = await openBrowserModeKeys(dataDir);
  let terminal: Terminal;
  try {
    terminal = openTerminal({
      dataDir,
      trainingMode: args.includes('--training'),
      ...(args.includes('--demo') ? { book: 'demo' as const } : {}),
      hardware: true,
      keyring: keys.keyring,
      secrets: keys.secrets,
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'BOOK_IS_LIVE') {
      say(`${dataDir} holds a live store's book; the demo never mixes with it.`);
      say('Start the demo in a data directory of its own: POS_DATA_DIR=/tmp/pos-demo npm start -- --demo');
      process.exit(1);
    }
    throw error;
  }
  const port = Number(option('--port') ?? process.env.POS_PORT ?? 0);
  const server = await startWebServer({
    api: terminal.api,
    hub: terminal.hub,
    logger: terminal.logger,
    staticDir,
    port: Number.isSafeInteger(port) ? port : 0,
  });
  say(`data: ${dataDir}`);
  say(`log:  ${terminal.logFile}`);
  if (terminal.host() === null) say('No store is set up here yet: the counter opens on the setup screen.');
  say('Open the counter in a browser on this machine:');
  process.stdout.write(`${server.url}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await terminal.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function startDesktop(binary: string, nativeModulesDir: string): Promise<void> {
  await ensureRendererBuilt(say);
  const { buildShell } = await import('../shell/build');
  const main = await buildShell({ nativeModulesDir });
  const child = spawn(binary, [main, ...args], { stdio: 'inherit', cwd: REPO_ROOT });
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** Electron can load the Electron-ABI builds (a half-finished build folder fails here, not in the window). */
function electronLoadsNativeModules(binary: string, nativeModulesDir: string): boolean {
  const requires = NATIVE_PACKAGES.map(
    (name) => `require(${JSON.stringify(join(nativeModulesDir, 'node_modules', name))})`,
  ).join(';');
  const probe = spawnSync(binary, ['-e', requires], {
    cwd: REPO_ROOT,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: 'ignore',
    timeout: 20_000,
  });
  return probe.status === 0;
}

/**
 * The desktop app when Electron's binary is here or can be fetched, and the native modules can be built for
 * it; otherwise browser mode, with one line saying why.
 */
async function desktopPlan(): Promise<{ binary: string; nativeModulesDir: string } | { fallback: string }> {
  let binary = installedElectronBinary();
  if (binary === null) {
    const remembered = args.includes('--fetch-electron') ? null : rememberedFailure(FETCH_STATE, Date.now());
    if (remembered !== null) return { fallback: `Electron could not be fetched earlier (${remembered})` };
    say('fetching Electron…');
    const fetched = await fetchElectronBinary({ timeoutMs: 30_000 });
    if (!fetched.ok) {
      // A download switched off on purpose is not a failure to wait out.
      if (!process.env.ELECTRON_SKIP_BINARY_DOWNLOAD)
        rememberFailure(FETCH_STATE, fetched.reason, Date.now());
      return { fallback: `Electron could not be fetched (${fetched.reason})` };
    }
    binary = fetched.binary;
  }
  const version = electronVersion();
  if (version === null) return { fallback: 'the electron package is not installed' };
  say(`building the native modules for Electron ${version} (once)…`);
  const native = ensureElectronNativeModules({ repoRoot: REPO_ROOT, electron: version, timeoutMs: 600_000 });
  if (!native.ok)
    return { fallback: `the native modules could not be built for Electron (${native.reason})` };
  if (!electronLoadsNativeModules(binary, native.dir)) {
    return { fallback: `Electron ${version} cannot load the native modules built for it` };
  }
  return { binary, nativeModulesDir: native.dir };
}

if (args.includes('--web')) {
  await startBrowserMode();
} else {
  const plan = await desktopPlan();
  if ('fallback' in plan) {
    say(`${plan.fallback}; starting in browser mode.`);
    await startBrowserMode();
  } else {
    say(`starting the desktop app (${plan.binary})`);
    await startDesktop(plan.binary, plan.nativeModulesDir);
  }
}
