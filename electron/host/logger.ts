/**
 * The host's log: pino lines in a file in the data directory. Stack traces live here and nowhere else.
 */
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Fields that never reach the log, wherever a caller puts them (top level or two levels down): PINs and
 * passwords, card tracks, keys and secrets, a member's phone and ID number, the one-time recovery code, and
 * error details (which may echo what was typed). The line keeps the field's name with `[redacted]`.
 */
const SECRET_FIELDS = [
  'pin',
  'newPin',
  'password',
  'memberPassword',
  'recoveryCode',
  'tracks',
  'track1',
  'track2',
  'track3',
  'key',
  'keys',
  'secret',
  'masterKey',
  'macSecret',
  'terminalKey',
  'privateKey',
  'authorization',
  'phone',
  'idNumber',
  'details',
] as const;

export const REDACTED_PATHS: readonly string[] = SECRET_FIELDS.flatMap((field) => [
  field,
  `*.${field}`,
  `*.*.${field}`,
]);

export const REDACTION = { paths: [...REDACTED_PATHS], censor: '[redacted]' };

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
  const logger = pino({ level, base: { app: 'member-card-pos' }, redact: REDACTION }, destination);
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
