/**
 * Kills a writing process with SIGKILL at random moments and proves, on every reopen, that each
 * acknowledged operation is in the ledger, none is half there, and the invariants hold.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger, seedDemo } from '../../../db/index';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const ROUNDS = 6;

let dir: string;
let path: string;
const children = new Set<ChildProcess>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-crash-'));
  path = join(dir, 'ledger.sqlite');
  const ledger = openLedger({ path, checkpointIntervalMs: 0 });
  seedDemo(ledger, {});
  ledger.close();
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Writer {
  acked: string[];
  kill(): void;
  /** Resolves with the acknowledged ids once the writer was SIGKILLed; rejects if it ended any other way. */
  killed: Promise<string[]>;
}

/** Starts a writer; `killAfterAcks` kills it by itself after that many acknowledgements. */
function startWriter(round: number, killAfterAcks = Number.POSITIVE_INFINITY): Writer {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'crash-writer.ts'), path, String(round)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  const acked: string[] = [];
  const kill = () => {
    if (child.exitCode === null && !child.killed) child.kill('SIGKILL');
  };
  const killed = new Promise<string[]>((resolve, reject) => {
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
      if (acked.length >= killAfterAcks) kill();
    });
    child.on('exit', (_code, signal) => {
      children.delete(child);
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer ended without being killed: ${stderr}`));
    });
  });
  return { acked, kill, killed };
}

const writeAndKill = (round: number, killAfterAcks: number) => startWriter(round, killAfterAcks).killed;

describe('crash safety', () => {
  it(`keeps every acknowledged operation whole across ${ROUNDS} SIGKILLs`, async () => {
    const everAcked: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const acked = await writeAndKill(round, 5 + Math.floor(Math.random() * 200));
      expect(acked.length).toBeGreaterThan(0);
      everAcked.push(...acked);

      // Reopening runs the invariant check itself and refuses a broken ledger.
      const ledger = openLedger({ path, checkpointIntervalMs: 0 });
      try {
        for (const id of everAcked) expect(ledger.operation(id), id).toBeDefined();
        // Whole, not half: every operation has its transfers, its outbox row and its audit line.
        const broken = ledger.sqlite
          .prepare(
            `SELECT o.id,
               (SELECT COUNT(*) FROM transfers t WHERE t.operation_seq = o.seq) AS transfers,
               (SELECT COUNT(*) FROM outbox x WHERE x.operation_id = o.id) AS outbox,
               (SELECT COUNT(*) FROM audit a WHERE a.operation_id = o.id AND a.outcome = 'ok') AS audit
             FROM operations o WHERE o.id LIKE 'crash-%'`,
          )
          .all() as Array<{ id: string; transfers: number; outbox: number; audit: number }>;
        for (const row of broken) {
          const expectedTransfers = Number(row.id.split('-')[2]) % 3 === 2 ? [1, 2] : [3];
          expect(expectedTransfers, row.id).toContain(row.transfers);
          expect([row.outbox, row.audit], row.id).toEqual([1, 1]);
        }
        expect(ledger.checkInvariants()).toEqual({ ok: true, problems: [] });
      } finally {
        ledger.close();
      }
    }
  }, 180_000);

  it('keeps the ledger and its audit chain whole with two processes writing at once', async () => {
    // Each writer takes the write lock per operation (BEGIN IMMEDIATE, busy timeout), so the two interleave;
    // the audit chain is read and extended inside that lock, so it cannot fork.
    const writers = [startWriter(100), startWriter(101)];
    // Both write until each has committed a good run of operations while the other was running (a writer
    // starting through tsx on a busy machine can take tens of seconds).
    const deadline = Date.now() + 90_000;
    while (writers.some((writer) => writer.acked.length <= 20) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const writer of writers) writer.kill();
    const [first = [], second = []] = await Promise.all(writers.map((writer) => writer.killed));
    // They really overlapped: each committed while the other was running.
    expect(Math.min(first.length, second.length)).toBeGreaterThan(5);
    const ledger = openLedger({ path, checkpointIntervalMs: 0 });
    try {
      for (const id of [...first, ...second]) expect(ledger.operation(id), id).toBeDefined();
      expect(ledger.checkInvariants()).toEqual({ ok: true, problems: [] });
      expect(ledger.verifyAuditChain()).toMatchObject({ ok: true, brokenAt: null });
    } finally {
      ledger.close();
    }
  }, 180_000);
});
