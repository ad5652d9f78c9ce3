/**
 * The terminal as the launchers run it: the composed host when the data directory holds a book, else the
 * setup screen's commands until a book has been set up, then the host composed in place, without a restart.
 * The transports hold `api`, `hub` and `logger` from the start; only what answers behind `api` changes.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Keyring, type Ledger, listBackups, openLedger, restoreBackup } from '../../../db';
import { commands, isCommandName, type SetUpBook } from '../../contract';
import { ApiError } from '../../errors';
import { replaceKeystoreKeys } from '../../keystore';
import { SECRET_NAMES, type SecretStore } from '../../keystore/secrets';
import { type Api, createApi, type Handlers } from '../api';
import { hostAudit } from '../audit';
import { openEscrow } from '../backups/escrow';
import { createHost, type Host, type HostOptions, LEDGER_FILE } from '../compose';
import { cardKeysSecret } from '../enrolment/card-keys';
import { applyEnrolment, exchangeEnrolmentCode } from '../enrolment/join';
import { readHqLink } from '../enrolment/link';
import { checkBookInvariants, enrolledRestoreRefused } from '../handlers/backups';
import { DeviceHub } from '../hub';
import { type Logger, openLog } from '../logger';
import {
  addFirstAdmin,
  createLiveBook,
  FIRST_TERMINAL_NAME,
  newStandaloneIds,
  readIdentity,
  type StoreFacts,
} from './books';
import { checkFirstAdmin, checkStoreName, checkTimeZone } from './checks';

export type TerminalOptions = Omit<HostOptions, 'hub' | 'log'>;

export interface Terminal {
  /** The setup commands until a book exists, then the host's own API. */
  api: Api;
  hub: DeviceHub;
  logger: Logger;
  logFile: string;
  /** The composed host, or null while the terminal waits for its setup. */
  host(): Host | null;
  /** Called once with the host, as soon as there is one (at once when the book already existed). */
  onHost(listener: (host: Host) => void): void;
  close(): Promise<void>;
}

/** Where a book is built before it takes its place: a half-built book never sits where the host looks. */
const BUILDING_FILE = `${LEDGER_FILE}.setup`;

