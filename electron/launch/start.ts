/**
 * `npm start`: the desktop app when Electron's binary is installed, browser mode otherwise.
 * `npm run start:web` (or `--web`): browser mode. Options: `--port N`, `--training`.
 * The data directory is `POS_DATA_DIR`, else `~/.local/share/member-card-pos`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createHost } from '../host/compose';
import { resolveDataDir } from '../host/data-dir';
import { openBrowserModeKeys } from '../host/keys';
import { startWebServer } from '../transports/web-server';
import { ensureRendererBuilt, REPO_ROOT } from './renderer-build';

const args = process.argv.slice(2);
const say = (line: string) => process.stderr.write(`${line}\n`);

function option(name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

/** The Electron binary's path when the `electron` package resolves to one that exists on disk. */
function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

async function startBrowserMode(): Promise<void> {
  const staticDir = await ensureRendererBuilt(say);
  const dataDir = resolveDataDir();
  const keys = await openBrowserModeKeys(dataDir);
  const host = createHost({
    dataDir,
    trainingMode: args.includes('--training'),
    hardware: true,
    keyring: keys.keyring,
    secrets: keys.secrets,
  });
  const port = Number(option('--port') ?? process.env.POS_PORT ?? 0);
  const server = await startWebServer({
    api: host.api,
    hub: host.hub,
    logger: host.logger,
    staticDir,
    port: Number.isSafeInteger(port) ? port : 0,
  });
  say(`data: ${dataDir}`);
  say(`log:  ${host.logFile}`);
  say('Open the counter in a browser on this machine:');
  process.stdout.write(`${server.url}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function startDesktop(binary: string): Promise<void> {
  await ensureRendererBuilt(say);
  const { buildShell } = await import('../shell/build');
  const main = await buildShell();
  const child = spawn(binary, [main, ...args], { stdio: 'inherit', cwd: REPO_ROOT });
  child.on('exit', (code) => process.exit(code ?? 0));
}

/**
 * The native modules in node_modules are built for Node's ABI (tests and browser mode need them so); the
 * packaged app carries Electron-ABI builds of its own. A working tree whose modules Electron cannot load
 * starts in browser mode instead of opening a window that cannot reach its ledger.
 */
function electronLoadsNativeModules(binary: string): boolean {
  const probe = spawnSync(
    binary,
    ['-e', "require('better-sqlite3'); require('pcsclite'); require('node-hid')"],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: 'ignore',
      timeout: 20_000,
    },
  );
  return probe.status === 0;
}

const binary = args.includes('--web') ? null : electronBinary();
if (binary === null) {
  if (!args.includes('--web')) say('Electron is not installed here; starting in browser mode.');
  await startBrowserMode();
} else if (!electronLoadsNativeModules(binary)) {
  say("Electron cannot load this tree's native modules (they are built for Node); starting in browser mode.");
  say('The packaged app (electron-builder) carries builds for Electron.');
  await startBrowserMode();
} else {
  say(`starting the desktop app (${join(binary)})`);
  await startDesktop(binary);
}
