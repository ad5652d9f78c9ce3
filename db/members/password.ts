/**
 * Member passwords: six digits, kept only as a scrypt hash. Six digits are a million guesses, so the slow
 * hash is not the defence on its own; the lockout after a few failures is.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** Consecutive wrong passwords after which the member's password is locked until a manager resets it. */
export const MAX_PASSWORD_FAILURES = 5;

// N=2^14 keeps a check near 30 ms on a till; r and p as recommended for interactive logins.
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

export function isWellFormedMemberPassword(value: unknown): value is string {
  return typeof value === 'string' && /^\d{6}$/.test(value);
}

export function hashMemberPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, KEY_LENGTH, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function verifyMemberPassword(password: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(expected, actual);
}
