/**
 * A whole terminal for one test file: a fresh data directory, the host composed in-process, browser mode on
 * 127.0.0.1 port 0, and the built renderer. `stop()` undoes all of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Keyring } from '../../db';
import { createHost, type Host } from '../../electron/host/compose';
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
    /** Written into the (demo-seeded) book before the terminal opens it: a book mode, a link to HQ. */
    settings?: Record<string, unknown>;
  } = {},
): Promise<RunningTerminal> {
  const staticDir = await ensureRendererBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-'));
  if (options.settings !== undefined) {
    await createHost({ dataDir }).close();
    writeSettings(dataDir, options.settings);
  }
  const host = createHost({
    dataDir,
    trainingMode: options.trainingMode ?? true,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.keyring === undefined ? {} : { keyring: options.keyring }),
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
