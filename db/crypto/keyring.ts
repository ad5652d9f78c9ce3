/**
 * The data-encryption keys a terminal holds. One key is current (new values are written with it); older
 * keys stay readable so a rotation can re-encrypt rows in the background instead of in one blocking pass.
 * Each purpose (field encryption, blind index, backups) uses its own subkey derived with HKDF-SHA256, so a
 * key used for one job never meets another job's data.
 */
import { hkdfSync } from 'node:crypto';
import { FieldCryptoError } from './errors';

export const DATA_KEY_BYTES = 32;
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export interface DataKey {
  /** Short plain token stored beside every value written with the key (e.g. "k1", "2026-11"). */
  id: string;
  /** 32 random bytes. */
  key: Uint8Array;
}

export interface Keyring {
  readonly currentId: string;
  readonly ids: readonly string[];
  /** The raw key for an id, or undefined when this keyring does not hold it. */
  key(id: string): Uint8Array | undefined;
}

export function isKeyId(value: unknown): value is string {
  return typeof value === 'string' && KEY_ID_PATTERN.test(value);
}

/** A keyring over the given keys; `currentId` defaults to the last key (the newest by convention). */
export function createKeyring(keys: readonly DataKey[], currentId?: string): Keyring {
  if (keys.length === 0) throw new FieldCryptoError('FIELD_KEY_INVALID', 'a keyring needs at least one key');
  const byId = new Map<string, Uint8Array>();
  for (const { id, key } of keys) {
    if (!isKeyId(id)) {
      throw new FieldCryptoError('FIELD_KEY_INVALID', 'a key id is 1 to 32 letters, digits, "-" or "_"', {
        details: { id: String(id) },
      });
    }
    if (!(key instanceof Uint8Array) || key.length !== DATA_KEY_BYTES) {
      throw new FieldCryptoError('FIELD_KEY_INVALID', `key ${id} must be ${DATA_KEY_BYTES} bytes`, {
        details: { id, length: key instanceof Uint8Array ? key.length : null },
      });
    }
    if (byId.has(id)) {
      throw new FieldCryptoError('FIELD_KEY_INVALID', `key id ${id} appears twice`, { details: { id } });
    }
    byId.set(id, Uint8Array.from(key));
  }
  const current = currentId ?? keys[keys.length - 1]!.id;
  if (!byId.has(current)) {
    throw new FieldCryptoError('FIELD_KEY_UNKNOWN', `the current key ${current} is not in the keyring`, {
      details: { id: current },
    });
  }
  const ids = Object.freeze([...byId.keys()]);
  return {
    currentId: current,
    ids,
    key: (id) => byId.get(id),
  };
}

/** A keyring whose keys can be replaced in place (a rotation), so everything holding it sees the new key. */
export interface SwitchableKeyring extends Keyring {
  replace(next: Keyring): void;
}

export function switchableKeyring(initial: Keyring): SwitchableKeyring {
  let keyring = initial;
  return {
    get currentId() {
      return keyring.currentId;
    },
    get ids() {
      return keyring.ids;
    },
    key: (id) => keyring.key(id),
    replace(next) {
      for (const id of keyring.ids) {
        const held = next.key(id);
        if (held === undefined || Buffer.compare(Buffer.from(held), Buffer.from(keyring.key(id)!)) !== 0) {
          throw new FieldCryptoError('FIELD_KEY_INVALID', `a rotation must keep key ${id} as it was`, {
            details: { id },
          });
        }
      }
      keyring = next;
    },
  };
}

/** HKDF-SHA256 subkey of a data key for one named purpose (and, for backups, one file's salt). */
export function deriveSubkey(
  key: Uint8Array,
  purpose: string,
  salt: Uint8Array = new Uint8Array(0),
  length = 32,
): Buffer {
  return Buffer.from(hkdfSync('sha256', key, salt, Buffer.from(purpose, 'utf8'), length));
}

/** The key for an id, or FIELD_KEY_UNKNOWN. */
export function requireKey(keyring: Keyring, id: string): Uint8Array {
  const key = keyring.key(id);
  if (key === undefined) {
    throw new FieldCryptoError('FIELD_KEY_UNKNOWN', `key ${id} is not held by this terminal`, {
      details: { id, held: [...keyring.ids] },
    });
  }
  return key;
}
