import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqHttpClient, type SyncStatus, SyncWorker } from '../../../sync';
import { HqService, openHqDatabase, type RunningHqServer, startHqServer } from '../../../sync/hq';
import { startFaultProxy } from '../../support/fault-proxy';
import { freePort } from '../../support/postgres';
import {
  type Engine,
  enrolled,
  expectExactlyOnceInOrder,
  fastBackoff,
  type HqUnderTest,
  openHq,
  serve,
  TestTerminal,
  until,
} from './fixtures';

const root = join(import.meta.dirname, '..', '..', '..');

function tsx(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe.each<Engine>(['pglite', 'postgres'])('sync faults on %s', (engine) => {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-sync-'));
    hq = await openHq(engine);
    server = await serve(hq.service);
  });

  afterAll(async () => {
    await server?.close();
    await hq?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('drains a long backlog once HQ comes back after being down, reporting offline meanwhile', async () => {
    const credentials = await enrolled(hq.service, 'D1', 'S1');
    const terminal = new TestTerminal('D1', 'S1');
    const port = server.port;
    await server.close();
    const ids = terminal.writeMany(1_500);
    const statuses: SyncStatus[] = [];
    const worker = new SyncWorker({
      terminalId: 'D1',
      outbox: terminal,
      settings: terminal,
      transport: new HqHttpClient(`http://127.0.0.1:${port}`, credentials, { timeoutMs: 2_000 }),
      batchSize: 250,
      backoff: fastBackoff,
      idleMs: 50,
      onStatus: (status) => statuses.push(status),
    });
    worker.start();
    try {
      await until(() => worker.status().consecutiveFailures >= 4);
      const offline = worker.status();
      expect(offline).toMatchObject({ online: false, waiting: 1_500, lastError: { code: 'HQ_UNREACHABLE' } });
      expect(offline.oldestWaitingAt).not.toBeNull();
      server = await serve(hq.service, port);
      await until(() => terminal.stats().waiting === 0);
    } finally {
      await worker.stop();
    }
    expect(worker.status()).toMatchObject({ online: true, waiting: 0, consecutiveFailures: 0 });
    expect(statuses.some((status) => !status.online)).toBe(true);
    await expectExactlyOnceInOrder(hq.service, 'D1', ids);
    const seen = (await hq.service.report(Date.now())).terminals.find((row) => row.terminalId === 'D1');
    // The lag HQ reports is the age of the oldest row the terminal could not deliver while HQ was down.
    expect(seen).toMatchObject({ lastSeq: 1_500, waiting: 0 });
    expect(seen?.lagMs).toBeGreaterThan(50);
    terminal.close();
  });

  it('resends, and HQ answers duplicate, when the connection is cut after HQ committed', async () => {
    const credentials = await enrolled(hq.service, 'C1', 'S1');
    const terminal = new TestTerminal('C1', 'S1');
    const ids = terminal.writeMany(600);
    const proxy = await startFaultProxy(server.port);
    const worker = new SyncWorker({
      terminalId: 'C1',
      outbox: terminal,
      settings: terminal,
      transport: new HqHttpClient(proxy.url, credentials),
      batchSize: 100,
      backoff: fastBackoff,
    });
    try {
      proxy.cutNextResponses(1);
      await expect(worker.pushOnce()).rejects.toMatchObject({ code: 'HQ_UNREACHABLE' });
      expect(proxy.cuts).toBe(1);
      // HQ holds the batch; the terminal still has it waiting.
      expect(await hq.service.operationsOf('C1')).toHaveLength(100);
      expect(terminal.stats().waiting).toBe(600);
      expect(await worker.pushOnce()).toEqual({ sent: 100, applied: 0, duplicate: 100, rejected: 0 });
      proxy.cutNextResponses(3);
      await worker.drain();
      expect(proxy.cuts).toBe(4);
    } finally {
      await proxy.close();
    }
    await expectExactlyOnceInOrder(hq.service, 'C1', ids);
    terminal.close();
  });

  it("corrects a terminal clock skewed by hours from HQ's answer and delivers everything", async () => {
    const credentials = await enrolled(hq.service, 'K1', 'S1');
    const terminal = new TestTerminal('K1', 'S1');
    const ids = terminal.writeMany(300);
    for (const skew of [-5 * 3_600_000, 7 * 3_600_000]) {
      const client = new HqHttpClient(server.url, credentials, { now: () => Date.now() + skew });
      const worker = new SyncWorker({
        terminalId: 'K1',
        outbox: terminal,
        settings: terminal,
        transport: client,
        batchSize: 100,
        backoff: fastBackoff,
      });
      await expect(worker.pushOnce()).rejects.toMatchObject({ code: 'CLOCK_SKEW' });
      expect(Math.abs(client.clockOffsetMs + skew)).toBeLessThan(5_000);
      expect(await worker.pushOnce()).toMatchObject({ sent: 100, applied: 100 });
    }
    await new SyncWorker({
      terminalId: 'K1',
      outbox: terminal,
      settings: terminal,
      transport: new HqHttpClient(server.url, credentials, { now: () => Date.now() - 3 * 3_600_000 }),
      backoff: fastBackoff,
    }).drain();
    await expectExactlyOnceInOrder(hq.service, 'K1', ids);
    terminal.close();
  });

  it('loses and doubles nothing when the terminal is killed mid-send, again and again', async () => {
    const credentials = await enrolled(hq.service, 'P1', 'S1');
    const file = join(dir, 'p1.sqlite');
    const terminal = new TestTerminal('P1', 'S1', file);
    const ids = terminal.writeMany(1_200);
    terminal.close();
    const env = { SYNC_CREDENTIALS: JSON.stringify(credentials) };
    const script = 'test/integration/sync/terminal-process.ts';
    let kills = 0;
    for (let round = 0; round < 4; round += 1) {
      const child = tsx(script, [server.url, file], env);
      const applied = (await hq.service.operationsOf('P1')).length;
      // Kill it once it has made progress this round, at a moment that lands inside a batch more often than not.
      await until(
        async () => (await hq.service.operationsOf('P1')).length > applied + 50 || child.exitCode !== null,
        30_000,
      );
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 40)));
      if (child.exitCode === null && child.kill('SIGKILL')) kills += 1;
      await exited(child);
    }
    const last = tsx(script, [server.url, file], env);
    let output = '';
    last.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    expect(await exited(last)).toBe(0);
    expect(output).toContain('drained');
    expect(kills).toBeGreaterThan(0);
    const reopened = new TestTerminal('P1', 'S1', file);
    expect(reopened.stats().waiting).toBe(0);
    reopened.close();
    await expectExactlyOnceInOrder(hq.service, 'P1', ids);
  });

  it('recovers when HQ is restarted in the middle of a batch', async () => {
    const credentials = await enrolled(hq.service, 'H1', 'S1');
    const terminal = new TestTerminal('H1', 'S1');
    const ids = terminal.writeMany(2_400);
    const worker = new SyncWorker({
      terminalId: 'H1',
      outbox: terminal,
      settings: terminal,
      transport: new HqHttpClient(server.url, credentials, { timeoutMs: 5_000 }),
      batchSize: 200,
      backoff: fastBackoff,
      idleMs: 20,
    });
    worker.start();
    try {
      for (let restart = 0; restart < 3; restart += 1) {
        const applied = (await hq.service.operationsOf('H1')).length;
        await until(async () => (await hq.service.operationsOf('H1')).length > applied);
        // Requests in flight lose their connection; HQ answers nothing until it is back.
        const port = server.port;
        await server.close();
        await new Promise((resolve) => setTimeout(resolve, 100));
        server = await serve(hq.service, port);
      }
      await until(() => terminal.stats().waiting === 0, 30_000);
    } finally {
      await worker.stop();
    }
    await expectExactlyOnceInOrder(hq.service, 'H1', ids);
    terminal.close();
  });
});

