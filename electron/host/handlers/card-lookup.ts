/**
 * The card at the counter: finding it by a tap's UID or a number, reading a keyboard-wedge swipe, and its
 * recent operations for the void and refund lists.
 */
import type { CardWithMember, Ledger, MemberRegistry, Promotions } from '../../../db';
import { DEFAULT_MEMBER_RULE, interpretTrackText, type SwipeErrorCode } from '../../../hardware/index';
import type { CardView, CommandName, OperationLine } from '../../contract';
import { ApiError } from '../../errors';
import type { Handlers } from '../api';
import type { CardPresence } from '../card-presence';
import { maskPhone } from '../mask';
import { balanceView, cardSummary } from './card-shapes';

export type CardLookupHandlerNames = Extract<CommandName, `card.${string}`>;

const SWIPE_REFUSALS: Record<SwipeErrorCode, string> = {
  SWIPE_UNREADABLE: 'The swipe could not be read; swipe again',
  CARD_IS_PAYMENT_CARD: 'This is a bank card, not a member card',
  CARD_NOT_MEMBER_CARD: 'This card is not a member card of this store',
};

/** The most operations one card's history is read with; far above any real card's count. */
const CARD_HISTORY_LIMIT = 100_000;

export function cardView(
  found: CardWithMember,
  /** `name`: the member registry's (in clear); the ledger's own row keeps a mask in an encrypted ledger. */
  options: { tier?: string | null; hasPassword?: boolean; name?: string } = {},
): CardView {
  const { member, balance } = found;
  return {
    card: cardSummary(found),
    member: {
      id: member.id,
      name: options.name ?? member.name,
      phoneMasked: maskPhone(member.phone),
      tier: options.tier ?? null,
      hasPassword: options.hasPassword ?? false,
    },
    balance: balanceView(balance),
  };
}

export function cardLookupHandlers(deps: {
  ledger: Ledger;
  promotions: Promotions;
  members: MemberRegistry;
  /** Which cards this terminal's devices just read (a wedge swipe is recorded here). */
  presence: CardPresence;
}): Pick<Handlers, CardLookupHandlerNames> {
  const { ledger } = deps;
  return {
    'card.lookup': (input) => {
      const found =
        'uid' in input ? ledger.findCardByUid(input.uid) : ledger.findCardByNumber(input.cardNumber);
      if (found === undefined) {
        throw new ApiError('CARD_UNKNOWN', 'This card is not registered in this store', { details: input });
      }
      const profile = deps.members.profile(found.memberId);
      return cardView(found, {
        tier: deps.promotions.tierOf(found.memberId)?.name ?? null,
        hasPassword: profile?.hasPassword ?? false,
        ...(profile === undefined ? {} : { name: profile.name }),
      });
    },
    'card.swipeText': ({ tracks }) => {
      // Keyboard-wedge text may hold a bank card's tracks: it is interpreted here and never logged or kept.
      const outcome = interpretTrackText(tracks, { rule: DEFAULT_MEMBER_RULE });
      if (outcome.kind === 'refused') throw new ApiError(outcome.code, SWIPE_REFUSALS[outcome.code]);
      deps.presence.swiped(outcome.memberNumber);
      return { cardNumber: outcome.memberNumber };
    },
    'card.recentOperations': ({ cardId, limit }) => {
      // The ledger lists a card's operations oldest first; a card has a few hundred at most, so read them
      // all and keep the tail. Voids are operations of the same card, so the tail also says what was voided.
      const all = ledger.operationsOf({ cardId, limit: CARD_HISTORY_LIMIT });
      const voided = new Set(all.filter((op) => op.kind === 'void').map((op) => op.targetOperationId));
      return all
        .slice(-limit)
        .reverse()
        .map(
          (op): OperationLine => ({
            operationId: op.operationId,
            kind: op.kind,
            amountFen: op.amountFen,
            principalFen: op.principalFen,
            bonusFen: op.bonusFen,
            tender: op.tender,
            at: op.createdAt,
            voided: voided.has(op.operationId),
          }),
        );
    },
  };
}
