/**
 * Browser-mode key wrapping: a random 32-byte wrapping key in `wrapping.key` (mode 0600) beside the
 * keystore, and AES-256-GCM around each data key. It is no stronger than the file's permissions, which is
 * why it is only used where the OS key store cannot be reached, and why a loose file is refused.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ApiError } from '../errors';
import type { KeyWrapper } from './key-wrapper';
import { readPrivateFile, writePrivateFile } from './private-file';

const WRAPPING_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from('member-card-pos/keystore/file-wrap/v1', 'utf8');

async function wrappingKey(path: string): Promise<Buffer> {
  const existing = await readPrivateFile(path);
  if (existing !== undefined) {
    if (existing.length !== WRAPPING_KEY_BYTES) {
      throw new ApiError('KEYSTORE_FILE_INVALID', `${path} does not hold a ${WRAPPING_KEY_BYTES}-byte key`, {
        details: { path, length: existing.length },
      });
    }
    return existing;
  }
  const key = randomBytes(WRAPPING_KEY_BYTES);
  await writePrivateFile(path, key);
  return key;
}

export async function createFileKeyWrapper(wrappingKeyPath: string): Promise<KeyWrapper> {
  const key = await wrappingKey(wrappingKeyPath);
  return {
    kind: 'file',
    async wrap(dataKey) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(AAD);
      const sealed = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
    },
    async unwrap(wrapped) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, IV_BYTES), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(AAD);
        decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch (cause) {
        throw new ApiError('KEYSTORE_UNWRAP_FAILED', `a data key does not unwrap with ${wrappingKeyPath}`, {
          cause,
          details: { path: wrappingKeyPath },
        });
      }
    },
  };
}
