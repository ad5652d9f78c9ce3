/**
 * A small file sealed under something a person holds (a passphrase, a printed code): scrypt turns it into a
 * key, AES-256-GCM seals the content, and the file's kind and label are bound in as additional data, so a
 * file of one kind can never be opened as another. The JSON names its kind and label in clear and nothing else.
 *
 *   { "version": 1, "kind": "...", "fingerprint": "<label>", "salt": "…", "iv": "…", "ciphertext": "…|tag" }
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

/** scrypt cost: about 100 ms and 64 MiB on a till, once per seal key. */
const SCRYPT = { N: 2 ** 16, r: 8, p: 1, maxmem: 128 * 1024 * 1024 } as const;
const TAG_BYTES = 16;

interface SealedFile {
  version: 1;
  kind: string;
  fingerprint: string;
  salt: string;
  iv: string;
  ciphertext: string;
}

/** A key made from what the person holds, with the salt it was made with (kept to seal again later). */
export interface SealKey {
  key: Buffer;
  salt: Buffer;
}

export function sealKeyFrom(secret: string, salt: Buffer = randomBytes(16)): SealKey {
  return { key: scryptSync(secret.normalize('NFC'), salt, 32, SCRYPT), salt };
}

export function sealFile(kind: string, label: string, content: Buffer, sealKey: SealKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey.key, iv);
  cipher.setAAD(Buffer.from(`${kind}/${label}`));
  const sealed = Buffer.concat([cipher.update(content), cipher.final(), cipher.getAuthTag()]);
  const file: SealedFile = {
    version: 1,
    kind,
    fingerprint: label,
    salt: sealKey.salt.toString('base64'),
    iv: iv.toString('base64'),
    ciphertext: sealed.toString('base64'),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export type SealedFileFault = 'not-this-kind' | 'wrong-secret';

/** Thrown with the reason; the caller turns it into its own coded error. */
export class SealedFileError extends Error {
  constructor(
    readonly fault: SealedFileFault,
    options?: { cause?: unknown },
  ) {
    super(
      fault === 'not-this-kind' ? 'not a sealed file of this kind' : 'the secret does not open it',
      options,
    );
  }
}

/** The label written in clear (e.g. a key fingerprint), or a SealedFileError when this is not such a file. */
export function sealedFileLabel(text: string, kind: string): string {
  return parseSealed(text, kind).fingerprint;
}

function parseSealed(text: string, kind: string): SealedFile {
  let file: Partial<SealedFile>;
  try {
    file = JSON.parse(text) as Partial<SealedFile>;
  } catch (cause) {
    throw new SealedFileError('not-this-kind', { cause });
  }
  if (
    file?.version !== 1 ||
    file.kind !== kind ||
    typeof file.fingerprint !== 'string' ||
    typeof file.salt !== 'string' ||
    typeof file.iv !== 'string' ||
    typeof file.ciphertext !== 'string'
  ) {
    throw new SealedFileError('not-this-kind');
  }
  return file as SealedFile;
}

/** Opens a sealed file with the person's secret; an altered file or a wrong secret gives nothing. */
export function openSealedFile(text: string, kind: string, secret: string): Buffer {
  const file = parseSealed(text, kind);
  const data = Buffer.from(file.ciphertext, 'base64');
  try {
    const { key } = sealKeyFrom(secret, Buffer.from(file.salt, 'base64'));
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64'));
    decipher.setAAD(Buffer.from(`${kind}/${file.fingerprint}`));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
  } catch (cause) {
    throw new SealedFileError('wrong-secret', { cause });
  }
}
