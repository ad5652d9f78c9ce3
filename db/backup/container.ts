/**
 * The encrypted backup file. A header, then the database in chunks, each sealed with AES-256-GCM:
 *
 *   header  magic "MCPOSBAK" (8) | version u8 = 1 | key id length u8 | key id (ASCII) | key fingerprint (8)
 *           | salt (16) | nonce prefix (7) | chunk size u32 BE | plaintext length u64 BE | created at u64 BE (ms)
 *   chunks  ciphertext (chunk size bytes; the last one shorter or empty) | tag (16), repeated
 *
 * The file key is HKDF-SHA256 of the data key with the header's salt, so no two files share a key and
 * nonces never repeat. A chunk's nonce is the prefix, its index (u32 BE) and a last-chunk flag (u8), and
 * its additional data is the whole header: reordering, dropping, duplicating or editing a chunk or a header
 * field fails authentication. The header states the plaintext length, so a short file is reported as
 * truncated before any decryption, and bytes after the last chunk are refused. The key fingerprint (an HMAC
 * of a fixed label under the data key) tells "another terminal's key with the same id" apart from tampering.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { deriveSubkey, isKeyId, type Keyring } from '../crypto';
import { BackupError, isNoSpace } from './errors';

export const BACKUP_MAGIC = Buffer.from('MCPOSBAK', 'ascii');
export const BACKUP_FORMAT_VERSION = 1;
export const DEFAULT_CHUNK_BYTES = 1 << 20;
const SALT_BYTES = 16;
const FINGERPRINT_BYTES = 8;
const NONCE_PREFIX_BYTES = 7;
const TAG_BYTES = 16;
const MAX_CHUNK_BYTES = 64 << 20;
const BACKUP_KEY_PURPOSE = 'member-card-pos/backup/v1';
const BACKUP_FINGERPRINT_PURPOSE = 'member-card-pos/backup-key-fingerprint/v1';
/**
 * Flush written data this often. Left to the kernel, a gigabyte of dirty pages is written back in bursts,
 * and the ledger's own commit fsyncs wait behind them; small regular flushes keep a sale's commit fast.
 */
export const DEFAULT_SYNC_EVERY_BYTES = 4 << 20;

export interface BackupHeader {
  version: number;
  keyId: string;
  keyFingerprint: Buffer;
  salt: Buffer;
  noncePrefix: Buffer;
  chunkBytes: number;
  plaintextBytes: number;
  createdAt: number;
  /** The header's exact bytes (the additional data of every chunk). */
  raw: Buffer;
}

/** Byte counts as they are processed, for a progress bar. */
export type ByteProgress = (done: number, total: number) => void;

export function encodeHeader(fields: Omit<BackupHeader, 'raw' | 'version'>): Buffer {
  const keyId = Buffer.from(fields.keyId, 'ascii');
  const fixed = Buffer.alloc(8 + 1 + 1);
  BACKUP_MAGIC.copy(fixed, 0);
  fixed.writeUInt8(BACKUP_FORMAT_VERSION, 8);
  fixed.writeUInt8(keyId.length, 9);
  if (fields.keyFingerprint.length !== FINGERPRINT_BYTES) throw new Error('a key fingerprint is 8 bytes');
  const tail = Buffer.alloc(4 + 8 + 8);
  tail.writeUInt32BE(fields.chunkBytes, 0);
  tail.writeBigUInt64BE(BigInt(fields.plaintextBytes), 4);
  tail.writeBigUInt64BE(BigInt(fields.createdAt), 12);
  return Buffer.concat([fixed, keyId, fields.keyFingerprint, fields.salt, fields.noncePrefix, tail]);
}

