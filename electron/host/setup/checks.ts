/**
 * What setup asks of the person at the till, checked before anything is written, each refusal with its own
 * code so the screen can say which field to fix.
 */
import type { FirstAdmin } from '../../contract';
import { ApiError } from '../../errors';
import type { FirstAdminFacts } from './books';

/** The same shapes the login screen accepts. */
const STAFF_NO = /^[0-9]{3,8}$/;
const PIN = /^[0-9]{4,8}$/;

/**
 * A PIN anyone could guess: one digit repeated (888888) or a run up or down (123456, 654321). Every PIN the
 * demo café prints is one of these, so no live book starts with a PIN from the README.
 */
export function isGuessablePin(pin: string): boolean {
  if (/^(\d)\1*$/.test(pin)) return true;
  const steps = new Set<number>();
  for (let i = 1; i < pin.length; i += 1) steps.add((Number(pin[i]) - Number(pin[i - 1]) + 10) % 10);
  return steps.size === 1 && (steps.has(1) || steps.has(9));
}

export function checkFirstAdmin(admin: FirstAdmin): FirstAdminFacts {
  const name = admin.name.trim();
  if (name === '') throw new ApiError('STAFF_NAME_REQUIRED', "Type the first admin's name");
  if (!STAFF_NO.test(admin.staffNo)) {
    throw new ApiError('STAFF_NO_INVALID', 'A staff number is 3 to 8 digits');
  }
  if (!PIN.test(admin.pin)) throw new ApiError('PIN_INVALID', 'A PIN is 4 to 8 digits');
  if (admin.pin !== admin.pinAgain)
    throw new ApiError('PIN_MISMATCH', 'The two PINs differ; type them again');
  if (isGuessablePin(admin.pin)) {
    throw new ApiError('PIN_TOO_WEAK', 'Choose a PIN that is not one digit repeated or a run of digits');
  }
  return { name, staffNo: admin.staffNo, pin: admin.pin };
}

export function checkStoreName(storeName: string): string {
  const name = storeName.trim();
  if (name === '') throw new ApiError('STORE_NAME_REQUIRED', "Type the store's name");
  return name;
}

export function checkTimeZone(timeZone: string): string {
  const zone = timeZone.trim();
  let known = zone !== '';
  if (known) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      known = false;
    }
  }
  if (!known) {
    throw new ApiError('TIME_ZONE_UNKNOWN', 'This is not a time zone; pick one such as Asia/Shanghai', {
      details: { timeZone: zone.slice(0, 64) },
    });
  }
  return zone;
}
