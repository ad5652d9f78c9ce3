/**
 * The loyalty side of the host: points and charges (db/loyalty), the notice outbox and its delivery worker,
 * and the bonus-expiry job. Notices go to the file provider in the data directory unless a manager set a
 * signed webhook; CRM events go to the store's CRM webhook when one is set. Expiry runs at start and every
 * hour, recorded under the store's first administrator (or manager).
 */

import type { Ledger, MemberRegistry } from '../../db';
import { openLoyalty, systemStaffOf } from '../../db/loyalty/index';
import { openNotices } from '../../db/notices/index';
import type { NoticeSettingsView } from '../contract';
import type { Logger } from './logger';
import { FileNoticeProvider, type NoticeProvider, WebhookNoticeProvider } from './notices/providers';
import { NoticeWorker } from './notices/worker';

export const NOTICE_SETTINGS_KEY = 'notices.settings';
const DEFAULT_NOTICE_SETTINGS: NoticeSettingsView = { member: { provider: 'file' }, crm: null };
const EXPIRY_INTERVAL_MS = 3_600_000;

export interface LoyaltyHostOptions {
  ledger: Ledger;
  members: Pick<MemberRegistry, 'profile' | 'nameOf'>;
  identity: { storeId: string; terminalId: string };
  dataDir: string;
  logger: Logger;
  now: () => number;
  /** Run the delivery worker and the expiry job on timers (default true; tests drive them by hand). */
  timers?: boolean;
  /** Told when the expiry job wrote operations (the sync worker has something to send). */
  committed?: () => void;
}

export function startLoyalty(options: LoyaltyHostOptions) {
  const { ledger, logger, identity, now } = options;
  const loyalty = openLoyalty(ledger, { now });
  const notices = openNotices(ledger, { now });
  // A terminal starts its notices from now: the history already in the ledger is not announced again.
  if (ledger.settings.get<number>('notices.cursor') === undefined) notices.skipToEnd();

  function providersFor(settings: NoticeSettingsView): {
    member: NoticeProvider;
    crm: NoticeProvider | null;
  } {
    const member =
      settings.member.provider === 'webhook'
        ? new WebhookNoticeProvider({ url: settings.member.url, secret: settings.member.secret, now })
        : new FileNoticeProvider(options.dataDir);
    const crm = settings.crm === null ? null : new WebhookNoticeProvider({ ...settings.crm, now });
    return { member, crm };
  }

  function noticeSettings(): NoticeSettingsView {
    return ledger.settings.get<NoticeSettingsView>(NOTICE_SETTINGS_KEY) ?? DEFAULT_NOTICE_SETTINGS;
  }

  const worker = new NoticeWorker({
    store: notices,
    ...providersFor(noticeSettings()),
    names: options.members.nameOf,
    recipientOf: (memberId) => {
      const profile = options.members.profile(memberId);
      return profile && !profile.deleted ? { name: profile.name, phone: profile.phone } : null;
    },
    onError: (error, notice) =>
      logger.warn(
        { err: error, notice: notice.id, topic: notice.topic, kind: notice.kind },
        'notice not delivered',
      ),
  });

  function runExpiry(staffId?: string) {
    const by = staffId ?? systemStaffOf(ledger, identity.storeId);
    if (by === null) return { lines: [], totalFen: 0, more: false, at: now() };
    const run = loyalty.runBonusExpiry({ staffId: by, terminalId: identity.terminalId });
    if (run.lines.some((line) => line.operationId !== null)) {
      options.committed?.();
      logger.info({ expired: run.lines.length, totalFen: run.totalFen }, 'bonus expiry ran');
    }
    return run;
  }

  let expiryTimer: NodeJS.Timeout | undefined;
  if (options.timers !== false) {
    worker.start();
    const expire = () => {
      try {
        runExpiry();
      } catch (error) {
        logger.error({ err: error }, 'bonus expiry failed');
      }
    };
    expire();
    expiryTimer = setInterval(expire, EXPIRY_INTERVAL_MS);
    expiryTimer.unref();
  }

  return {
    loyalty,
    notices,
    worker,
    noticeSettings,
    setNoticeSettings(settings: NoticeSettingsView): void {
      const providers = providersFor(settings);
      ledger.settings.set(NOTICE_SETTINGS_KEY, settings);
      worker.configure(providers);
    },
    runExpiry,
    async stop(): Promise<void> {
      if (expiryTimer) clearInterval(expiryTimer);
      await worker.stop();
    },
  };
}

export type LoyaltyHost = ReturnType<typeof startLoyalty>;
