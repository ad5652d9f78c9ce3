import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type BackupError,
  type BackupProgress,
  type BackupResult,
  createBackupScheduler,
  createKeyring,
  DEMO,
  encryptFile,
  type Ledger,
  listBackups,
  openLedger,
  restoreBackup,
  seedDemo,
  takeBackup,
} from '../../../db';

const dir = mkdtempSync(join(tmpdir(), 'pos-backup-int-'));
const keyring = createKeyring([{ id: 'k1', key: new Uint8Array(32).fill(0x5a) }]);
const writerScript = join(import.meta.dirname, 'ledger-writer.ts');
const children: ChildProcess[] = [];
const open: Ledger[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const ledger of open.splice(0)) ledger.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
const fresh = (name: string) => join(dir, `${counter++}-${name}`);

function openLedgerFile(path: string): Ledger {
  const ledger = openLedger({ path, checkpointIntervalMs: 0 });
  open.push(ledger);
  return ledger;
}

/** The ledger's own invariant check, as the host passes it to a restore. */
function ledgerInvariants(path: string) {
  const ledger = openLedger({ path, checkpointIntervalMs: 0, checkInvariantsAtOpen: false });
  try {
    return ledger.checkInvariants();
  } finally {
    ledger.close();
  }
}

/** A seeded ledger with `operations` extra top-ups and spends, in one transaction to build it quickly. */
function seededLedger(path: string, operations: number): Ledger {
  const ledger = openLedgerFile(path);
  seedDemo(ledger);
  const cards = [DEMO.cards.uid.id, DEMO.cards.mifare.id, DEMO.cards.magstripe.id];
  ledger.sqlite.transaction(() => {
    for (let i = 0; i < operations; i += 1) {
      const common = { cardId: cards[i % 3]!, staffId: DEMO.staff.cashier.id, terminalId: DEMO.terminalId };
      if (i % 4 === 3)
        ledger.spend({ ...common, operationId: ulid(), amountFen: 500, memo: 'x'.repeat(100) });
      else
        ledger.topUp({
          ...common,
          operationId: ulid(),
          amountFen: 2_000,
          tender: 'wechat',
          bonusFen: 200,
          points: 20,
        });
    }
  })();
  return ledger;
}

function operationIds(path: string): string[] {
  const db = new Sqlite(path, { readonly: true });
  try {
    return db
      .prepare<[], { id: string }>('SELECT id FROM operations ORDER BY seq')
      .all()
      .map((row) => row.id);
  } finally {
    db.close();
  }
}

function fingerprint(paths: string[]): string {
  const hash = createHash('sha256');
  for (const path of paths) hash.update(existsSync(path) ? readFileSync(path) : Buffer.from('absent'));
  return hash.digest('hex');
}

/** Files a restore of `live` leaves beside it: a candidate being verified, or the kept replaced ledger. */
function restoreLeftovers(live: string): string[] {
  const name = basename(live);
  return readdirSync(dir).filter(
    (entry) => entry.startsWith(`.${name}.restore-`) || entry.startsWith(`${name}.before-restore`),
  );
}

async function refusal(fn: () => Promise<unknown>): Promise<BackupError> {
  try {
    await fn();
  } catch (error) {
    return error as BackupError;
  }
  throw new Error('expected a refusal');
}

function startWriter(path: string): {
  child: ChildProcess;
  ask: (message: string) => Promise<{ count: number }>;
} {
  const child = fork(writerScript, [path], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const ask = (message: string) =>
    new Promise<{ count: number }>((resolve, reject) => {
      const onMessage = (reply: unknown) => {
        const value = reply as { count?: number };
        if (typeof value.count === 'number') {
          child.off('message', onMessage);
          resolve({ count: value.count });
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`writer exited with ${code}`)));
      child.send(message);
    });
  return { child, ask };
}

