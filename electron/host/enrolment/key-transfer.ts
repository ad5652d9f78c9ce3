/**
 * Moving a standalone store's card keys to its second till without showing them: the first till seals them
 * under a passphrase the admin chooses (scrypt, then AES-256-GCM) into a small file; the admin carries the
 * file over and types the passphrase on the second till, which opens it and keeps the keys wrapped by its own
 * key store. The file alone gives nothing; it names the key fingerprint so both tills can be compared.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { ApiError } from '../../errors';
import type { CardKeyMaterial } from '../../keystore/card-keys';
import { cardKeysSecret, parseCardKeysSecret } from './card-keys';

const KIND = 'member-card-pos/card-keys';
/** scrypt cost: about 100 ms and 64 MiB on a till, once per export or import. */
const SCRYPT = { N: 2 ** 16, r: 8, p: 1, maxmem: 128 * 1024 * 1024 } as const;
export const MIN_PASSPHRASE_LENGTH = 10;

interface SealedFile {
  version: 1;
  kind: typeof KIND;
  fingerprint: string;
  salt: string;
  iv: string;
  ciphertext: string;
}

function keyFrom(passphrase: string, salt: Buffer): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, SCRYPT);
}

/** The sealed file's text (JSON); nothing in it is readable without the passphrase. */
export function sealCardKeys(
  keys: { masterKey: Uint8Array; chainSecret: Uint8Array },
  passphrase: string,
  fingerprint: string,
): string {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new ApiError(
      'CARD_KEYS_PASSPHRASE_WEAK',
      `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`,
      {
        details: { minLength: MIN_PASSPHRASE_LENGTH },
      },
    );
  }
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(passphrase, salt), iv);
  cipher.setAAD(Buffer.from(`${KIND}/${fingerprint}`));
  const sealed = Buffer.concat([cipher.update(cardKeysSecret(keys)), cipher.final(), cipher.getAuthTag()]);
  const file: SealedFile = {
    version: 1,
    kind: KIND,
    fingerprint,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    ciphertext: sealed.toString('base64'),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Opens a sealed file; a wrong passphrase or an altered file is refused and gives nothing. */
export function openSealedCardKeys(text: string, passphrase: string): CardKeyMaterial {
  let file: Partial<SealedFile>;
  try {
    file = JSON.parse(text) as Partial<SealedFile>;
  } catch (cause) {
    throw new ApiError('CARD_KEYS_FILE_INVALID', 'This is not a card key file.', { cause });
  }
  if (
    file?.version !== 1 ||
    file.kind !== KIND ||
    typeof file.fingerprint !== 'string' ||
    typeof file.salt !== 'string' ||
    typeof file.iv !== 'string' ||
    typeof file.ciphertext !== 'string'
  ) {
    throw new ApiError('CARD_KEYS_FILE_INVALID', 'This is not a card key file.');
  }
  const data = Buffer.from(file.ciphertext, 'base64');
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyFrom(passphrase, Buffer.from(file.salt, 'base64')),
      Buffer.from(file.iv, 'base64'),
    );
    decipher.setAAD(Buffer.from(`${KIND}/${file.fingerprint}`));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return parseCardKeysSecret(
      Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]),
    );
  } catch (cause) {
    throw new ApiError('CARD_KEYS_PASSPHRASE_WRONG', 'The passphrase does not open this card key file.', {
      cause,
    });
  }
}
