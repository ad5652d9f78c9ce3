/**
 * Shared pieces of the sync integration tests: an HQ on either engine, a terminal outbox in SQLite with the
 * ledger's outbox table, settings, a feed sink that records what it applied, and the exactly-once check.
 */
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'vitest';
import type { FeedEntry, FeedSink } from '../../../sync';
import {
  type HqDatabase,
  HqService,
  openHqDatabase,
  type RunningHqServer,
  startHqServer,
} from '../../../sync/hq';
import { codeFor, enrolDirect } from '../../support/hq-enrolment';
import { type PostgresCluster, startPostgres } from '../../support/postgres';

export { spend, TestTerminal, topUp } from './test-terminal';

export type Engine = 'pglite' | 'postgres';

export interface HqUnderTest {
  engine: Engine;
  database: HqDatabase;
  service: HqService;
  /** Only set for PostgreSQL: the connection string, for HQ processes started by a test. */
  databaseUrl: string | null;
  close(): Promise<void>;
}

export async function openHq(engine: Engine): Promise<HqUnderTest> {
  let cluster: PostgresCluster | null = null;
  let pglite: PGlite | null = null;
  let database: HqDatabase;
  if (engine === 'postgres') {
    cluster = await startPostgres();
    database = await openHqDatabase({ databaseUrl: cluster.url });
  } else {
    pglite = new PGlite();
    database = await openHqDatabase({ pglite });
  }
  return {
    engine,
    database,
    service: new HqService(database),
    databaseUrl: cluster?.url ?? null,
    async close() {
      await database.close();
      await pglite?.close();
      await cluster?.stop();
    },
  };
}

export async function serve(service: HqService, port = 0): Promise<RunningHqServer> {
  return startHqServer({ service, port });
}

/** A feed sink that keeps what it was given, idempotent on operation id as the ledger's must be. */
export class RecordingSink implements FeedSink {
  readonly applied = new Map<string, FeedEntry>();
  calls = 0;

  apply(entries: readonly FeedEntry[]): void {
    this.calls += 1;
    for (const entry of entries)
      if (!this.applied.has(entry.operationId)) this.applied.set(entry.operationId, entry);
  }
}

export async function enrolled(service: HqService, terminalId: string, storeId: string) {
  const code = await codeFor(service, { terminalId, storeId, now: Date.now() });
  return enrolDirect(service, code);
}

/** Every operation the terminal wrote is at HQ exactly once, with seq 1..n in the terminal's order. */
export async function expectExactlyOnceInOrder(
  service: HqService,
  terminalId: string,
  expected: string[],
): Promise<void> {
  const atHq = await service.operationsOf(terminalId);
  expect(atHq.map((row) => row.operationId)).toEqual(expected);
  expect(atHq.map((row) => row.seq)).toEqual(expected.map((_, index) => index + 1));
  const positions = atHq.map((row) => row.position);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
}

export const fastBackoff = { baseMs: 20, capMs: 200 };

/** Polls until `condition` holds, failing after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
