/**
 * The simulated terminals of the `hq` bench, in a process of their own as they would be on their own machines.
 * Reads `{ urls, terminals, firstSeq, pushes, opsPerPush, pull, spreadMs, warmUp }` as JSON on stdin: after a
 * warm-up pull when asked for, every terminal
 * starts at a random moment within `spreadMs`, pushes `pushes` batches of `opsPerPush` operations (seq from
 * `firstSeq`) to one of `urls` at random, and then pulls a page of the feed when `pull` is set. A request that
 * fails in a way the sync worker would retry (a dropped connection, 429, 503) is retried after a short pause,
 * as the worker would. Prints `{ elapsedMs, cpuMs, latencies, ops, retries }` as JSON on stdout: latencies are from
 * sending a push to its ack, retries included.
 *
 * With `intervalMs` the terminals are paced instead of pushing back to back, as tills in a store are: each pushes
 * once every `intervalMs` from a random moment within the first interval, and pulls a page every
 * `pullEveryMs` (between two pushes, as the sync worker does). A paced push's latency runs from the moment it
 * was due, not from when it was sent, so a push held up behind a slow answer counts its wait too.
 */
import { HqHttpClient, isRetryable, type TerminalCredentials, type WireOperation } from '../../sync';
import { spend, topUp } from '../integration/sync/test-terminal';
import { since } from './harness';
import { leanFetch } from './lean-fetch';

export interface FleetInput {
  urls: string[];
  terminals: TerminalCredentials[];
  firstSeq: number;
  pushes: number;
  opsPerPush: number;
  pull: boolean;
  spreadMs: number;
  /** Every terminal pulls once from every HQ process before the clock starts. */
  warmUp: boolean;
  /** Paced: each terminal pushes once every this many milliseconds instead of back to back. */
  intervalMs?: number;
  /** Paced: each terminal pulls a page this often, from a random moment within the first period. */
  pullEveryMs?: number;
}

export interface FleetRun {
  elapsedMs: number;
  /** CPU time this process used from the first request to the last answer. */
  cpuMs: number;
  latencies: number[];
  ops: number;
  retries: number;
}

let text = '';
for await (const chunk of process.stdin) text += String(chunk);
const input = JSON.parse(text) as FleetInput;

function operation(credentials: TerminalCredentials, seq: number, card: string): WireOperation {
  return {
    seq,
    operationId: `${credentials.terminalId}-${String(seq).padStart(7, '0')}`,
    terminalId: credentials.terminalId,
    storeId: credentials.storeId,
    kind: seq % 2 === 1 ? 'top_up' : 'spend',
    payload: seq % 2 === 1 ? topUp(card, credentials.storeId, 1_000) : spend(card, credentials.storeId, 400),
    createdAt: Date.now(),
  };
}

const latencies: number[] = [];
let ops = 0;
let retries = 0;

async function retried<T>(request: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await request();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      retries += 1;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
    }
  }
}

const fleet = input.terminals.map((credentials) =>
  input.urls.map((url) => new HqHttpClient(url, credentials, { timeoutMs: 60_000, fetch: leanFetch })),
);
if (input.warmUp) {
  // Every terminal has been polling before the measured run, as tills do all day: each HQ process knows its
  // key and has its code compiled, and this process has its connections open.
  await Promise.all(fleet.flatMap((clients) => clients.map((client) => retried(() => client.feed(0, 1)))));
  retries = 0;
}

const start = process.hrtime.bigint();
const cpuAtStart = process.cpuUsage();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
await Promise.all(
  input.terminals.map(async (credentials, index) => {
    const clients = fleet[index]!;
    const pick = () => clients[Math.floor(Math.random() * clients.length)]!;
    const card = `hq-bench-card-${index}`;
    const interval = input.intervalMs;
    const offset = Math.random() * (interval ?? input.spreadMs);
    let nextPullAt = input.pullEveryMs === undefined ? Infinity : Math.random() * input.pullEveryMs;
    await sleep(offset);
    for (let push = 0; push < input.pushes; push += 1) {
      const dueAt = interval === undefined ? undefined : offset + push * interval;
      if (dueAt !== undefined) await sleep(dueAt - since(start));
      if (since(start) >= nextPullAt) {
        await retried(() => pick().feed(0, 100));
        nextPullAt += input.pullEveryMs!;
      }
      const first = input.firstSeq + push * input.opsPerPush;
      const batch = Array.from({ length: input.opsPerPush }, (_, offset) =>
        operation(credentials, first + offset, card),
      );
      const sent = since(start);
      const answer = await retried(() => pick().push(credentials.terminalId, batch));
      latencies.push(since(start) - (dueAt ?? sent));
      ops += answer.results.filter((result) => result.status !== 'rejected').length;
    }
    if (input.pull) await retried(() => pick().feed(0, 100));
  }),
);
const elapsedMs = since(start);
const cpu = process.cpuUsage(cpuAtStart);
const run: FleetRun = { elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000, latencies, ops, retries };
process.stdout.write(JSON.stringify(run));
