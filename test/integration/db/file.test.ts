/** The ledger file on disk: pragmas on every open, migrations at open, checkpoints, reopen. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO, openLedger, seedDemo } from '../../../db/index';

const dir = mkdtempSync(join(tmpdir(), 'ledger-file-'));
const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'db', 'migrations');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the ledger file', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout, every time', () => {
    const path = join(dir, 'pragmas.sqlite');
    for (let open = 0; open < 2; open += 1) {
      const ledger = openLedger({ path, checkpointIntervalMs: 0 });
      const pragma = (name: string) => ledger.sqlite.pragma(name, { simple: true });
      expect({
        journal: pragma('journal_mode'),
        synchronous: pragma('synchronous'),
        foreignKeys: pragma('foreign_keys'),
        busyTimeout: pragma('busy_timeout'),
      }).toEqual({ journal: 'wal', synchronous: 2, foreignKeys: 1, busyTimeout: 5000 });
      ledger.close();
    }
  });

  it('applies the committed migrations once, with the immutability triggers and those that keep the member list', () => {
    const path = join(dir, 'migrations.sqlite');
    openLedger({ path, checkpointIntervalMs: 0 }).close();
    const ledger = openLedger({ path, checkpointIntervalMs: 0 });
    const migrations = ledger.sqlite.prepare('SELECT COUNT(*) AS n FROM __drizzle_migrations').get() as {
      n: number;
    };
    const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    expect(migrations.n).toBe(journal.entries.length);
    const triggers = ledger.sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
      .all()
      .map((row) => (row as { name: string }).name);
    expect(triggers).toEqual([
      'audit_no_delete',
      'audit_no_update',
      // The member list's facts follow the ledger (db/members/schema.ts, member_roster).
      'member_roster_added',
      'member_roster_balance',
      'member_roster_deleted',
      'member_roster_marketing',
      'member_roster_tier',
      'member_roster_visit',
      'operations_no_delete',
      'operations_no_update',
      'transfers_no_delete',
      'transfers_no_update',
    ]);
    ledger.close();
  });

  it('checkpoints the write-ahead log on its timer and on close, and keeps everything across reopen', async () => {
    const path = join(dir, 'checkpoint.sqlite');
    const ledger = openLedger({ path, checkpointIntervalMs: 20 });
    seedDemo(ledger, {});
    for (let i = 0; i < 50; i += 1) {
      ledger.spend({
        operationId: `op-${i}`,
        cardId: DEMO.cards.mifare.id,
        amountFen: 100,
        staffId: DEMO.staff.cashier.id,
        terminalId: DEMO.terminalId,
      });
    }
    const walBefore = statSync(`${path}-wal`).size;
    expect(walBefore).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Once the timer's checkpoint has copied the log into the database, the next commit starts the log over
    // from its beginning, so the log file does not grow; without a checkpoint it would.
    ledger.spend({
      operationId: 'op-after',
      cardId: DEMO.cards.mifare.id,
      amountFen: 100,
      staffId: DEMO.staff.cashier.id,
      terminalId: DEMO.terminalId,
    });
    expect(statSync(`${path}-wal`).size).toBe(walBefore);
    ledger.close();
    expect(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0).toBe(true);
    const again = openLedger({ path, checkpointIntervalMs: 0 });
    expect(again.balance(DEMO.cards.mifare.id).principalFen).toBe(100_000 - 5_100);
    expect(again.operationsOf({ kinds: ['spend'] })).toHaveLength(51);
    again.close();
  });
});
