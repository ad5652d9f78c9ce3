/**
 * How `npm start` gets Electron: the electron package's own installer, run with a short timeout, against a
 * loopback mirror here (ELECTRON_MIRROR, as @electron/get documents) so the outcome never depends on the
 * internet. A refused or silent download comes back as one line of reason, never a hang or a stack.
 * The desktop bundle then loads the native packages from the Electron-ABI folder, nothing else from it.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fetchElectronBinary,
  installedElectronBinary,
  rememberedFailure,
  rememberFailure,
} from '../../../electron/launch/electron-binary';
import { nativeModulesPlugin } from '../../../electron/launch/electron-native';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-electron-fetch-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function mirror(answer: 'not-found' | 'silent'): Promise<string> {
  const server: Server = createServer((request, response) => {
    if (answer === 'silent') return; // holds the connection open and says nothing
    response.writeHead(404).end(`no ${request.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** The installer's environment with a mirror and an empty cache; nothing from the machine's own settings. */
function env(mirrorUrl: string): NodeJS.ProcessEnv {
  const { ELECTRON_SKIP_BINARY_DOWNLOAD: _skip, ...rest } = process.env;
  return { ...rest, ELECTRON_MIRROR: mirrorUrl, electron_config_cache: tempDir() };
}

describe.skipIf(installedElectronBinary() !== null)('fetching Electron for npm start', () => {
  it('gives the mirror’s refusal as the reason, in one line', async () => {
    const fetched = await fetchElectronBinary({ timeoutMs: 20_000, env: env(await mirror('not-found')) });
    expect(fetched.ok).toBe(false);
    if (fetched.ok) return;
    expect(fetched.reason).toMatch(/404/);
    expect(fetched.reason).not.toContain('\n');
    expect(installedElectronBinary()).toBeNull();
  });

  it('stops waiting on a download that never comes', async () => {
    const fetched = await fetchElectronBinary({ timeoutMs: 1_500, env: env(await mirror('silent')) });
    expect(fetched).toEqual({ ok: false, reason: 'no download within 2 s' });
  });

  it('says so when the download is switched off', async () => {
    const fetched = await fetchElectronBinary({
      timeoutMs: 1_000,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    expect(fetched).toEqual({
      ok: false,
      reason: 'its download is switched off (ELECTRON_SKIP_BINARY_DOWNLOAD=1)',
    });
  });
});

describe('a failed download is remembered for an hour', () => {
  it('and forgotten after it', () => {
    const file = join(tempDir(), 'state', 'electron-fetch.json');
    expect(rememberedFailure(file, 0)).toBeNull();
    rememberFailure(file, 'getaddrinfo ENOTFOUND github.com', 1_000);
    expect(rememberedFailure(file, 1_000 + 59 * 60_000)).toBe('getaddrinfo ENOTFOUND github.com');
    expect(rememberedFailure(file, 1_000 + 61 * 60_000)).toBeNull();
  });
});

describe('the desktop bundle’s native packages', () => {
  it('come from the Electron-ABI folder; other packages from node_modules as before', async () => {
    const out = await build({
      stdin: {
        contents: "require('better-sqlite3'); require('serialport'); require('pino'); require('./x');",
        resolveDir: tempDir(),
        loader: 'js',
      },
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      external: ['./x'],
      plugins: [nativeModulesPlugin('/opt/electron-native')],
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    expect(code).toContain('require("/opt/electron-native/node_modules/better-sqlite3")');
    expect(code).toContain('require("/opt/electron-native/node_modules/serialport")');
    expect(code).toContain('require("pino")');
  });
});
