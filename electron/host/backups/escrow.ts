/**
 * The data keys in escrow, so a backup outlives the machine that took it. Backups are sealed with the
 * terminal's data keys, which live wrapped by this machine's key store: a dead disk or a stolen till takes
 * them along, and every backup with them. An admin therefore issues a backup recovery code (printed or
 * written down once, never stored); the keys (every data key, and the store's card keys) are sealed under it
 * into `keys.posescrow` beside the backups, and with every copy of them off the machine. A new machine given
 * the folder and the code opens the escrow, takes the keys into its own key store, and restores.
 *
 * The key scrypt makes from the code is kept wrapped in the key store (`SECRET_NAMES.backupEscrow`), so the
 * escrow is sealed again after every backup (a rotated key joins it) without asking for the code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyring, type Keyring, newRecoveryCode, normalizeRecoveryCode } from '../../../db';
import { ApiError } from '../../errors';
import {
  openSealedFile,
  SealedFileError,
  type SealKey,
  sealFile,
  sealKeyFrom,
} from '../../keystore/sealed-file';
import { SECRET_NAMES, type SecretStore } from '../../keystore/secrets';
import { cardKeysSecret, parseCardKeysSecret } from '../enrolment/card-keys';

export const ESCROW_FILE = 'keys.posescrow';
const KIND = 'member-card-pos/backup-escrow';

/** What the escrow holds: enough for another machine to open every backup and read the store's cards. */
export interface EscrowContent {
  storeId: string;
  terminalId: string;
  /** A till of a chain comes back by enrolment, never from its own backup (it would split from HQ). */
  enrolled: boolean;
  keyring: Keyring;
  cardKeys: { masterKey: Uint8Array; chainSecret: Uint8Array } | null;
}

interface EscrowJson {
  storeId: string;
  terminalId: string;
  enrolled: boolean;
  currentId: string;
  keys: { id: string; key: string }[];
  cardKeys: string | null;
}

function sealKeyOf(secrets: SecretStore): SealKey | undefined {
  const stored = secrets.get(SECRET_NAMES.backupEscrow);
  if (stored === undefined) return undefined;
  const { key, salt } = JSON.parse(stored.toString('utf8')) as { key: string; salt: string };
  return { key: Buffer.from(key, 'base64'), salt: Buffer.from(salt, 'base64') };
}

export function escrowIssued(secrets: SecretStore | undefined): boolean {
  return secrets !== undefined && secrets.get(SECRET_NAMES.backupEscrow) !== undefined;
}

/** A fresh code, its seal key kept wrapped; the code itself is returned once, to be printed. */
export async function issueEscrowCode(secrets: SecretStore): Promise<string> {
  const code = newRecoveryCode();
  const { key, salt } = sealKeyFrom(normalizeRecoveryCode(code));
  await secrets.put(
    SECRET_NAMES.backupEscrow,
    Buffer.from(JSON.stringify({ key: key.toString('base64'), salt: salt.toString('base64') })),
  );
  return code;
}

/** The escrow's text for this terminal's keys, or null when no code was issued yet. */
export function sealEscrow(secrets: SecretStore, content: EscrowContent): string | null {
  const sealKey = sealKeyOf(secrets);
  if (sealKey === undefined) return null;
  const json: EscrowJson = {
    storeId: content.storeId,
    terminalId: content.terminalId,
    enrolled: content.enrolled,
    currentId: content.keyring.currentId,
    keys: content.keyring.ids.map((id) => ({
      id,
      key: Buffer.from(content.keyring.key(id)!).toString('base64'),
    })),
    cardKeys: content.cardKeys === null ? null : cardKeysSecret(content.cardKeys).toString('base64'),
  };
  return sealFile(KIND, content.terminalId, Buffer.from(JSON.stringify(json)), sealKey);
}

/** Writes the escrow into a backup folder (0600), replacing the one there. */
export async function writeEscrow(dir: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, ESCROW_FILE), text, { mode: 0o600 });
}

/** Opens the escrow in a backup folder with the printed code. */
export function openEscrow(dir: string, typedCode: string): EscrowContent {
  const path = join(dir, ESCROW_FILE);
  if (!existsSync(path)) {
    throw new ApiError('RESTORE_ESCROW_MISSING', `There is no ${ESCROW_FILE} in ${dir}`, {
      details: { dir },
    });
  }
  let json: EscrowJson;
  try {
    const clear = openSealedFile(readFileSync(path, 'utf8'), KIND, normalizeRecoveryCode(typedCode));
    json = JSON.parse(clear.toString('utf8')) as EscrowJson;
  } catch (cause) {
    if (cause instanceof SealedFileError && cause.fault === 'wrong-secret') {
      throw new ApiError('RESTORE_CODE_WRONG', 'The backup recovery code does not open these keys', {
        cause,
      });
    }
    throw new ApiError('RESTORE_ESCROW_MISSING', `${path} is not a key escrow`, { cause });
  }
  return {
    storeId: json.storeId,
    terminalId: json.terminalId,
    enrolled: json.enrolled,
    keyring: createKeyring(
      json.keys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') })),
      json.currentId,
    ),
    cardKeys: json.cardKeys === null ? null : parseCardKeysSecret(Buffer.from(json.cardKeys, 'base64')),
  };
}