describe('HQ process killed mid-batch on PostgreSQL', () => {
  let hq: HqUnderTest;

  beforeAll(async () => {
    hq = await openHq('postgres');
  });

  afterAll(async () => {
    await hq?.close();
  });

  // Four HQ processes start (each through tsx) and three are killed: give it time on a busy machine.
  it('applies every row exactly once across SIGKILLs of the HQ process', async () => {
    const credentials = await enrolled(hq.service, 'Z1', 'S1');
    const terminal = new TestTerminal('Z1', 'S1');
    const ids = terminal.writeMany(2_000);
    const port = await freePort();
    const start = () => {
      const child = tsx('sync/hq/main.ts', [], { DATABASE_URL: hq.databaseUrl!, HQ_PORT: String(port) });
      return child;
    };
    let hqProcess = start();
    const worker = new SyncWorker({
      terminalId: 'Z1',
      outbox: terminal,
      settings: terminal,
      transport: new HqHttpClient(`http://127.0.0.1:${port}`, credentials, { timeoutMs: 5_000 }),
      batchSize: 100,
      backoff: fastBackoff,
      idleMs: 20,
    });
    worker.start();
    try {
      for (let kill = 0; kill < 3; kill += 1) {
        const applied = (await hq.service.operationsOf('Z1')).length;
        await until(async () => (await hq.service.operationsOf('Z1')).length > applied + 100, 30_000);
        hqProcess.kill('SIGKILL');
        await exited(hqProcess);
        hqProcess = start();
      }
      await until(() => terminal.stats().waiting === 0, 60_000);
    } finally {
      await worker.stop();
      hqProcess.kill('SIGTERM');
      await exited(hqProcess);
    }
    await expectExactlyOnceInOrder(hq.service, 'Z1', ids);
    terminal.close();
  }, 120_000);
});

describe('HQ on PGlite restarted from its data directory mid-drain', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pos-hq-pglite-'));
  });

  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every committed row across the restart and applies the rest exactly once', async () => {
    let database = await openHqDatabase({ dataDir });
    let service = new HqService(database);
    let server = await startHqServer({ service });
    const port = server.port;
    const credentials = await enrolled(service, 'G1', 'S1');
    const terminal = new TestTerminal('G1', 'S1');
    const ids = terminal.writeMany(2_000);
    const worker = new SyncWorker({
      terminalId: 'G1',
      outbox: terminal,
      settings: terminal,
      transport: new HqHttpClient(server.url, credentials, { timeoutMs: 5_000 }),
      batchSize: 100,
      backoff: fastBackoff,
      idleMs: 20,
    });
    worker.start();
    try {
      await until(async () => (await service.operationsOf('G1')).length >= 300);
      // Stop HQ while the worker keeps sending, close the embedded database, and open it again from disk.
      await server.close();
      await database.close();
      database = await openHqDatabase({ dataDir });
      service = new HqService(database);
      server = await startHqServer({ service, port });
      await until(() => terminal.stats().waiting === 0, 60_000);
    } finally {
      await worker.stop();
      await server.close();
    }
    await expectExactlyOnceInOrder(service, 'G1', ids);
    await database.close();
    terminal.close();
  }, 120_000);
});
