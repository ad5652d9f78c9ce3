/**
 * Writing the chain's secured format onto a new member card: the card number goes onto the card on the
 * reader it was tapped on, with this terminal's chain keys (MIFARE Classic, Ultralight/NTAG, SLE4442). The
 * writer follows which reader manager drives which reader, whatever joined it (the simulator, a paired
 * reader, the system's pcscd), so the host can name a reader and nothing else.
 */
import type { CardPresented, ReaderManager } from '../../../hardware/index';
import { DeviceError } from '../../../hardware/index';

export interface CardWriter {
  /** Follows the readers this manager drives; returns the function that stops following them. */
  attach(manager: ReaderManager): () => void;
  /**
   * Checks, writing nothing, that the card on `reader` can be issued with this number: CARD_NUMBER_INVALID,
   * CARD_FOREIGN (keyed by another system), CARD_ALREADY_ISSUED, CARD_REMOVED otherwise.
   */
  check(reader: string, cardNumber: string): Promise<'issued' | 'already-issued'>;
  /** Issues the card on `reader` with this number; CARD_REMOVED when no card is there. */
  write(reader: string, cardNumber: string): Promise<'issued' | 'already-issued'>;
}

export function createCardWriter(options: { purse: boolean }): CardWriter {
  const owners = new Map<string, ReaderManager>();
  const ownerOf = (reader: string): ReaderManager => {
    const manager = owners.get(reader);
    if (manager === undefined) {
      throw new DeviceError('READER_UNKNOWN', 'no such reader on this terminal', { details: { reader } });
    }
    return manager;
  };
  return {
    attach(manager) {
      const onPresented = (card: CardPresented) => owners.set(card.reader, manager);
      const onAdded = ({ reader }: { reader: string }) => owners.set(reader, manager);
      const onRemoved = ({ reader }: { reader: string }) => {
        if (owners.get(reader) === manager) owners.delete(reader);
      };
      manager.on('card.presented', onPresented);
      manager.on('reader.added', onAdded);
      manager.on('reader.removed', onRemoved);
      return () => {
        manager.off('card.presented', onPresented);
        manager.off('reader.added', onAdded);
        manager.off('reader.removed', onRemoved);
        for (const [reader, owner] of owners) if (owner === manager) owners.delete(reader);
      };
    },
    check(reader, cardNumber) {
      return ownerOf(reader).checkIssuable(reader, cardNumber);
    },
    async write(reader, cardNumber) {
      return ownerOf(reader).issueCard(reader, { cardNumber, ...(options.purse ? { purseFen: 0 } : {}) });
    },
  };
}
