import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { ulid } from 'ulid';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type BackupError,
  createKeyring,
  DEMO,
  isLedgerError,
  type Ledger,
  type LedgerError,
  openLedger,
  seedDemo,
  takeBackup,
} from '../../../db';

const root = mkdtempSync(join(tmpdir(), 'pos-storage-faults-'));
const mounts: string[] = [];
const ledgers: Ledger[] = [];
const keyring = createKeyring([{ id: 'k1', key: new Uint8Array(32).fill(3) }]);

afterEach(() => {
  for (const ledger of ledgers.splice(0)) {
    try {
      ledger.close();
    } catch {
      // A ledger on a full or read-only disk may fail its closing checkpoint; the mount goes next anyway.
    }
  }
});
afterAll(() => {
  for (const mount of mounts.splice(0)) {
    try {
      execFileSync('umount', ['-l', mount]);
    } catch {
      // Already gone.
    }
  }
  rmSync(root, { recursive: true, force: true });
});

function track(ledger: Ledger): Ledger {
  ledgers.push(ledger);
  return ledger;
}

const cashier = { staffId: DEMO.staff.cashier.id, terminalId: DEMO.terminalId };
const topUp = (ledger: Ledger, operationId = ulid()) =>
  ledger.topUp({
    ...cashier,
    operationId,
    cardId: DEMO.cards.uid.id,
    amountFen: 10_000,
    tender: 'cash',
    bonusFen: 1_000,
    points: 100,
  });

function failure(fn: () => unknown): LedgerError {
  try {
    fn();
  } catch (error) {
    if (isLedgerError(error)) return error;
    throw error;
  }
  throw new Error('expected the ledger to refuse');
}

/** Row counts of every table an operation writes, read through a separate read-only connection. */
function footprint(path: string): Record<string, number> {
  const db = new Sqlite(path, { readonly: true });
  try {
    const counts: Record<string, number> = {};
    for (const table of ['operations', 'transfers', 'audit', 'outbox']) {
      counts[table] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    counts.balanceSum = (
      db.prepare('SELECT COALESCE(SUM(credits - debits), 0) AS n FROM balances').get() as { n: number }
    ).n;
    return counts;
  } finally {
    db.close();
  }
}

function seededFile(path: string): void {
  const ledger = openLedger({ path, checkpointIntervalMs: 0 });
  seedDemo(ledger);
  ledger.close();
}

/** A tmpfs of `size` mounted at a fresh folder, or the reason it cannot be. */
function tryMount(size: string): { dir: string } | { reason: string } {
  const dir = join(root, `mnt-${mounts.length}`);
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    return {
      reason: `cannot mount a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`,
    };
  }
  mounts.push(dir);
  return { dir };
}

/** Fills the file system holding `dir` until the kernel says ENOSPC; returns the filler's path. */
function fillDisk(dir: string): string {
  const filler = join(dir, 'filler.bin');
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(64 * 1024, 0xee);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  // Whatever is left below one block.
  try {
    for (;;) writeSync(fd, Buffer.alloc(512));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return filler;
}

describe('a read-only ledger', () => {
  it('refuses an operation with STORAGE_FAILED naming the read-only database, and writes nothing', () => {
    const path = join(root, 'readonly.sqlite');
    seededFile(path);
    chmodSync(path, 0o444);
    const before = footprint(path);
    const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
    const ledger = track(openLedger({ path, checkpointIntervalMs: 0 }));
    // We run as root, where file modes do not stop writes; query_only makes SQLite itself refuse them,
    // which is what a read-only file does to a non-root terminal user.
    ledger.sqlite.pragma('query_only = ON');
    const balanceBefore = ledger.balance(DEMO.cards.uid.id);
    const error = failure(() => topUp(ledger));
    expect(error.code).toBe('STORAGE_FAILED');
    expect(error.message).toMatch(/readonly|read-only/i);
    expect(ledger.balance(DEMO.cards.uid.id)).toEqual(balanceBefore);
    expect(footprint(path)).toEqual(before);
    ledger.sqlite.pragma('query_only = OFF');
    ledger.close();
    ledgers.splice(0);
    expect(footprint(path)).toEqual(before);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(hash);
  });

  it('refuses to open a ledger on a read-only file system with LEDGER_NOT_READY and leaves it as it was', (context) => {
    const mount = tryMount('8m');
    if ('reason' in mount) {
      context.skip(mount.reason);
      return;
    }
    const path = join(mount.dir, 'ledger.sqlite');
    seededFile(path);
    const before = readFileSync(path);
    execFileSync('mount', ['-o', 'remount,ro', mount.dir]);
    const error = failure(() => track(openLedger({ path, checkpointIntervalMs: 0 })));
    expect(error.code).toBe('LEDGER_NOT_READY');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(mount.dir)).toEqual(['ledger.sqlite']);
  });
});

describe('a full disk', () => {
  it('refuses an operation with a clear error, keeps the book whole, and works again when space returns', (context) => {
    const mount = tryMount('4m');
    if ('reason' in mount) {
      context.skip(mount.reason);
      return;
    }
    const path = join(mount.dir, 'ledger.sqlite');
    seededFile(path);
    const ledger = track(openLedger({ path, checkpointIntervalMs: 0 }));
    const balanceBefore = ledger.balance(DEMO.cards.uid.id);
    const filler = fillDisk(mount.dir);

    // The WAL may still have room for a few commits; write until the disk refuses one.
    let accepted = 0;
    let refused: LedgerError | undefined;
    const refusedId = ulid();
    for (let i = 0; i < 10_000 && refused === undefined; i += 1) {
      try {
        topUp(ledger, i === 0 ? refusedId : `${refusedId}-${i}`);
        accepted += 1;
      } catch (error) {
        if (!isLedgerError(error)) throw error;
        refused = error;
      }
    }
    expect(refused?.code).toBe('STORAGE_FAILED');
    expect(refused?.message).toMatch(/disk is full|SQLITE_FULL/i);
    expect(ledger.checkInvariants().ok).toBe(true);
    const afterRefusal = ledger.balance(DEMO.cards.uid.id);
    expect(afterRefusal.principalFen).toBe(balanceBefore.principalFen + accepted * 10_000);

    rmSync(filler);
    const retried = topUp(ledger, ulid());
    expect(retried.balanceAfter.principalFen).toBe(afterRefusal.principalFen + 10_000);
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('fails a backup onto a full disk with BACKUP_NO_SPACE and leaves no partial file', async (context) => {
    const mount = tryMount('1m');
    if ('reason' in mount) {
      context.skip(mount.reason);
      return;
    }
    const source = join(root, 'big-source.sqlite');
    seededFile(source);
    const db = new Sqlite(source);
    db.exec('CREATE TABLE IF NOT EXISTS padding (blob BLOB)');
    db.prepare('INSERT INTO padding VALUES (?)').run(Buffer.alloc(2 * 1024 * 1024, 1));
    db.close();
    const backups = join(mount.dir, 'backups');
    let error: BackupError | undefined;
    try {
      await takeBackup({ sourcePath: source, dir: backups, keyring, keep: 3 });
    } catch (caught) {
      error = caught as BackupError;
    }
    expect(error?.code).toBe('BACKUP_NO_SPACE');
    expect(existsSync(backups) ? readdirSync(backups) : []).toEqual([]);
  });
});
