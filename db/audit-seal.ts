/**
 * The audit chain's seal. The SHA-256 chain (`audit-hash.ts`) shows an edit to anyone who holds an older copy
 * (HQ), but whoever can write the file can recompute it from the edited line on. Each line's hash is therefore
 * also sealed with an HMAC under a subkey of the terminal's data key, which never lies in the file: a rewritten
 * chain no longer matches its seals. The key id travels with the seal, so a key rotation seals new lines with
 * the new key while the old lines still verify under theirs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveSubkey, type Keyring } from './crypto/keyring';
import type { Database } from './types';

const SEAL_PURPOSE = 'audit-chain-seal-v1';

export interface AuditSealer {
  /** `<key id>:<hex HMAC>` of the line's hash, under the current key. */
  seal(hash: string): string;
  /** Whether a stored seal is right for the hash; false for a key this terminal does not hold. */
  verify(hash: string, seal: string): boolean;
}

export function auditSealer(keyring: Keyring): AuditSealer {
  const subkeys = new Map<string, Buffer>();
  const subkey = (id: string): Buffer | undefined => {
    let key = subkeys.get(id);
    if (key === undefined) {
      const raw = keyring.key(id);
      if (raw === undefined) return undefined;
      key = deriveSubkey(raw, SEAL_PURPOSE);
      subkeys.set(id, key);
    }
    return key;
  };
  const mac = (key: Buffer, hash: string) => createHmac('sha256', key).update(hash, 'utf8').digest('hex');
  return {
    seal(hash) {
      const id = keyring.currentId;
      return `${id}:${mac(subkey(id)!, hash)}`;
    },
    verify(hash, seal) {
      const colon = seal.indexOf(':');
      if (colon <= 0) return false;
      const key = subkey(seal.slice(0, colon));
      if (key === undefined) return false;
      const expected = Buffer.from(mac(key, hash), 'utf8');
      const actual = Buffer.from(seal.slice(colon + 1), 'utf8');
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
  };
}

/** The sealer of each open ledger, by handle: every audit writer on the handle seals with it. */
const sealers = new WeakMap<Database, AuditSealer>();

export function setAuditSealer(db: Database, sealer: AuditSealer): void {
  sealers.set(db, sealer);
}

export function auditSealerOf(db: Database): AuditSealer | undefined {
  return sealers.get(db);
}

/** The seal for a new line's hash on this handle, or null when the ledger was opened without keys. */
export function sealOn(db: Database, hash: string): string | null {
  return sealers.get(db)?.seal(hash) ?? null;
}
