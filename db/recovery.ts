/**
 * The store's recovery sheet: the last way back in when no admin can log in (the only admin forgot the PIN,
 * or is locked out). An admin issues the sheet; its one-time code is shown and printed once and kept here only
 * as a scrypt hash. At the login screen the code gives a named admin a new PIN; it is then used up, and the
 * admin issues a new sheet. Wrong codes pause further tries for a while, doubling each round.
 */
import { randomBytes } from 'node:crypto';
import { type Context, guarded } from './context';
import { LedgerError } from './errors';
import { hashPin, pepperOf, verifyPin } from './pin';
import { settingsStore } from './settings';

const SHEET_KEY = 'recovery.sheet';
const TRIES_KEY = 'recovery.tries';
/** Wrong codes in a row before recovery pauses. */
export const RECOVERY_TRIES = 5;
const RECOVERY_PAUSE_MS = 60_000;
const RECOVERY_PAUSE_CAP_MS = 60 * 60_000;

/** Crockford base32: no I, L, O or U, so the code reads back from paper without doubt. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

interface StoredSheet {
  hash: string;
  issuedAt: number;
  issuedBy: string;
}

interface Tries {
  failures: number;
  pausedUntil: number | null;
}

export interface RecoverySheetState {
  issuedAt: number;
  issuedBy: string;
}

/** 20 characters (100 bits) in groups of four: XXXX-XXXX-XXXX-XXXX-XXXX. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(20);
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte & 31];
  return code.match(/.{4}/g)!.join('-');
}

/** What a person types, read as the code: case, spaces and dashes ignored, O read as 0 and I or L as 1. */
export function normalizeRecoveryCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function recoveryModule(ctx: Context) {
  const { db } = ctx;
  const settings = settingsStore(ctx);
  const read = <T>(key: string): T | undefined => settings.get<T>(key);

  return {
    /** When the current sheet was issued and by whom, or null when the store has none. */
    recoverySheet(): RecoverySheetState | null {
      const sheet = read<StoredSheet>(SHEET_KEY);
      return sheet === undefined ? null : { issuedAt: sheet.issuedAt, issuedBy: sheet.issuedBy };
    },

    /** A new sheet replaces any earlier one. Returns the code: the only time it exists outside a hash. */
    issueRecoverySheet(input: { byStaffId: string; isAdmin: (staffId: string) => boolean }): {
      code: string;
      issuedAt: number;
    } {
      const code = newRecoveryCode();
      const hash = hashPin(normalizeRecoveryCode(code), pepperOf(db));
      return guarded(ctx, 'recovery.issue', { staffId: input.byStaffId }, () => {
        if (!input.isAdmin(input.byStaffId)) {
          throw new LedgerError('ADMIN_REQUIRED', 'only an admin issues the recovery sheet');
        }
        const at = ctx.now();
        const sheet: StoredSheet = { hash, issuedAt: at, issuedBy: input.byStaffId };
        settings.set(SHEET_KEY, sheet);
        settings.delete(TRIES_KEY);
        ctx.audit({ at, action: 'recovery.issue', outcome: 'ok', staffId: input.byStaffId });
        return { code, issuedAt: at };
      });
    },

    /**
     * Checks a typed recovery code and, when right, runs `recover` (which restores the admin) in the same
     * transaction and uses the code up. A wrong code is counted before anything is thrown.
     */
    redeemRecoveryCode<T>(input: { code: string; terminalId?: string | null }, recover: () => T): T {
      const sheet = read<StoredSheet>(SHEET_KEY);
      const matches =
        sheet !== undefined &&
        typeof input.code === 'string' &&
        verifyPin(normalizeRecoveryCode(input.code), sheet.hash, pepperOf(db));
      const terminalId = typeof input.terminalId === 'string' ? input.terminalId : null;
      const refusal = db
        .transaction(() => {
          const at = ctx.now();
          const reject = (
            code: 'RECOVERY_NOT_SET' | 'RECOVERY_CODE_WRONG' | 'RECOVERY_PAUSED',
            details = {},
          ) => {
            ctx.audit({ at, action: 'recovery.use', outcome: 'rejected', code, terminalId, details });
            return { code, details };
          };
          const current = read<StoredSheet>(SHEET_KEY);
          if (current === undefined) return reject('RECOVERY_NOT_SET');
          const tries = read<Tries>(TRIES_KEY) ?? { failures: 0, pausedUntil: null };
          if (tries.pausedUntil !== null && tries.pausedUntil > at) {
            return reject('RECOVERY_PAUSED', {
              retryAfterSeconds: Math.ceil((tries.pausedUntil - at) / 1000),
            });
          }
          // A sheet issued between the check and the lock does not count as a match.
          if (!matches || current.hash !== sheet?.hash) {
            const failures = tries.failures + 1;
            const round = failures % RECOVERY_TRIES === 0 ? failures / RECOVERY_TRIES : 0;
            const pause =
              round === 0 ? 0 : Math.min(RECOVERY_PAUSE_CAP_MS, RECOVERY_PAUSE_MS * 2 ** (round - 1));
            settings.set(TRIES_KEY, { failures, pausedUntil: pause > 0 ? at + pause : null } satisfies Tries);
            if (pause > 0) return reject('RECOVERY_PAUSED', { retryAfterSeconds: Math.ceil(pause / 1000) });
            return reject('RECOVERY_CODE_WRONG', {
              attemptsLeft: RECOVERY_TRIES - (failures % RECOVERY_TRIES),
            });
          }
          return null;
        })
        .immediate();
      if (refusal !== null) {
        const messages = {
          RECOVERY_NOT_SET: 'this store has no recovery sheet',
          RECOVERY_CODE_WRONG: 'the recovery code is not right',
          RECOVERY_PAUSED: 'too many wrong recovery codes; wait before trying again',
        } as const;
        throw new LedgerError(refusal.code, messages[refusal.code], { details: refusal.details });
      }
      return db
        .transaction(() => {
          const result = recover();
          settings.delete(SHEET_KEY);
          settings.delete(TRIES_KEY);
          ctx.audit({ at: ctx.now(), action: 'recovery.use', outcome: 'ok', terminalId });
          return result;
        })
        .immediate();
    },
  };
}

export type RecoveryModule = ReturnType<typeof recoveryModule>;
