/**
 * HQ's PostgreSQL restarting while tills push: while the database is away HQ answers each push with a clear
 * 503 (`HQ_DATABASE_UNAVAILABLE`, Retry-After) instead of crashing or hanging, the tills keep their rows and
 * retry, and once the database is back every operation is at HQ exactly once and in order.
 *
 * The cluster is this file's own (the run's shared one must not be restarted under other files' feet).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqHttpClient, SyncWorker } from '../../../sync';
import { type HqDatabase, HqService, openHqDatabase, type RunningHqServer } from '../../../sync/hq';
import { type PostgresCluster, startPostgres } from '../../support/postgres';
import {
  enrolled,
  expectExactlyOnceInOrder,
  fastBackoff,
  serve,
  TestTerminal,
  until,
  wire,
} from './fixtures';

describe('HQ while its PostgreSQL restarts under load', () => {
  let cluster: PostgresCluster;
  let database: HqDatabase;
  let service: HqService;
  let server: RunningHqServer;

  beforeAll(async () => {
    cluster = await startPostgres();
    database = await openHqDatabase({ databaseUrl: cluster.url });
    service = new HqService(database);
    server = await serve(service);
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
    await cluster?.stop();
  });

  it('answers 503 with a code while the database is down, and loses or doubles nothing', async () => {
    const tills = await Promise.all(
      ['R1', 'R2', 'R3'].map(async (terminalId) => {
        const credentials = await enrolled(service, terminalId, 'S1');
        const terminal = new TestTerminal(terminalId, 'S1');
        const ids = terminal.writeMany(1_500);
        const worker = new SyncWorker({
          terminalId,
          outbox: terminal,
          settings: terminal,
          transport: new HqHttpClient(server.url, credentials, { timeoutMs: 5_000 }),
          batchSize: 50,
          backoff: fastBackoff,
          idleMs: 20,
        });
        return { terminalId, credentials, terminal, ids, worker };
      }),
    );
    for (const till of tills) till.worker.start();
    try {
      const applied = async () => (await service.operationsOf('R1')).length;
      await until(async () => (await applied()) > 100, 30_000);

      await cluster.stopServer();
      // A push that reaches HQ while its database is gone is refused in words a till can act on.
      const probe = tills[0]!;
      const client = new HqHttpClient(server.url, probe.credentials, { timeoutMs: 5_000 });
      const refusal = await client.push('R1', wire(probe.terminal, 1)).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toMatchObject({ code: 'HQ_DATABASE_UNAVAILABLE' });
      // The tills notice and keep their rows.
      await until(() => tills.every((till) => till.worker.status().consecutiveFailures > 0), 30_000);
      expect(tills.every((till) => till.terminal.stats().waiting > 0)).toBe(true);

      await cluster.startServer();
      await until(() => tills.every((till) => till.terminal.stats().waiting === 0), 60_000);
    } finally {
      for (const till of tills) await till.worker.stop();
    }
    for (const till of tills) {
      await expectExactlyOnceInOrder(service, till.terminalId, till.ids);
      till.terminal.close();
    }
  }, 120_000);
});
