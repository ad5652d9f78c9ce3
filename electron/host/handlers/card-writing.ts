/**
 * Writing a new MIFARE card in the chain's secured format as it is activated or given as a replacement: the
 * check before anything is committed, and the write after.
 */
import { ApiError } from '../../errors';
import type { CardWriter } from '../devices/card-writer';

interface CardToWrite {
  cardNumber: string;
  medium: string;
  /** The reader the blank card was tapped on; absent, the card is bound by UID or number only. */
  reader?: string | undefined;
}

/** Writes the bound number onto a blank MIFARE card still on its reader; a failure is reported, not thrown. */
export async function writeCard(
  writer: CardWriter | undefined,
  card: CardToWrite,
): Promise<{ written: 'issued' | 'already-issued' | null; writeError: string | null }> {
  if (card.medium !== 'mifare' || card.reader === undefined) return { written: null, writeError: null };
  if (writer === undefined) return { written: null, writeError: 'CARD_WRITER_MISSING' };
  try {
    return { written: await writer.write(card.reader, card.cardNumber), writeError: null };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { written: null, writeError: typeof code === 'string' ? code : 'CARD_WRITE_FAILED' };
  }
}

/**
 * Before anything is committed: a blank card that is to be written must take this number (1–16 digits) and
 * open to this chain or its transport key. Throws the refusal (CARD_NUMBER_INVALID, CARD_FOREIGN,
 * CARD_REMOVED…), so a card that cannot be written never gets a member or money bound to it.
 */
export async function checkWritable(writer: CardWriter | undefined, card: CardToWrite): Promise<void> {
  if (card.medium !== 'mifare' || card.reader === undefined) return;
  if (writer === undefined) {
    throw new ApiError('CARD_WRITER_MISSING', 'This terminal has no card keys to write a new card with');
  }
  await writer.check(card.reader, card.cardNumber);
}
