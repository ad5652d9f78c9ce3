/**
 * Staff PINs, member passwords and the recovery code are stored as scrypt hashes with a random salt;
 * comparison is constant-time. With the terminal's data keys the secret is first keyed with an HMAC under a
 * key-store subkey (the pepper), so a copied database alone does not give PINs up to a few CPU-hours of
 * guessing: `scrypt-hmac$<key id>$N$r$p$salt$hash`. Hashes from before the pepper (`scrypt$…`) still verify,
 * and are upgraded on the next right answer (`needsPepper`).
 */
import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { deriveSubkey, type Keyring } from './crypto/keyring';
import type { Database } from './types';

const COST = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const PEPPER_PURPOSE = 'secret-pepper-v1';

export interface Pepper {
  readonly currentId: string;
  /** The keyed secret under key `id`, or undefined when this terminal does not hold that key. */
  apply(id: string, secret: string): string | undefined;
}

export function pepperFrom(keyring: Keyring): Pepper {
  const subkeys = new Map<string, Buffer>();
  return {
    // Read at each use: a key rotation makes the new key current without reopening the ledger.
    get currentId() {
      return keyring.currentId;
    },
    apply(id, secret) {
      let key = subkeys.get(id);
      if (key === undefined) {
        const raw = keyring.key(id);
        if (raw === undefined) return undefined;
        key = deriveSubkey(raw, PEPPER_PURPOSE);
        subkeys.set(id, key);
      }
      return createHmac('sha256', key).update(secret, 'utf8').digest('base64');
    },
  };
}

/** The pepper of each open ledger, by handle, so every writer of a hash on it uses the same one. */
const peppers = new WeakMap<Database, Pepper>();

export function setPepper(db: Database, pepper: Pepper): void {
  peppers.set(db, pepper);
}

export function pepperOf(db: Database): Pepper | undefined {
  return peppers.get(db);
}

function scrypt(input: string, salt: Buffer, length: number, n: number, r: number, p: number): Buffer {
  return scryptSync(input, salt, length, { N: n, r, p });
}

export function hashPin(pin: string, pepper?: Pepper): string {
  const salt = randomBytes(16);
  if (pepper === undefined) {
    const key = scrypt(pin, salt, KEY_LENGTH, COST.N, COST.r, COST.p);
    return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
  }
  const keyed = pepper.apply(pepper.currentId, pin)!;
  const key = scrypt(keyed, salt, KEY_LENGTH, COST.N, COST.r, COST.p);
  return [
    'scrypt-hmac',
    pepper.currentId,
    COST.N,
    COST.r,
    COST.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

export function verifyPin(pin: string, stored: string, pepper?: Pepper): boolean {
  const parts = stored.split('$');
  let input: string | undefined = pin;
  if (parts[0] === 'scrypt-hmac') {
    const id = parts[1];
    input = id === undefined || pepper === undefined ? undefined : pepper.apply(id, pin);
    parts.splice(1, 1);
  } else if (parts[0] !== 'scrypt') {
    return false;
  }
  const [, n, r, p, salt, key] = parts;
  if (input === undefined || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = scrypt(input, Buffer.from(salt, 'base64'), expected.length, Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash from before the pepper, on a ledger that has one: rehash it after the next right answer. */
export function needsPepper(stored: string, pepper: Pepper | undefined): boolean {
  return pepper !== undefined && stored.startsWith('scrypt$');
}

export function isWellFormedPin(pin: unknown): pin is string {
  return typeof pin === 'string' && /^[0-9]{4,12}$/.test(pin);
}
