/**
 * Notices through a whole host: a top-up at the counter becomes a member notice in the data directory's
 * file by default; once a manager points member notices and CRM events at a webhook, the next top-up reaches a
 * real HTTP server on loopback, signed, and the signature verifies over the exact body received. The host holds
 * data keys, as every terminal does: a CRM event names a consenting member in clear though the book keeps only
 * the mask.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, DEMO } from '../../../db';
import { createHost, type Host } from '../../../electron/host/compose';
import { verifySignature } from '../../../electron/host/notices/signing';
import { Session } from '../../../electron/host/session';
import { openShift } from '../../support/shift';

const SECRET = 'loopback-secret-0123456789';
let dataDir: string;
let host: Host;
let server: Server;
let url: string;
const received: Array<{ headers: IncomingHttpHeaders; body: string; verified: boolean }> = [];

async function session(staff: { code: string; pin: string }): Promise<Session> {
  const s = new Session('test');
  const reply = await host.api.call(s, 'session.login', { staffNo: staff.code, pin: staff.pin });
  expect(reply.ok).toBe(true);
  return s;
}

async function topUp(cashier: Session): Promise<void> {
  const reply = await host.api.call(cashier, 'wallet.topUp', {
    operationId: ulid(),
    cardId: DEMO.cards.uid.id,
    amountFen: 10_000,
    tender: 'cash',
  });
  expect(reply.ok).toBe(true);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-notices-'));
  host = createHost({
    book: 'demo',
    dataDir,
    keyring: createKeyring([{ id: 'k1', key: randomBytes(32) }]),
  });
  await openShift(host);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = verifySignature({
        secret: SECRET,
        body,
        timestamp: req.headers['x-pos-timestamp'] as string | undefined,
        signature: req.headers['x-pos-signature'] as string | undefined,
        nowMs: Date.now(),
      }).ok;
      received.push({ headers: req.headers, body, verified });
      res.statusCode = verified ? 204 : 401;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('notices through the host', () => {
  it('writes a top-up notice to the data directory by default, phone masked', async () => {
    await topUp(await session(DEMO.staff.cashier));
    const file = join(dataDir, 'notices', 'notices.jsonl');
    await expect
      .poll(async () => {
        await host.loyalty.worker.tick();
        try {
          return readFileSync(file, 'utf8');
        } catch {
          return '';
        }
      })
      .toContain('"kind":"top_up"');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('138****0001');
    expect(text).not.toContain('13800000001');
  });

  it('sends member notices and CRM events to a signed webhook once a manager sets one', async () => {
    const manager = await session(DEMO.staff.manager);
    const set = await host.api.call(manager, 'notices.setSettings', {
      member: { provider: 'webhook', url, secret: SECRET },
      crm: { url, secret: SECRET },
    });
    expect(set.ok).toBe(true);
    const shown = await host.api.call(manager, 'notices.settings', {});
    expect(JSON.stringify(shown)).not.toContain(SECRET);
    await topUp(await session(DEMO.staff.cashier));
    await expect
      .poll(async () => {
        await host.loyalty.worker.tick();
        return received.map((r) => r.headers['x-pos-event']).sort();
      })
      .toEqual(['top_up', 'wallet.top_up']);
    expect(received.every((r) => r.verified)).toBe(true);
    const member = JSON.parse(received.find((r) => r.headers['x-pos-event'] === 'top_up')?.body ?? '{}');
    expect(member).toMatchObject({ kind: 'top_up', amountFen: 10_000, to: { phone: '13800000001' } });
  });

  it('names a member who consented to marketing in clear to the CRM, while the book keeps the mask', async () => {
    const cashier = await session(DEMO.staff.cashier);
    const consent = { purpose: '会员服务', version: '2026-01' };
    const registered = await host.api.call(cashier, 'members.register', {
      name: '欧阳晓晓',
      phone: '13922223333',
      consent,
      marketing: { ...consent, granted: true },
    });
    expect(registered.ok).toBe(true);
    const created = async () => {
      await host.loyalty.worker.tick();
      return received
        .filter((r) => r.headers['x-pos-event'] === 'member.created')
        .map((r) => JSON.parse(r.body) as { data: { member: { name: string } } })
        .map((event) => event.data.member.name);
    };
    await expect.poll(created).toContain('欧阳晓晓');
    const stored = host.ledger.sqlite
      .prepare<[], { payload: string }>("SELECT payload FROM notices WHERE kind = 'member.created'")
      .all()
      .map((row) => row.payload)
      .join('\n');
    expect(stored).toContain('欧***');
    expect(stored).not.toContain('欧阳晓晓');
  });
});
