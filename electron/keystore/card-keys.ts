/**
 * The chain's card keys: the MAC secret every terminal verifies member cards with, and the master key the
 * per-card MIFARE sector keys are diversified from. They live beside the data keys, in
 * `<dataDir>/keys/card-keys.json` (mode 0600, folder 0700), and follow the same rules: created at first run
 * (random demo keys, until headquarters provisions the chain's own), a file that group or others may read
 * is refused with the `chmod 600` to run, and one of another user is refused too.
 *
 *   { "version": 1, "createdAt": 1763800000000, "masterKey": "<base64>", "chainSecret": "<base64>" }
 *
 * Read synchronously because the host is composed synchronously. The keys come out as an object whose key
 * bytes are not enumerable, so JSON, the log and `util.inspect` never carry them.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiError } from '../errors';
import { PRIVATE_FILE_MODE } from './private-file';

export const CARD_KEYS_FILE = 'card-keys.json';
/** Bytes of each generated key (the card formats need at least 16). */
export const CARD_KEY_BYTES = 32;
const MIN_KEY_BYTES = 16;

/** The two secrets; the chain id and sector are settings, not secrets. */
export interface CardKeyMaterial {
  readonly masterKey: Buffer;
  readonly chainSecret: Buffer;
}

interface StoredCardKeys {
  version: 1;
  createdAt: number;
  masterKey: string;
  chainSecret: string;
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

function invalid(path: string, why: string, cause?: unknown): ApiError {
  return new ApiError('KEYSTORE_FILE_INVALID', `${path}: ${why}`, { cause, details: { path } });
}

function readPrivateFileSync(path: string): Buffer | undefined {
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cause;
  }
  if ((Number(info.mode) & 0o077) !== 0) {
    throw new ApiError(
      'KEYSTORE_FILE_EXPOSED',
      `${path} has mode ${octal(Number(info.mode))}; key files must be ${octal(PRIVATE_FILE_MODE)} (run: chmod 600 ${path})`,
      { details: { path, mode: octal(Number(info.mode)), required: octal(PRIVATE_FILE_MODE) } },
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && Number(info.uid) !== uid) {
    throw new ApiError(
      'KEYSTORE_FILE_OWNER_WRONG',
      `${path} belongs to user ${info.uid}, not to this user (${uid})`,
      {
        details: { path, owner: Number(info.uid), user: uid },
      },
    );
  }
  return readFileSync(path);
}

function writePrivateFileSync(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  const fd = openSync(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
    PRIVATE_FILE_MODE,
  );
  try {
    writeSync(fd, data);
    chmodSync(temporary, PRIVATE_FILE_MODE);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

function decodeKey(path: string, name: string, value: unknown): Buffer {
  if (typeof value !== 'string') throw invalid(path, `${name} is missing`);
  const key = Buffer.from(value, 'base64');
  if (key.length < MIN_KEY_BYTES) throw invalid(path, `${name} is shorter than ${MIN_KEY_BYTES} bytes`);
  return key;
}

/** The key bytes as properties that serialisation and inspection skip. */
function hidden(masterKey: Buffer, chainSecret: Buffer): CardKeyMaterial {
  const material = {};
  Object.defineProperty(material, 'masterKey', { value: masterKey, enumerable: false });
  Object.defineProperty(material, 'chainSecret', { value: chainSecret, enumerable: false });
  return material as CardKeyMaterial;
}

/**
 * Opens `<keysDir>/card-keys.json`, creating it with fresh random keys when there is none. `created` says
 * whether this call made them (the host logs that it did, never what they are).
 */
export function openCardKeys(
  keysDir: string,
  now: () => number = Date.now,
): { keys: CardKeyMaterial; path: string; created: boolean } {
  const path = join(keysDir, CARD_KEYS_FILE);
  const existing = readPrivateFileSync(path);
  if (existing === undefined) {
    const masterKey = randomBytes(CARD_KEY_BYTES);
    const chainSecret = randomBytes(CARD_KEY_BYTES);
    const stored: StoredCardKeys = {
      version: 1,
      createdAt: now(),
      masterKey: masterKey.toString('base64'),
      chainSecret: chainSecret.toString('base64'),
    };
    writePrivateFileSync(path, `${JSON.stringify(stored, null, 2)}\n`);
    return { keys: hidden(masterKey, chainSecret), path, created: true };
  }
  let parsed: Partial<StoredCardKeys>;
  try {
    parsed = JSON.parse(existing.toString('utf8')) as Partial<StoredCardKeys>;
  } catch (cause) {
    throw invalid(path, 'not JSON', cause);
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.version !== 1) {
    throw invalid(path, 'not a version 1 card key file');
  }
  const masterKey = decodeKey(path, 'masterKey', parsed.masterKey);
  const chainSecret = decodeKey(path, 'chainSecret', parsed.chainSecret);
  if (masterKey.equals(chainSecret)) throw invalid(path, 'the master key and the chain secret must differ');
  return { keys: hidden(masterKey, chainSecret), path, created: false };
}
