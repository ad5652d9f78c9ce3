/**
 * Who gets a tapped or swiped card. The counter does, unless a member screen has claimed card input (finding
 * a member by card, reading a new card to activate or to replace a lost one). Claims stack: the latest open
 * claim gets the card, and releasing it hands cards back to the one before.
 */

export interface CardInput {
  /** The contactless UID, when the card was tapped. */
  uid?: string;
  /** The member number a swipe or a secured card carries. */
  cardNumber?: string;
  /** Why the devices could not accept the card (a bank card, an unreadable swipe, a card not of this chain). */
  refused?: string;
  /** The reader a tapped card lies on (a new card is written there). */
  reader?: string;
  via: 'tap' | 'swipe';
}

type Claimant = (input: CardInput) => void;

const claimants: Claimant[] = [];

/** Takes card input until the returned function is called. */
export function claimCards(claimant: Claimant): () => void {
  claimants.push(claimant);
  return () => {
    const index = claimants.lastIndexOf(claimant);
    if (index >= 0) claimants.splice(index, 1);
  };
}

/** Gives a card to the latest claim; false when nobody claimed cards (the counter takes it). */
export function offerCard(input: CardInput): boolean {
  const claimant = claimants.at(-1);
  if (claimant === undefined) return false;
  claimant(input);
  return true;
}
