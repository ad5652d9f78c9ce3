/**
 * The sync worker, when this terminal is enrolled with headquarters (`host.hq` in the ledger's settings:
 * the HQ URL and the terminal key from enrolment). The worker pushes the outbox and pulls HQ's change feed
 * into the ledger (`openFeedSink`), so balances and card states are the chain's, and it sends the ledger's
 * hash-chained audit log to HQ on a stream of its own. Either way the counter is
 * told how many operations wait in the outbox, so a cashier can see that the terminal is working offline.
 */
import { type Ledger, openFeedSink } from '../../../db';
import { HqHttpClient, type OfflineSpendAnswer, SyncWorker } from '../../../sync/index';
import type { DeviceHub } from '../hub';
import type { Logger } from '../logger';

export const HQ_SETTING = 'host.hq';

interface HqEnrolment {
  url: string;
  terminalId: string;
  storeId: string;
  key: string;
}

function isEnrolment(value: unknown): value is HqEnrolment {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['url', 'terminalId', 'storeId', 'key'].every((field) => typeof record[field] === 'string');
}

export interface SyncLink {
  /** Called after every committed operation: wakes the worker, or recounts the outbox. */
  committed(): void;
  /** Runs `listener` after each page of the feed the ledger applied (e.g. to index members that came down). */
  onFeedApplied(listener: () => void): void;
  /**
   * May this card spend `amountFen` of stored value now? Always while HQ answers (it vouches for balances) and
   * in a book with no HQ link; otherwise only within the offline caps HQ delivered.
   */
  offlineSpend(cardId: string, amountFen: number): OfflineSpendAnswer;
  stop(): Promise<void>;
}

const UNCAPPED: OfflineSpendAnswer = { allowed: true };

export function startSync(ledger: Ledger, hub: DeviceHub, logger: Logger, now: () => number): SyncLink {
  const enrolment = ledger.settings.get<unknown>(HQ_SETTING);
  if (!isEnrolment(enrolment)) {
    const report = () => {
      const stats = ledger.outbox.stats();
      hub.emit('sync.status', { state: 'disabled', pending: stats.waiting, lastSyncedAt: stats.lastSentAt });
    };
    report();
    return { committed: report, onFeedApplied: () => {}, offlineSpend: () => UNCAPPED, stop: async () => {} };
  }

  const feed = openFeedSink(ledger, { now });
  const listeners: (() => void)[] = [];

  const worker = new SyncWorker({
    terminalId: enrolment.terminalId,
    outbox: ledger.outbox,
    settings: ledger.settings,
    audit: ledger.auditLog,
    transport: new HqHttpClient(enrolment.url, enrolment, { now }),
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
  worker.start();
  logger.info({ hq: enrolment.url }, 'sync worker started');
  return {
    committed: () => worker.nudge(),
    onFeedApplied: (listener) => listeners.push(listener),
    offlineSpend: (cardId, amountFen) =>
      worker.hqReachable() ? UNCAPPED : worker.checkOfflineSpend(cardId, amountFen),
    stop: () => worker.stop(),
  };
}
