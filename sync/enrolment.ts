/**
 * A terminal's enrolment, kept in its settings: the code a technician types is exchanged once for the terminal
 * key, and the key is what every later request is signed with.
 */
import { enrolTerminal, type TerminalCredentials } from './client';
import { SyncError } from './errors';
import type { SettingsStore } from './outbox';

export const CREDENTIALS_KEY = 'sync.credentials';

export interface StoredCredentials extends TerminalCredentials {
  hqUrl: string;
  enrolledAt: number;
}

/** Exchanges a one-time code for this terminal's key and saves both the key and HQ's address. */
export async function enrolAndStore(
  settings: SettingsStore,
  hqUrl: string,
  code: string,
  options: { now?: () => number; fetch?: typeof fetch } = {},
): Promise<StoredCredentials> {
  const answer = await enrolTerminal(hqUrl, code, options.fetch ? { fetch: options.fetch } : {});
  const stored: StoredCredentials = {
    hqUrl,
    terminalId: answer.terminalId,
    storeId: answer.storeId,
    key: answer.key,
    enrolledAt: (options.now ?? Date.now)(),
  };
  settings.set(CREDENTIALS_KEY, stored);
  return stored;
}

/** The saved enrolment, or NOT_ENROLLED when this terminal has none yet. */
export function storedCredentials(settings: SettingsStore): StoredCredentials {
  const stored = settings.get<StoredCredentials>(CREDENTIALS_KEY);
  if (!stored?.key || !stored.terminalId || !stored.hqUrl) {
    throw new SyncError('NOT_ENROLLED', 'This terminal is not enrolled with HQ yet.');
  }
  return stored;
}
