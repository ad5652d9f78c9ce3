/**
 * A whole terminal for one test file: a fresh data directory, the host composed in-process, browser mode on
 * 127.0.0.1 port 0, and the built renderer. `stop()` undoes all of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Keyring } from '../../db';
import { createHost, type Host } from '../../electron/host/compose';
import { openBrowserModeKeys } from '../../electron/host/keys';
import { openTerminal, type Terminal } from '../../electron/host/setup/first-start';
import type { SecretStore } from '../../electron/keystore/secrets';
import { ensureRendererBuilt } from '../../electron/launch/renderer-build';
import { startWebServer, type WebServer } from '../../electron/transports/web-server';
import { writeSettings } from '../support/books';

export interface RunningTerminal {
  host: Host;
  server: WebServer;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTerminal(
  options: {
    trainingMode?: boolean;
    now?: () => number;
    keyring?: Keyring;
    /** The key store's secrets (a till enrolled with HQ keeps its signing key there). */
    secrets?: SecretStore;
    /** Written into the (demo-seeded) book before the terminal opens it: a book mode, a link to HQ. */
    settings?: Record<string, unknown>;
  } = {},
): Promise<RunningTerminal> {
  const staticDir = await ensureRendererBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-'));
  if (options.settings !== undefined) {
    await createHost({ book: 'demo', dataDir }).close();
    writeSettings(dataDir, options.settings);
  }
  const host = createHost({
    // The demo café, unless the settings above made its book live (then that book is opened as it is).
    ...(options.settings === undefined ? { book: 'demo' as const } : {}),
    dataDir,
    trainingMode: options.trainingMode ?? true,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.keyring === undefined ? {} : { keyring: options.keyring }),
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
  });
  const server = await startWebServer({ api: host.api, hub: host.hub, logger: host.logger, staticDir });
  return {
    host,
    server,
    dataDir,
    stop: async () => {
      await server.close();
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A clock that starts at noon in the demo store (Asia/Shanghai, where the business day turns at 04:00) and runs
 * on from there, so a test file stays inside one business day whenever it runs.
 */
export function storeNoonClock(): () => number {
  const today = new Date();
  const noon = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 4, 0, 0);
  const offset = noon - Date.now();
  return () => Date.now() + offset;
}

export interface SetupTerminal {
  terminal: Terminal;
  server: WebServer;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Browser mode on an empty data directory, as `npm start` runs it: the setup screen until a book is set up,
 * then the host composed in place behind the same server. With `hardware` the host uses the store's devices
 * (pcscd's readers), as a till in a store does.
 */
export async function startSetupTerminal(options: { hardware?: boolean } = {}): Promise<SetupTerminal> {
  const staticDir = await ensureRendererBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-setup-'));
  const keys = await openBrowserModeKeys(dataDir);
  const terminal = openTerminal({
    dataDir,
    keyring: keys.keyring,
    secrets: keys.secrets,
    ...(options.hardware === undefined ? {} : { hardware: options.hardware }),
  });
  const server = await startWebServer({
    api: terminal.api,
    hub: terminal.hub,
    logger: terminal.logger,
    staticDir,
  });
  return {
    terminal,
    server,
    dataDir,
    stop: async () => {
      await server.close();
      await terminal.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
