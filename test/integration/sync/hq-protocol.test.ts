import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enrolTerminal,
  type FeedEntry,
  HqHttpClient,
  PROTOCOL_VERSION,
  SETTINGS_KEYS,
  SyncError,
  SyncWorker,
  signRequest,
} from '../../../sync';
import type { RunningHqServer } from '../../../sync/hq';
import { codeFor } from '../../support/hq-enrolment';
import {
  adminSession,
  type Engine,
  enrolled,
  expectExactlyOnceInOrder,
  fastBackoff,
  type HqUnderTest,
  openHq,
  RecordingSink,
  serve,
  spend,
  TestTerminal,
  topUp,
  until,
  wire,
} from './fixtures';

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SyncError);
    return (error as SyncError).code;
  }
  throw new Error('expected a refusal');
}

describe.each<Engine>(['pglite', 'postgres'])('HQ protocol on %s', (engine) => {
  let hq: HqUnderTest;
  let server: RunningHqServer;

  beforeAll(async () => {
    hq = await openHq(engine);
    server = await serve(hq.service);
  });

  afterAll(async () => {
    await server?.close();
    await hq?.close();
  });

  it('exchanges a one-time enrolment code for a terminal key, once', async () => {
    const code = await codeFor(hq.service, { terminalId: 'E1', storeId: 'S1', now: Date.now() });

    const first = await enrolTerminal(server.url, code);
    expect(first).toMatchObject({ terminalId: 'E1', storeId: 'S1' });
    expect(Buffer.from(first.key, 'base64url')).toHaveLength(32);
    expect(await refusal(enrolTerminal(server.url, code))).toBe('ENROLMENT_CODE_USED');
    expect(await refusal(enrolTerminal(server.url, 'not-a-real-code'))).toBe('ENROLMENT_CODE_UNKNOWN');
    const expired = await codeFor(hq.service, {
      terminalId: 'E2',
      storeId: 'S1',
      now: Date.now() - 10_000,
      ttlMs: 1,
    });
    expect(await refusal(enrolTerminal(server.url, expired))).toBe('ENROLMENT_CODE_EXPIRED');
  });

  it('refuses unsigned, tampered, replayed, malformed and wrong-version requests and applies nothing from them', async () => {
    const credentials = await enrolled(hq.service, 'A1', 'S1');
    const terminal = new TestTerminal('A1', 'S1');
    const ids = terminal.writeMany(4);
    const body = JSON.stringify({ version: PROTOCOL_VERSION, terminalId: 'A1', operations: wire(terminal) });
    const post = (headers: Record<string, string>, text = body) =>
      fetch(`${server.url}/v1/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: text,
      });
    const sign = (text: string) => ({
      ...signRequest({
        key: credentials.key,
        terminalId: 'A1',
        method: 'POST',
        path: '/v1/push',
        body: text,
        now: Date.now(),
      }),
    });
    const codeOf = async (response: Response) =>
      ((await response.json()) as { error: { code: string } }).error.code;

    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
    expect(await codeOf(unsigned)).toBe('REQUEST_UNSIGNED');

    const tampered = await post(sign(body), body.replace('"amount":400', '"amount":4'));
    expect(await codeOf(tampered)).toBe('BAD_SIGNATURE');

    const garbage = 'this is not json';
    const malformed = await post(sign(garbage), garbage);
    expect(malformed.status).toBe(400);
    expect(await codeOf(malformed)).toBe('REQUEST_MALFORMED');

    const shapeless = JSON.stringify({
      version: PROTOCOL_VERSION,
      terminalId: 'A1',
      operations: [{ seq: 'one' }],
    });
    expect(await codeOf(await post(sign(shapeless), shapeless))).toBe('REQUEST_MALFORMED');

    const future = JSON.stringify({ version: 99, terminalId: 'A1', operations: [] });
    expect(await codeOf(await post(sign(future), future))).toBe('UNSUPPORTED_VERSION');

    expect(await hq.service.operationsOf('A1')).toEqual([]);

    const headers = sign(body);
    expect((await post(headers)).status).toBe(200);
    const replay = await post(headers);
    expect(replay.status).toBe(409);
    expect(await codeOf(replay)).toBe('REPLAYED_REQUEST');
    await expectExactlyOnceInOrder(hq.service, 'A1', ids);
    terminal.close();
  });

  it('answers duplicate and reordered deliveries without applying anything twice', async () => {
    const credentials = await enrolled(hq.service, 'R1', 'S1');
    const client = new HqHttpClient(server.url, credentials);
    const terminal = new TestTerminal('R1', 'S1');
    const ids = terminal.writeMany(10);
    const all = wire(terminal);
    const first = all.slice(0, 5);
    const second = all.slice(5);

    const gap = await refusal(client.push('R1', second));
    expect(gap).toBe('SEQUENCE_GAP');
    expect((await client.push('R1', first)).results.map((result) => result.status)).toEqual(
      Array(5).fill('applied'),
    );
    expect((await client.push('R1', first)).results.map((result) => result.status)).toEqual(
      Array(5).fill('duplicate'),
    );
    expect((await client.push('R1', second)).results.map((result) => result.status)).toEqual(
      Array(5).fill('applied'),
    );
    // An overlapping batch: the old rows are duplicates, nothing new is invented.
    const overlap = await client.push('R1', all.slice(3, 10));
    expect(overlap.lastAppliedSeq).toBe(10);
    expect(overlap.results.every((result) => result.status === 'duplicate')).toBe(true);
    // The worker resending the whole outbox (it never heard the answers) gets duplicates only.
    const worker = new SyncWorker({
      terminalId: 'R1',
      outbox: terminal,
      settings: terminal,
      transport: client,
    });
    expect(await worker.pushOnce()).toEqual({ sent: 10, applied: 0, duplicate: 10, rejected: 0 });
    await expectExactlyOnceInOrder(hq.service, 'R1', ids);

    const reused = { ...all[2]!, operationId: 'some-other-op' };
    const conflict = await client.push('R1', [reused]);
    expect(conflict.results[0]).toMatchObject({ status: 'rejected', code: 'SEQUENCE_CONFLICT' });
    const scrambled = [all[1]!, all[0]!];
    expect(await refusal(client.push('R1', scrambled))).toBe('BATCH_NOT_CONTIGUOUS');
    terminal.close();
  });

  it('answers each push of one group commit on its own, as if they had come one by one', async () => {
    await enrolled(hq.service, 'G1', 'S1');
    await enrolled(hq.service, 'G2', 'S1');
    const one = new TestTerminal('G1', 'S1');
    const two = new TestTerminal('G2', 'S1');
    const ids = one.writeMany(10);
    two.writeMany(2);
    const rows = wire(one);
    const clash = { ...wire(two)[0]!, operationId: rows[0]!.operationId };
    const now = Date.now();
    // Queued in the same tick, so they share one transaction.
    const answers = await Promise.allSettled([
      hq.service.ingest('G1', rows.slice(0, 5), now),
      hq.service.ingest('G1', rows.slice(0, 5), now),
      hq.service.ingest('G1', rows.slice(7), now),
      hq.service.ingest('G1', rows.slice(3, 7), now),
      hq.service.ingest('G2', [clash], now),
      hq.service.ingest('NOBODY', [{ ...clash, terminalId: 'NOBODY' }], now),
    ]);
    const statuses = (index: number) => {
      const answer = answers[index]!;
      if (answer.status === 'rejected') return (answer.reason as { code: string }).code;
      return answer.value.results.map((result) => result.status).join(',');
    };
    expect(statuses(0)).toBe('applied,applied,applied,applied,applied');
    expect(statuses(1)).toBe('duplicate,duplicate,duplicate,duplicate,duplicate');
    expect(statuses(2)).toBe('SEQUENCE_GAP');
    expect(statuses(3)).toBe('duplicate,duplicate,applied,applied');
    expect(statuses(4)).toBe('rejected');
    expect(answers[4]).toMatchObject({ value: { results: [{ code: 'DUPLICATE_OPERATION_ID' }] } });
    expect(statuses(5)).toBe('UNKNOWN_TERMINAL');
    expect((await hq.service.ingest('G1', rows.slice(7), now)).lastAppliedSeq).toBe(10);
    await expectExactlyOnceInOrder(hq.service, 'G1', ids);
    one.close();
    two.close();
  });

  it('acknowledges a rejected row, records it for a manager and keeps the queue moving', async () => {
    const credentials = await enrolled(hq.service, 'X1', 'S1');
    const terminal = new TestTerminal('X1', 'S1');
    const good1 = terminal.write('top_up', topUp('x-card', 'S1', 500));
    const bad = terminal.write('teleport', { card: { id: 'x-card' } });
    const broken = terminal.write('spend', {
      card: { id: 'x-card' },
      transfers: [{ debit: 'a', credit: 'b', amount: -5, unit: 'fen' }],
    });
    const good2 = terminal.write('spend', spend('x-card', 'S1', 200));
    const worker = new SyncWorker({
      terminalId: 'X1',
      outbox: terminal,
      settings: terminal,
      transport: new HqHttpClient(server.url, credentials),
    });
    expect(await worker.pushOnce()).toEqual({ sent: 4, applied: 2, duplicate: 0, rejected: 2 });
    expect(terminal.stats().waiting).toBe(0);
    expect((await hq.service.operationsOf('X1')).map((row) => row.operationId)).toEqual([good1, good2]);
    const errors = worker.syncErrors();
    expect(errors.map((record) => [record.operationId, record.code])).toEqual([
      [bad, 'UNKNOWN_KIND'],
      [broken, 'INVALID_OPERATION'],
    ]);
    expect(worker.status().openSyncErrors).toBe(2);
    expect(worker.resolveSyncError(bad, 'manager-2001')).toBe(true);
    expect(worker.resolveSyncError(bad, 'manager-2001')).toBe(false);
    expect(worker.status().openSyncErrors).toBe(1);
    const report = await hq.service.report(Date.now());
    expect(
      report.rejections
        .filter((row) => row.terminalId === 'X1')
        .map((row) => row.operationId)
        .sort(),
    ).toEqual([bad, broken].sort());
    expect(report.terminals.find((row) => row.terminalId === 'X1')).toMatchObject({
      lastSeq: 4,
      openRejections: 2,
    });
    expect(await hq.service.resolveRejection(bad, Date.now())).toBe(true);
    terminal.close();
  });

  it('flags the overdraft when two stores spend one card offline, keeps both spends, and settles between stores', async () => {
    const credentialsA = await enrolled(hq.service, 'OA', 'STORE-A');
    const credentialsB = await enrolled(hq.service, 'OB', 'STORE-B');
    const storeA = new TestTerminal('OA', 'STORE-A');
    const storeB = new TestTerminal('OB', 'STORE-B');
    const sinkB = new RecordingSink();
    const workerA = new SyncWorker({
      terminalId: 'OA',
      outbox: storeA,
      settings: storeA,
      transport: new HqHttpClient(server.url, credentialsA),
    });
    const workerB = new SyncWorker({
      terminalId: 'OB',
      outbox: storeB,
      settings: storeB,
      transport: new HqHttpClient(server.url, credentialsB),
      sink: sinkB,
    });
    const before = await hq.service.report(Date.now());
    // Store A issues the card and loads ¥100; store B learns it from the feed.
    storeA.write('card_issued', { card: { id: 'shared-card', state: 'active' } });
    storeA.write('top_up', topUp('shared-card', 'STORE-A', 10_000));
    await workerA.drain();
    await workerB.pullOnce();
    expect(
      [...sinkB.applied.values()].filter((entry) => entry.terminalId === 'OA').map((entry) => entry.kind),
    ).toEqual(['card_issued', 'top_up']);
    // Both go offline and each spends most of the balance.
    const spendA = storeA.write('spend', spend('shared-card', 'STORE-A', 8_000));
    const spendB = storeB.write('spend', spend('shared-card', 'STORE-B', 7_000));
    await workerA.drain();
    await workerB.drain();

    expect((await hq.service.operationsOf('OA')).map((row) => row.operationId)).toContain(spendA);
    expect((await hq.service.operationsOf('OB')).map((row) => row.operationId)).toEqual([spendB]);
    const report = await hq.service.report(Date.now());
    const flagged = report.overdrafts.filter((row) => row.cardId === 'shared-card');
    expect(flagged).toEqual([
      expect.objectContaining({
        operationId: spendB,
        storeId: 'STORE-B',
        amount: 7_000,
        balanceAfter: -5_000,
      }),
    ]);
    expect(report.settlement).toContainEqual({
      issuerStoreId: 'STORE-A',
      actingStoreId: 'STORE-B',
      redeemed: 7_000,
      loaded: 0,
      net: 7_000,
    });
    expect(report.liability - before.liability).toBe(-5_000);
    storeA.close();
    storeB.close();
  });

  it("delivers the chain's amount limits through the feed once HQ publishes them", async () => {
    const credentials = await enrolled(hq.service, 'FL', 'S1');
    const till = new TestTerminal('FL', 'S1');
    const worker = new SyncWorker({
      terminalId: 'FL',
      outbox: till,
      settings: till,
      transport: new HqHttpClient(server.url, credentials),
    });
    await worker.pullOnce();
    expect(till.get(SETTINGS_KEYS.amountLimits)).toBeUndefined();
    const limits = {
      topUpMaxFen: 300_000,
      chargeMaxFen: 200_000,
      namedCardMaxFen: 400_000,
      anonymousCardMaxFen: 50_000,
      realNameAboveFen: 50_000,
    };
    await hq.service.setAmountLimits(limits, Date.now());
    await worker.pullOnce();
    expect(till.get(SETTINGS_KEYS.amountLimits)).toEqual(limits);
  });

  it("delivers other terminals' changes and HQ's offline caps through the feed, resuming from the saved cursor", async () => {
    const credentialsP = await enrolled(hq.service, 'FP', 'S1');
    const credentialsQ = await enrolled(hq.service, 'FQ', 'S2');
    const producer = new TestTerminal('FP', 'S1');
    const consumer = new TestTerminal('FQ', 'S2');
    const ids = producer.writeMany(25, 'feed-card');
    producer.write('card_state', {
      card: { id: 'feed-card' },
      operation: { cardState: 'frozen' },
      transfers: [],
    });
    await new SyncWorker({
      terminalId: 'FP',
      outbox: producer,
      settings: producer,
      transport: new HqHttpClient(server.url, credentialsP),
    }).drain();
    const caps = { perCardFen: 12_300, perTerminalFen: 45_600, maxAgeMs: 7_200_000 };
    await hq.service.setCaps(caps, Date.now());

    const sink = new RecordingSink();
    const worker = new SyncWorker({
      terminalId: 'FQ',
      outbox: consumer,
      settings: consumer,
      transport: new HqHttpClient(server.url, credentialsQ),
      sink,
      feedPageSize: 7,
    });
    await worker.pullOnce();
    const fromProducer = [...sink.applied.values()].filter((entry) => entry.terminalId === 'FP');
    expect(fromProducer.map((entry) => entry.operationId).slice(0, 25)).toEqual(ids);
    expect(fromProducer.at(-1)).toMatchObject({ kind: 'card_state' });
    expect([...sink.applied.values()].some((entry) => entry.terminalId === 'FQ')).toBe(false);
    expect(worker.caps()).toEqual(caps);
    expect(sink.calls).toBeGreaterThan(1);

    const calls = sink.calls;
    expect(await worker.pullOnce()).toBe(0);
    expect(sink.calls).toBe(calls);

    // A card reported lost at HQ reaches every terminal through the same feed.
    const lost = await hq.service.setCardState({
      cardId: 'feed-card',
      state: 'lost',
      by: 'manager-2001',
      now: Date.now(),
    });
    expect(await worker.pullOnce()).toBe(1);
    expect(sink.applied.get(lost.operationId)).toMatchObject({
      terminalId: 'hq',
      kind: 'card_state_changed',
      payload: { card: { id: 'feed-card' }, state: 'lost' },
    });
    expect(await hq.service.card('feed-card')).toMatchObject({ state: 'lost', issuerStoreId: 'S1' });
    await expect(
      hq.service.setCardState({ cardId: 'feed-card', state: 'melted', by: 'm', now: 1 }),
    ).rejects.toMatchObject({
      code: 'CARD_STATE_UNKNOWN',
    });
    await expect(codeFor(hq.service, { terminalId: 'hq', storeId: 'S1', now: 1 })).rejects.toMatchObject({
      code: 'TERMINAL_ID_RESERVED',
    });
    const report = await hq.service.report(Date.now());
    expect(report.caps).toEqual(caps);

    // The guard uses the delivered caps and this terminal's unacknowledged spends.
    consumer.write('spend', spend('feed-card', 'S2', 12_000));
    expect(worker.checkOfflineSpend('feed-card', 300)).toEqual({ allowed: true });
    expect(worker.checkOfflineSpend('feed-card', 301)).toMatchObject({ allowed: false, reason: 'card_cap' });
    producer.close();
    consumer.close();
  });

  it('serves every feed entry exactly as its terminal sent it, page after page, whatever its payload holds', async () => {
    const credentialsW = await enrolled(hq.service, 'FW', 'S1');
    const credentialsR = await enrolled(hq.service, 'FR', 'S2');
    const writer = new TestTerminal('FW', 'S1');
    const payloads = [
      { member: { name: '王小明 "小王"', note: 'line one\nline two\ttab \\ back\\slash' } },
      {
        member: { name: 'Zoë 🍵', tags: ['vip', null, true, false], nested: { deep: [[1, -2], { x: 'y' }] } },
      },
      { member: { id: 'm-3', points: 9_007_199_254_740_991, owed: -42, ratio: 0.5, empty: {}, none: [] } },
      { member: { name: '</script><script>alert(1)</script>', control: '\u0001\u001f', quote: "it's" } },
    ];
    const sent = payloads.map((payload, index) => ({
      operationId: writer.write('member_created', payload, 1_700_000_000_000 + index),
      payload,
    }));
    await new SyncWorker({
      terminalId: 'FW',
      outbox: writer,
      settings: writer,
      transport: new HqHttpClient(server.url, credentialsW),
    }).drain();

    const reader = new HqHttpClient(server.url, credentialsR);
    const received: FeedEntry[] = [];
    let cursor = 0;
    for (;;) {
      const page = await reader.feed(cursor, 2);
      expect(page.entries.length).toBeLessThanOrEqual(2);
      expect(page.cursor).toBe(page.entries.at(-1)?.position ?? cursor);
      received.push(...page.entries);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const positions = received.map((entry) => entry.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    expect(received.filter((entry) => entry.terminalId === 'FW')).toEqual(
      sent.map(({ operationId, payload }, index) => ({
        position: expect.any(Number),
        operationId,
        terminalId: 'FW',
        storeId: 'S1',
        kind: 'member_created',
        payload,
        createdAt: 1_700_000_000_000 + index,
      })),
    );
    expect(received.some((entry) => entry.terminalId === 'FR')).toBe(false);
    writer.close();
  });

  it('keeps pushing while the feed sink fails, and applies the feed once it works again', async () => {
    const other = await enrolled(hq.service, 'SK2', 'S2');
    const otherTerminal = new TestTerminal('SK2', 'S2');
    otherTerminal.writeMany(3);
    await new SyncWorker({
      terminalId: 'SK2',
      outbox: otherTerminal,
      settings: otherTerminal,
      transport: new HqHttpClient(server.url, other),
    }).drain();
    const credentials = await enrolled(hq.service, 'SK1', 'S1');
    const terminal = new TestTerminal('SK1', 'S1');
    const ids = terminal.writeMany(30);
    const recorded = new RecordingSink();
    let ledgerBusy = true;
    const worker = new SyncWorker({
      terminalId: 'SK1',
      outbox: terminal,
      settings: terminal,
      transport: new HqHttpClient(server.url, credentials),
      sink: {
        apply(entries) {
          if (ledgerBusy) throw new Error('the ledger refused the page');
          recorded.apply(entries);
        },
      },
      batchSize: 5,
      idleMs: 20,
      pullEveryMs: 50,
      backoff: fastBackoff,
    });
    worker.start();
    try {
      await until(() => terminal.stats().waiting === 0);
      expect(worker.status().lastError?.code).toBe('SYNC_FAILED');
      expect(terminal.get('sync.feedCursor')).toBeUndefined();
      ledgerBusy = false;
      await until(() => [...recorded.applied.values()].some((entry) => entry.terminalId === 'SK2'));
    } finally {
      await worker.stop();
    }
    await expectExactlyOnceInOrder(hq.service, 'SK1', ids);
    expect(terminal.get<number>('sync.feedCursor')).toBeGreaterThan(0);
    terminal.close();
    otherTerminal.close();
  });

  it('admin routes need a signed-in HQ user whose role allows the route', async () => {
    const { headers: admin } = await adminSession(hq.database, 'chain_admin');
    const { headers: finance } = await adminSession(hq.database, 'finance');
    const create = (headers: Record<string, string>) =>
      fetch(`${server.url}/admin/terminals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ storeId: 'S1', name: 'Admin till', terminalId: 'ADM1' }),
      });
    expect((await create({})).status).toBe(401);
    expect((await create({ authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    expect((await fetch(`${server.url}/api/report`)).status).toBe(401);
    const refused = await create(finance);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ROLE_NOT_ALLOWED');
    const created = await create(admin);
    expect(created.status).toBe(200);
    const { code } = (await created.json()) as { code: string };
    await expect(enrolTerminal(server.url, code)).resolves.toMatchObject({
      terminalId: 'ADM1',
      storeId: 'S1',
    });
    const badCaps = await fetch(`${server.url}/admin/caps`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ perCardFen: -1, perTerminalFen: 10, maxAgeMs: 10 }),
    });
    expect(badCaps.status).toBe(400);
    expect(((await badCaps.json()) as { error: { code: string } }).error.code).toBe('REQUEST_MALFORMED');
  });

  it("serves the managers' page with terminals, overdrafts and settlement", async () => {
    const { headers } = await adminSession(hq.database, 'finance');
    const response = await fetch(`${server.url}/`, { headers });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Chain sync');
    expect(html).toContain('shared-card');
    expect(html).toContain('STORE-B');
    expect(html).toContain('Inter-store settlement');
    const refused = await fetch(`${server.url}/v1/nothing`);
    expect(refused.status).toBe(404);
  });
});
