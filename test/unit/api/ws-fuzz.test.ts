/**
 * The browser-mode WebSocket itself, fuzzed: with every role logged in over its own socket, random JSON
 * sent as any command's input, and malformed frames (not JSON, binary, wrong shapes, unknown commands), are
 * answered or dropped without a crash, and a refused call writes nothing to the book: no operation, transfer,
 * outbox row, member, card or staff change (its audit line, and a wrong PIN's count, are the only traces).
 * Real host and web server on a throw-away data folder; fast-check prints the seed of any failure.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO } from '../../../db';
import { type CommandName, commands, type HostMessage, ROLES } from '../../../electron/contract';
import { createHost, type Host } from '../../../electron/host/compose';
import { startWebServer, type WebServer } from '../../../electron/transports/web-server';

/** Commands that wait on hardware for a long time when their input happens to be valid. */
const WAITS = new Set(['devices.testReader', 'devices.testSwiper', 'devices.discover', 'devices.pair']);
/** Logging in or out changes which role the socket is; those are exercised by the login tests. */
const SESSION = new Set(['session.login', 'session.logout']);
const names = (Object.keys(commands) as CommandName[]).filter(
  (name) => !WAITS.has(name) && !SESSION.has(name),
);

let dataDir: string;
let host: Host;
let server: WebServer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-ws-fuzz-'));
  const staticDir = join(dataDir, 'static');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>counter</title>');
  host = createHost({ book: 'demo', dataDir: join(dataDir, 'data') });
  server = await startWebServer({ api: host.api, hub: host.hub, logger: host.logger, staticDir });
});

afterAll(async () => {
  await server.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What a refused call must leave as it was. */
function ledgerFingerprint(): string {
  const db = host.ledger.sqlite;
  const one = (sql: string) => JSON.stringify(db.prepare(sql).raw().all());
  return [
    one('SELECT COUNT(*) FROM operations'),
    one('SELECT COUNT(*) FROM transfers'),
    one('SELECT COUNT(*) FROM outbox'),
    one('SELECT COUNT(*), group_concat(id) FROM members'),
    one('SELECT group_concat(id || state) FROM cards'),
    one("SELECT group_concat(id || role || pin_hash || coalesce(deactivated_at, '')) FROM staff"),
    one('SELECT SUM(debits), SUM(credits) FROM balances'),
  ].join('|');
}

async function socket() {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${encodeURIComponent(server.token)}`, {
    origin: `http://127.0.0.1:${server.port}`,
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map<number, (reply: { ok: boolean; error?: { code: string } }) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as HostMessage;
    if (message.type === 'reply') waiting.get(message.id)?.(message.reply as { ok: boolean });
  });
  let id = 0;
  const call = (command: string, input: unknown) =>
    new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => {
      id += 1;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ type: 'call', id, command, input }));
    });
  return { ws, call };
}

describe('fuzzing the WebSocket transport', () => {
  it.each(ROLES)('refused calls by the %s write nothing to the book', async (role) => {
    const { ws, call } = await socket();
    const staff = DEMO.staff[role];
    expect(await call('session.login', { staffNo: staff.code, pin: staff.pin })).toMatchObject({ ok: true });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.jsonValue({ maxDepth: 3 }), async (command, input) => {
        const before = ledgerFingerprint();
        const reply = await call(command, input);
        if (reply.ok) return;
        expect(reply.error?.code, command).not.toBe('HOST_FAILED');
        expect(ledgerFingerprint(), `${command} ${reply.error?.code}`).toBe(before);
      }),
      { numRuns: 400 },
    );
    ws.close();
  });

  it('closes the socket on a malformed frame (1003), writes nothing, and the next socket is served', async () => {
    const before = ledgerFingerprint();
    const frames: (string | Buffer)[] = [
      'not json',
      '{"type":"call"',
      JSON.stringify({ type: 'call', id: 'x', command: 'wallet.charge', input: {} }),
      JSON.stringify({ type: 'call', id: 1.5, command: 'wallet.charge', input: {} }),
      JSON.stringify({ type: 'call', id: 7, command: 42, input: {} }),
      JSON.stringify({ type: 'subscribe', id: 8 }),
      JSON.stringify([1, 2, 3]),
      JSON.stringify(null),
      Buffer.from([0, 1, 2, 255]),
    ];
    for (const frame of frames) {
      const { ws } = await socket();
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.send(frame, { binary: Buffer.isBuffer(frame) });
      expect(await closed, String(frame).slice(0, 40)).toBe(1003);
    }
    const { ws, call } = await socket();
    expect(await call('wallet.charge', { operationId: 'x', cardId: 'y', amountFen: 1 })).toMatchObject({
      ok: false,
      error: { code: 'STAFF_NOT_LOGGED_IN' },
    });
    expect(await call('no.such.command', {})).toMatchObject({
      ok: false,
      error: { code: 'COMMAND_UNKNOWN' },
    });
    expect(ledgerFingerprint()).toBe(before);
    ws.close();
  });
});
