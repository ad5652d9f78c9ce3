/**
 * The terminal's keys, opened before the host: the data keys (member phone and ID numbers are encrypted with
 * them, backups sealed) and the other secrets (the chain's card keys, the signing key for HQ). Browser mode
 * keeps them in `<data>/keys/` wrapped by a 0600 key file; the desktop shell wraps them with the OS key store
 * (Electron safeStorage). On Linux a safeStorage that is only `basic_text` protects nothing: the terminal
 * refuses to start unless the store has accepted that risk (`--allow-insecure-keystore`), and then warns on
 * every start.
 *
 * Card keys: a card key file left in clear by an earlier version (`keys/card-keys.json`) is wrapped into the
 * secrets and removed; a till with none gets random keys of its own (a standalone store), which enrolment with
 * HQ replaces with the chain's.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Keyring } from '../../db';
import { createFileKeyWrapper, type KeyWrapper, openKeystore } from '../keystore';
import { CARD_KEY_BYTES, CARD_KEYS_FILE, openCardKeys } from '../keystore/card-keys';
import { openSecretStore, SECRET_NAMES, type SecretStore } from '../keystore/secrets';
import { cardKeysSecret } from './enrolment/card-keys';

export interface TerminalKeys {
  keyring: Keyring;
  /** Where the wrapped keys live, and what wraps them. */
  path: string;
  wrapper: 'file' | 'safeStorage';
  /** The card keys and the HQ signing key, wrapped the same way. */
  secrets: SecretStore;
  /** Set when this start wrapped a card key file that was in clear. */
  migratedCardKeys: boolean;
}

/** Makes sure the secrets hold card keys: the plain file's, wrapped (and the file removed), or fresh ones. */
async function ensureCardKeys(keysDir: string, secrets: SecretStore): Promise<boolean> {
  if (secrets.get(SECRET_NAMES.cardKeys) !== undefined) return false;
  const plain = join(keysDir, CARD_KEYS_FILE);
  if (existsSync(plain)) {
    const { keys } = openCardKeys(keysDir);
    await secrets.put(SECRET_NAMES.cardKeys, cardKeysSecret(keys));
    rmSync(plain);
    return true;
  }
  await secrets.put(
    SECRET_NAMES.cardKeys,
    cardKeysSecret({ masterKey: randomBytes(CARD_KEY_BYTES), chainSecret: randomBytes(CARD_KEY_BYTES) }),
  );
  return false;
}

async function openWith(dataDir: string, wrapper: KeyWrapper): Promise<Omit<TerminalKeys, 'wrapper'>> {
  const dir = join(dataDir, 'keys');
  const keystore = await openKeystore({ dir, wrapper });
  const secrets = await openSecretStore({ dir, wrapper });
  const migratedCardKeys = await ensureCardKeys(dir, secrets);
  return { keyring: keystore.keyring(), path: keystore.path, secrets, migratedCardKeys };
}

/** Browser mode and tools: the key file wrapper under `<dataDir>/keys`. */
export async function openBrowserModeKeys(dataDir: string): Promise<TerminalKeys> {
  const wrapper = await createFileKeyWrapper(join(dataDir, 'keys', 'wrapping.key'));
  return { ...(await openWith(dataDir, wrapper)), wrapper: 'file' };
}

/** The desktop shell: the OS key store wraps the same files. */
export async function openDesktopKeys(dataDir: string, wrapper: KeyWrapper): Promise<TerminalKeys> {
  return { ...(await openWith(dataDir, wrapper)), wrapper: 'safeStorage' };
}