/** Parses the header at the start of `bytes` (its first 512 bytes, or the whole file when shorter); throws on anything malformed. */
export function decodeHeader(bytes: Buffer): BackupHeader {
  if (bytes.length < 10 || !bytes.subarray(0, 8).equals(BACKUP_MAGIC)) {
    throw new BackupError('BACKUP_FORMAT_INVALID', 'not a member-card-pos backup (wrong magic)');
  }
  const version = bytes.readUInt8(8);
  if (version !== BACKUP_FORMAT_VERSION) {
    throw new BackupError('BACKUP_VERSION_UNSUPPORTED', `backup format version ${version} is not supported`, {
      details: { version, supported: [BACKUP_FORMAT_VERSION] },
    });
  }
  const keyIdLength = bytes.readUInt8(9);
  const length = 10 + keyIdLength + FINGERPRINT_BYTES + SALT_BYTES + NONCE_PREFIX_BYTES + 20;
  if (bytes.length < length) throw new BackupError('BACKUP_TRUNCATED', 'the backup ends inside its header');
  const keyId = bytes.subarray(10, 10 + keyIdLength).toString('ascii');
  if (!isKeyId(keyId))
    throw new BackupError('BACKUP_FORMAT_INVALID', 'the backup header names no valid key id');
  let at = 10 + keyIdLength;
  const keyFingerprint = Buffer.from(bytes.subarray(at, at + FINGERPRINT_BYTES));
  at += FINGERPRINT_BYTES;
  const salt = Buffer.from(bytes.subarray(at, at + SALT_BYTES));
  at += SALT_BYTES;
  const noncePrefix = Buffer.from(bytes.subarray(at, at + NONCE_PREFIX_BYTES));
  at += NONCE_PREFIX_BYTES;
  const chunkBytes = bytes.readUInt32BE(at);
  const plaintextBytes = bytes.readBigUInt64BE(at + 4);
  const createdAt = bytes.readBigUInt64BE(at + 12);
  if (chunkBytes === 0 || chunkBytes > MAX_CHUNK_BYTES) {
    throw new BackupError('BACKUP_FORMAT_INVALID', `chunk size ${chunkBytes} is out of range`);
  }
  if (plaintextBytes > BigInt(Number.MAX_SAFE_INTEGER) || createdAt > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new BackupError('BACKUP_FORMAT_INVALID', 'the backup header holds an impossible length or time');
  }
  return {
    version,
    keyId,
    keyFingerprint,
    salt,
    noncePrefix,
    chunkBytes,
    plaintextBytes: Number(plaintextBytes),
    createdAt: Number(createdAt),
    raw: Buffer.from(bytes.subarray(0, length)),
  };
}

/** The exact size an intact file with this header has. */
export function expectedFileBytes(header: BackupHeader): number {
  const chunks = Math.floor(header.plaintextBytes / header.chunkBytes) + 1;
  return header.raw.length + header.plaintextBytes + chunks * TAG_BYTES;
}

function nonceFor(header: { noncePrefix: Buffer }, index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  header.noncePrefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  nonce.writeUInt8(last ? 1 : 0, 11);
  return nonce;
}

function dataKey(keyring: Keyring, keyId: string): Uint8Array {
  const key = keyring.key(keyId);
  if (key === undefined) {
    throw new BackupError(
      'BACKUP_KEY_UNKNOWN',
      `the backup was encrypted with key ${keyId}, which this terminal does not hold`,
      { details: { keyId, held: [...keyring.ids] } },
    );
  }
  return key;
}

/** Identifies a data key without revealing it: HMAC of a fixed label under a subkey, 8 bytes. */
export function keyFingerprint(key: Uint8Array): Buffer {
  return createHmac('sha256', deriveSubkey(key, BACKUP_FINGERPRINT_PURPOSE))
    .update('key fingerprint')
    .digest()
    .subarray(0, FINGERPRINT_BYTES);
}