async function waitForWrites(
  ask: (message: string) => Promise<{ count: number }>,
  atLeast: number,
): Promise<number> {
  for (;;) {
    const { count } = await ask('count');
    if (count >= atLeast) return count;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a backup taken while another process keeps writing', () => {
  it('restores to a consistent, invariant-clean ledger that is an exact prefix of the live one', async () => {
    const live = fresh('live.sqlite');
    const ledger = seededLedger(live, 6_000);
    const seededCount = operationIds(live).length;
    const writer = startWriter(live);
    const before = await waitForWrites(writer.ask, 20);

    const progress: BackupProgress[] = [];
    const backups = fresh('backups');
    // Small copy steps so the copy spans many turns of the event loop while the writer commits.
    const result = await takeBackup({
      sourcePath: live,
      dir: backups,
      keyring,
      keep: 5,
      stepBudgetMs: 1,
      onProgress: (event) => progress.push(event),
    });
    const after = (await writer.ask('count')).count;
    await writer.ask('stop');
    // And one more in this process, after the backup: the live ledger must now be ahead of the backup.
    ledger.topUp({
      operationId: ulid(),
      cardId: DEMO.cards.uid.id,
      amountFen: 100,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
      staffId: DEMO.staff.cashier.id,
      terminalId: DEMO.terminalId,
    });

    expect(after).toBeGreaterThan(before);
    // The writer's commits landed during the copy, yet the pinned snapshot never made SQLite start over.
    expect(result.copyRestarts).toBe(0);
    expect(progress.filter((event) => event.phase === 'copy').length).toBeGreaterThan(3);
    const fractions = progress.map((event) => event.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);

    const restored = fresh('restored.sqlite');
    const outcome = await restoreBackup({
      backupPath: result.path,
      livePath: restored,
      keyring,
      checkInvariants: ledgerInvariants,
    });
    expect(outcome.replacedPath).toBeNull();
    expect(outcome.backupTakenAt).toBe(result.takenAt);

    const restoredIds = operationIds(restored);
    const liveIds = operationIds(live);
    expect(restoredIds.length).toBeGreaterThanOrEqual(seededCount + before);
    expect(restoredIds.length).toBeLessThan(liveIds.length);
    expect(liveIds.slice(0, restoredIds.length)).toEqual(restoredIds);

    const restoredLedger = openLedgerFile(restored);
    expect(restoredLedger.checkInvariants()).toEqual({ ok: true, problems: [] });
    expect(restoredLedger.balance(DEMO.cards.uid.id).principalFen).toBeGreaterThan(0);
  });
});

