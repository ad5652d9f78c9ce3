/**
 * Bench `hq`: 1,000 simulated terminals (in a process of their own) against HQ processes started as
 * `npm run hq` does, on one PostgreSQL.
 * - hq_ingest_ops_per_s, hq_ack_p50_ms, hq_ack_p99_ms: one HQ process; every terminal pushes 3 batches of 10
 *   and pulls a page of the feed; beside a bare batched INSERT of the same number of rows (baseline). Before
 *   the clock starts every terminal pulls once (as tills poll all day), so a freshly started process is warm.
 * - hq_two_process_ingest_ops_per_s: the same with two HQ processes, each request to one of them at random.
 * - hq_catchup_ack_p99_ms: after an outage, every terminal comes back within one second with a backlog of 100
 *   operations and drains it in batches of 25, against the two processes (no warm-up: their key caches ran out).
 * - hq_ack_p50_ms_at_N_pushes_per_s, hq_ack_p99_ms_at_N_pushes_per_s: the saturation figures above say how fast
 *   HQ goes with every terminal pushing back to back; these say how long a till waits at a stated offered load
 *   (N pushes a second, printed as hq_paced_offered_pushes_per_s): every terminal pushes one operation a second,
 *   as a till at a busy counter might, and pulls a page every 30 s, as the sync worker does, against one HQ
 *   process; a push's wait counts from the moment it was due. hq_paced_ops_per_s says whether HQ kept up.
 * - *_cpu_ms_per_1000_ops: CPU time HQ, PostgreSQL (beside the bare INSERT's) and the fleet spent per 1,000
 *   operations, read from /proc: what a run costs each side whatever else the machine was doing.
 * `--terminals=N` makes a quick run; `--cpu-prof=DIR` writes CPU profiles of HQ and the fleet into DIR.
 */
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TerminalCredentials, WireOperation } from '../../sync';
import { HqService, openHqDatabase } from '../../sync/hq';
import { spend, topUp } from '../integration/sync/test-terminal';
import { codeFor, enrolDirect } from '../support/hq-enrolment';
import { type HqProcess, startHqProcess } from '../support/hq-process';
import { type PostgresCluster, startPostgres } from '../support/postgres';
import { bareInsert } from './bare-insert';
import { runScript } from './child';
import { clusterPids, cpuSince, readCpu } from './cpu-time';
import { benchOption, benchText, type Emit, progress, quantile, since } from './harness';
import type { FleetInput, FleetRun } from './hq-fleet';

const here = dirname(fileURLToPath(import.meta.url));
/** `npm run bench -- hq --terminals=200` for a quick run; the figures are quoted at the default. */
const TERMINALS = benchOption('terminals', 1_000);
const PUSHES = 3;
const OPS_PER_PUSH = 10;
const BACKLOG_PUSHES = 4;
const BACKLOG_BATCH = 25;
const BARE_BATCH = 1_000;
/** The paced phase: how long, how often each terminal pushes (one operation each time), how often it pulls. */
const PACED_PUSHES = 10;
const PACED_INTERVAL_MS = 1_000;
const PACED_PULL_EVERY_MS = 30_000;
/**
 * `--cpu-prof=DIR`: the HQ processes and the fleet write V8 CPU profiles into DIR (open them in Chrome's
 * DevTools), to see where a run's time goes.
 */
const PROFILE_DIR = benchText('cpu-prof');
const NODE_ARGS = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
/** The whole fleet comes from one loopback address, as a chain's tills behind one NAT would. */
const HQ_ENV = { HQ_LIMIT_ADDRESS: '1000000,1000000,100000' };

interface Phase extends FleetRun {
  /** CPU milliseconds the HQ processes and the PostgreSQL cluster spent during the phase. */
  serverCpuMs: number;
  postgresCpuMs: number;
}

/** Runs the fleet against HQ and reads what the phase cost each side in CPU time. */
async function runPhase(
  input: FleetInput,
  servers: readonly HqProcess[],
  cluster: PostgresCluster,
): Promise<Phase> {
  if (input.warmUp) {
    // Apart, so the warm-up's pulls count in neither the time nor the CPU figures.
    await runScript<FleetRun>(join(here, 'hq-fleet.ts'), { ...input, pushes: 0, pull: false }, NODE_ARGS);
  }
  const serverPids = servers.map((server) => server.child.pid!);
  const postgresPids = clusterPids(join(cluster.dir, 'data'));
  const serverBefore = readCpu(serverPids);
  const postgresBefore = readCpu(postgresPids);
  const started = process.hrtime.bigint();
  const run = await runScript<FleetRun>(join(here, 'hq-fleet.ts'), input, NODE_ARGS);
  progress(
    `  ${Math.round(since(started) / 1000)} s with the warm-up; load average ${loadavg()[0]!.toFixed(1)}`,
  );
  const expected = input.terminals.length * input.pushes * input.opsPerPush;
  if (run.ops !== expected) throw new Error(`expected ${expected} operations applied, HQ applied ${run.ops}`);
  return {
    ...run,
    serverCpuMs: cpuSince(serverBefore, serverPids),
    postgresCpuMs: cpuSince(postgresBefore, clusterPids(join(cluster.dir, 'data'))),
  };
}

