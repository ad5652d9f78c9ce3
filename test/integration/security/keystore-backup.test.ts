import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO, openLedger, restoreBackup, seedDemo, takeBackup } from '../../../db';
import { openFileKeystore } from '../../../electron/keystore';

const root = mkdtempSync(join(tmpdir(), 'pos-keystore-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function ledgerInvariants(path: string) {
  const ledger = openLedger({ path, checkpointIntervalMs: 0, checkInvariantsAtOpen: false });
  try {
    return ledger.checkInvariants();
  } finally {
    ledger.close();
  }
}

describe('backups under the terminal’s own keystore', () => {
  it('restores a backup taken before a key rotation, and one taken after, after a restart', async () => {
    const dataDir = join(root, 'data');
    const live = join(root, 'ledger.sqlite');
    const ledger = openLedger({ path: live, checkpointIntervalMs: 0 });
    seedDemo(ledger);
    ledger.close();

    const keystore = await openFileKeystore(dataDir);
    const before = await takeBackup({
      sourcePath: live,
      dir: join(dataDir, 'backups'),
      keyring: keystore.keyring(),
      keep: 5,
    });
    await keystore.rotate();
    const after = await takeBackup({
      sourcePath: live,
      dir: join(dataDir, 'backups'),
      keyring: keystore.keyring(),
      keep: 5,
      now: () => before.takenAt + 1_000,
    });

    // A restart: the keys come back from the key files, not from memory.
    const restarted = (await openFileKeystore(dataDir)).keyring();
    expect(restarted.ids).toEqual(['k1', 'k2']);
    for (const backup of [before, after]) {
      const target = join(root, `restored-${backup.name}.sqlite`);
      await restoreBackup({
        backupPath: backup.path,
        livePath: target,
        keyring: restarted,
        checkInvariants: ledgerInvariants,
      });
      const restoredLedger = openLedger({ path: target, checkpointIntervalMs: 0 });
      expect(restoredLedger.balance(DEMO.cards.mifare.id).principalFen).toBe(
        DEMO.openingTopUps.mifare.amountFen,
      );
      restoredLedger.close();
    }
  });

  it('cannot restore on a terminal with a different keystore', async () => {
    const live = join(root, 'other-ledger.sqlite');
    const ledger = openLedger({ path: live, checkpointIntervalMs: 0 });
    seedDemo(ledger);
    ledger.close();
    const ours = (await openFileKeystore(join(root, 'ours'))).keyring();
    const theirs = (await openFileKeystore(join(root, 'theirs'))).keyring();
    const backup = await takeBackup({
      sourcePath: live,
      dir: join(root, 'ours-backups'),
      keyring: ours,
      keep: 1,
    });
    const target = join(root, 'never.sqlite');
    await expect(
      restoreBackup({
        backupPath: backup.path,
        livePath: target,
        keyring: theirs,
        checkInvariants: ledgerInvariants,
      }),
    ).rejects.toMatchObject({ code: 'BACKUP_KEY_MISMATCH' });
  });
});
