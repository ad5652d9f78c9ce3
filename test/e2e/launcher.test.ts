/**
 * `npm start -- --demo` on a machine without Electron's binary: the launcher falls back to browser mode,
 * creates the demo store in an empty data directory, prints one URL on stdout, serves the counter there, and
 * stops cleanly on SIGTERM, leaving the demo café whose printed PINs open it. Over a live store's book `--demo` is refused in words.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { openBrowserModeKeys } from '../../electron/host/keys';
import { Session } from '../../electron/host/session';
import { openTerminal } from '../../electron/host/setup/first-start';

/** True where `require('electron')` names an installed binary: there `npm start` opens the desktop app. */
function electronInstalled(): boolean {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path);
  } catch {
    return false;
  }
}

let dataDir: string;
let child: ChildProcess;
let url: string;
let stderr = '';

beforeAll(async () => {
  if (electronInstalled()) return;
  dataDir = mkdtempSync(join(tmpdir(), 'pos-launch-'));
  child = spawn(process.execPath, ['--import', 'tsx', 'electron/launch/start.ts', '--demo'], {
    // The launcher would fetch Electron; here its download is switched off so the run never depends on the
    // internet (test/unit/shell/electron-fetch.test.ts covers the download itself).
    env: {
      ...process.env,
      POS_DATA_DIR: dataDir,
      NODE_ENV: 'production',
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 60_000);
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk);
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('http://'));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`launcher exited with ${code}; stderr: ${stderr}`)));
  });
});

afterAll(async () => {
  if (child === undefined) return;
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(electronInstalled())('npm start -- --demo without Electron', () => {
  it('says in one line why it is using browser mode and prints a 127.0.0.1 URL carrying the token', () => {
    const why = stderr.split('\n').filter((line) => line.includes('browser mode'));
    expect(why).toHaveLength(1);
    expect(why[0]).toMatch(/^Electron could not be fetched (earlier )?\(.+\); starting in browser mode\.$/);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{32}$/);
  });

  it('serves the counter at that URL', async () => {
    const response = await fetch(url.split('#')[0]!);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<div id="root"></div>');
    // The CSP travels in the page as well as in the header.
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
  });

  it('creates the demo store and the log in the data directory', () => {
    expect(existsSync(join(dataDir, 'ledger.sqlite'))).toBe(true);
    expect(existsSync(join(dataDir, 'logs', 'host.log'))).toBe(true);
  });

  it("refuses the demo over a live store's book, saying so, and leaves that book as it was", async () => {
    const liveDir = mkdtempSync(join(tmpdir(), 'pos-launch-live-'));
    try {
      const terminal = openTerminal({ dataDir: liveDir });
      const admin = { name: '周店长', staffNo: '801', pin: '270514', pinAgain: '270514' };
      const setUp = await terminal.api.call(new Session('test'), 'setup.standalone', {
        storeName: '老街面馆',
        timeZone: 'Asia/Shanghai',
        admin,
      });
      expect(setUp).toMatchObject({ ok: true, value: { mode: 'live' } });
      await terminal.close();
      const refused = spawn(process.execPath, ['--import', 'tsx', 'electron/launch/start.ts', '--demo'], {
        env: { ...process.env, POS_DATA_DIR: liveDir, NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let said = '';
      refused.stderr?.on('data', (chunk) => {
        said += String(chunk);
      });
      const code = await new Promise<number | null>((resolve) => refused.once('exit', resolve));
      expect(code).toBe(1);
      expect(said).toContain("holds a live store's book");
      const reopened = openTerminal({ dataDir: liveDir });
      expect(reopened.host()?.mode).toBe('live');
      await reopened.close();
    } finally {
      rmSync(liveDir, { recursive: true, force: true });
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('left the demo café there: a demo book that its printed PINs open', async () => {
    // Opened as the launcher opens it: with the data directory's own key store.
    const keys = await openBrowserModeKeys(dataDir);
    const reopened = openTerminal({ dataDir, keyring: keys.keyring, secrets: keys.secrets });
    try {
      expect(reopened.host()?.mode).toBe('demo');
      const { code, pin } = DEMO.staff.admin;
      expect(
        await reopened.api.call(new Session('test'), 'session.login', { staffNo: code, pin }),
      ).toMatchObject({ ok: true, value: { staff: { role: 'admin' } } });
    } finally {
      await reopened.close();
    }
  });
});
