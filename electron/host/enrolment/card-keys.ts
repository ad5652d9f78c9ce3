/**
 * The chain's card keys as the key store keeps them (`SECRET_NAMES.cardKeys`): JSON `{ masterKey, chainSecret }`
 * in base64, wrapped. Read back as material whose key bytes are not enumerable.
 */

import { ApiError } from '../../errors';
import type { CardKeyMaterial } from '../../keystore/card-keys';

export function cardKeysSecret(keys: CardKeyMaterial): Buffer {
  return Buffer.from(
    JSON.stringify({
      masterKey: keys.masterKey.toString('base64'),
      chainSecret: keys.chainSecret.toString('base64'),
    }),
  );
}

/** The key bytes as properties that serialisation and inspection skip. */
export function hiddenCardKeys(masterKey: Buffer, chainSecret: Buffer): CardKeyMaterial {
  const material = {};
  Object.defineProperty(material, 'masterKey', { value: masterKey, enumerable: false });
  Object.defineProperty(material, 'chainSecret', { value: chainSecret, enumerable: false });
  return material as CardKeyMaterial;
}

export function parseCardKeysSecret(secret: Buffer): CardKeyMaterial {
  let parsed: { masterKey?: unknown; chainSecret?: unknown };
  try {
    parsed = JSON.parse(secret.toString('utf8')) as typeof parsed;
  } catch (cause) {
    throw new ApiError('KEYSTORE_FILE_INVALID', 'the wrapped card keys are not readable', { cause });
  }
  if (typeof parsed.masterKey !== 'string' || typeof parsed.chainSecret !== 'string') {
    throw new ApiError('KEYSTORE_FILE_INVALID', 'the wrapped card keys lack a key');
  }
  return hiddenCardKeys(Buffer.from(parsed.masterKey, 'base64'), Buffer.from(parsed.chainSecret, 'base64'));
}
