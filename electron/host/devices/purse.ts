/**
 * The on-card purse, for stores that keep one: after a top-up, charge or void on a card that is still on a
 * reader, the ledger's balance is written to the card's value block. The ledger is the truth and the purse
 * only its copy: the purse is never read to decide anything, a mirror runs after the operation has
 * committed, and a failed mirror (card pulled away, another card on the reader, a write that does not read
 * back) is logged and shown as a warning on that reader, never undoing the operation. The next successful
 * mirror on the reader clears the warning.
 */
import type { CardPresented, ReaderManager } from '../../../hardware/index';
import { DeviceError } from '../../../hardware/index';
import type { DeviceHub } from '../hub';
import type { Logger } from '../logger';

/** The warning shown on a reader whose card did not take the balance. */
export const PURSE_MIRROR_FAILED = 'PURSE_MIRROR_FAILED';

interface Attached {
  manager: ReaderManager;
  source: 'reader' | 'simulator';
  /** Reader → card number of the verified secured Classic card on it. */
  onReader: Map<string, string>;
}

export interface PurseMirror {
  readonly enabled: boolean;
  /** Follows which verified secured card is on which reader of this manager. */
  attach(manager: ReaderManager, source: 'reader' | 'simulator'): () => void;
  /**
   * Told after an operation committed on the card with this number: the card's new balance (principal and
   * bonus, fen). Resolves when every reader holding the card has been written or has failed; never rejects.
   */
  balanceChanged(cardNumber: string, totalFen: number): Promise<void>;
}

export function createPurseMirror(options: {
  enabled: boolean;
  hub: DeviceHub;
  logger: Logger;
}): PurseMirror {
  const { hub, logger } = options;
  const attached = new Set<Attached>();
  const warned = new Set<string>();

  const mirrorOne = async (target: Attached, reader: string, cardNumber: string, totalFen: number) => {
    try {
      await target.manager.mirrorPurse(reader, totalFen, cardNumber);
      if (warned.delete(reader)) {
        hub.emit('device.status', {
          device: reader,
          kind: 'reader',
          state: target.source === 'simulator' ? 'simulated' : 'connected',
        });
      }
    } catch (error) {
      const code = error instanceof DeviceError ? error.code : 'CARD_WRITE_FAILED';
      if (code === 'PURSE_MISSING') {
        // A card issued before the store kept purses: nothing to mirror, nothing wrong with the reader.
        logger.info({ reader }, 'card carries no on-card purse; balance not mirrored');
        return;
      }
      logger.warn({ err: error, reader, code }, 'on-card purse not updated; the ledger stands');
      warned.add(reader);
      hub.emit('device.status', {
        device: reader,
        kind: 'reader',
        state: 'error',
        detail: `${PURSE_MIRROR_FAILED}: ${code}`,
      });
    }
  };

  return {
    enabled: options.enabled,
    attach(manager, source) {
      const target: Attached = { manager, source, onReader: new Map() };
      const onPresented = (card: CardPresented) => {
        if (card.verified && card.format === 'secured-classic' && card.cardNumber !== undefined) {
          target.onReader.set(card.reader, card.cardNumber);
        } else {
          target.onReader.delete(card.reader);
        }
      };
      const onGone = ({ reader }: { reader: string }) => target.onReader.delete(reader);
      manager.on('card.presented', onPresented);
      manager.on('card.removed', onGone);
      manager.on('card.failed', onGone);
      manager.on('reader.removed', onGone);
      attached.add(target);
      return () => {
        manager.off('card.presented', onPresented);
        manager.off('card.removed', onGone);
        manager.off('card.failed', onGone);
        manager.off('reader.removed', onGone);
        attached.delete(target);
      };
    },
    async balanceChanged(cardNumber, totalFen) {
      if (!options.enabled) return;
      const writes: Promise<void>[] = [];
      for (const target of attached) {
        for (const [reader, number] of target.onReader) {
          if (number === cardNumber) writes.push(mirrorOne(target, reader, cardNumber, totalFen));
        }
      }
      await Promise.all(writes);
    },
  };
}