function removeBook(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Builds a book in a side file and moves it into place only when it is whole and closed; on any failure the
 * side file goes, so setup can simply be tried again.
 */
export async function buildBook(
  dataDir: string,
  now: () => number,
  keyring: Keyring | undefined,
  build: (ledger: Ledger) => void | Promise<void>,
): Promise<void> {
  const building = join(dataDir, BUILDING_FILE);
  removeBook(building);
  // With the data keys from the first line on: the audit chain sealed, the admin's PIN and the recovery code peppered.
  const ledger = openLedger({
    path: building,
    now,
    checkpointIntervalMs: 0,
    ...(keyring === undefined ? {} : { auditKeys: keyring }),
  });
  try {
    await build(ledger);
  } catch (error) {
    ledger.close();
    removeBook(building);
    throw error;
  }
  ledger.close();
  placeBook(dataDir);
}

/** Moves the whole, closed book from its side file into its place. */
function placeBook(dataDir: string): void {
  const building = join(dataDir, BUILDING_FILE);
  const target = join(dataDir, LEDGER_FILE);
  // A book file without an identity (left by an old interrupted start) holds nothing; it is replaced.
  removeBook(target);
  renameSync(building, target);
  removeBook(building);
}

/**
 * A new machine for a standalone store: the newest backup in the folder (the copy off the old machine),
 * opened with the keys from the escrow beside it, verified in the side file, and given its own audit line
 * there; then this machine's key store takes the carried keys (and the store's card keys), and the book
 * takes its place. A chain's till is refused: it comes back by enrolment. Returns the keys the book needs.
 */
async function restoreOnNewMachine(
  dataDir: string,
  secrets: SecretStore,
  input: { folder: string; code: string },
  now: () => number,
): Promise<{ keyring: Keyring; backupTakenAt: number }> {
  const folder = input.folder.trim();
  const escrow = openEscrow(folder, input.code);
  if (escrow.enrolled) throw enrolledRestoreRefused();
  const [newest] = await listBackups(folder);
  if (newest === undefined) {
    throw new ApiError('RESTORE_NO_BACKUP', `There is no backup in ${folder}`, { details: { folder } });
  }
  const building = join(dataDir, BUILDING_FILE);
  removeBook(building);
  try {
    const restored = await restoreBackup({
      backupPath: newest.path,
      livePath: building,
      keyring: escrow.keyring,
      keepReplaced: false,
      now,
      checkInvariants: checkBookInvariants,
    });
    const ledger = openLedger({ path: building, now, checkpointIntervalMs: 0, auditKeys: escrow.keyring });
    try {
      if (readHqLink(ledger.settings) !== undefined) throw enrolledRestoreRefused();
      const identity = readIdentity(ledger.settings);
      if (identity === null) throw new ApiError('RESTORE_NO_BACKUP', `${newest.name} holds no store's book`);
      hostAudit(ledger, identity.terminalId, now).record({
        action: 'backup.restored',
        staffId: null,
        details: { name: newest.name, takenAt: restored.backupTakenAt, on: 'a new machine' },
      });
    } finally {
      ledger.close();
    }
    // The keys first: a book in place without them could not be read.
    await replaceKeystoreKeys({
      dir: dirname(secrets.path),
      wrapper: secrets.wrapper,
      keys: escrow.keyring.ids.map((id) => ({ id, key: escrow.keyring.key(id)! })),
      currentId: escrow.keyring.currentId,
      now,
    });
    if (escrow.cardKeys !== null) await secrets.put(SECRET_NAMES.cardKeys, cardKeysSecret(escrow.cardKeys));
    placeBook(dataDir);
    return { keyring: escrow.keyring, backupTakenAt: restored.backupTakenAt };
  } catch (error) {
    removeBook(building);
    throw error;
  }
}

export function openTerminal(options: TerminalOptions): Terminal {
  // The keys a restore on a new machine brings replace the ones this machine started with.
  let hostOptions = options;
  const now = options.now ?? Date.now;
  const log = openLog(options.dataDir);
  const hub = new DeviceHub();
  const listeners: ((host: Host) => void)[] = [];
  let host: Host | null = null;

  const compose = (book?: 'demo'): Host => {
    host = createHost({ ...hostOptions, ...(book === undefined ? {} : { book }), hub, log: log });
    current = host.api;
    for (const listener of listeners.splice(0)) listener(host);
    return host;
  };
  const described = (composed: Host): SetUpBook => ({
    mode: composed.mode,
    storeName: composed.ledger.store(composed.identity.storeId)?.name ?? '',
    terminalId: composed.identity.terminalId,
  });

  let busy = false;
  /** One setup at a time; once a book is open every setup command is refused. */
  const settingUp = async <T extends SetUpBook>(work: () => T | Promise<T>): Promise<T> => {
    if (host !== null) throw new ApiError('SETUP_DONE', 'This terminal is already set up');
    if (busy) throw new ApiError('SETUP_BUSY', 'Setup is already under way on this terminal');
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  };

  const setupHandlers = {
    'session.current': () => null,
    'session.logout': () => ({ ok: true as const }),
    'setup.status': () => ({ needed: host === null }),
    'setup.demo': () =>
      settingUp(() => {
        const composed = described(compose('demo'));
        log.logger.info({ terminalId: composed.terminalId }, 'setup: the demo café');
        return composed;
      }),
    'setup.standalone': ({ storeName, timeZone, admin }) =>
      settingUp(async () => {
        const store: StoreFacts = {
          ...newStandaloneIds(),
          storeName: checkStoreName(storeName),
          timeZone: checkTimeZone(timeZone),
          terminalName: FIRST_TERMINAL_NAME,
        };
        const first = checkFirstAdmin(admin);
        let recoveryCode = '';
        await buildBook(options.dataDir, now, options.keyring, (ledger) => {
          const adminId = createLiveBook(ledger, store, first);
          recoveryCode = ledger.issueRecoverySheet({ byStaffId: adminId }).code;
        });
        log.logger.info(
          { storeId: store.storeId, terminalId: store.terminalId },
          'setup: a standalone store',
        );
        return { ...described(compose()), recoveryCode };
      }),
    'setup.restore': (input) =>
      settingUp(async () => {
        if (options.secrets === undefined) {
          throw new ApiError('BACKUP_KEYS_MISSING', 'This terminal was started without its key store');
        }
        const { keyring, backupTakenAt } = await restoreOnNewMachine(
          options.dataDir,
          options.secrets,
          input,
          now,
        );
        hostOptions = { ...hostOptions, keyring };
        log.logger.warn({ backupTakenAt }, 'setup: the book restored from a backup taken on another machine');
        return { ...described(compose()), backupTakenAt };
      }),
    'setup.join': ({ hqUrl, code, admin }) =>
      settingUp(async () => {
        const first = checkFirstAdmin(admin);
        const address = hqUrl.trim();
        if (address === '') throw new ApiError('HQ_ADDRESS_REQUIRED', "Type HQ's address");
        if (code.trim() === '') {
          throw new ApiError('ENROLMENT_CODE_REQUIRED', 'Type or scan the enrolment code');
        }
        const secrets = options.secrets;
        if (secrets === undefined) {
          throw new ApiError('ENROLMENT_NOT_ALLOWED', 'This terminal was started without its key store');
        }
        // HQ answers first and writes nothing here; only then is the book built, whole, beside its place.
        const answer = await exchangeEnrolmentCode({ hqUrl: address, code, now });
        let recoveryCode = '';
        await buildBook(options.dataDir, now, options.keyring, async (ledger) => {
          await applyEnrolment({ ledger, secrets, answer, now });
          const adminId = addFirstAdmin(ledger, answer.store.id, first);
          recoveryCode = ledger.issueRecoverySheet({ byStaffId: adminId }).code;
        });
        log.logger.info(
          { storeId: answer.store.id, terminalId: answer.terminal.id },
          'setup: joined a chain',
        );
        return { ...described(compose()), recoveryCode };
      }),
  } satisfies Partial<Handlers>;

  const refuse = (): never => {
    throw new ApiError('SETUP_REQUIRED', 'This terminal is not set up yet; finish the setup screen first');
  };
  const everyCommand = Object.fromEntries(Object.keys(commands).map((name) => [name, refuse]));
  const setupApi = createApi({ ...everyCommand, ...setupHandlers } as unknown as Handlers, log.logger);

  let current: Api = {
    call: async (session, command, input) => {
      // Commands that need a login cannot have one yet: say why in words rather than "log in first".
      if (isCommandName(command) && commands[command].access !== 'public') {
        return { ok: false, error: { code: 'SETUP_REQUIRED', message: 'This terminal is not set up yet' } };
      }
      return setupApi.call(session, command, input);
    },
  };

  const practice = options.trainingMode === true || options.book === 'demo';
  if (practice || existsSync(join(options.dataDir, LEDGER_FILE))) {
    try {
      compose(options.book);
    } catch (error) {
      // A book file that was never set up is no book: the setup screen takes over. Anything else stops here.
      const notSetUp = error instanceof ApiError && error.code === 'BOOK_NOT_SET_UP';
      if (!notSetUp) {
        log.close();
        throw error;
      }
    }
  }
  if (host === null) log.logger.info({ dataDir: options.dataDir }, 'no book yet: waiting for setup');

  return {
    api: { call: (session, command, input) => current.call(session, command, input) },
    hub,
    logger: log.logger,
    logFile: log.file,
    host: () => host,
    onHost(listener) {
      if (host !== null) listener(host);
      else listeners.push(listener);
    },
    close: async () => {
      const closing = host;
      host = null;
      await closing?.close();
      log.close();
    },
  };
}