/** Where a phase's CPU went, per 1,000 operations: HQ, PostgreSQL and the simulated terminals. */
function emitCpu(emit: Emit, prefix: string, phase: Phase, bareCpuPer1000: number): void {
  const per1000 = (ms: number) => (ms / phase.ops) * 1000;
  emit({ metric: `${prefix}_server_cpu_ms_per_1000_ops`, value: per1000(phase.serverCpuMs), unit: 'ms' });
  emit({
    metric: `${prefix}_postgres_cpu_ms_per_1000_ops`,
    value: per1000(phase.postgresCpuMs),
    unit: 'ms',
    baseline: bareCpuPer1000,
  });
  emit({ metric: `${prefix}_fleet_cpu_ms_per_1000_ops`, value: per1000(phase.cpuMs), unit: 'ms' });
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
    processes.push(await startHqProcess(env, { nodeArgs: NODE_ARGS }));

    progress(`${TERMINALS} terminals pushing and pulling against one HQ process`);
    const perRun = TERMINALS * PUSHES * OPS_PER_PUSH;
    const one = await runPhase(
      {
        urls: [processes[0]!.url],
        terminals,
        firstSeq: 1,
        pushes: PUSHES,
        opsPerPush: OPS_PER_PUSH,
        pull: true,
        spreadMs: 0,
        warmUp: true,
      },
      processes,
      cluster,
    );

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
    const barePids = clusterPids(join(cluster.dir, 'data'));
    const bareCpuBefore = readCpu(barePids);
    const bareStart = process.hrtime.bigint();
    for (let offset = 0; offset < perRun; offset += BARE_BATCH) {
      await bareInsert(bare, bareRows.slice(offset, offset + BARE_BATCH), Date.now());
    }
    const bareRate = (perRun / since(bareStart)) * 1000;
    const bareCpuPer1000 = (cpuSince(bareCpuBefore, clusterPids(join(cluster.dir, 'data'))) / perRun) * 1000;
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
    emitCpu(emit, 'hq', one, bareCpuPer1000);

    processes.push(await startHqProcess(env, { nodeArgs: NODE_ARGS }));
    const urls = processes.map((running) => running.url);
    progress(`${TERMINALS} terminals pushing and pulling against two HQ processes`);
    const two = await runPhase(
      {
        urls,
        terminals,
        firstSeq: PUSHES * OPS_PER_PUSH + 1,
        pushes: PUSHES,
        opsPerPush: OPS_PER_PUSH,
        pull: true,
        spreadMs: 0,
        warmUp: true,
      },
      processes,
      cluster,
    );
    const twoRate = (two.ops / two.elapsedMs) * 1000;
    emit({
      metric: 'hq_two_process_ingest_ops_per_s',
      value: twoRate,
      unit: 'ops/s',
      baseline: bareRate,
      ratio: twoRate / bareRate,
    });
    emit({ metric: 'hq_two_process_ack_p99_ms', value: quantile(two.latencies, 0.99), unit: 'ms' });

    progress(
      `${TERMINALS} terminals back within a second, each with ${BACKLOG_PUSHES * BACKLOG_BATCH} to send`,
    );
    const catchup = await runPhase(
      {
        urls,
        terminals,
        firstSeq: 2 * PUSHES * OPS_PER_PUSH + 1,
        pushes: BACKLOG_PUSHES,
        opsPerPush: BACKLOG_BATCH,
        pull: false,
        spreadMs: 1_000,
        warmUp: false,
      },
      processes,
      cluster,
    );
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
    emitCpu(emit, 'hq_catchup', catchup, bareCpuPer1000);
    // Other work on the machine slows every figure above but the CPU ones: say how busy it was.
    emit({ metric: 'hq_load_average_1m', value: loadavg()[0]!, unit: 'runnable' });

    const offered = Math.round(TERMINALS / (PACED_INTERVAL_MS / 1000));
    progress(
      `${TERMINALS} terminals each pushing once a second (${offered} pushes a second), one HQ process`,
    );
    const paced = await runPhase(
      {
        urls: [processes[0]!.url],
        terminals,
        firstSeq: 2 * PUSHES * OPS_PER_PUSH + BACKLOG_PUSHES * BACKLOG_BATCH + 1,
        pushes: PACED_PUSHES,
        opsPerPush: 1,
        pull: false,
        spreadMs: 0,
        warmUp: false,
        intervalMs: PACED_INTERVAL_MS,
        pullEveryMs: PACED_PULL_EVERY_MS,
      },
      processes,
      cluster,
    );
    emit({ metric: 'hq_paced_offered_pushes_per_s', value: offered, unit: 'pushes/s' });
    emit({ metric: 'hq_paced_ops_per_s', value: (paced.ops / paced.elapsedMs) * 1000, unit: 'ops/s' });
    emit({
      metric: `hq_ack_p50_ms_at_${offered}_pushes_per_s`,
      value: quantile(paced.latencies, 0.5),
      unit: 'ms',
    });
    emit({
      metric: `hq_ack_p99_ms_at_${offered}_pushes_per_s`,
      value: quantile(paced.latencies, 0.99),
      unit: 'ms',
      goal: '< 250',
    });
    emit({ metric: 'hq_paced_retries', value: paced.retries, unit: 'requests' });
    progress(`  load average ${loadavg()[0]!.toFixed(1)} after the paced phase`);
  } finally {
    for (const running of processes) await running.kill('SIGTERM');
    await database.close();
    await cluster.stop();
  }
}
