/**
 * The sync worker, when this terminal is enrolled with headquarters. It starts from the one HQ link
 * (`host.hq` in the ledger's settings, see `../enrolment/link.ts`) and the signing key in the key store, and
 * nothing else; `reload` starts it again after an enrolment, without a restart. The worker pushes the outbox
 * under the terminal id HQ assigned and pulls HQ's change feed into the ledger (`openFeedSink`), so balances and
 * card states are the chain's, and it sends the ledger's hash-chained audit log to HQ on a stream of its own.
 *
 * When HQ refuses the till's key (TERMINAL_REVOKED, or a key HQ no longer knows) the worker stops, the link is
 * marked revoked and the status says so in words; the outbox keeps every operation until the till is enrolled
 * again. Either way the counter is told how many operations wait in the outbox.
 */
import { type Ledger, type MemberNames, openFeedSink } from '../../../db';
import { HqHttpClient, type OfflineSpendAnswer, SyncWorker } from '../../../sync/index';
import { SECRET_NAMES, type SecretStore } from '../../keystore/secrets';
import { HQ_SETTING, readHqLink } from '../enrolment/link';
import type { DeviceHub } from '../hub';
import type { Logger } from '../logger';
import { outboxWithNames } from '../member-names';

export { HQ_SETTING };

/** HQ's answers that mean this till's key is no longer good: sync stops until the till is enrolled again. */
const REVOKED_CODES: ReadonlySet<string> = new Set(['TERMINAL_REVOKED', 'UNKNOWN_TERMINAL', 'BAD_SIGNATURE']);

export interface SyncLink {
  /** Called after every committed operation: wakes the worker, or recounts the outbox. */
  committed(): void;
  /** Runs `listener` after each page of the feed the ledger applied (e.g. to index members that came down). */
  onFeedApplied(listener: () => void): void;
  /** Stops the running worker (if any) and starts again from the HQ link as it is now. */
  reload(): Promise<void>;
  /**
   * May this card spend `amountFen` of stored value now? Always while HQ answers (it vouches for balances) and
   * in a book with no HQ link; otherwise (HQ away, or the till revoked) only within the offline caps HQ delivered.
   */
  offlineSpend(cardId: string, amountFen: number): OfflineSpendAnswer;
  /**
   * Pulls HQ's feed and pushes the outbox now, past any backoff (the Devices screen's 立即同步): whether HQ
   * answered, and what still waits. Not reached when the till belongs to no chain or HQ revoked it.
   */
  syncNow(): Promise<SyncNowAnswer>;
  stop(): Promise<void>;
}

export interface SyncNowAnswer {
  reached: boolean;
  pending: number;
  lastContactAt: number | null;
}

const UNCAPPED: OfflineSpendAnswer = { allowed: true };

export function startSync(
  ledger: Ledger,
  hub: DeviceHub,
  logger: Logger,
  now: () => number,
  secrets?: SecretStore,
  /** The app's version, told to HQ with each push. */
  appVersion?: string,
  /** Members' names in clear, put into the lines HQ is sent (`../member-names.ts`). */
  names?: MemberNames,
): SyncLink {
  const listeners: (() => void)[] = [];
  let worker: SyncWorker | null = null;
  /** The worker last started, kept after a revocation so the offline caps still apply. */
  let lastWorker: SyncWorker | null = null;

  const reportIdle = (state: 'disabled' | 'revoked') => {
    const stats = ledger.outbox.stats();
    hub.emit('sync.status', { state, pending: stats.waiting, lastSyncedAt: stats.lastSentAt });
  };

  const revoked = (code: string) => {
    const link = readHqLink(ledger.settings);
    if (link && link.revokedAt === undefined) ledger.settings.set(HQ_SETTING, { ...link, revokedAt: now() });
    logger.warn({ code }, 'HQ refused this till’s key: sync stopped until it is enrolled again');
    const stopping = worker;
    worker = null;
    void stopping?.stop().then(() => reportIdle('revoked'));
    reportIdle('revoked');
  };

  const start = () => {
    const link = readHqLink(ledger.settings);
    const key = secrets?.get(SECRET_NAMES.hqSigningKey)?.toString('utf8');
    if (link === undefined || key === undefined) return reportIdle('disabled');
    if (link.revokedAt !== undefined) return reportIdle('revoked');
    const feed = openFeedSink(ledger, { now });
    const running: SyncWorker = new SyncWorker({
      terminalId: link.terminalId,
      outbox: names === undefined ? ledger.outbox : outboxWithNames(ledger.outbox, names),
      settings: ledger.settings,
      audit: ledger.auditLog,
      transport: new HqHttpClient(
        link.url,
        { terminalId: link.terminalId, storeId: link.storeId, key },
        { now, ...(appVersion === undefined ? {} : { appVersion }) },
      ),
      // A standalone store that joined later keeps its own store id in the book; HQ knows it by HQ's.
      ...(link.localStoreId === link.storeId ? {} : { storeIds: { [link.localStoreId]: link.storeId } }),
      // Other stores' members, cards, card states and wallet movements, and HQ's rules, into this book.
      sink: {
        apply(entries, page) {
          const outcome = feed.apply(entries, page);
          if (outcome.skipped > 0) logger.warn({ skipped: outcome.skipped }, 'feed entries set aside');
          for (const listener of listeners) {
            try {
              listener();
            } catch (error) {
              // The page is committed; whatever follows it is retried after the next one.
              logger.error({ err: error }, 'after the feed page');
            }
          }
          return outcome;
        },
      },
      // A page is one ledger transaction on the counter's thread: small pages keep a long catch-up from holding
      // a tap or a charge for more than a few tens of milliseconds.
      feedPageSize: 200,
      now,
      onStatus: (status) => {
        if (worker !== running) return;
        if (status.lastError !== null && REVOKED_CODES.has(status.lastError.code)) {
          revoked(status.lastError.code);
          return;
        }
        const state =
          status.lastError !== null && !status.online ? 'offline' : status.waiting > 0 ? 'syncing' : 'idle';
        hub.emit('sync.status', {
          state,
          pending: status.waiting,
          lastSyncedAt: status.lastSuccessAt,
          ...(status.auditWaiting === null ? {} : { auditPending: status.auditWaiting }),
        });
      },
    });
    worker = running;
    lastWorker = running;
    running.start();
    logger.info({ hq: link.url, terminalId: link.terminalId }, 'sync worker started');
  };

  start();
  return {
    committed: () =>
      worker ? worker.nudge() : reportIdle(readHqLink(ledger.settings)?.revokedAt ? 'revoked' : 'disabled'),
    onFeedApplied: (listener) => listeners.push(listener),
    reload: async () => {
      const stopping = worker;
      worker = null;
      await stopping?.stop();
      start();
    },
    offlineSpend: (cardId, amountFen) => {
      // A revoked till's stopped worker still counts what waits in the outbox against HQ's caps.
      const guard = worker ?? lastWorker;
      if (guard === null) return UNCAPPED;
      return guard === worker && guard.hqReachable() ? UNCAPPED : guard.checkOfflineSpend(cardId, amountFen);
    },
    syncNow: async () => {
      const running = worker;
      if (running === null) {
        return { reached: false, pending: ledger.outbox.stats().waiting, lastContactAt: null };
      }
      const status = await running.syncNow();
      return { reached: running.hqReachable(), pending: status.waiting, lastContactAt: status.lastContactAt };
    },
    stop: async () => {
      const stopping = worker;
      worker = null;
      await stopping?.stop();
    },
  };
}
