/**
 * Desktop key wrapping with Electron's safeStorage (Keychain, DPAPI, libsecret/KWallet). Imported only by
 * the Electron main process: `electron` is loaded lazily inside `loadSafeStorageWrapper`, so the Node host
 * in browser mode never resolves it.
 *
 * On Linux, safeStorage may fall back to `basic_text`, which encrypts with a hard-coded password: the data
 * key would be as good as plain text on disk. By default that refuses to start (KEYSTORE_BACKEND_INSECURE);
 * a store that accepts the risk sets `insecureBackend: 'warn'` and gets a loud warning on every start.
 */
import type { SafeStorage } from 'electron';
import { ApiError } from '../errors';
import type { KeyWrapper } from './key-wrapper';

export type SafeStorageApi = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

export interface SafeStorageWrapperOptions {
  /** What to do when Linux's backend is basic_text. Default 'refuse'. */
  insecureBackend?: 'refuse' | 'warn';
  warn?: (message: string, details: Record<string, unknown>) => void;
  platform?: NodeJS.Platform;
}

export function createSafeStorageWrapper(
  safeStorage: SafeStorageApi,
  options: SafeStorageWrapperOptions = {},
): KeyWrapper {
  const platform = options.platform ?? process.platform;
  if (!safeStorage.isEncryptionAvailable()) {
    throw new ApiError(
      'KEYSTORE_UNAVAILABLE',
      'the operating system key store is not available (safeStorage)',
      {
        details: { platform },
      },
    );
  }
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') {
      const message =
        backend === 'basic_text'
          ? 'the OS key store is basic_text (a fixed password): the data key would not be protected; install and unlock gnome-keyring or KWallet, or start with --password-store=gnome-libsecret'
          : 'the OS key store was asked before the app was ready; its backend is unknown';
      if ((options.insecureBackend ?? 'refuse') === 'refuse' || backend === 'unknown') {
        throw new ApiError('KEYSTORE_BACKEND_INSECURE', message, { details: { backend, platform } });
      }
      const warn = options.warn ?? ((text: string) => process.stderr.write(`\n*** WARNING: ${text} ***\n\n`));
      warn(message, { backend, platform, code: 'KEYSTORE_BACKEND_INSECURE' });
    }
  }
  return {
    kind: 'safeStorage',
    async wrap(key) {
      return safeStorage.encryptString(Buffer.from(key).toString('base64'));
    },
    async unwrap(wrapped) {
      try {
        return Buffer.from(safeStorage.decryptString(wrapped), 'base64');
      } catch (cause) {
        throw new ApiError(
          'KEYSTORE_UNWRAP_FAILED',
          'the OS key store cannot unwrap the data key (another user or machine?)',
          {
            cause,
          },
        );
      }
    },
  };
}

/** For electron/main.ts, after `app.whenReady()`. */
export async function loadSafeStorageWrapper(options: SafeStorageWrapperOptions = {}): Promise<KeyWrapper> {
  const { safeStorage } = await import('electron');
  return createSafeStorageWrapper(safeStorage, options);
}
