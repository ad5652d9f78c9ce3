/**
 * Rotating the terminal's data keys, started by an admin on the Backups screen. A new key is added to the key
 * store and made current at once (old keys stay, so older envelopes, audit seals, PIN hashes and backups still
 * open), everything holding the keyring sees it, and the key escrow beside the backups is sealed again. Then a
 * re-encrypt job walks the member profiles in pages of a few hundred, each page one short transaction,
 * re-encrypting names, phone and ID numbers, birthdays and notes and re-indexing their search terms under the
 * new key, while the counter keeps selling. The job's place (`keys.rotation` in the settings) is written with each page, so a job cut
 * short by a restart resumes where it stopped when the host starts again. Start and end are audited.
 */
import { dirname } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type Ledger, type MemberRegistry, type SwitchableKeyring, withinTransaction } from '../../db';
import { ApiError } from '../errors';
import { openKeystore } from '../keystore';
import type { SecretStore } from '../keystore/secrets';
import type { HostAudit } from './audit';
import type { Logger } from './logger';

export const ROTATION_SETTING = 'keys.rotation';
const PAGE = 200;

interface RotationRecord {
  keyId: string;
  startedAt: number;
  startedBy: string | null;
  /** The last member id re-encrypted ('' before the first page). */
  cursor: string;
  done: number;
  total: number;
  finishedAt: number | null;
}

export interface KeyRotation {
  status(): { currentKeyId: string; keyIds: string[]; running: boolean; rotation: RotationRecord | null };
  /** Adds a key, makes it current and starts the re-encrypt job; refused while one runs. */
  rotate(staffId: string | null): Promise<{ keyId: string }>;
  /** Resumes a job a restart cut short (at host start). */
  resume(): void;
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export function createKeyRotation(deps: {
  ledger: Ledger;
  members: Pick<MemberRegistry, 'rotateFieldKeys' | 'profileCount'>;
  keyring: SwitchableKeyring;
  secrets: SecretStore | undefined;
  audit: HostAudit;
  logger: Logger;
  /** Seals the key escrow again so the new key is in it. */
  escrowChanged: () => Promise<void>;
  now: () => number;
}): KeyRotation {
  const { ledger, audit, logger, now } = deps;
  let job: Promise<void> | null = null;
  let stopping = false;
  const read = () => ledger.settings.get<RotationRecord>(ROTATION_SETTING) ?? null;

  const run = (): Promise<void> => {
    job = (async () => {
      for (;;) {
        const record = read();
        if (record === null || record.finishedAt !== null || stopping) return;
        deps.members.rotateFieldKeys(record.cursor, PAGE, (last) => {
          const page = { ...record, cursor: last ?? record.cursor };
          if (last === null) {
            ledger.settings.set(ROTATION_SETTING, { ...page, done: record.total, finishedAt: now() });
            audit.record({
              action: 'keys.reencrypted',
              staffId: record.startedBy,
              details: { keyId: record.keyId, profiles: record.total },
            });
          } else {
            ledger.settings.set(ROTATION_SETTING, {
              ...page,
              done: Math.min(record.total, record.done + PAGE),
            });
          }
        });
        await yieldToLoop();
      }
    })()
      .catch((error: unknown) => logger.error({ err: error }, 'the re-encrypt job stopped'))
      .finally(() => {
        job = null;
      });
    return job;
  };

  return {
    status: () => ({
      currentKeyId: deps.keyring.currentId,
      keyIds: [...deps.keyring.ids],
      running: job !== null,
      rotation: read(),
    }),
    async rotate(staffId) {
      if (deps.secrets === undefined) {
        throw new ApiError('BACKUP_KEYS_MISSING', 'This terminal was started without its key store');
      }
      if (job !== null || (read() !== null && read()!.finishedAt === null)) {
        throw new ApiError(
          'KEY_ROTATION_RUNNING',
          'The data keys are being re-encrypted; wait until it ends',
        );
      }
      const from = deps.keyring.currentId;
      const keystore = await openKeystore({
        dir: dirname(deps.secrets.path),
        wrapper: deps.secrets.wrapper,
        now,
      });
      const keyId = await keystore.rotate();
      deps.keyring.replace(keystore.keyring());
      const record: RotationRecord = {
        keyId,
        startedAt: now(),
        startedBy: staffId,
        cursor: '',
        done: 0,
        total: deps.members.profileCount(),
        finishedAt: null,
      };
      withinTransaction(ledger, () => {
        ledger.settings.set(ROTATION_SETTING, record);
        audit.record({
          action: 'keys.rotate',
          staffId,
          details: { from, to: keyId, profiles: record.total },
        });
      });
      await deps
        .escrowChanged()
        .catch((error: unknown) =>
          logger.error({ err: error }, 'the key escrow was not sealed again after the rotation'),
        );
      void run();
      return { keyId };
    },
    resume() {
      const record = read();
      if (job === null && record !== null && record.finishedAt === null) {
        logger.info({ keyId: record.keyId, done: record.done }, 'resuming the re-encrypt job');
        void run();
      }
    },
    settled: async () => {
      await job;
    },
    async stop() {
      stopping = true;
      await job;
    },
  };
}
