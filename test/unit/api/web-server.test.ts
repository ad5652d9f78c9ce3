/**
 * Browser mode's door: the WebSocket needs the launch token and our own origin; events reach a screen only
 * once someone is logged in on it; the static server serves the renderer with its CSP and nothing outside it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO } from '../../../db';
import type { HostMessage } from '../../../electron/contract';
import { createHost, type Host } from '../../../electron/host/compose';
import { startWebServer, type WebServer } from '../../../electron/transports/web-server';

let dataDir: string;
let host: Host;
let server: WebServer;

function socketUrl(token: string): string {
  return `ws://127.0.0.1:${server.port}/api?token=${encodeURIComponent(token)}`;
}

function refusal(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.on('open', () => reject(new Error('the socket opened')));
    ws.on('error', () => undefined);
  });
}

/** An open socket with a tiny RPC helper and a log of the events it received. */
async function client() {
  const ws = new WebSocket(socketUrl(server.token), { origin: `http://127.0.0.1:${server.port}` });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const events: string[] = [];
  const waiting = new Map<number, (reply: unknown) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as HostMessage;
    if (message.type === 'event') events.push(message.event);
    else waiting.get(message.id)?.(message.reply);
  });
  let id = 0;
  const call = (command: string, input: unknown) =>
    new Promise<unknown>((resolve) => {
      id += 1;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ type: 'call', id, command, input }));
    });
  return { ws, events, call };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-web-'));
  const staticDir = join(dataDir, 'static');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>counter</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(dataDir, 'secret.txt'), 'not for the browser');
  host = createHost({ book: 'demo', dataDir: join(dataDir, 'data') });
  server = await startWebServer({ api: host.api, hub: host.hub, logger: host.logger, staticDir });
});

afterAll(async () => {
  await server.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the browser-mode WebSocket', () => {
  it('listens on 127.0.0.1 and hands the token over in the URL fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a connection without the token or with a wrong one', async () => {
    expect(await refusal(`ws://127.0.0.1:${server.port}/api`)).toBe(401);
    expect(await refusal(socketUrl(`${server.token.slice(0, -1)}x`))).toBe(401);
  });

  it('refuses a connection from a page of another origin, even with the token', async () => {
    expect(await refusal(socketUrl(server.token), 'http://evil.example')).toBe(403);
  });

  it('carries calls and replies, and closes on a message that is not a call', async () => {
    const { ws, call } = await client();
    expect(await call('terminal.info', {})).toMatchObject({
      ok: true,
      value: { terminalId: DEMO.terminalId },
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{"hello":');
    expect(await closed).toBe(1003);
  });

  it('closes a connection that sends an oversized message', async () => {
    const { ws } = await client();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(
      JSON.stringify({ type: 'call', id: 1, command: 'terminal.info', input: { pad: 'x'.repeat(70_000) } }),
    );
    expect(await closed).toBe(1009);
  });

  it('sends card events only to a screen where someone is logged in', async () => {
    const anonymous = await client();
    const cashier = await client();
    const staff = DEMO.staff.cashier;
    expect(await cashier.call('session.login', { staffNo: staff.code, pin: staff.pin })).toMatchObject({
      ok: true,
    });
    const reply = await cashier.call('simulator.presentCard', { uid: DEMO.cards.uid.uid });
    expect(reply).toMatchObject({ ok: true });
    await expect.poll(() => cashier.events).toContain('card.presented');
    expect(anonymous.events).not.toContain('card.presented');
    anonymous.ws.close();
    cashier.ws.close();
  });

  it('keeps each connection its own login', async () => {
    const first = await client();
    const second = await client();
    const staff = DEMO.staff.manager;
    await first.call('session.login', { staffNo: staff.code, pin: staff.pin });
    expect(await second.call('session.current', {})).toEqual({ ok: true, value: null });
    first.ws.close();
    second.ws.close();
  });
});

describe('the browser-mode file server', () => {
  it('serves the renderer with a strict content security policy', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
    expect(csp).not.toContain('unsafe-inline');
    expect((await fetch(`http://127.0.0.1:${server.port}/assets/app.js`)).status).toBe(200);
  });

  it('serves nothing outside the renderer folder', async () => {
    const outside = await fetch(`http://127.0.0.1:${server.port}/%2e%2e/secret.txt`);
    expect([403, 404]).toContain(outside.status);
    expect(await outside.text()).not.toContain('not for the browser');
    expect((await fetch(`http://127.0.0.1:${server.port}/missing.js`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/`, { method: 'POST' })).status).toBe(405);
  });
});
