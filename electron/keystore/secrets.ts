/**
 * The terminal's other secrets, wrapped by the same key wrapper as the data keys (Electron safeStorage, or the
 * 0600 wrapping key file in browser mode), in `<dataDir>/keys/secrets.json` (mode 0600):
 *
 *   { "version": 1, "wrapper": "file" | "safeStorage",
 *     "secrets": { "card-keys": { "createdAt": 1763800000000, "wrapped": "<base64>" }, "hq-signing-key": … } }
 *
 * Opened (and every secret unwrapped) before the host is composed, so the host reads them synchronously;
 * `put` wraps and writes at once. A secret never appears in settings, in the log or on a screen.
 */
import { join } from 'node:path';
import { ApiError } from '../errors';
import type { KeyWrapper } from './key-wrapper';
import { readPrivateFile, writePrivateFile } from './private-file';

export const SECRETS_FILE = 'secrets.json';

/** The names the host keeps secrets under. */
export const SECRET_NAMES = {
  /** The chain's card keys: JSON `{ masterKey, chainSecret }` in base64. */
  cardKeys: 'card-keys',
  /** The till's Ed25519 private seed for signing requests to HQ (base64url text). */
  hqSigningKey: 'hq-signing-key',
  /** The key the backup escrow is sealed with (made from the printed backup recovery code), and its salt. */
  backupEscrow: 'backup-escrow',
} as const;

interface StoredSecret {
  createdAt: number;
  wrapped: string;
}

interface StoredSecrets {
  version: 1;
  wrapper: string;
  secrets: Record<string, StoredSecret>;
}

export interface SecretStore {
  readonly path: string;
  /** The secret's bytes, or undefined when none is kept under that name. */
  get(name: string): Buffer | undefined;
  /** Wraps and keeps a secret (replacing one of the same name), written before this resolves. */
  put(name: string, value: Uint8Array): Promise<void>;
  /** Forgets a secret. */
  remove(name: string): Promise<void>;
  /** What wraps them, so keys carried from another machine (a restore) are kept the same way. */
  readonly wrapper: KeyWrapper;
}

function invalid(path: string, why: string, cause?: unknown): ApiError {
  return new ApiError('KEYSTORE_FILE_INVALID', `${path}: ${why}`, { cause, details: { path } });
}

function parse(path: string, text: string): StoredSecrets {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw invalid(path, 'not JSON', cause);
  }
  const candidate = value as Partial<StoredSecrets>;
  if (
    candidate.version !== 1 ||
    typeof candidate.wrapper !== 'string' ||
    typeof candidate.secrets !== 'object' ||
    candidate.secrets === null ||
    !Object.values(candidate.secrets).every(
      (secret) => typeof secret?.wrapped === 'string' && Number.isSafeInteger(secret.createdAt),
    )
  ) {
    throw invalid(path, 'not a version 1 secrets file');
  }
  return candidate as StoredSecrets;
}

/** Opens `<dir>/secrets.json` (an empty store when there is none yet) and unwraps every secret in it. */
export async function openSecretStore(options: {
  dir: string;
  wrapper: KeyWrapper;
  now?: () => number;
}): Promise<SecretStore> {
  const path = join(options.dir, SECRETS_FILE);
  const now = options.now ?? Date.now;
  const { wrapper } = options;
  const existing = await readPrivateFile(path);
  let stored: StoredSecrets = existing
    ? parse(path, existing.toString('utf8'))
    : { version: 1, wrapper: wrapper.kind, secrets: {} };
  if (stored.wrapper !== wrapper.kind) {
    throw new ApiError(
      'KEYSTORE_UNWRAP_FAILED',
      `${path} was wrapped by ${stored.wrapper}, this terminal unwraps with ${wrapper.kind}`,
      { details: { path, stored: stored.wrapper, available: wrapper.kind } },
    );
  }
  const clear = new Map<string, Buffer>();
  for (const [name, secret] of Object.entries(stored.secrets)) {
    clear.set(name, await wrapper.unwrap(Buffer.from(secret.wrapped, 'base64')));
  }
  const save = async (next: StoredSecrets) => {
    await writePrivateFile(path, `${JSON.stringify(next, null, 2)}\n`);
    stored = next;
  };
  return {
    path,
    wrapper,
    get: (name) => clear.get(name),
    async put(name, value) {
      const wrapped = (await wrapper.wrap(value)).toString('base64');
      await save({ ...stored, secrets: { ...stored.secrets, [name]: { createdAt: now(), wrapped } } });
      clear.set(name, Buffer.from(value));
    },
    async remove(name) {
      if (!(name in stored.secrets)) return;
      const { [name]: _gone, ...rest } = stored.secrets;
      await save({ ...stored, secrets: rest });
      clear.delete(name);
    },
  };
}
