import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BACKUP_MAGIC,
  type BackupError,
  backupFileName,
  createBackupScheduler,
  decryptFile,
  encryptFile,
  inspectBackup,
  listBackups,
  pruneBackups,
} from '../../../db/backup';
import { createKeyring } from '../../../db/crypto';

const dir = mkdtempSync(join(tmpdir(), 'pos-backup-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keyring = createKeyring([{ id: 'k1', key: new Uint8Array(32).fill(1) }]);
const CHUNK = 1024;
let counter = 0;
const file = (name: string) => join(dir, `${counter++}-${name}`);

async function refusal(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (error) {
    return (error as BackupError).code;
  }
  return undefined;
}

async function sealed(plain: Buffer): Promise<{ source: string; backup: string }> {
  const source = file('plain.bin');
  const backup = file('backup.posbak');
  writeFileSync(source, plain);
  await encryptFile(source, backup, { keyring, chunkBytes: CHUNK, createdAt: 1_763_800_000_000 });
  return { source, backup };
}

function headerLength(bytes: Buffer): number {
  return 10 + bytes.readUInt8(9) + 8 + 16 + 7 + 20;
}

describe('encrypted backup container', () => {
  it('round-trips files of every awkward size: empty, under a chunk, exact chunks, and a remainder', async () => {
    for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK * 3, CHUNK * 3 + 17]) {
      const plain = randomBytes(size);
      const { backup } = await sealed(plain);
      const out = file('out.bin');
      const header = await decryptFile(backup, out, { keyring });
      expect(readFileSync(out).equals(plain)).toBe(true);
      expect(header.plaintextBytes).toBe(size);
      expect(header.createdAt).toBe(1_763_800_000_000);
      expect(header.keyId).toBe('k1');
    }
  });

  it('starts with the magic, the version and the key id, and contains no plaintext', async () => {
    const plain = Buffer.from('SQLite format 3\u0000 13800000001 '.repeat(200));
    const { backup } = await sealed(plain);
    const bytes = readFileSync(backup);
    expect(bytes.subarray(0, 8).equals(BACKUP_MAGIC)).toBe(true);
    expect(bytes.readUInt8(8)).toBe(1);
    expect(bytes.subarray(10, 10 + bytes.readUInt8(9)).toString('ascii')).toBe('k1');
    expect(bytes.includes(Buffer.from('13800000001'))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
  });

  it('uses a fresh salt and nonce prefix per file, so the same database never encrypts the same way', async () => {
    const plain = randomBytes(3000);
    const a = readFileSync((await sealed(plain)).backup);
    const b = readFileSync((await sealed(plain)).backup);
    expect(a.subarray(headerLength(a)).equals(b.subarray(headerLength(b)))).toBe(false);
  });

  it('reports a file cut short anywhere as BACKUP_TRUNCATED and writes no output', async () => {
    const { backup } = await sealed(randomBytes(CHUNK * 2 + 100));
    const bytes = readFileSync(backup);
    for (const keep of [
      bytes.length - 1,
      bytes.length - 16,
      headerLength(bytes) + CHUNK + 16,
      headerLength(bytes) + 3,
      40,
    ]) {
      const cut = file('cut.posbak');
      writeFileSync(cut, bytes.subarray(0, keep));
      const out = file('out.bin');
      expect(await refusal(() => decryptFile(cut, out, { keyring }))).toBe('BACKUP_TRUNCATED');
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.partial`)).toBe(false);
    }
  });

  it('refuses any flipped bit in a chunk or tag as BACKUP_TAMPERED', async () => {
    const { backup } = await sealed(randomBytes(CHUNK * 2 + 100));
    const bytes = readFileSync(backup);
    const start = headerLength(bytes);
    for (let at = start; at < bytes.length; at += 97) {
      const changed = Buffer.from(bytes);
      changed[at]! ^= 0x10;
      const bad = file('bad.posbak');
      writeFileSync(bad, changed);
      const out = file('out.bin');
      expect(await refusal(() => decryptFile(bad, out, { keyring }))).toBe('BACKUP_TAMPERED');
      expect(existsSync(out)).toBe(false);
    }
  });

  it('refuses any changed header byte (it is every chunk’s additional data)', async () => {
    const { backup } = await sealed(randomBytes(CHUNK + 5));
    const bytes = readFileSync(backup);
    const allowed = [
      'BACKUP_FORMAT_INVALID',
      'BACKUP_VERSION_UNSUPPORTED',
      'BACKUP_KEY_UNKNOWN',
      'BACKUP_KEY_MISMATCH',
      'BACKUP_TRUNCATED',
      'BACKUP_TAMPERED',
    ];
    for (let at = 0; at < headerLength(bytes); at += 1) {
      const changed = Buffer.from(bytes);
      changed[at]! ^= 0x01;
      const bad = file('hdr.posbak');
      writeFileSync(bad, changed);
      const code = await refusal(() => decryptFile(bad, file('out.bin'), { keyring }));
      expect(allowed).toContain(code);
    }
  });

  it('refuses swapped chunks, a dropped middle chunk and bytes appended after the end', async () => {
    const { backup } = await sealed(randomBytes(CHUNK * 3));
    const bytes = readFileSync(backup);
    const start = headerLength(bytes);
    const sealedChunk = CHUNK + 16;
    const chunk = (i: number) => bytes.subarray(start + i * sealedChunk, start + (i + 1) * sealedChunk);
    const head = bytes.subarray(0, start);
    const tail = bytes.subarray(start + 3 * sealedChunk);
    const swapped = Buffer.concat([head, chunk(1), chunk(0), chunk(2), tail]);
    const dropped = Buffer.concat([head, chunk(0), chunk(2), tail, chunk(2)]);
    const appended = Buffer.concat([bytes, Buffer.from([0])]);
    for (const [name, content] of [
      ['swapped', swapped],
      ['dropped', dropped],
      ['appended', appended],
    ] as const) {
      const bad = file(`${name}.posbak`);
      writeFileSync(bad, content);
      expect(await refusal(() => decryptFile(bad, file('out.bin'), { keyring })), name).toBe(
        'BACKUP_TAMPERED',
      );
    }
  });

  it('names the problem for a foreign file, a missing file and a key the terminal does not hold', async () => {
    const foreign = file('foreign.posbak');
    writeFileSync(foreign, Buffer.from('SQLite format 3\u0000 and then some more bytes'));
    expect(await refusal(() => inspectBackup(foreign))).toBe('BACKUP_FORMAT_INVALID');
    expect(await refusal(() => inspectBackup(file('missing.posbak')))).toBe('BACKUP_NOT_FOUND');
    const { backup } = await sealed(randomBytes(10));
    const other = createKeyring([{ id: 'k2', key: new Uint8Array(32).fill(2) }]);
    expect(await refusal(() => decryptFile(backup, file('out.bin'), { keyring: other }))).toBe(
      'BACKUP_KEY_UNKNOWN',
    );
    const sameIdOtherKey = createKeyring([{ id: 'k1', key: new Uint8Array(32).fill(3) }]);
    expect(await refusal(() => decryptFile(backup, file('out.bin'), { keyring: sameIdOtherKey }))).toBe(
      'BACKUP_KEY_MISMATCH',
    );
  });

  it('reports encryption progress in bytes up to the whole file', async () => {
    const source = file('progress.bin');
    writeFileSync(source, randomBytes(CHUNK * 4 + 1));
    const seen: number[] = [];
    await encryptFile(source, file('p.posbak'), {
      keyring,
      chunkBytes: CHUNK,
      createdAt: 0,
      onProgress: (done, total) => {
        expect(total).toBe(CHUNK * 4 + 1);
        seen.push(done);
      },
    });
    expect(seen).toEqual([CHUNK, CHUNK * 2, CHUNK * 3, CHUNK * 4, CHUNK * 4 + 1]);
  });
});

describe('backup names and rotation', () => {
  it('names a backup by its UTC instant to the millisecond, so names sort in time order', () => {
    expect(backupFileName(Date.UTC(2026, 10, 22, 8, 30, 15, 123))).toBe('ledger-20261122T083015123Z.posbak');
    expect(
      backupFileName(Date.UTC(2026, 10, 22, 8, 30, 15, 124)) >
        backupFileName(Date.UTC(2026, 10, 22, 8, 30, 15, 123)),
    ).toBe(true);
  });

  it('keeps the N newest backups and ignores files that are not finished backups', async () => {
    const folder = mkdtempSync(join(dir, 'rotation-'));
    const times = [5, 1, 4, 2, 3].map((minute) => Date.UTC(2026, 10, 22, 8, minute));
    for (const at of times) writeFileSync(join(folder, backupFileName(at)), 'x');
    writeFileSync(join(folder, `${backupFileName(Date.UTC(2026, 10, 22, 9))}.partial`), 'half');
    writeFileSync(join(folder, 'notes.txt'), 'keep me');
    const removed = await pruneBackups(folder, 3);
    expect(removed.sort()).toEqual(
      [backupFileName(Date.UTC(2026, 10, 22, 8, 1)), backupFileName(Date.UTC(2026, 10, 22, 8, 2))].sort(),
    );
    const left = await listBackups(folder);
    expect(left.map((entry) => entry.takenAt)).toEqual(
      [5, 4, 3].map((minute) => Date.UTC(2026, 10, 22, 8, minute)),
    );
    expect(readdirSync(folder)).toContain('notes.txt');
    expect(await refusal(() => pruneBackups(folder, 0))).toBe('BACKUP_OPTION_INVALID');
  });
});

describe('backup scheduler', () => {
  it('runs on its interval, never two at once, and an on-demand request joins the run in progress', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let release: (() => void) | undefined;
    const scheduler = createBackupScheduler({
      intervalMs: 5,
      run: async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        runs += 1;
        await new Promise<void>((resolve) => {
          release = resolve;
          setTimeout(resolve, 30);
        });
        active -= 1;
        return runs;
      },
    });
    const first = scheduler.runNow();
    const joined = scheduler.runNow();
    expect(joined).toBe(first);
    expect(scheduler.running).toBe(true);
    release?.();
    expect(await first).toBe(1);
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await scheduler.stop();
    const afterStop = runs;
    expect(afterStop).toBeGreaterThanOrEqual(2);
    expect(maxActive).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toBe(afterStop);
    expect(scheduler.running).toBe(false);
  });

  it('keeps its schedule after a failed run and reports the failure', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const scheduler = createBackupScheduler({
      intervalMs: 5,
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('disk unplugged');
        return calls;
      },
      onError: (error) => errors.push(error),
    });
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 80));
    await scheduler.stop();
    expect(errors).toHaveLength(1);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('refuses an interval that is not a positive whole number of milliseconds', () => {
    expect(() => createBackupScheduler({ intervalMs: 0, run: async () => 0 })).toThrow(/interval/);
  });
});
