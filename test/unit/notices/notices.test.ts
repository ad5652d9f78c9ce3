import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, openNotices } from '../../../db/notices/index';
import {
  FileNoticeProvider,
  NoticeDeliveryError,
  WebhookNoticeProvider,
} from '../../../electron/host/notices/providers';
import { signature, verifySignature } from '../../../electron/host/notices/signing';
import { NoticeWorker } from '../../../electron/host/notices/worker';
import { cashier, closeAll, DEMO, terminalId } from '../db/support';
import { memberLedger } from '../members/support';

afterAll(closeAll);

const card = DEMO.cards.keyed.id;
const member = DEMO.members.keyed.id;
const actor = { staffId: cashier, terminalId };
const SECRET = 'a-webhook-secret-of-some-length';

function noticesOnDemo() {
  const base = memberLedger();
  const notices = openNotices(base.ledger, { now: base.time.now, random: () => 1 });
  // Start after the demo's own history, as a terminal turning notices on does.
  notices.skipToEnd();
  return { ...base, notices };
}

function topUp(ledger: ReturnType<typeof noticesOnDemo>['ledger'], operationId: string) {
  return ledger.topUp({
    ...actor,
    operationId,
    cardId: card,
    amountFen: 10_000,
    tender: 'cash',
    bonusFen: 1_000,
    points: 100,
  });
}

describe('the notice outbox', () => {
  it('makes a top-up notice by default, a spend notice only when the member opted in, each once', () => {
    const { ledger, notices } = noticesOnDemo();
    topUp(ledger, 't-1');
    ledger.spend({ ...actor, operationId: 's-1', cardId: card, amountFen: 500 });
    expect(notices.collect({ crm: false })).toBe(2);
    expect(notices.due().map((n) => [n.topic, n.kind, n.sourceOperationId])).toEqual([
      ['member', 'top_up', 't-1'],
    ]);
    expect(notices.due()[0]?.payload).toMatchObject({
      amountFen: 10_000,
      bonusFen: 1_000,
      cardLast4: '0004',
    });
    notices.setOptIn(member, { topUp: true, spend: true });
    ledger.spend({ ...actor, operationId: 's-2', cardId: card, amountFen: 500 });
    expect(notices.collect({ crm: false })).toBe(1);
    expect(notices.collect({ crm: false })).toBe(0);
    expect(notices.due().map((n) => n.sourceOperationId)).toEqual(['t-1', 's-2']);
  });

  it('makes an activation notice when a card is issued, and CRM events for every member and wallet change', () => {
    const { ledger, notices } = noticesOnDemo();
    ledger.createMember({ id: 'm-new', storeId: DEMO.storeId, name: '新会员', staffId: cashier, terminalId });
    ledger.issueCard({
      id: 'c-new',
      memberId: 'm-new',
      cardNumber: '5500000000000009',
      medium: 'keyed',
      staffId: cashier,
      terminalId,
    });
    notices.collect({ crm: true });
    const kinds = notices.due().map((n) => `${n.topic}:${n.kind}`);
    expect(kinds).toEqual(['crm:member.created', 'crm:card.issued', 'member:activation']);
  });

  it('backs off with full jitter under a doubling ceiling, and gives up after the last try', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0.999)).toBeLessThanOrEqual(30_000);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.999)).toBeGreaterThan(60_000);
    expect(backoffDelay(30, DEFAULT_BACKOFF, () => 1)).toBe(DEFAULT_BACKOFF.maxMs);
    const { ledger, notices } = noticesOnDemo();
    topUp(ledger, 't-1');
    notices.collect({ crm: false });
    const id = notices.due()[0]?.id as number;
    let last = notices.get(id);
    for (let i = 1; i < DEFAULT_BACKOFF.maxAttempts; i++) {
      last = notices.markFailed(id, 'gateway down');
      expect(last).toMatchObject({ attempts: i, failedAt: null, lastError: 'gateway down' });
    }
    expect(notices.due()).toEqual([]);
    expect(notices.markFailed(id, 'gateway down')?.failedAt).not.toBeNull();
    expect(notices.stats()).toMatchObject({ waiting: 0, failed: 1 });
  });

  it('gives up at once on a permanent refusal', () => {
    const { ledger, notices } = noticesOnDemo();
    topUp(ledger, 't-1');
    notices.collect({ crm: false });
    const id = notices.due()[0]?.id as number;
    expect(notices.markFailed(id, 'bad number', { permanent: true })).toMatchObject({ attempts: 1 });
    expect(notices.get(id)?.failedAt).not.toBeNull();
  });
});

