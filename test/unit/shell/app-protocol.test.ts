/**
 * The desktop shell's app://counter/ scheme: the renderer's own files with the CSP as a header, and nothing
 * else: no file outside the build folder however the path is spelled, no other host, no writes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../electron/security';
import { APP_INDEX_URL, appProtocolHandler } from '../../../electron/shell/app-protocol';

let dir: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pos-app-protocol-'));
  const dist = join(dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>会员卡收银</title>');
  writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'not for the page');
  handle = appProtocolHandler(dist);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string, init?: RequestInit) => handle(new Request(url, init));

describe('app://counter/', () => {
  it('serves the counter page with the CSP as a header', async () => {
    const response = await get(APP_INDEX_URL);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('会员卡收银');
    expect((await get('app://counter/')).status).toBe(200);
  });

  it('serves the build’s scripts with their type', async () => {
    const response = await get('app://counter/assets/index-abc.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('never reaches a file outside the build folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt']) {
      const response = await get(`app://counter${path}`);
      expect([403, 404], path).toContain(response.status);
      expect(await response.text()).not.toContain('not for the page');
    }
    expect((await get('app://counter/assets/%00.js')).status).toBe(404);
    expect((await get('app://counter/%E0%A4%A')).status).toBe(404);
  });

  it('answers only its own host, only files it knows the type of, only reads', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get('app://counter/missing.js')).status).toBe(404);
    expect((await get('app://counter/assets')).status).toBe(404);
    expect((await get(APP_INDEX_URL, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});
