/**
 * The host's log: pino lines in a file in the data directory. Stack traces live here and nowhere else.
 */
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

export function openLog(
  dataDir: string,
  level = process.env.POS_LOG_LEVEL ?? 'info',
): {
  logger: Logger;
  file: string;
  close: () => void;
} {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'host.log');
  // The file is opened here, synchronously, so a host that stops at once never races a pending open.
  const destination = pino.destination({ dest: openSync(file, 'a'), sync: false });
  const logger = pino({ level, base: { app: 'member-card-pos' } }, destination);
  return {
    logger,
    file,
    close: () => {
      try {
        destination.flushSync();
      } catch {}
      destination.end();
    },
  };
}