function fileKey(key: Uint8Array, salt: Buffer): Buffer {
  return deriveSubkey(key, BACKUP_KEY_PURPOSE, salt);
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/** Writes to `<dest>.partial`, syncs, then renames: a crash or a full disk never leaves a half file named as a backup. */
async function writeAtomically(dest: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  const partial = `${dest}.partial`;
  let handle: FileHandle | undefined;
  try {
    handle = await open(partial, 'w', 0o600);
    await write(handle);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(partial, dest);
    await syncDirectory(dirname(dest));
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface EncryptOptions {
  keyring: Keyring;
  chunkBytes?: number;
  syncEveryBytes?: number;
  /**
   * After each flush, wait as long as the flush took (default true), so the backup keeps the disk busy at
   * most half the time and a cashier's commit waits behind one small flush at most, never behind a queue
   * of them. A backup takes up to twice as long; nobody waits for it.
   */
  pace?: boolean;
  createdAt: number;
  onProgress?: ByteProgress;
}

/** Encrypts the plaintext file `source` into `dest`, chunk by chunk (memory stays at one chunk). */
export async function encryptFile(source: string, dest: string, options: EncryptOptions): Promise<number> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const keyId = options.keyring.currentId;
  const input = await open(source, 'r');
  try {
    const plaintextBytes = (await input.stat()).size;
    const salt = randomBytes(SALT_BYTES);
    const noncePrefix = randomBytes(NONCE_PREFIX_BYTES);
    const data = dataKey(options.keyring, keyId);
    const raw = encodeHeader({
      keyId,
      keyFingerprint: keyFingerprint(data),
      salt,
      noncePrefix,
      chunkBytes,
      plaintextBytes,
      createdAt: options.createdAt,
    });
    const header = { noncePrefix };
    const key = fileKey(data, salt);
    let written = 0;
    let unsynced = 0;
    const syncEvery = options.syncEveryBytes ?? DEFAULT_SYNC_EVERY_BYTES;
    await writeAtomically(dest, async (output) => {
      await output.write(raw);
      written += raw.length;
      const buffer = Buffer.alloc(chunkBytes);
      const chunks = Math.floor(plaintextBytes / chunkBytes) + 1;
      for (let index = 0; index < chunks; index += 1) {
        const last = index === chunks - 1;
        const want = last ? plaintextBytes - index * chunkBytes : chunkBytes;
        const got = await readFully(input, buffer.subarray(0, want), index * chunkBytes);
        if (got !== want)
          throw new Error(`the snapshot changed size while it was encrypted (${got} of ${want} bytes)`);
        const cipher = createCipheriv('aes-256-gcm', key, nonceFor(header, index, last), {
          authTagLength: TAG_BYTES,
        });
        cipher.setAAD(raw);
        const sealed = Buffer.concat([
          cipher.update(buffer.subarray(0, want)),
          cipher.final(),
          cipher.getAuthTag(),
        ]);
        await output.write(sealed);
        written += sealed.length;
        unsynced += sealed.length;
        if (unsynced >= syncEvery) {
          const flushStarted = performance.now();
          await output.datasync();
          unsynced = 0;
          if (options.pace !== false) await sleep(performance.now() - flushStarted);
        }
        options.onProgress?.(index * chunkBytes + want, plaintextBytes);
      }
    });
    return written;
  } finally {
    await input.close();
  }
}

/** Reads and checks a backup's header and size without decrypting the body. */
export async function inspectBackup(path: string): Promise<BackupHeader & { fileBytes: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BackupError('BACKUP_NOT_FOUND', `no backup at ${path}`, { cause, details: { path } });
    }
    throw new BackupError('BACKUP_FAILED', `cannot read the backup at ${path}`, { cause, details: { path } });
  }
  try {
    const fileBytes = (await handle.stat()).size;
    const head = Buffer.alloc(Math.min(fileBytes, 512));
    await readFully(handle, head, 0);
    const header = decodeHeader(head);
    const expected = expectedFileBytes(header);
    if (fileBytes < expected) {
      throw new BackupError(
        'BACKUP_TRUNCATED',
        `the backup is ${fileBytes} bytes, its header says ${expected}`,
        {
          details: { path, fileBytes, expectedBytes: expected },
        },
      );
    }
    if (fileBytes > expected) {
      throw new BackupError(
        'BACKUP_TAMPERED',
        `${fileBytes - expected} unexpected bytes follow the backup's last chunk`,
        {
          details: { path, fileBytes, expectedBytes: expected },
        },
      );
    }
    return { ...header, fileBytes };
  } finally {
    await handle.close();
  }
}

export interface DecryptOptions {
  keyring: Keyring;
  onProgress?: ByteProgress;
}

/** Decrypts `source` into `dest` (written atomically); refuses on the first chunk that fails authentication. */
export async function decryptFile(
  source: string,
  dest: string,
  options: DecryptOptions,
): Promise<BackupHeader> {
  const header = await inspectBackup(source);
  const data = dataKey(options.keyring, header.keyId);
  if (!timingSafeEqual(keyFingerprint(data), header.keyFingerprint)) {
    throw new BackupError(
      'BACKUP_KEY_MISMATCH',
      `the backup was made with another key named ${header.keyId} (another terminal's, or a keystore that was replaced)`,
      { details: { keyId: header.keyId } },
    );
  }
  const key = fileKey(data, header.salt);
  const input = await open(source, 'r');
  try {
    await writeAtomically(dest, async (output) => {
      const sealed = Buffer.alloc(header.chunkBytes + TAG_BYTES);
      const chunks = Math.floor(header.plaintextBytes / header.chunkBytes) + 1;
      let position = header.raw.length;
      for (let index = 0; index < chunks; index += 1) {
        const last = index === chunks - 1;
        const plain = last ? header.plaintextBytes - index * header.chunkBytes : header.chunkBytes;
        const piece = sealed.subarray(0, plain + TAG_BYTES);
        const got = await readFully(input, piece, position);
        if (got !== piece.length) {
          throw new BackupError('BACKUP_TRUNCATED', `the backup ends inside chunk ${index}`, {
            details: { chunk: index },
          });
        }
        position += piece.length;
        const decipher = createDecipheriv('aes-256-gcm', key, nonceFor(header, index, last), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(header.raw);
        decipher.setAuthTag(piece.subarray(plain));
        let clear: Buffer;
        try {
          clear = Buffer.concat([decipher.update(piece.subarray(0, plain)), decipher.final()]);
        } catch (cause) {
          throw new BackupError('BACKUP_TAMPERED', `chunk ${index} of the backup fails authentication`, {
            cause,
            details: { chunk: index, chunks },
          });
        }
        await output.write(clear);
        options.onProgress?.(index * header.chunkBytes + plain, header.plaintextBytes);
      }
    });
    return header;
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(
      isNoSpace(error) ? 'BACKUP_NO_SPACE' : 'RESTORE_FAILED',
      `cannot write the decrypted backup: ${String(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    await input.close();
  }
}
