/**
 * A new card as the activation and the replacement collect it (its number, how it was read, the reader that
 * will write a blank one), what the host is sent for it, and whether it is ready: plain values, apart from
 * the component that reads the card.
 */
export interface NewCard {
  cardNumber: string;
  uid: string | null;
  medium: 'uid' | 'mifare' | 'magstripe' | 'keyed';
  /** A blank card's reader: the host writes the chain's secured format onto it there. */
  reader?: string;
}

/** What the host needs to bind (and, for a blank card on a reader, write) the card. */
export function cardRequest(card: NewCard) {
  return {
    cardNumber: card.cardNumber,
    medium: card.medium,
    ...(card.uid === null ? {} : { uid: card.uid }),
    ...(card.medium === 'mifare' && card.reader !== undefined ? { reader: card.reader } : {}),
  };
}

export const EMPTY_CARD: NewCard = { cardNumber: '', uid: null, medium: 'keyed' };

/** A blank card on a reader gets its number written in the card format, which holds 1–16 digits. */
function willBeWritten(card: NewCard): boolean {
  return card.medium === 'mifare' && card.reader !== undefined;
}

export function fitsCardFormat(card: NewCard): boolean {
  return !willBeWritten(card) || /^[0-9]{1,16}$/.test(card.cardNumber);
}

export function isCardReady(card: NewCard): boolean {
  return /^[0-9A-Z]{4,32}$/.test(card.cardNumber) && fitsCardFormat(card);
}

/** Write failures that no second try can mend: the card or its number is wrong, not its placing. */
const FINAL_WRITE_ERRORS = new Set([
  'CARD_FOREIGN',
  'CARD_NUMBER_INVALID',
  'CARD_ALREADY_ISSUED',
  'CARD_UNSUPPORTED',
  'CARD_WRITER_MISSING',
  'CARD_LOCKED',
]);

/** Whether writing the card again could succeed (the card was pulled away, the reader timed out…). */
export function canWriteAgain(writeError: string): boolean {
  return !FINAL_WRITE_ERRORS.has(writeError);
}
