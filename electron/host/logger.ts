/**
 * The host's log: pino lines in a file in the data directory. Stack traces live here and nowhere else.
 */
import { mkdirSync } from 'node:fs';
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
  const destination = pino.destination({ dest: file, sync: false, mkdir: true });
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