describe('signing', () => {
  it('verifies the exact body and timestamp, and refuses a changed body, a wrong secret or a stale time', () => {
    const now = Date.UTC(2026, 5, 1);
    const body = '{"a":1}';
    const ts = String(Math.floor(now / 1000));
    const sig = signature(SECRET, Number(ts), body);
    expect(verifySignature({ secret: SECRET, body, timestamp: ts, signature: sig, nowMs: now })).toEqual({
      ok: true,
    });
    expect(
      verifySignature({ secret: SECRET, body: '{"a":2}', timestamp: ts, signature: sig, nowMs: now }),
    ).toMatchObject({ reason: 'mismatch' });
    expect(
      verifySignature({ secret: `${SECRET}x`, body, timestamp: ts, signature: sig, nowMs: now }),
    ).toMatchObject({ reason: 'mismatch' });
    expect(
      verifySignature({ secret: SECRET, body, timestamp: ts, signature: sig, nowMs: now + 301_000 }),
    ).toMatchObject({ reason: 'stale' });
    expect(
      verifySignature({ secret: SECRET, body, timestamp: undefined, signature: sig, nowMs: now }),
    ).toMatchObject({ reason: 'missing' });
  });
});

describe('delivery', () => {
  let server: Server | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A receiver on loopback that answers with the statuses given, in turn, and keeps what it got. */
  async function receiver(statuses: number[]) {
    const got: Array<{ headers: IncomingMessage['headers']; body: string; verified: boolean }> = [];
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
        got.push({ headers: req.headers, body, verified });
        res.statusCode = verified ? (statuses.shift() ?? 200) : 401;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/hook`, got };
  }

  it('sends member notices and CRM events signed to a real HTTP server, retrying after a 503', async () => {
    const { ledger, notices, time } = noticesOnDemo();
    const hook = await receiver([503]);
    const webhook = new WebhookNoticeProvider({ url: hook.url, secret: SECRET });
    const worker = new NoticeWorker({
      store: notices,
      member: webhook,
      crm: webhook,
      recipientOf: () => ({ name: '孙伟', phone: '13912345678' }),
    });
    topUp(ledger, 't-1');
    const first = await worker.tick();
    expect(first).toMatchObject({ collected: 1, delivered: 1, failed: 1 });
    expect(hook.got.every((r) => r.verified)).toBe(true);
    expect(hook.got.map((r) => r.headers['x-pos-event'])).toEqual(['wallet.top_up', 'top_up']);
    const waiting = notices.due(50, Number.MAX_SAFE_INTEGER);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ attempts: 1, lastError: 'webhook answered 503' });
    // Not due until its backoff has passed.
    expect((await worker.tick()).delivered).toBe(0);
    time.advance(DEFAULT_BACKOFF.baseMs + 1);
    expect((await worker.tick()).delivered).toBe(1);
    const last = hook.got.at(-1);
    expect(last?.headers['x-pos-delivery']).toBe(String(waiting[0]?.id));
    expect(JSON.parse(last?.body ?? '{}')).toMatchObject({ type: 'wallet.top_up', id: 't-1' });
    expect(notices.stats()).toMatchObject({ waiting: 0, delivered: 2 });
  });

  it('treats a 4xx other than 408/429 as permanent; refuses plain http to another machine', async () => {
    const { ledger, notices } = noticesOnDemo();
    const hook = await receiver([400]);
    const worker = new NoticeWorker({
      store: notices,
      member: new WebhookNoticeProvider({ url: hook.url, secret: SECRET }),
      crm: null,
      recipientOf: () => null,
    });
    topUp(ledger, 't-1');
    expect(await worker.tick()).toMatchObject({ delivered: 0, failed: 1 });
    expect(notices.stats()).toMatchObject({ failed: 1, waiting: 0 });
    expect(() => new WebhookNoticeProvider({ url: 'http://192.0.2.1/hook', secret: SECRET })).toThrow(
      NoticeDeliveryError,
    );
  });

  it('the default provider writes each notice to a file in the data directory, phone masked', async () => {
    const { ledger, notices } = noticesOnDemo();
    const dir = mkdtempSync(join(tmpdir(), 'notices-'));
    dirs.push(dir);
    const file = new FileNoticeProvider(dir);
    const worker = new NoticeWorker({
      store: notices,
      member: file,
      crm: null,
      recipientOf: () => ({ name: '孙伟', phone: '13912345678' }),
    });
    topUp(ledger, 't-1');
    expect((await worker.tick()).delivered).toBe(1);
    const lines = readFileSync(file.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      kind: 'top_up',
      to: { phone: '139****5678' },
      payload: { amountFen: 10_000 },
    });
    expect(readFileSync(file.path, 'utf8')).not.toContain('13912345678');
  });
});
