/**
 * The composition root: the one place the host is assembled from the ledger, the devices and the sync
 * worker. Plain Node, no Electron, so browser mode, the tests and the desktop shell all run the same host.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ulid } from 'ulid';
import {
  type Keyring,
  type Ledger,
  type MemberRegistry,
  openLedger,
  openMemberRegistry,
  openPromotions,
  switchableKeyring,
} from '../../db';
import type { HidBackend } from '../../hardware/index';
import { ApiError } from '../errors';
import type { CardKeyMaterial } from '../keystore/card-keys';
import { SECRET_NAMES, type SecretStore } from '../keystore/secrets';
import { type Api, createApi } from './api';
import { auditExports, hostAudit, reportAuditChain } from './audit';
import { createBackupService } from './backups/service';
import { allowsPractice, type BookMode, readBookMode } from './book-mode';
import { CardPresence } from './card-presence';
import { adoptCardSecurity, type CardSecurity, cardKeyFingerprint, loadCardSecurity } from './card-security';
import { defaultAutostartDir, setStartAtLogin } from './devices/autostart';
import { createCardWriter } from './devices/card-writer';
import { CustomerDisplay } from './devices/customer-display';
import { joinHardware } from './devices/hardware';
import { PairedDevices, storedPairing } from './devices/paired';
import { startPrinting } from './devices/printing';
import { createPurseMirror, type PurseMirror } from './devices/purse';
import { startSync } from './devices/sync';
import { cardKeysSecret } from './enrolment/card-keys';
import { applyEnrolment, exchangeEnrolmentCode } from './enrolment/join';
import { type HqLink, readHqLink } from './enrolment/link';
import { createHandlers } from './handlers';
import { applyPendingRestore, createBackupHandlers, type RestoreNote } from './handlers/backups';
import { cardFormatHandlers } from './handlers/card-format';
import { createDeviceHandlers } from './handlers/devices';
import { displayHandlers } from './handlers/display';
import { hqHandlers } from './handlers/hq';
import { DeviceHub } from './hub';
import { createKeyRotation } from './key-rotation';
import { type Logger, openLog } from './logger';
import { type LoyaltyHost, startLoyalty } from './loyalty';
import {
  httpPaymentProvider,
  payCodeCollector,
  simulatedPaymentProvider,
  unconfiguredPaymentProvider,
} from './payments';
import { ratingLinks } from './rating-link';
import { startRetention } from './retention';
import { createDemoBook, readIdentity, type TerminalIdentity } from './setup/books';
import { Simulator } from './simulator';
import { spendRules } from './spend-rules';

export interface HostOptions {
  dataDir: string;
  /**
   * Training mode: a separate book (`training.sqlite`, seeded with the demo store) so practice never touches
   * the store's money or reaches headquarters; the simulator panel is always offered.
   */
  trainingMode?: boolean;
  /**
   * The store's payment gateway for WeChat Pay and Alipay payment codes (`payments/provider.ts`); defaults to
   * `POS_PAYMENT_GATEWAY`. Without one, demo and training books simulate it and a live book refuses codes.
   */
  paymentGateway?: string;
  now?: () => number;
  /** Join the store's real readers and swipers (default false: tests and the bench use the simulator only). */
  hardware?: boolean;
  /**
   * `demo`: open the demo café, creating it in an empty data directory (refused with BOOK_IS_LIVE where a live
   * store's book is). Default: open the book set up on the setup screen (BOOK_NOT_SET_UP where none is yet).
   */
  book?: 'demo';
  /** The hub the transports already listen on (the setup screen's, kept when the host takes over). */
  hub?: DeviceHub;
  /** The log the launcher already writes (kept open when the host closes); default: the data dir's own. */
  log?: HostLog;
  /** The HID stack paired swipers are found and opened through (default node-hid). */
  hidBackend?: HidBackend;
  /**
   * Where start at login writes its desktop entry, and the command it starts. Default: the user's XDG
   * autostart folder when the store's hardware is joined (the real terminal), else a folder in the data dir.
   */
  autostart?: {
    dir: string;
    exec: string;
    args: readonly string[];
    /** Switches the OS's own login item instead of writing a desktop entry (Windows). */
    apply?: (enabled: boolean) => void;
  };
  /**
   * The terminal's data keys (`./keys.ts`, opened by the launchers before the host). With them member phone
   * and ID numbers are stored encrypted; without them (tests of other parts) they stay in clear.
   */
  keyring?: Keyring;
  /**
   * The key store's secrets (`./keys.ts`): the chain's card keys and the signing key for HQ, wrapped. Without
   * them (tests of other parts) card keys come from a plain key file and the till does not sync.
   */
  secrets?: SecretStore;
  /**
   * How often a live book looks whether its scheduled backup is due (default every 5 minutes; the plan on
   * the Backups screen says how often a backup is taken).
   */
  backupCheckMs?: number;
}

