/**
 * The offline-spend guard. While HQ cannot confirm a balance, a terminal may charge stored value only within the
 * caps HQ delivered: per card, per terminal, and only for so long after its last contact with HQ. Above them the
 * cashier waits for the network or takes another tender.
 */
import { SyncError } from './errors';
import type { OfflineCaps } from './wire';

export interface OfflineSpendQuestion {
  caps: OfflineCaps;
  /** The charge being attempted, in fen. */
  amountFen: number;
  /** Stored value already charged to this card on this terminal and not yet acknowledged by HQ. */
  cardOfflineFen: number;
  /** Stored value charged on this terminal across all cards and not yet acknowledged by HQ. */
  terminalOfflineFen: number;
  /** When this terminal last heard from HQ (epoch ms), or null if never. */
  lastContactAt: number | null;
  now: number;
}

export type OfflineSpendAnswer =
  | { allowed: true }
  | {
      allowed: false;
      code: 'OFFLINE_LIMIT_REACHED';
      reason: 'card_cap' | 'terminal_cap' | 'too_long_offline';
      limit: number;
      wouldBe: number;
      /** How much stored value may still be charged to this card offline under both caps (0 once too long). */
      remainingFen: number;
    };

export function checkOfflineSpend(question: OfflineSpendQuestion): OfflineSpendAnswer {
  const { caps, amountFen, cardOfflineFen, terminalOfflineFen, lastContactAt, now } = question;
  for (const [name, value] of Object.entries({ amountFen, cardOfflineFen, terminalOfflineFen })) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new SyncError('OFFLINE_AMOUNT_INVALID', `${name} must be a non-negative safe integer of fen.`, {
        details: { [name]: value },
      });
    }
  }
  const offlineFor = lastContactAt === null ? Number.POSITIVE_INFINITY : now - lastContactAt;
  const remainingFen = Math.max(
    0,
    Math.min(caps.perCardFen - cardOfflineFen, caps.perTerminalFen - terminalOfflineFen),
  );
  if (offlineFor > caps.maxAgeMs) {
    return {
      allowed: false,
      code: 'OFFLINE_LIMIT_REACHED',
      reason: 'too_long_offline',
      limit: caps.maxAgeMs,
      wouldBe: offlineFor,
      remainingFen: 0,
    };
  }
  if (cardOfflineFen + amountFen > caps.perCardFen) {
    return {
      allowed: false,
      code: 'OFFLINE_LIMIT_REACHED',
      reason: 'card_cap',
      limit: caps.perCardFen,
      wouldBe: cardOfflineFen + amountFen,
      remainingFen,
    };
  }
  if (terminalOfflineFen + amountFen > caps.perTerminalFen) {
    return {
      allowed: false,
      code: 'OFFLINE_LIMIT_REACHED',
      reason: 'terminal_cap',
      limit: caps.perTerminalFen,
      wouldBe: terminalOfflineFen + amountFen,
      remainingFen,
    };
  }
  return { allowed: true };
}

/** The throwing form, for a host that turns errors into the cashier's message. */
export function assertOfflineSpendAllowed(question: OfflineSpendQuestion): void {
  const answer = checkOfflineSpend(question);
  if (!answer.allowed) {
    throw new SyncError(
      'OFFLINE_LIMIT_REACHED',
      'Offline stored-value limit reached: wait for the network or take another tender.',
      {
        details: {
          reason: answer.reason,
          limit: answer.limit,
          wouldBe: answer.wouldBe,
          remainingFen: answer.remainingFen,
        },
      },
    );
  }
}
