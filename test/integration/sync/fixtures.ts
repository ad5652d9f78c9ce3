/**
 * Shared pieces of the sync integration tests: an HQ on either engine, a terminal outbox in SQLite with the
 * ledger's outbox table, settings, a feed sink that records what it applied, and the exactly-once check.
 */
import type { PGlite } from '@electric-sql/pglite';
import { expect } from 'vitest';
import { DEMO } from '../../../db';
import type { FeedEntry, FeedSink, WireOperation } from '../../../sync';
import {
  HqAccounts,
  type HqDatabase,
  type HqRole,
  HqService,
  openHqDatabase,
  type RunningHqServer,
  startHqServer,
} from '../../../sync/hq';
import { codeFor, enrolDirect, enrolledLink } from '../../support/hq-enrolment';
import { migratedPglite } from '../../support/pglite-template';
import { freshDatabase, type PostgresDatabase } from '../../support/postgres';

import type { TestTerminal } from './test-terminal';

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
  let postgres: PostgresDatabase | null = null;
  let pglite: PGlite | null = null;
  let database: HqDatabase;
  if (engine === 'postgres') {
    postgres = await freshDatabase();
    database = await openHqDatabase({ databaseUrl: postgres.url });
  } else {
    pglite = await migratedPglite();
    database = await openHqDatabase({ pglite });
  }
  return {
    engine,
    database,
    service: new HqService(database),
    databaseUrl: postgres?.url ?? null,
    async close() {
      await database.close();
      await pglite?.close();
      await postgres?.drop();
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
  return enrolDirect(service, await codeFor(service, { terminalId, storeId, now: Date.now() }));
}

/**
 * The demo terminal enrolled at the HQ serving `url`: the link a book keeps under `host.hq`, the key store with
 * its signing key (the host's `secrets`) and its credentials.
 */
export function enrolDemoTerminal(service: HqService, url: string) {
  return enrolledLink(service, url, { terminalId: DEMO.terminalId, storeId: DEMO.storeId });
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

/** The terminal's pending rows as a push carries them. */
export function wire(terminal: TestTerminal, limit = 10_000): WireOperation[] {
  return terminal.pending(limit).map((row) => ({
    seq: row.seq,
    operationId: row.operationId,
    terminalId: row.terminalId,
    storeId: row.storeId,
    kind: row.kind,
    payload: row.payload,
    createdAt: row.createdAt,
  }));
}

let users = 0;

/** A new HQ user of `role` and the headers of a script signed in as them with a bearer token. */
export async function adminSession(
  database: HqDatabase,
  role: HqRole = 'chain_admin',
): Promise<{ username: string; headers: { authorization: string; 'content-type': string } }> {
  const accounts = new HqAccounts(database);
  users += 1;
  const username = `${role.replace('_', '-')}-${users}`;
  await accounts.addUser({ username, role, password: `a long passphrase ${users}`, now: Date.now() });
  const { token } = await accounts.issueToken(username, Date.now());
  return { username, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } };
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
