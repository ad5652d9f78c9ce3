/**
 * Member passwords: six digits, kept only as a scrypt hash. Six digits are a million guesses, so the slow
 * hash is not the defence on its own; the lockout after a few failures is.
 */
import { hashPin, type Pepper, verifyPin } from '../pin';

/** Consecutive wrong passwords after which the member's password is locked until a manager resets it. */
export const MAX_PASSWORD_FAILURES = 5;

export function isWellFormedMemberPassword(value: unknown): value is string {
  return typeof value === 'string' && /^\d{6}$/.test(value);
}

/** The same scrypt (and pepper, when the registry has the data keys) as staff PINs. */
export function hashMemberPassword(password: string, pepper?: Pepper): string {
  return hashPin(password, pepper);
}

export function verifyMemberPassword(password: string, stored: string, pepper?: Pepper): boolean {
  return verifyPin(password, stored, pepper);
}
