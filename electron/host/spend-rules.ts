/**
 * The rules every spend of a card passes before the ledger commits it (a charge, points taken off a charge,
 * a gift for points), decided here in the host whatever the screen says:
 * - While HQ cannot be reached, HQ's offline caps: per card, per terminal and how long the till may go
 *   unheard. A book with no HQ link is not capped. Each cap has its own code, and the details say how much
 *   may still be charged.
 * - A card no device of this terminal read (its number was typed) follows the chain's typed-number rule for its
 *   kind: allowed, a manager's approval with a reason, or refused.
 */
import type { Ledger } from '../../db';
import type { OfflineSpendAnswer } from '../../sync/index';
import { APPROVER_ROLES } from '../contract';
import { ApiError } from '../errors';
import type { CardPresence } from './card-presence';
import { keyedEntryRuleFor, readKeyedEntryPolicy } from './keyed-entry';

export interface SpendRequest {
  cardId: string;
  /** Stored value the spend takes off the card, fen (0 when points pay for everything). */
  amountFen: number;
  keyedApproval?: { staffNo: string; pin: string; reason: string } | undefined;
}

/** The manager who let a typed card number through, and why; recorded on the operation and the receipt. */
export interface ApprovedKeyedEntry {
  staffId: string;
  name: string;
  reason: string;
}

const OFFLINE_CODES = {
  card_cap: 'OFFLINE_CARD_CAP_REACHED',
  terminal_cap: 'OFFLINE_TERMINAL_CAP_REACHED',
  too_long_offline: 'OFFLINE_TOO_LONG',
} as const;

const OFFLINE_MESSAGES = {
  card_cap: "HQ cannot be reached and this card's offline limit is reached",
  terminal_cap: "HQ cannot be reached and this terminal's offline limit is reached",
  too_long_offline: 'HQ has not been reached for too long: stored value waits for the network',
} as const;

export interface SpendRulesDeps {
  ledger: Ledger;
  presence: CardPresence;
  /** The sync link's answer (`devices/sync.ts`): allowed while HQ answers or when the book has no HQ link. */
  offlineSpend: (cardId: string, amountFen: number) => OfflineSpendAnswer;
  terminalId: string;
}

export function spendRules(deps: SpendRulesDeps) {
  const { ledger } = deps;

  function checkOffline(cardId: string, amountFen: number): void {
    const answer = deps.offlineSpend(cardId, amountFen);
    if (answer.allowed) return;
    const details =
      answer.reason === 'too_long_offline'
        ? {
            maxOfflineMs: answer.limit,
            offlineForMs: Number.isFinite(answer.wouldBe) ? answer.wouldBe : null,
            remainingFen: 0,
          }
        : { capFen: answer.limit, remainingFen: answer.remainingFen, amountFen };
    throw new ApiError(OFFLINE_CODES[answer.reason], OFFLINE_MESSAGES[answer.reason], {
      details: { cardId, ...details },
    });
  }

  function checkPresence(request: SpendRequest): ApprovedKeyedEntry | null {
    const card = ledger.card(request.cardId);
    if (card === undefined) {
      throw new ApiError('CARD_UNKNOWN', 'No such card', { details: { cardId: request.cardId } });
    }
    if (deps.presence.present(card)) return null;
    const rule = keyedEntryRuleFor(readKeyedEntryPolicy(ledger.settings), card.medium);
    if (rule === 'allowed') return null;
    const details = { cardId: card.id, medium: card.medium };
    if (rule === 'refused') {
      throw new ApiError(
        'KEYED_ENTRY_REFUSED',
        'This card must be read by a reader or swiper to be charged',
        {
          details,
        },
      );
    }
    const typed = request.keyedApproval;
    if (typed === undefined) {
      throw new ApiError(
        'KEYED_ENTRY_NEEDS_APPROVAL',
        'This card was not read by a device: present it, or a manager approves with a reason',
        { details },
      );
    }
    const approver = ledger.authenticateStaff({
      code: typed.staffNo,
      pin: typed.pin,
      terminalId: deps.terminalId,
    });
    if (!APPROVER_ROLES.includes(approver.role)) {
      throw new ApiError('APPROVER_NOT_MANAGER', 'A typed card number needs a manager to approve it', {
        details: { approverRole: approver.role },
      });
    }
    return { staffId: approver.id, name: approver.name, reason: typed.reason };
  }

  return {
    /**
     * Checks a new spend (a replay of an applied one is not checked again: it moves nothing). Returns the
     * approval to record when a manager let a typed number through, else null; throws the refusal.
     */
    clear(request: SpendRequest): ApprovedKeyedEntry | null {
      checkOffline(request.cardId, request.amountFen);
      return checkPresence(request);
    },
  };
}

export type SpendRules = ReturnType<typeof spendRules>;
