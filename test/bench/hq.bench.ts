/**
 * Bench `hq`: 1,000 simulated terminals (in a process of their own) against HQ processes started as
 * `npm run hq` does, on one PostgreSQL.
 * - hq_ingest_ops_per_s, hq_ack_p50_ms, hq_ack_p99_ms: one HQ process; every terminal pushes 3 batches of 10
 *   and pulls a page of the feed; beside a bare batched INSERT of the same number of rows (baseline).
 * - hq_two_process_ingest_ops_per_s: the same with two HQ processes, each request to one of them at random.
 * - hq_catchup_ack_p99_ms: after an outage, every terminal comes back within one second with a backlog of 100
 *   operations and drains it in batches of 25, against the two processes.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TerminalCredentials, WireOperation } from '../../sync';
import { HqService, openHqDatabase } from '../../sync/hq';
import { spend, topUp } from '../integration/sync/test-terminal';
import { codeFor, enrolDirect } from '../support/hq-enrolment';
import { type HqProcess, startHqProcess } from '../support/hq-process';
import { startPostgres } from '../support/postgres';
import { bareInsert } from './bare-insert';
import { runScript } from './child';
import { type Emit, progress, quantile, since } from './harness';
import type { FleetInput, FleetRun } from './hq-fleet';

const here = dirname(fileURLToPath(import.meta.url));
const TERMINALS = 1_000;
const PUSHES = 3;
const OPS_PER_PUSH = 10;
const BACKLOG_PUSHES = 4;
const BACKLOG_BATCH = 25;
const BARE_BATCH = 1_000;
/** The whole fleet comes from one loopback address, as a chain's tills behind one NAT would. */
const HQ_ENV = { HQ_LIMIT_ADDRESS: '1000000,1000000,100000' };

function runFleet(input: FleetInput): Promise<FleetRun> {
  return runScript(join(here, 'hq-fleet.ts'), input);
}

function expectAll(run: FleetRun, expected: number, what: string): void {
  if (run.ops !== expected)
    throw new Error(`${what}: expected ${expected} operations applied, HQ applied ${run.ops}`);
}

export default async function (emit: Emit): Promise<void> {
  const cluster = await startPostgres({ settings: { max_connections: '300' } });
  const database = await openHqDatabase({ databaseUrl: cluster.url, poolSize: 10 });
  const service = new HqService(database);
  const processes: HqProcess[] = [];
  try {
    progress(`enrolling ${TERMINALS} terminals`);
    const terminals: TerminalCredentials[] = [];
    for (let index = 0; index < TERMINALS; index += 50) {
      terminals.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, async (_, offset) => {
            const terminalId = `HQB-${index + offset}`;
            const storeId = `S${(index + offset) % 100}`;
            return enrolDirect(service, await codeFor(service, { terminalId, storeId, now: Date.now() }));
          }),
        )),
      );
    }
    const env = { ...HQ_ENV, DATABASE_URL: cluster.url };
    processes.push(await startHqProcess(env));

    progress(`${TERMINALS} terminals pushing and pulling against one HQ process`);
    const perRun = TERMINALS * PUSHES * OPS_PER_PUSH;
    const one = await runFleet({
      urls: [processes[0]!.url],
      terminals,
      firstSeq: 1,
      pushes: PUSHES,
      opsPerPush: OPS_PER_PUSH,
      pull: true,
      spreadMs: 0,
    });
    expectAll(one, perRun, 'one process');

    progress(`the bare baseline: ${perRun} rows in batched INSERTs of ${BARE_BATCH}`);
    const bare = new pg.Client({ connectionString: cluster.url });
    await bare.connect();
    const bareRows: WireOperation[] = Array.from({ length: perRun }, (_, index) => ({
      seq: index + 1,
      operationId: `bare-${index}`,
      terminalId: 'BARE',
      storeId: 'S0',
      kind: index % 2 === 0 ? 'top_up' : 'spend',
      payload: index % 2 === 0 ? topUp('bare-card', 'S0', 1_000) : spend('bare-card', 'S0', 400),
      createdAt: Date.now(),
    }));
    const bareStart = process.hrtime.bigint();
    for (let offset = 0; offset < perRun; offset += BARE_BATCH) {
      await bareInsert(bare, bareRows.slice(offset, offset + BARE_BATCH), Date.now());
    }
    const bareRate = (perRun / since(bareStart)) * 1000;
    await bare.end();

    const oneRate = (one.ops / one.elapsedMs) * 1000;
    emit({
      metric: 'hq_ingest_ops_per_s',
      value: oneRate,
      unit: 'ops/s',
      baseline: bareRate,
      ratio: oneRate / bareRate,
      goal: '>= 20000',
    });
    emit({ metric: 'hq_ack_p50_ms', value: quantile(one.latencies, 0.5), unit: 'ms' });
    emit({ metric: 'hq_retries', value: one.retries, unit: 'requests' });
    emit({ metric: 'hq_ack_p99_ms', value: quantile(one.latencies, 0.99), unit: 'ms', goal: '< 250' });

    processes.push(await startHqProcess(env));
    const urls = processes.map((running) => running.url);
    progress(`${TERMINALS} terminals pushing and pulling against two HQ processes`);
    const two = await runFleet({
      urls,
      terminals,
      firstSeq: PUSHES * OPS_PER_PUSH + 1,
      pushes: PUSHES,
      opsPerPush: OPS_PER_PUSH,
      pull: true,
      spreadMs: 0,
    });
    expectAll(two, perRun, 'two processes');
    emit({
      metric: 'hq_two_process_ingest_ops_per_s',
      value: (two.ops / two.elapsedMs) * 1000,
      unit: 'ops/s',
      baseline: bareRate,
    });
    emit({ metric: 'hq_two_process_ack_p99_ms', value: quantile(two.latencies, 0.99), unit: 'ms' });

    progress(
      `${TERMINALS} terminals back within a second, each with ${BACKLOG_PUSHES * BACKLOG_BATCH} to send`,
    );
    const catchup = await runFleet({
      urls,
      terminals,
      firstSeq: 2 * PUSHES * OPS_PER_PUSH + 1,
      pushes: BACKLOG_PUSHES,
      opsPerPush: BACKLOG_BATCH,
      pull: false,
      spreadMs: 1_000,
    });
    expectAll(catchup, TERMINALS * BACKLOG_PUSHES * BACKLOG_BATCH, 'catch-up');
    emit({
      metric: 'hq_catchup_ack_p99_ms',
      value: quantile(catchup.latencies, 0.99),
      unit: 'ms',
      goal: '< 250',
    });
    emit({ metric: 'hq_catchup_retries', value: catchup.retries, unit: 'requests' });
    emit({
      metric: 'hq_catchup_ops_per_s',
      value: (catchup.ops / catchup.elapsedMs) * 1000,
      unit: 'ops/s',
    });
  } finally {
    for (const running of processes) await running.kill('SIGTERM');
    await database.close();
    await cluster.stop();
  }
}
