/**
 * Backups on a schedule and on demand, never two at once. The next scheduled run is timed from the end of
 * the previous one, so a slow backup cannot pile runs up; asking for a backup while one runs returns that
 * run's result instead of starting a second copy.
 */
import { BackupError } from './errors';

export interface BackupScheduler<T> {
  start(): void;
  /** Stops the timer and waits for a run in progress to finish. */
  stop(): Promise<void>;
  /** Runs now (or joins the run in progress). */
  runNow(): Promise<T>;
  readonly running: boolean;
  readonly started: boolean;
}

export interface BackupSchedulerOptions<T> {
  intervalMs: number;
  run: () => Promise<T>;
  onResult?: (result: T) => void;
  /** Scheduled runs report failures here (an on-demand run rejects its own promise as well). */
  onError?: (error: unknown) => void;
}

export function createBackupScheduler<T>(options: BackupSchedulerOptions<T>): BackupScheduler<T> {
  if (!Number.isSafeInteger(options.intervalMs) || options.intervalMs < 1) {
    throw new BackupError(
      'BACKUP_OPTION_INVALID',
      'the backup interval is a positive number of milliseconds',
      {
        details: { intervalMs: options.intervalMs },
      },
    );
  }
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<T> | undefined;
  let started = false;

  const schedule = () => {
    if (!started) return;
    timer = setTimeout(() => {
      timer = undefined;
      runNow().catch(() => undefined);
    }, options.intervalMs);
    // A pending backup must never be what keeps the process alive.
    timer.unref();
  };

  const runNow = (): Promise<T> => {
    if (inFlight) return inFlight;
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const run = (async () => {
      try {
        const result = await options.run();
        options.onResult?.(result);
        return result;
      } catch (error) {
        options.onError?.(error);
        throw error;
      } finally {
        inFlight = undefined;
        schedule();
      }
    })();
    inFlight = run;
    return run;
  };

  return {
    start() {
      if (started) return;
      started = true;
      if (!inFlight) schedule();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight?.catch(() => undefined);
    },
    runNow,
    get running() {
      return inFlight !== undefined;
    },
    get started() {
      return started;
    },
  };
}
