/**
 * The chain's secrets and what is derived from them.
 *
 * Sector keys are diversified per card so that keys recovered from one card open no other:
 *   key A = HMAC-SHA256(master, "MCK-A" || UID || sector)[0..6]
 *   key B = HMAC-SHA256(master, "MCK-B" || UID || sector)[0..6]
 * The MAC binds the card's contents to its UID, so copying the data to another card does not verify:
 *   MAC = HMAC-SHA256(chainSecret, label || UID || contents)[0..macLength]
 * The master key and the chain secret are separate so the MAC secret can be given to read-only terminals
 * without the power to re-key cards (both come from the host's configuration).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeviceError } from '../../errors';

export interface ChainKeys {
  /** Chain identifier stored on each card (unsigned 32-bit). */
  chainId: number;
  /** At least 16 bytes; diversifies the sector keys. */
  masterKey: Uint8Array;
  /** At least 16 bytes; keys the MAC over card contents. */
  chainSecret: Uint8Array;
}

export function assertChainKeys(keys: ChainKeys): void {
  if (!Number.isInteger(keys.chainId) || keys.chainId < 0 || keys.chainId > 0xffffffff) {
    throw new DeviceError('CARD_CONFIG_INVALID', 'chain id must be an unsigned 32-bit integer');
  }
  if (keys.masterKey.length < 16 || keys.chainSecret.length < 16) {
    throw new DeviceError(
      'CARD_CONFIG_INVALID',
      'master key and chain secret must each be at least 16 bytes',
    );
  }
}

export function diversifiedKeys(
  masterKey: Uint8Array,
  uid: Uint8Array,
  sector: number,
): { keyA: Buffer; keyB: Buffer } {
  const derive = (label: string): Buffer =>
    createHmac('sha256', masterKey)
      .update(label)
      .update(uid)
      .update(Buffer.from([sector]))
      .digest()
      .subarray(0, 6);
  return { keyA: derive('MCK-A'), keyB: derive('MCK-B') };
}

export function cardMac(
  chainSecret: Uint8Array,
  label: string,
  uid: Uint8Array,
  contents: Uint8Array,
  length = 16,
): Buffer {
  return createHmac('sha256', chainSecret)
    .update(label)
    .update(uid)
    .update(contents)
    .digest()
    .subarray(0, length);
}

export function macMatches(expected: Uint8Array, actual: Uint8Array): boolean {
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
