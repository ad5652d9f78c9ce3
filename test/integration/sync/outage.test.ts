/**
 * Outages and their end: while HQ cannot be reached a busy till keeps to its backoff whatever it sells, a sale
 * cuts the wait short again only once HQ has answered, HQ's Retry-After is obeyed, and a push HQ refuses as a
 * replay does not count as the terminal being seen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqHttpClient, PROTOCOL_VERSION, SyncWorker, signRequest } from '../../../sync';
import { type RunningHqServer, startHqServer } from '../../../sync/hq';
import { type FaultProxy, startFaultProxy } from '../../support/fault-proxy';
import { codeOf, rawRequest } from '../../support/raw-http';
import { enrolled, type HqUnderTest, openHq, serve, TestTerminal, topUp, until, wire } from './fixtures';

const BACKOFF = { baseMs: 100, capMs: 800 };

describe('a till through an HQ outage', () => {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    hq = await openHq('pglite');
    server = await serve(hq.service);
    proxy = await startFaultProxy(server.port);
  });

  afterAll(async () => {
    await proxy?.close();
    await server?.close();
    await hq?.close();
  });

  it('keeps its backoff while HQ is unreachable however often sales nudge it, and syncs a sale at once when HQ answers again', async () => {
    const credentials = await enrolled(hq.service, 'OUT1', 'S1');
    const terminal = new TestTerminal('OUT1', 'S1');
    // The largest delay the jitter allows, so the schedule is known: 100, 200, 400, 800, 800 ms.
    const worker = new SyncWorker({
      terminalId: 'OUT1',
      outbox: terminal,
      settings: terminal,
      transport: new HqHttpClient(proxy.url, credentials, { timeoutMs: 5_000 }),
      backoff: BACKOFF,
      random: () => 1,
      idleMs: 60_000,
      pullEveryMs: 3_600_000,
    });
    proxy.setDown(true);
    terminal.write('top_up', topUp('out-card', 'S1', 1_000));
    worker.start();
    try {
      // A busy till: a sale and a nudge every 10 ms until the worker has failed five pushes in a row.
      let sales = 1;
      await until(async () => {
        terminal.write('top_up', topUp('out-card', 'S1', 1_000));
        sales += 1;
        worker.nudge();
        await new Promise((resolve) => setTimeout(resolve, 10));
        return worker.status().consecutiveFailures >= 5;
      });
      const pushes = proxy.attempts.filter((attempt) => attempt.line.startsWith('POST /v1/push'));
      expect(pushes.length).toBe(5);
      expect(sales).toBeGreaterThan(pushes.length * 5);
      const gaps = pushes.slice(1).map((attempt, index) => attempt.at - pushes[index]!.at);
      gaps.forEach((gap, index) => {
        expect(gap).toBeGreaterThanOrEqual(Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** index) - 5);
      });

      proxy.setDown(false);
      await until(() => terminal.stats().waiting === 0);
      expect(worker.status()).toMatchObject({ online: true, consecutiveFailures: 0 });
      // HQ answered: the next sale is sent at once, not after the 60 s idle pause.
      const sale = terminal.write('top_up', topUp('out-card', 'S1', 1_000));
      worker.nudge();
      await until(() => terminal.stats().waiting === 0, 5_000);
      expect((await hq.service.operationsOf('OUT1')).at(-1)?.operationId).toBe(sale);
    } finally {
      await worker.stop();
      terminal.close();
    }
  });

  it('waits as long as HQ says in Retry-After, sales notwithstanding', async () => {
    const busy = await startHqServer({
      service: hq.service,
      limits: { terminal: { ratePerSecond: 0.2, burst: 1, concurrent: 1 } },
    });
    const credentials = await enrolled(hq.service, 'OUT2', 'S1');
    const terminal = new TestTerminal('OUT2', 'S1');
    const worker = new SyncWorker({
      terminalId: 'OUT2',
      outbox: terminal,
      settings: terminal,
      transport: new HqHttpClient(busy.url, credentials),
      backoff: BACKOFF,
      random: () => 1,
      idleMs: 60_000,
    });
    terminal.write('top_up', topUp('busy-card', 'S1', 1_000));
    // The feed pull takes the one request HQ allows; the push after it is told to come back later.
    worker.start();
    try {
      await until(() => worker.status().lastError?.code === 'RATE_LIMITED');
      const status = worker.status();
      expect(status.nextAttemptAt! - status.lastError!.at).toBeGreaterThanOrEqual(4_000);
      // Sales keep coming and nudging; the rows go up only when HQ said they could.
      await until(async () => {
        terminal.write('top_up', topUp('busy-card', 'S1', 1_000));
        worker.nudge();
        await new Promise((resolve) => setTimeout(resolve, 20));
        return worker.status().consecutiveFailures === 0;
      }, 60_000);
      expect(terminal.stats().lastSentAt).toBeGreaterThanOrEqual(status.nextAttemptAt!);
    } finally {
      await worker.stop();
      await busy.close();
      terminal.close();
    }
  });

  it('does not count a replayed push as the terminal being seen', async () => {
    let clock = Date.now();
    const timed = await startHqServer({ service: hq.service, now: () => clock });
    const credentials = await enrolled(hq.service, 'OUT3', 'S1');
    const terminal = new TestTerminal('OUT3', 'S1');
    try {
      terminal.write('top_up', topUp('seen-card', 'S1', 1_000));
      const body = JSON.stringify({
        version: PROTOCOL_VERSION,
        terminalId: 'OUT3',
        operations: wire(terminal),
      });
      const headers = {
        'content-type': 'application/json',
        ...signRequest({ ...credentials, method: 'POST', path: '/v1/push', body, now: clock }),
      };
      const first = await rawRequest(`${timed.url}/v1/push`, { method: 'POST', headers, body });
      expect(first.status).toBe(200);
      const seenAt = clock;
      clock += 60_000;
      const replay = await rawRequest(`${timed.url}/v1/push`, { method: 'POST', headers, body });
      expect([replay.status, codeOf(replay)]).toEqual([409, 'REPLAYED_REQUEST']);
      const row = (await hq.service.report(clock)).terminals.find((entry) => entry.terminalId === 'OUT3');
      expect(row).toMatchObject({ lastSeenAt: seenAt, lastErrorCode: null });
    } finally {
      await timed.close();
      terminal.close();
    }
  });
});
