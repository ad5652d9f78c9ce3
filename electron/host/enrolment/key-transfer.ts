/**
 * Moving a standalone store's card keys to its second till without showing them: the first till seals them
 * under a passphrase the admin chooses (scrypt, then AES-256-GCM) into a small file; the admin carries the
 * file over and types the passphrase on the second till, which opens it and keeps the keys wrapped by its own
 * key store. The file alone gives nothing; it names the key fingerprint so both tills can be compared.
 */
import { ApiError } from '../../errors';
import type { CardKeyMaterial } from '../../keystore/card-keys';
import { openSealedFile, SealedFileError, sealFile, sealKeyFrom } from '../../keystore/sealed-file';
import { cardKeysSecret, parseCardKeysSecret } from './card-keys';

const KIND = 'member-card-pos/card-keys';
export const MIN_PASSPHRASE_LENGTH = 10;

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
  return sealFile(KIND, fingerprint, cardKeysSecret(keys), sealKeyFrom(passphrase));
}

/** Opens a sealed file; a wrong passphrase or an altered file is refused and gives nothing. */
export function openSealedCardKeys(text: string, passphrase: string): CardKeyMaterial {
  let content: Buffer;
  try {
    content = openSealedFile(text, KIND, passphrase);
  } catch (cause) {
    if (cause instanceof SealedFileError && cause.fault === 'not-this-kind') {
      throw new ApiError('CARD_KEYS_FILE_INVALID', 'This is not a card key file.', { cause });
    }
    throw new ApiError('CARD_KEYS_PASSPHRASE_WRONG', 'The passphrase does not open this card key file.', {
      cause,
    });
  }
  return parseCardKeysSecret(content);
}