/** The host's log file and its writer. */
export type HostLog = ReturnType<typeof openLog>;

export interface Host {
  api: Api;
  hub: DeviceHub;
  /** The training simulator; null in a live book, where nothing but the store's own devices acts on the counter. */
  simulator: Simulator | null;
  ledger: Ledger;
  members: MemberRegistry;
  logger: Logger;
  identity: { storeId: string; terminalId: string };
  /** Live, demo or training: fixed when the book was created. */
  mode: BookMode;
  /** The chain's card security the readers use (key bytes not enumerable: never logged or serialised). */
  cardSecurity: CardSecurity;
  /** The on-card purse mirror (does nothing unless the store keeps purses). */
  purse: PurseMirror;
  /** The devices a technician paired to this terminal, applied at start and on every change. */
  paired: PairedDevices;
  /** The customer display: the LED pole display and the customer window's view. */
  customerDisplay: CustomerDisplay;
  logFile: string;
  /** Points, charges, notices and bonus expiry (`loyalty.ts`). */
  loyalty: LoyaltyHost;
  /**
   * Joins a chain with a one-time code from HQ (a standalone store joining later, or a revoked or replaced till
   * enrolled again): exchanges it, writes the answer, takes the chain's card keys and starts sync, all without
   * a restart. Audited under the admin who did it. Fails with the enrolment codes, having written nothing.
   */
  joinChain(input: { hqUrl: string; code: string; staffId: string }): Promise<HqLink>;
  /** Stops the devices and the print queue, then closes the ledger and the log. */
  close(): Promise<void>;
}

export const LEDGER_FILE = 'ledger.sqlite';
/** Minutes without a command before a logged-in session locks itself (0: never). */
export const IDLE_LOCK_SETTING = 'session.idleLockMinutes';
export const DEFAULT_IDLE_LOCK_MINUTES = 5;
export const TRAINING_LEDGER_FILE = 'training.sqlite';
const DEFAULT_BACKUP_CHECK_MS = 5 * 60_000;

/** The packaged resources (udev rules, modprobe file) next to app.asar, or their sources in a working tree. */
function resourcesDir(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged !== undefined && existsSync(join(packaged, 'udev'))) return packaged;
  return fileURLToPath(new URL('../build', import.meta.url));
}

function productVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function createHost(options: HostOptions): Host {
  const now = options.now ?? Date.now;
  // One keyring for the whole host, switched in place when an admin rotates the data keys.
  const keyring = options.keyring === undefined ? undefined : switchableKeyring(options.keyring);
  const log = options.log ?? openLog(options.dataDir);
  const closeLog = options.log === undefined ? log.close : () => {};
  const { logger } = log;
  let ledger: Ledger;
  let identity: TerminalIdentity;
  let mode: BookMode;
  let restored: RestoreNote | null = null;
  const practice = options.trainingMode === true || options.book === 'demo';
  if (!practice && !existsSync(join(options.dataDir, LEDGER_FILE))) {
    // Nothing is created here: the setup screen makes the book, whole, or not at all.
    closeLog();
    throw bookNotSetUp();
  }
  try {
    const ledgerFile = options.trainingMode === true ? TRAINING_LEDGER_FILE : LEDGER_FILE;
    // A restore verified on the backups screen takes the place of the book in use now, before the book opens.
    restored = applyPendingRestore(join(options.dataDir, ledgerFile), now);
    if (restored !== null) logger.warn({ restored }, 'the book was replaced by a verified backup');
    ledger = openLedger({
      path: join(options.dataDir, ledgerFile),
      now,
      ...(keyring === undefined ? {} : { auditKeys: keyring }),
    });
  } catch (error) {
    logger.fatal({ err: error }, 'ledger failed to open');
    closeLog();
    throw error;
  }
  reportAuditChain(ledger, logger, now);
  try {
    ({ identity, mode } = openBook(ledger, options, now, logger));
  } catch (error) {
    ledger.close();
    closeLog();
    throw error;
  }
  const terminalIdentity = { storeId: identity.storeId, terminalId: identity.terminalId };

  let cardSecurity: CardSecurity;
  try {
    cardSecurity = loadCardSecurity({
      dataDir: options.dataDir,
      settings: ledger.settings,
      logger,
      now,
      ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    });
  } catch (error) {
    logger.fatal({ err: error }, 'card security could not be loaded');
    ledger.close();
    closeLog();
    throw error;
  }
  // A plain card the store registered by its UID is read by UID; every other card must verify.
  const registeredUid = (uid: string) => ledger.findCardByUid(uid)?.medium === 'uid';

  const hub = options.hub ?? new DeviceHub();
  // Which cards the devices just read, so a charge of a card nobody presented follows the typed-number rule.
  const presence = new CardPresence(now);
  const detachPresence = presence.attach(hub);
  const purse = createPurseMirror({ enabled: cardSecurity.purse, hub, logger });
  const cardWriter = createCardWriter({ purse: cardSecurity.purse });
  // The simulator exists only in demo and training books: a live book has no virtual reader or swiper at all.
  const simulator = allowsPractice(mode)
    ? new Simulator(hub, logger, now, { security: cardSecurity, registeredUid })
    : null;
  const detachSimulator: (() => void)[] = [];
  if (simulator !== null) {
    detachSimulator.push(purse.attach(simulator.readers, 'simulator'), cardWriter.attach(simulator.readers));
    simulator.start();
  } else {
    logger.info({ mode }, 'live book: no simulator');
  }

  const version = productVersion();
  const printing = startPrinting({
    hub,
    logger,
    store: ledger.printJobs,
    newId: ulid,
    now,
    version,
    printer: storedPairing(ledger, identity.terminalId).printer,
    ...(mode === 'live' ? {} : { practice: mode }),
  });
  const autostart = options.autostart ?? {
    dir: options.hardware === true ? defaultAutostartDir() : join(options.dataDir, 'autostart'),
    exec: process.execPath,
    args: process.argv.slice(1),
  };
  // Device changes, settings, exports and backups are audited on the ledger's chain like every operation.
  const audit = hostAudit(ledger, identity.terminalId, now);
  // The restored book itself says it was restored, and from which backup.
  if (restored !== null) {
    audit.record({ action: 'backup.restored', staffId: null, details: { ...restored, on: 'this terminal' } });
  }
  const paired = new PairedDevices({
    ledger,
    terminalId: identity.terminalId,
    hub,
    logger,
    printing,
    audit,
    ...(options.hidBackend === undefined ? {} : { hidBackend: options.hidBackend }),
    readerOptions: () => ({
      secured: { keys: cardSecurity.keys, sector: cardSecurity.sector },
      registeredUid,
    }),
    onReaderManager: (manager) => {
      const detachPurse = purse.attach(manager, 'reader');
      const detachWriter = cardWriter.attach(manager);
      return () => {
        detachPurse();
        detachWriter();
      };
    },
    onSettings: (settings) =>
      autostart.apply === undefined
        ? setStartAtLogin(settings.startAtLogin, autostart)
        : autostart.apply(settings.startAtLogin),
  });
  paired.start();
  const customerDisplay = new CustomerDisplay({
    ledger,
    terminalId: identity.terminalId,
    hub,
    logger,
    allowsVirtual: allowsPractice(mode),
    audit,
    now,
  });
  void customerDisplay.start();
  const stopHardware =
    options.hardware === true
      ? joinHardware(hub, logger, {
          security: cardSecurity,
          registeredUid,
          purse,
          cardWriter,
          acceptReader: () => !paired.pairedOnly('reader'),
          swipers: !paired.pairedOnly('swiper'),
        })
      : async () => {};

  const members = openMemberRegistry(ledger, { now, fieldKeys: keyring });
  const sync = startSync(ledger, hub, logger, now, options.secrets, version, members.nameOf);

  /** Card keys carried from a standalone store's first till: kept wrapped, used by the readers at once. */
  const adoptCardKeys = async (keys: CardKeyMaterial, staffId: string): Promise<void> => {
    if (options.secrets === undefined) {
      throw new ApiError('CARD_KEYS_FILE_INVALID', 'This till has no key store to keep card keys in.');
    }
    await options.secrets.put(SECRET_NAMES.cardKeys, cardKeysSecret(keys));
    adoptCardSecurity(cardSecurity, {
      chainId: cardSecurity.chainId,
      sector: cardSecurity.sector,
      purse: cardSecurity.purse,
      keys,
    });
    audit.record({
      action: 'card_keys.import',
      staffId,
      details: { fingerprint: cardKeyFingerprint(cardSecurity.keys) },
    });
  };

  const joinChain = async (input: { hqUrl: string; code: string; staffId: string }): Promise<HqLink> => {
    const secrets = options.secrets;
    if (secrets === undefined || options.trainingMode === true) {
      throw new ApiError(
        'ENROLMENT_NOT_ALLOWED',
        'This book cannot join a chain (training, or no key store).',
      );
    }
    const previous = readHqLink(ledger.settings);
    try {
      const answer = await exchangeEnrolmentCode({
        hqUrl: input.hqUrl,
        code: input.code,
        now,
        ...(previous === undefined ? {} : { expectedStoreId: previous.storeId }),
      });
      const link = await applyEnrolment({ ledger, secrets, answer, now });
      adoptCardSecurity(cardSecurity, { ...answer.cardFormat, keys: answer.cardKeys });
      audit.record({
        action: 'hq.enrolled',
        outcome: 'ok',
        staffId: input.staffId,
        details: {
          hq: link.url,
          terminalId: link.terminalId,
          storeId: link.storeId,
          cardKeyFingerprint: link.cardKeyFingerprint,
          reenrolled: previous !== undefined,
        },
      });
      await sync.reload();
      return link;
    } catch (error) {
      audit.record({
        action: 'hq.enrolled',
        outcome: 'rejected',
        code: error instanceof ApiError ? error.code : 'ENROLMENT_FAILED',
        staffId: input.staffId,
        details: { hq: input.hqUrl },
      });
      throw error;
    }
  };

  // Members that came down HQ's feed get their profile (search, masking) as soon as their page is applied.
  sync.onFeedApplied(() => members.adoptLedgerMembers());
  if (options.keyring === undefined) {
    logger.warn("no data keys given: members' personal fields are stored in clear");
  }
  // Members inactive past the store's retention period are anonymised shortly after start, then daily.
  const retention = startRetention({ members, terminalId: identity.terminalId, logger });
  const promotions = openPromotions(ledger, { now });
  const loyalty = startLoyalty({
    ledger,
    members,
    identity: terminalIdentity,
    dataDir: options.dataDir,
    logger,
    now,
    committed: () => sync.committed(),
  });

  const ledgerPath = join(
    options.dataDir,
    options.trainingMode === true ? TRAINING_LEDGER_FILE : LEDGER_FILE,
  );
  const backupDir = join(options.dataDir, 'backups');
  const backups = createBackupService({
    ledger,
    ledgerPath,
    backupDir,
    keyring,
    secrets: options.secrets,
    identity: terminalIdentity,
    // A chain till's card keys come from HQ again; a standalone store's exist nowhere else.
    cardKeys: () => cardSecurity.keys,
    audit,
    logger,
    now,
  });
  const keyRotation =
    keyring === undefined
      ? null
      : createKeyRotation({
          ledger,
          members,
          keyring,
          secrets: options.secrets,
          audit,
          logger,
          escrowChanged: () => backups.refreshEscrow(),
          now,
        });
  keyRotation?.resume();
  // A live store's book is backed up on its plan's schedule (daily unless the admin set otherwise).
  if (mode === 'live') backups.startSchedule(options.backupCheckMs ?? DEFAULT_BACKUP_CHECK_MS);

  const gateway = options.paymentGateway ?? process.env.POS_PAYMENT_GATEWAY;
  const paymentProvider =
    gateway !== undefined && gateway !== ''
      ? httpPaymentProvider(gateway)
      : mode === 'live'
        ? unconfiguredPaymentProvider()
        : simulatedPaymentProvider();

  const composed = createHandlers({
    ledger,
    payments: payCodeCollector(paymentProvider, terminalIdentity),
    hub,
    simulator,
    mode,
    identity: terminalIdentity,
    trainingMode: options.trainingMode ?? false,
    version,
    printing,
    members,
    promotions,
    committed: () => sync.committed(),
    now,
    loyalty,
    presence,
    ratingLink: ratingLinks(ledger.settings, options.secrets),
    spendRules: spendRules({
      ledger,
      presence,
      offlineSpend: (cardId, amountFen) => sync.offlineSpend(cardId, amountFen),
      terminalId: identity.terminalId,
    }),
    dataDir: options.dataDir,
    deviceHandlers: createDeviceHandlers({
      paired,
      printing,
      hub,
      identity: terminalIdentity,
      storeName: () => ledger.store(identity.storeId)?.name ?? '',
      version,
      dataDir: options.dataDir,
      logFile: log.file,
      resourcesDir: resourcesDir(),
    }),
    backupHandlers: createBackupHandlers({
      ledger,
      ledgerPath,
      backupDir,
      dataDir: options.dataDir,
      keyring,
      identity: terminalIdentity,
      service: backups,
      keys: keyRotation,
      audit,
      now,
    }),
    cardFormatHandlers: cardFormatHandlers({
      ledger,
      security: cardSecurity,
      identity: terminalIdentity,
      now,
    }),
    hqHandlers: hqHandlers({
      ledger,
      security: cardSecurity,
      identity: terminalIdentity,
      trainingMode: options.trainingMode ?? false,
      joinChain,
      syncNow: () => sync.syncNow(),
      adoptCardKeys,
      audit,
      now,
    }),
    balanceChanged: (cardNumber, totalFen) => void purse.balanceChanged(cardNumber, totalFen),
    cardWriter,
    displayHandlers: displayHandlers(customerDisplay),
  });
  // Every export leaves one audit line, whichever screen asked for it.
  const handlers = auditExports(composed, audit);
  const api = createApi(handlers, logger, {
    // The idle lock (setting `session.idleLockMinutes`, default 5; 0 turns it off).
    idleLockMs: () => {
      const minutes = ledger.settings.get<unknown>(IDLE_LOCK_SETTING);
      if (minutes === 0) return null;
      return (typeof minutes === 'number' && minutes > 0 ? minutes : DEFAULT_IDLE_LOCK_MINUTES) * 60_000;
    },
    // Staff rows are read by primary key: cheap enough for every command, and never stale.
    staffState: (staffId) => ledger.staff(staffId),
  });
  logger.info({ identity: terminalIdentity, dataDir: options.dataDir }, 'host ready');

  return {
    api,
    hub,
    simulator,
    ledger,
    members,
    loyalty,
    logger,
    identity: terminalIdentity,
    mode,
    cardSecurity,
    purse,
    paired,
    customerDisplay,
    logFile: log.file,
    joinChain,
    close: async () => {
      logger.info('host stopping');
      for (const detach of detachSimulator.splice(0)) detach();
      detachPresence();
      simulator?.stop();
      await stopHardware();
      await paired.stop();
      await customerDisplay.stop();
      await sync.stop();
      await loyalty.stop();
      await retention.stop();
      await backups.stop();
      await keyRotation?.stop();
      await printing.stop();
      ledger.close();
      closeLog();
    },
  };
}

function bookNotSetUp(): ApiError {
  return new ApiError('BOOK_NOT_SET_UP', 'This terminal has no book yet; set it up on the setup screen');
}

/**
 * The book's identity and mode. A data directory with no book yet gets the demo café only when asked for it
 * (or the training book, which always practises on the café); a live store's book is never mixed with it.
 */
function openBook(
  ledger: Ledger,
  options: HostOptions,
  now: () => number,
  logger: Logger,
): { identity: TerminalIdentity; mode: BookMode } {
  const trainingMode = options.trainingMode === true;
  const found = readIdentity(ledger.settings);
  if (found !== null) {
    const mode = readBookMode(ledger.settings, { trainingMode, storeId: found.storeId });
    if (options.book === 'demo' && mode === 'live') {
      throw new ApiError(
        'BOOK_IS_LIVE',
        "This data directory holds a live store's book; the demo needs its own",
      );
    }
    return { identity: found, mode };
  }
  if (!trainingMode && options.book !== 'demo') throw bookNotSetUp();
  const mode = trainingMode ? 'training' : 'demo';
  const identity = createDemoBook(ledger, { now, mode });
  logger.info({ identity, mode }, 'first run: demo store created');
  return { identity, mode };
}
