/**
 * The store and the card a counter command names, read from the ledger, refused with a stable code when the
 * ledger has no such thing.
 */
import type { Card, CardWithMember, Ledger, Store } from '../../../db';
import { ApiError } from '../../errors';

/** This terminal's store, or STORE_UNKNOWN. */
export function storeOf(ledger: Ledger, storeId: string): Store {
  const found = ledger.store(storeId);
  if (found === undefined) throw new ApiError('STORE_UNKNOWN', 'This terminal has no store');
  return found;
}

/** A card with its member and balance, by the card's id, or CARD_UNKNOWN. */
export function cardWithMemberOf(ledger: Ledger, cardId: string): CardWithMember {
  const card = ledger.card(cardId);
  const found = card === undefined ? undefined : ledger.findCardByNumber(card.cardNumber);
  if (found === undefined) throw new ApiError('CARD_UNKNOWN', 'No such card', { details: { cardId } });
  return found;
}

/** A card's own row (no member or balance), by the card's id, or CARD_UNKNOWN. */
export function cardRecordOf(ledger: Ledger, cardId: string): Card {
  const card = ledger.card(cardId);
  if (card === undefined) throw new ApiError('CARD_UNKNOWN', 'No such card', { details: { cardId } });
  return card;
}
