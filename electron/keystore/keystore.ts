/**
 * The terminal's data-encryption keys, stored wrapped in `data-keys.json` (mode 0600):
 *
 *   { "version": 1, "wrapper": "file" | "safeStorage", "current": "k2",
 *     "keys": [{ "id": "k1", "createdAt": 1763800000000, "wrapped": "<base64>" }, …] }
 *
 * The first open creates key k1. A rotation adds a key and makes it current; old keys stay so existing
 * envelopes and backups remain readable until they are re-encrypted. The keys come out as the ledger's
 * Keyring, which field encryption, the blind index and backups all take.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createKeyring, DATA_KEY_BYTES, type Keyring } from '../../db';
import { ApiError } from '../errors';
import type { KeyWrapper } from './key-wrapper';
import { readPrivateFile, writePrivateFile } from './private-file';

export const KEYSTORE_FILE = 'data-keys.json';

interface StoredKey {
  id: string;
  createdAt: number;
  wrapped: string;
}

interface StoredKeystore {
  version: 1;
  wrapper: string;
  current: string;
  keys: StoredKey[];
}

export interface Keystore {
  readonly path: string;
  /** The keys, unwrapped, as a keyring (current key last written). */
  keyring(): Keyring;
  /** Adds a fresh key and makes it current; returns its id. */
  rotate(): Promise<string>;
}

export interface OpenKeystoreOptions {
  /** Folder that holds `data-keys.json` (the terminal's data folder, or a `keys` folder inside it). */
  dir: string;
  wrapper: KeyWrapper;
  now?: () => number;
}

function invalid(path: string, why: string, cause?: unknown): ApiError {
  return new ApiError('KEYSTORE_FILE_INVALID', `${path}: ${why}`, { cause, details: { path } });
}

function parseKeystore(path: string, text: string): StoredKeystore {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw invalid(path, 'not JSON', cause);
  }
  const candidate = value as Partial<StoredKeystore>;
  if (
    candidate.version !== 1 ||
    typeof candidate.wrapper !== 'string' ||
    typeof candidate.current !== 'string' ||
    !Array.isArray(candidate.keys) ||
    candidate.keys.length === 0 ||
    !candidate.keys.every(
      (key) =>
        typeof key?.id === 'string' && typeof key.wrapped === 'string' && Number.isSafeInteger(key.createdAt),
    )
  ) {
    throw invalid(path, 'not a version 1 keystore');
  }
  return candidate as StoredKeystore;
}

export async function openKeystore(options: OpenKeystoreOptions): Promise<Keystore> {
  const path = join(options.dir, KEYSTORE_FILE);
  const now = options.now ?? Date.now;
  const { wrapper } = options;

  const unwrapAll = async (stored: StoredKeystore): Promise<Keyring> => {
    if (stored.wrapper !== wrapper.kind) {
      throw new ApiError(
        'KEYSTORE_UNWRAP_FAILED',
        `${path} was wrapped by ${stored.wrapper}, this terminal unwraps with ${wrapper.kind}`,
        { details: { path, stored: stored.wrapper, available: wrapper.kind } },
      );
    }
    const keys = [];
    for (const key of stored.keys) {
      const raw = await wrapper.unwrap(Buffer.from(key.wrapped, 'base64'));
      if (raw.length !== DATA_KEY_BYTES) throw invalid(path, `key ${key.id} unwraps to ${raw.length} bytes`);
      keys.push({ id: key.id, key: raw });
    }
    try {
      return createKeyring(keys, stored.current);
    } catch (cause) {
      throw invalid(path, cause instanceof Error ? cause.message : String(cause), cause);
    }
  };

  const newKey = async (id: string): Promise<StoredKey> => ({
    id,
    createdAt: now(),
    wrapped: (await wrapper.wrap(randomBytes(DATA_KEY_BYTES))).toString('base64'),
  });

  const save = (stored: StoredKeystore) => writePrivateFile(path, `${JSON.stringify(stored, null, 2)}\n`);

  let stored: StoredKeystore;
  const existing = await readPrivateFile(path);
  if (existing === undefined) {
    stored = { version: 1, wrapper: wrapper.kind, current: 'k1', keys: [await newKey('k1')] };
    await save(stored);
  } else {
    stored = parseKeystore(path, existing.toString('utf8'));
  }
  let keyring = await unwrapAll(stored);

  return {
    path,
    keyring: () => keyring,
    async rotate() {
      const highest = Math.max(0, ...stored.keys.map((key) => Number(/^k(\d+)$/.exec(key.id)?.[1] ?? 0)));
      const id = `k${highest + 1}`;
      const next: StoredKeystore = { ...stored, current: id, keys: [...stored.keys, await newKey(id)] };
      const nextKeyring = await unwrapAll(next);
      await save(next);
      stored = next;
      keyring = nextKeyring;
      return id;
    },
  };
}

/**
 * Replaces the data keys with keys carried from another machine (a backup restored on a new terminal, from
 * its escrow): written wrapped by this machine's wrapper, the carried key current. Only for a data directory
 * with no book of its own yet, whose fresh keys protect nothing.
 */
export async function replaceKeystoreKeys(options: {
  dir: string;
  wrapper: KeyWrapper;
  keys: readonly { id: string; key: Uint8Array }[];
  currentId: string;
  now?: () => number;
}): Promise<Keyring> {
  const now = options.now ?? Date.now;
  const keyring = createKeyring(options.keys, options.currentId);
  const stored: StoredKeystore = {
    version: 1,
    wrapper: options.wrapper.kind,
    current: options.currentId,
    keys: await Promise.all(
      options.keys.map(async ({ id, key }) => ({
        id,
        createdAt: now(),
        wrapped: (await options.wrapper.wrap(key)).toString('base64'),
      })),
    ),
  };
  await writePrivateFile(join(options.dir, KEYSTORE_FILE), `${JSON.stringify(stored, null, 2)}\n`);
  return keyring;
}
