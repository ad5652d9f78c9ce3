/**
 * How this terminal reads the chain's secured member cards: the chain id and the sector of the secured
 * MIFARE format and whether the store keeps an on-card purse come from the ledger's settings
 * (`cards.security`); the MAC secret and the master key come from the card key file in the data folder's
 * `keys/` (see `electron/keystore/card-keys.ts`). A first run writes both: random demo keys and the demo
 * chain's settings. The reader managers (the store's readers and the simulator's) are given the result, so a
 * tapped secured card yields its card number, verified, and another chain's card is refused.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { SettingsStore } from '../../db';
import { assertChainKeys, type ChainKeys, DeviceError } from '../../hardware/index';
import { ApiError } from '../errors';
import { type CardKeyMaterial, openCardKeys } from '../keystore/card-keys';
import { SECRET_NAMES, type SecretStore } from '../keystore/secrets';
import { parseCardKeysSecret } from './enrolment/card-keys';
import type { Logger } from './logger';

export const CARD_SECURITY_SETTING = 'cards.security';

/** What the settings hold: nothing secret. */
export interface CardSecuritySettings {
  /** The chain id written on each card (unsigned 32-bit). */
  chainId: number;
  /** The 4-block sector of the secured MIFARE Classic format (1–31, never 0). */
  sector: number;
  /** Mirror the ledger's balance onto the card's value block after each top-up and charge. */
  purse: boolean;
}

export interface CardSecurity extends CardSecuritySettings {
  /** Chain id, master key and chain secret; the key bytes are not enumerable (never logged or serialised). */
  keys: ChainKeys;
}

/** The demo chain's settings, written at first run. */
export const DEMO_CARD_SECURITY: CardSecuritySettings = { chainId: 0x0c0ffee, sector: 1, purse: false };

export function isCardSecuritySettings(value: unknown): value is CardSecuritySettings {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<CardSecuritySettings>;
  return (
    typeof candidate.chainId === 'number' &&
    typeof candidate.sector === 'number' &&
    typeof candidate.purse === 'boolean'
  );
}

function configInvalid(message: string, details: Record<string, unknown>, cause?: unknown): ApiError {
  return new ApiError('CARD_CONFIG_INVALID', message, { details, cause });
}

/**
 * Reads (or, the first time, creates) the terminal's card security. A setting that is malformed, a sector
 * out of range or a key file that is loose, damaged or another user's stops start-up with its code: a
 * terminal that reads member cards with the wrong keys must not look as if it worked.
 */
export function loadCardSecurity(options: {
  dataDir: string;
  settings: SettingsStore;
  logger: Logger;
  now?: () => number;
  /** The key store's secrets (the launchers always give them); without them, the older plain key file. */
  secrets?: SecretStore;
}): CardSecurity {
  const { settings, logger } = options;
  let stored = settings.get<unknown>(CARD_SECURITY_SETTING);
  if (stored === undefined) {
    stored = DEMO_CARD_SECURITY;
    settings.set(CARD_SECURITY_SETTING, stored);
    logger.info(
      { setting: CARD_SECURITY_SETTING, ...DEMO_CARD_SECURITY },
      'card security: demo chain settings written',
    );
  }
  if (!isCardSecuritySettings(stored)) {
    throw configInvalid(`the ${CARD_SECURITY_SETTING} setting needs chainId, sector and purse`, {
      setting: CARD_SECURITY_SETTING,
    });
  }
  const { chainId, sector, purse } = stored;
  if (!Number.isInteger(sector) || sector < 1 || sector > 31) {
    throw configInvalid('the secured sector must be a 4-block sector from 1 to 31', { sector });
  }
  const material = cardKeyMaterial(options);
  const keys = { chainId } as ChainKeys;
  // Writable, so a till that joins a chain takes the chain's keys without a restart (`adoptCardSecurity`).
  Object.defineProperty(keys, 'masterKey', { value: material.masterKey, enumerable: false, writable: true });
  Object.defineProperty(keys, 'chainSecret', {
    value: material.chainSecret,
    enumerable: false,
    writable: true,
  });
  try {
    assertChainKeys(keys);
  } catch (error) {
    const message = error instanceof DeviceError ? error.message : String(error);
    throw configInvalid(message, { chainId }, error);
  }
  return { chainId, sector, purse, keys };
}

function cardKeyMaterial(options: {
  dataDir: string;
  logger: Logger;
  now?: () => number;
  secrets?: SecretStore;
}): CardKeyMaterial {
  const wrapped = options.secrets?.get(SECRET_NAMES.cardKeys);
  if (wrapped !== undefined) return parseCardKeysSecret(wrapped);
  const { keys, path, created } = openCardKeys(join(options.dataDir, 'keys'), options.now);
  if (created) options.logger.info({ path }, 'card security: new card keys generated in a plain key file');
  return keys;
}

/**
 * Puts the chain's card security in place of the running one, in the same objects the readers and the
 * simulator hold, so the next tap is read with the chain's keys.
 */
export function adoptCardSecurity(
  target: CardSecurity,
  next: CardSecuritySettings & { keys: CardKeyMaterial },
): void {
  assertChainKeys({
    chainId: next.chainId,
    masterKey: next.keys.masterKey,
    chainSecret: next.keys.chainSecret,
  });
  target.chainId = next.chainId;
  target.sector = next.sector;
  target.purse = next.purse;
  const keys = target.keys as { chainId: number; masterKey: Buffer; chainSecret: Buffer };
  keys.chainId = next.chainId;
  keys.masterKey = next.keys.masterKey;
  keys.chainSecret = next.keys.chainSecret;
}

const FINGERPRINT_LABEL = 'member-card-pos/card-key-fingerprint/v1';

/**
 * A short digest of the chain keys (SHA-256 over a label and both keys, first 8 bytes, in groups of four hex
 * digits), so a technician can tell whether two terminals hold the same keys. 64 bits of a hash of 64 random
 * bytes give nothing back about the keys.
 */
export function cardKeyFingerprint(keys: Pick<ChainKeys, 'masterKey' | 'chainSecret'>): string {
  const digest = createHash('sha256')
    .update(FINGERPRINT_LABEL)
    .update(keys.masterKey)
    .update(keys.chainSecret)
    .digest('hex')
    .slice(0, 16)
    .toUpperCase();
  return digest.match(/.{4}/g)!.join(' ');
}
