/**
 * Bench `sync`:
 * - drain_ops_per_s: a 100,000-operation outbox drained by the real worker over HTTP into HQ on PostgreSQL,
 *   beside a bare batched INSERT of the same rows into the same table (same batch size, same run);
 *   drain_vs_bare_ratio = drain time / bare time.
 * - 50 terminals pushing at once: ingest throughput and the p50/p99 time from sending a batch to its ack.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { HqHttpClient, SyncWorker, type WireOperation } from '../../sync';
import { HqService, openHqDatabase, startHqServer } from '../../sync/hq';
import { TestTerminal } from '../integration/sync/test-terminal';
import { codeFor, enrolDirect } from '../support/hq-enrolment';
import { startPostgres } from '../support/postgres';
import { bareInsert } from './bare-insert';
import { runScript } from './child';
import { type Emit, progress, quantile, since } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const BACKLOG = 100_000;
const BATCH = 2_000;
const ROUND = 10_000;
const TERMINALS = 50;
const PUSHES_PER_TERMINAL = 20;
const OPS_PER_PUSH = 10;
const SHARED_ADDRESS = { ratePerSecond: 1_000_000, burst: 1_000_000, concurrent: 10_000 };

function runFleet(input: unknown): Promise<{ elapsedMs: number; latencies: number[] }> {
  return runScript(join(here, 'sync-fleet.ts'), input);
}

export default async function (emit: Emit): Promise<void> {
  const cluster = await startPostgres();
  const database = await openHqDatabase({ databaseUrl: cluster.url, poolSize: 20 });
  const service = new HqService(database);
  // The whole fleet comes from one loopback address, as a chain's tills behind one NAT would.
  const server = await startHqServer({ service, limits: { address: SHARED_ADDRESS } });
  try {
    progress(`writing a ${BACKLOG}-operation outbox`);
    const code = await codeFor(service, { terminalId: 'BENCH-1', storeId: 'S1', now: Date.now() });
    const credentials = await enrolDirect(service, code);
    const terminal = new TestTerminal('BENCH-1', 'S1');
    for (let written = 0; written < BACKLOG; written += 10_000) terminal.writeMany(10_000, `card-${written}`);
    // The bare baseline inserts the same rows under another terminal id, so both land in the same table.
    const bareRows: WireOperation[] = terminal
      .pending(BACKLOG)
      .map((row) => ({ ...row, terminalId: 'BARE-1', operationId: `bare-${row.operationId}` }));
    const bare = new pg.Client({ connectionString: cluster.url });
    await bare.connect();
    const worker = new SyncWorker({
      terminalId: 'BENCH-1',
      outbox: terminal,
      settings: terminal,
      transport: new HqHttpClient(server.url, credentials),
      batchSize: BATCH,
    });

    // Interleaved in rounds, so load from anything else on the machine falls on both sides alike.
    progress('draining the backlog through the worker, interleaved with the bare batched INSERT');
    let drainMs = 0;
    let bareMs = 0;
    for (let offset = 0; offset < BACKLOG; offset += ROUND) {
      const drainStart = process.hrtime.bigint();
      for (let sent = 0; sent < ROUND; sent += BATCH) await worker.pushOnce();
      drainMs += since(drainStart);
      const bareStart = process.hrtime.bigint();
      for (let sent = 0; sent < ROUND; sent += BATCH) {
        await bareInsert(bare, bareRows.slice(offset + sent, offset + sent + BATCH), Date.now());
      }
      bareMs += since(bareStart);
    }
    await bare.end();
    const atHq = (await service.operationsOf('BENCH-1')).length;
    if (atHq !== BACKLOG || terminal.stats().waiting !== 0) {
      throw new Error(`expected ${BACKLOG} operations at HQ, found ${atHq}`);
    }
    terminal.close();

    const drainRate = (BACKLOG / drainMs) * 1000;
    const bareRate = (BACKLOG / bareMs) * 1000;
    emit({
      metric: 'drain_ops_per_s',
      value: drainRate,
      unit: 'ops/s',
      baseline: bareRate,
      ratio: drainRate / bareRate,
      goal: '>= 10000',
    });
    emit({ metric: 'drain_vs_bare_ratio', value: drainMs / bareMs, unit: 'x', goal: '<= 3' });

    progress(`${TERMINALS} terminals pushing at once, from a process of their own`);
    const terminals = await Promise.all(
      Array.from({ length: TERMINALS }, async (_, index) => {
        const terminalId = `FLEET-${index}`;
        const enrolment = await codeFor(service, {
          terminalId,
          storeId: `S${index % 5}`,
          now: Date.now(),
        });
        return enrolDirect(service, enrolment);
      }),
    );
    const { elapsedMs, latencies } = await runFleet({
      url: server.url,
      terminals,
      pushes: PUSHES_PER_TERMINAL,
      opsPerPush: OPS_PER_PUSH,
    });
    emit({
      metric: 'ingest_ops_per_s',
      value: ((TERMINALS * PUSHES_PER_TERMINAL * OPS_PER_PUSH) / elapsedMs) * 1000,
      unit: 'ops/s',
    });
    emit({
      metric: 'ingest_acks_per_s',
      value: ((TERMINALS * PUSHES_PER_TERMINAL) / elapsedMs) * 1000,
      unit: 'acks/s',
    });
    emit({ metric: 'ingest_ack_p50_ms', value: quantile(latencies, 0.5), unit: 'ms' });
    emit({ metric: 'ingest_ack_p99_ms', value: quantile(latencies, 0.99), unit: 'ms' });
  } finally {
    await server.close();
    await database.close();
    await cluster.stop();
  }
}
