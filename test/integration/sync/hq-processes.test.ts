/**
 * Past one machine: HQ keeps no state of its own besides the database, so two HQ processes (each started as
 * `npm run hq` does) serve one PostgreSQL. Terminals push to either at random, as through a load balancer; one
 * process is killed mid-batch and started again. Every operation is at HQ exactly once and in order, and a
 * reader following the feed while it all happens misses nothing: positions became visible in commit order.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedEntry, SyncWorker } from '../../../sync';
import { rows } from '../../../sync/hq/database';
import { type HqProcess, startHqProcess } from '../../support/hq-process';
import { RandomHq } from '../../support/random-hq';
import {
  enrolled,
  expectExactlyOnceInOrder,
  fastBackoff,
  type HqUnderTest,
  openHq,
  TestTerminal,
  until,
} from './fixtures';

const TERMINALS = 6;
const OPERATIONS = 400;
/** All the test's terminals come from one loopback address. */
const ENV = { HQ_LIMIT_ADDRESS: '100000,100000,1000' };

describe('two HQ processes on one PostgreSQL', () => {
  let hq: HqUnderTest;
  const processes: HqProcess[] = [];

  beforeAll(async () => {
    hq = await openHq('postgres');
  });

  afterAll(async () => {
    for (const running of processes) await running.kill('SIGTERM');
    await hq?.close();
  });

  it('applies every operation exactly once, in order, with feed positions in commit order, across a kill', async () => {
    const env = { ...ENV, DATABASE_URL: hq.databaseUrl! };
    processes.push(await startHqProcess(env), await startHqProcess(env));
    const urls = processes.map((running) => running.url);

    const fleet = await Promise.all(
      Array.from({ length: TERMINALS }, async (_, index) => {
        const terminalId = `MP${index}`;
        const storeId = `S${index % 3}`;
        const credentials = await enrolled(hq.service, terminalId, storeId);
        const terminal = new TestTerminal(terminalId, storeId);
        const ids = terminal.writeMany(OPERATIONS, `mp-card-${index}`);
        const worker = new SyncWorker({
          terminalId,
          outbox: terminal,
          settings: terminal,
          transport: new RandomHq(urls, credentials),
          batchSize: 25,
          backoff: fastBackoff,
          idleMs: 20,
          pullEveryMs: 3_600_000,
        });
        return { terminalId, terminal, ids, worker };
      }),
    );

    // A reader follows the feed through both processes while the pushes land.
    const reader = new RandomHq(urls, await enrolled(hq.service, 'MP-READER', 'S0'));
    const read = new Map<string, FeedEntry>();
    let cursor = 0;
    let reading = true;
    const follow = (async () => {
      while (reading) {
        const page = await reader.feed(cursor, 500).catch(() => null);
        if (page === null) continue;
        for (const entry of page.entries) {
          expect(read.has(entry.operationId)).toBe(false);
          read.set(entry.operationId, entry);
        }
        cursor = page.cursor;
        if (!page.hasMore) await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    const total = TERMINALS * OPERATIONS;
    const atHq = async () => {
      const [row] = await rows<{ n: string }>(hq.database.db, sql`select count(*) as n from hq_operations`);
      return Number(row?.n ?? 0);
    };
    for (const member of fleet) member.worker.start();
    try {
      // Kill the first process while batches are in flight, then bring it back on the same port.
      await until(async () => (await atHq()) >= total / 3, 60_000);
      const victim = processes[0]!;
      await victim.kill('SIGKILL');
      processes[0] = await startHqProcess(env, { port: victim.port });
      await until(() => fleet.every((member) => member.terminal.stats().waiting === 0), 90_000);
    } finally {
      for (const member of fleet) await member.worker.stop();
    }
    await until(() => read.size >= total, 30_000);
    reading = false;
    await follow;

    for (const member of fleet) {
      await expectExactlyOnceInOrder(hq.service, member.terminalId, member.ids);
      member.terminal.close();
    }
    // The reader saw each operation once, and every one of them: none was committed behind its cursor.
    expect(read.size).toBe(total);
    const positions = [...read.values()].map((entry) => entry.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  }, 240_000);
});
