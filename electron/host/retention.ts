/**
 * The member retention job on a timer: shortly after start and then daily, members inactive for longer than
 * the store's retention period are anonymised (`db/members/retention.ts`), a few hundred per transaction
 * batch with the event loop free between batches, so the counter keeps selling while it runs.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { createBackupScheduler, type MemberRegistry } from '../../db';
import type { Logger } from './logger';

const DAY_MS = 86_400_000;
const BATCH = 200;

export interface RetentionJob {
  runNow(): Promise<{ anonymised: number; keptForBalance: number }>;
  stop(): Promise<void>;
}

export function startRetention(options: {
  members: Pick<MemberRegistry, 'runRetention'>;
  terminalId: string;
  logger: Logger;
  intervalMs?: number;
  firstRunMs?: number;
}): RetentionJob {
  const { members, terminalId, logger } = options;
  const scheduler = createBackupScheduler({
    intervalMs: options.intervalMs ?? DAY_MS,
    run: async () => {
      const totals = { anonymised: 0, keptForBalance: 0 };
      for (;;) {
        const run = members.runRetention({ terminalId, limit: BATCH });
        totals.anonymised += run.anonymised.length;
        totals.keptForBalance += run.keptForBalance.length;
        if (!run.more) break;
        await yieldToLoop();
      }
      return totals;
    },
    onResult: (totals) => {
      if (totals.anonymised > 0 || totals.keptForBalance > 0) logger.info(totals, 'member retention ran');
    },
    onError: (error) => logger.error({ err: error }, 'member retention failed'),
  });
  scheduler.start();
  const first = setTimeout(() => {
    scheduler.runNow().catch(() => undefined);
  }, options.firstRunMs ?? 60_000);
  first.unref();
  return {
    runNow: () => scheduler.runNow(),
    stop: async () => {
      clearTimeout(first);
      await scheduler.stop();
    },
  };
}
