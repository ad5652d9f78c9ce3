/**
 * Every error code reads noun first, then its state: CARD_FROZEN, PIN_WRONG, KEY_MALFORMED, LEDGER_CLOSED,
 * never FROZEN_CARD or MALFORMED_KEY. A reader finds a code by the thing it is about, the codes of one thing
 * sort together in the catalogue and the i18n files, and a new code has one obvious name.
 * The codes are the error reference's: every code the source raises (`scripts/docs/error-codes.ts`) and every
 * code the renderer has words for (a status a device reports, a code the screen picks itself).
 */
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../renderer/src/i18n/messages';
import { codesInSource } from '../../../scripts/docs/error-codes';

/** Words that say a thing's state: the word a code ends with. */
const STATE_WORDS = new Set(
  (
    'ALLOWED AVAILABLE BROKEN BUSY CHANGED CHECKED CLOSED CONFIGURED CONFLICT CONTIGUOUS COUNTED ' +
    'DEACTIVATED DECLINED DELETED DISCONNECTED DONE EMPTY ENROLLED EXISTS EXPIRED EXPOSED FAILED FAULT ' +
    'FORBIDDEN FOREIGN FOUND FROZEN GAP GIVEN INCOMPLETE INSECURE INSUFFICIENT INVALID ISSUED JAMMED ' +
    'LARGE LIMITED LIVE LOCKED LONG LOST MALFORMED MISMATCH MISSING OFFLINE OPEN OUT PAIRED PAUSED ' +
    'REACHED READY REFUNDABLE REFUSED REMOVED REPLACED REPLAYED REQUIRED RESERVED RETIRED REVOKED ' +
    'RUNNING SET SHORT SKEW STOPPING SUPERSEDED TAKEN TAMPERED TIMEOUT TRUNCATED UNAVAILABLE UNKNOWN ' +
    'UNREACHABLE UNREADABLE UNSIGNED UNSUPPORTED USED VOIDED WEAK WIDE WRONG'
  ).split(' '),
);

/**
 * Words that open a state told as a phrase after the noun: CARD_HAS_BALANCE, CARD_IS_PAYMENT_CARD,
 * SHIFT_NOT_YOURS, DAY_IN_FUTURE, KEYED_ENTRY_SET_BY_HQ, AMOUNT_OVER_LIMIT, REFUND_EXCEEDS_ORIGINAL.
 */
const STATE_OPENERS = new Set(
  'ALREADY BY EXCEED EXCEEDS FROM HAS IN IS NEEDS NO NOT OTHER OVER SAME TOO'.split(' '),
);

/**
 * Codes kept under their old names, each for a reason outside this repository's reach:
 * - rows already written hold them and are read back: HQ keeps a refused row's code in `hq_rejections` and
 *   answers a till that sends the row again with it; a till keeps it among its sync errors and on each feed
 *   entry it skipped;
 * - tills already in stores act on them: UNSUPPORTED_VERSION is what HQ says to a till of another protocol
 *   version, a till takes UNKNOWN_TERMINAL and BAD_SIGNATURE to mean it was revoked, and retries after
 *   HQ_INTERNAL and REPLAYED_REQUEST. A till not yet updated must still read a newer HQ right.
 */
const KEPT_NAMES = new Set([
  'INVALID_OPERATION',
  'UNKNOWN_KIND',
  'UNSUPPORTED_VERSION',
  'UNKNOWN_TERMINAL',
  'BAD_SIGNATURE',
  'HQ_INTERNAL',
  'REPLAYED_REQUEST',
]);

/** State words that also name a kind of thing when they come first: OFFLINE_LIMIT_REACHED is about the offline limit. */
const ALSO_NOUNS = new Set(['OFFLINE']);

/** Why a code does not read noun first, then state; null when it does. */
function misnamed(code: string): string | null {
  const words = code.split('_');
  if (words.length < 2) return 'one word cannot name both a thing and its state';
  const first = words[0]!;
  if ((STATE_WORDS.has(first) && !ALSO_NOUNS.has(first)) || STATE_OPENERS.has(first)) {
    return `opens with the state word ${first}`;
  }
  if (STATE_WORDS.has(words.at(-1)!)) return null;
  if (words.slice(1, -1).some((word) => STATE_OPENERS.has(word))) return null;
  return `does not end with its state (${words.at(-1)})`;
}

/** code → where it is found: the files that raise it, or the renderer's words alone. */
function allCodes(): Map<string, string[]> {
  const codes = codesInSource();
  for (const key of Object.keys(MESSAGES.en)) {
    const code = /^error\.([A-Z][A-Z0-9_]*)$/.exec(key)?.[1];
    if (code !== undefined && !codes.has(code)) codes.set(code, ['renderer/src/i18n']);
  }
  return codes;
}

describe('error code names', () => {
  const codes = allCodes();

  it('tell a name noun first, then state, from one that is not', () => {
    for (const good of ['CARD_FROZEN', 'PIN_WRONG', 'LEDGER_CLOSED', 'CARD_HAS_BALANCE', 'DAY_IN_FUTURE']) {
      expect(misnamed(good), good).toBeNull();
    }
    for (const bad of ['FROZEN_CARD', 'MALFORMED_KEY', 'INTERNAL', 'RECEIPT_BAD_AMOUNT', 'CARD_STATUS']) {
      expect(misnamed(bad), bad).not.toBeNull();
    }
  });

  it('read noun first, then state, for every code the source raises or the screen has words for', () => {
    const wrong = [...codes.entries()]
      .filter(([code]) => !KEPT_NAMES.has(code))
      .flatMap(([code, files]) => {
        const why = misnamed(code);
        return why === null ? [] : [`${code}: ${why} (${files.join(', ')})`];
      });
    expect(wrong, `codes not named NOUN_STATE:\n${wrong.join('\n')}`).toEqual([]);
  });

  it('keep only old names that are still in use and still misnamed', () => {
    for (const code of KEPT_NAMES) {
      expect(codes.has(code), code).toBe(true);
      expect(misnamed(code), code).not.toBeNull();
    }
  });
});
