/**
 * Where a backup's plain snapshot lives: in a private folder of the shared-memory scratch area when there is
 * room (so only the encrypted file is written to the backup disk), never in the backup folder, and gone when
 * the backup ends; a scratch folder left by a killed backup is removed by the next one. Real ledger files.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createKeyring,
  memoryScratchDir,
  openLedger,
  restoreBackup,
  seedDemo,
  takeBackup,
} from '../../../db';

const dir = mkdtempSync(join(tmpdir(), 'pos-backup-scratch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyring = createKeyring([{ id: 'k1', key: new Uint8Array(32).fill(7) }]);

function seededLedgerFile(path: string): void {
  const ledger = openLedger({ path, checkpointIntervalMs: 0 });
  seedDemo(ledger);
  ledger.close();
}

describe('the backup scratch area', () => {
  it('copies into a private scratch folder, writes only the encrypted file to the backup folder, and cleans up', async () => {
    const live = join(dir, 'live.sqlite');
    seededLedgerFile(live);
    const scratch = join(dir, 'shm');
    mkdirSync(scratch);
    const backups = join(dir, 'backups');
    const seen: string[][] = [];
    const result = await takeBackup({
      sourcePath: live,
      dir: backups,
      keyring,
      keep: 2,
      scratchDir: scratch,
      onProgress: (progress) => {
        if (progress.phase !== 'encrypt') return;
        const folders = readdirSync(scratch);
        expect(folders).toHaveLength(1);
        expect(folders[0]).toMatch(new RegExp(`^member-card-pos-backup-${process.pid}-`));
        expect(statSync(join(scratch, folders[0]!)).mode & 0o777).toBe(0o700);
        seen.push(readdirSync(join(scratch, folders[0]!)), readdirSync(backups));
      },
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toContain('snapshot.sqlite');
    expect(seen[1]!.some((name) => name.endsWith('.sqlite'))).toBe(false);
    expect(readdirSync(scratch)).toEqual([]);
    expect(readdirSync(backups)).toEqual([result.name]);

    const restored = join(dir, 'restored.sqlite');
    await restoreBackup({
      backupPath: result.path,
      livePath: restored,
      keyring,
      checkInvariants: (path) => {
        const ledger = openLedger({ path, checkpointIntervalMs: 0, checkInvariantsAtOpen: false });
        try {
          return ledger.checkInvariants();
        } finally {
          ledger.close();
        }
      },
    });
    expect(existsSync(restored)).toBe(true);
  });

  it('removes the scratch folder of a backup whose process is gone, and keeps one whose process lives', async () => {
    const live = join(dir, 'live-2.sqlite');
    seededLedgerFile(live);
    const scratch = join(dir, 'shm-2');
    mkdirSync(scratch);
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const stale = join(scratch, `member-card-pos-backup-${gone.pid}-abc123`);
      const running = join(scratch, `member-card-pos-backup-${alive.pid}-def456`);
      for (const folder of [stale, running]) {
        mkdirSync(folder);
        writeFileSync(join(folder, 'snapshot.sqlite'), 'plain copy');
      }
      await takeBackup({
        sourcePath: live,
        dir: join(dir, 'backups-2'),
        keyring,
        keep: 1,
        scratchDir: scratch,
      });
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(running)).toBe(true);
    } finally {
      alive.kill('SIGKILL');
    }
  });

  it('uses shared memory only when it has room for twice the ledger', () => {
    expect(memoryScratchDir(1024, dir)).toBe(dir);
    expect(memoryScratchDir(Number.MAX_SAFE_INTEGER / 4, dir)).toBeUndefined();
    expect(memoryScratchDir(1024, join(dir, 'missing'))).toBeUndefined();
  });
});