describe('restoring over the live ledger', () => {
  it('swaps in the verified backup with one rename and keeps the replaced ledger beside it', async () => {
    const live = fresh('live.sqlite');
    const ledger = seededLedger(live, 50);
    const backups = fresh('backups');
    const { path } = await takeBackup({ sourcePath: live, dir: backups, keyring, keep: 2 });
    const backedUp = operationIds(live);
    ledger.spend({
      operationId: 'after-backup',
      cardId: DEMO.cards.mifare.id,
      amountFen: 100,
      staffId: DEMO.staff.cashier.id,
      terminalId: DEMO.terminalId,
    });
    ledger.close();
    open.splice(open.indexOf(ledger), 1);

    const outcome = await restoreBackup({
      backupPath: path,
      livePath: live,
      keyring,
      checkInvariants: ledgerInvariants,
    });
    expect(operationIds(live)).toEqual(backedUp);
    expect(outcome.replacedPath).not.toBeNull();
    expect(operationIds(outcome.replacedPath!)).toContain('after-backup');
    expect(restoreLeftovers(live).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(restoreLeftovers(live)).toContain(basename(outcome.replacedPath!));
    const reopened = openLedgerFile(live);
    expect(reopened.operation('after-backup')).toBeUndefined();
    expect(reopened.checkInvariants().ok).toBe(true);
  });

  it('refuses while the live ledger is still open and changes nothing', async () => {
    const live = fresh('live.sqlite');
    seededLedger(live, 10);
    const { path } = await takeBackup({ sourcePath: live, dir: fresh('backups'), keyring, keep: 2 });
    const error = await refusal(() =>
      restoreBackup({ backupPath: path, livePath: live, keyring, checkInvariants: ledgerInvariants }),
    );
    expect(error.code).toBe('RESTORE_LIVE_IN_USE');
    expect(restoreLeftovers(live)).toEqual([]);
  });
});

describe('a damaged backup is refused and the live file is untouched', () => {
  let live: string;
  let source: string;
  let backupPath: string;
  let liveFiles: string[];

  beforeAll(async () => {
    live = fresh('live.sqlite');
    source = fresh('source.sqlite');
    seededLedger(source, 400).close();
    open.splice(0);
    seededLedger(live, 5).close();
    open.splice(0);
    backupPath = (
      await takeBackup({ sourcePath: source, dir: fresh('backups'), keyring, keep: 1, chunkBytes: 16 * 1024 })
    ).path;
    liveFiles = [live, `${live}-wal`, `${live}-shm`];
  });

  async function expectRefused(bytes: Buffer, code: string, invariants = ledgerInvariants): Promise<void> {
    const damaged = fresh('damaged.posbak');
    writeFileSync(damaged, bytes);
    const liveBefore = fingerprint(liveFiles);
    const error = await refusal(() =>
      restoreBackup({ backupPath: damaged, livePath: live, keyring, checkInvariants: invariants }),
    );
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
    expect(fingerprint(liveFiles)).toBe(liveBefore);
    expect(restoreLeftovers(live)).toEqual([]);
  }

  it('a truncated file: BACKUP_TRUNCATED', async () => {
    const bytes = readFileSync(backupPath);
    await expectRefused(bytes.subarray(0, Math.floor(bytes.length * 0.7)), 'BACKUP_TRUNCATED');
  });

  it('a tampered chunk: BACKUP_TAMPERED', async () => {
    const bytes = Buffer.from(readFileSync(backupPath));
    bytes[bytes.length - 40]! ^= 0x04;
    await expectRefused(bytes, 'BACKUP_TAMPERED');
  });

  it('a file that is not a backup: BACKUP_FORMAT_INVALID', async () => {
    await expectRefused(readFileSync(live), 'BACKUP_FORMAT_INVALID');
  });

  it('an authentic backup of a corrupted database: RESTORE_INTEGRITY_FAILED', async () => {
    const plain = fresh('plain.sqlite');
    const snapshot = fresh('snapshot.sqlite');
    // Build the corrupted database: a good copy with one b-tree page overwritten.
    const good = new Sqlite(source, { readonly: true });
    await good.backup(snapshot);
    good.close();
    const bytes = Buffer.from(readFileSync(snapshot));
    const pageSize = bytes.readUInt16BE(16);
    const page = Math.floor(bytes.length / pageSize / 2);
    bytes.fill(0xa5, page * pageSize, (page + 1) * pageSize);
    writeFileSync(plain, bytes);
    const sealed = fresh('corrupt.posbak');
    await encryptFile(plain, sealed, { keyring, createdAt: Date.now() });
    await expectRefused(readFileSync(sealed), 'RESTORE_INTEGRITY_FAILED');
  });

  it('an authentic, intact database whose ledger does not balance: RESTORE_INVARIANTS_FAILED', async () => {
    const plain = fresh('unbalanced.sqlite');
    const good = new Sqlite(source, { readonly: true });
    await good.backup(plain);
    good.close();
    const db = new Sqlite(plain);
    db.prepare(
      'UPDATE balances SET credits = credits + 1 WHERE account_id = (SELECT MIN(account_id) FROM balances)',
    ).run();
    db.close();
    const sealed = fresh('unbalanced.posbak');
    await encryptFile(plain, sealed, { keyring, createdAt: Date.now() });
    await expectRefused(readFileSync(sealed), 'RESTORE_INVARIANTS_FAILED');
  });

  it('a backup under a key this terminal does not hold: BACKUP_KEY_UNKNOWN', async () => {
    const other = createKeyring([{ id: 'k2', key: new Uint8Array(32).fill(1) }]);
    const liveBefore = fingerprint(liveFiles);
    const error = await refusal(() =>
      restoreBackup({ backupPath, livePath: live, keyring: other, checkInvariants: ledgerInvariants }),
    );
    expect(error.code).toBe('BACKUP_KEY_UNKNOWN');
    expect(fingerprint(liveFiles)).toBe(liveBefore);
  });
});

describe('rotation of real backups', () => {
  it('keeps the N newest after each backup', async () => {
    const live = fresh('live.sqlite');
    seededLedger(live, 5);
    const backups = fresh('backups');
    let clock = Date.UTC(2026, 10, 22, 1, 0, 0);
    const taken: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      clock += 60_000;
      const result = await takeBackup({ sourcePath: live, dir: backups, keyring, keep: 3, now: () => clock });
      taken.push(result.name);
    }
    expect((await listBackups(backups)).map((entry) => entry.name)).toEqual(taken.slice(2).reverse());
    // Only finished, encrypted backups are left in the folder: no plain snapshot, no partial file.
    expect(readdirSync(backups).sort()).toEqual(taken.slice(2).sort());
  });

  it('runs on a schedule and on demand, one at a time, keeping the N newest', async () => {
    const live = fresh('live.sqlite');
    seededLedger(live, 200);
    const backups = fresh('backups');
    let clock = Date.UTC(2026, 10, 22, 2, 0, 0);
    const results: BackupResult[] = [];
    const scheduler = createBackupScheduler({
      intervalMs: 20,
      run: () => {
        clock += 60_000;
        return takeBackup({ sourcePath: live, dir: backups, keyring, keep: 2, now: () => clock });
      },
      onResult: (result) => results.push(result),
    });
    const onDemand = scheduler.runNow();
    expect(scheduler.runNow()).toBe(onDemand);
    await onDemand;
    scheduler.start();
    while (results.length < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    await scheduler.stop();
    const names = results.map((result) => result.name);
    expect(new Set(names).size).toBe(names.length);
    const kept = (await listBackups(backups)).map((entry) => entry.name);
    expect(kept).toEqual(names.slice(-2).reverse());
  });
});
