/**
 * The terminal's data keys, opened before the host: member phone and ID numbers are encrypted with them and
 * backups are sealed with them. Browser mode keeps them in `<data>/keys/` wrapped by a 0600 key file; the
 * desktop shell wraps them with the OS key store (Electron safeStorage). On Linux a safeStorage that is only
 * `basic_text` protects nothing: the terminal refuses to start unless the store has accepted that risk
 * (`--allow-insecure-keystore`), and then warns on every start.
 */
import { join } from 'node:path';
import type { Keyring } from '../../db';
import { type KeyWrapper, openFileKeystore, openKeystore } from '../keystore';

export interface TerminalKeys {
  keyring: Keyring;
  /** Where the wrapped keys live, and what wraps them. */
  path: string;
  wrapper: 'file' | 'safeStorage';
}

/** Browser mode and tools: the key file wrapper under `<dataDir>/keys`. */
export async function openBrowserModeKeys(dataDir: string): Promise<TerminalKeys> {
  const keystore = await openFileKeystore(dataDir);
  return { keyring: keystore.keyring(), path: keystore.path, wrapper: 'file' };
}

/** The desktop shell: the OS key store wraps the same `<dataDir>/keys/data-keys.json`. */
export async function openDesktopKeys(dataDir: string, wrapper: KeyWrapper): Promise<TerminalKeys> {
  const keystore = await openKeystore({ dir: join(dataDir, 'keys'), wrapper });
  return { keyring: keystore.keyring(), path: keystore.path, wrapper: 'safeStorage' };
}
