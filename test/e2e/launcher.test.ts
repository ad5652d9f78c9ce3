/**
 * `npm start` on a machine without Electron's binary: the launcher falls back to browser mode, creates the
 * demo store in an empty data directory, prints one URL on stdout, serves the counter there, and stops cleanly
 * on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
  child = spawn(process.execPath, ['--import', 'tsx', 'electron/launch/start.ts'], {
    env: { ...process.env, POS_DATA_DIR: dataDir, NODE_ENV: 'production' },
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

describe.skipIf(electronInstalled())('npm start without Electron', () => {
  it('says it is using browser mode and prints a 127.0.0.1 URL carrying the token', () => {
    expect(stderr).toContain('browser mode');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{32}$/);
  });

  it('serves the counter at that URL', async () => {
    const response = await fetch(url.split('#')[0]!);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root"></div>');
  });

  it('creates the demo store and the log in the data directory', () => {
    expect(existsSync(join(dataDir, 'ledger.sqlite'))).toBe(true);
    expect(existsSync(join(dataDir, 'logs', 'host.log'))).toBe(true);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
