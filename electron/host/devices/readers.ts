/**
 * Joins a PC/SC reader manager to the hub: a card read by the production reader code becomes a
 * `card.presented`/`card.removed` event, and the transport's and readers' health becomes `device.status`.
 */
import type { ReaderManager } from '../../../hardware/index';
import type { DeviceHub } from '../hub';
import type { Logger } from '../logger';

export interface ReaderJoinOptions {
  /** Where the cards come from, as the counter should be told. */
  source: 'reader' | 'simulator';
  /** The name the transport as a whole goes by in the status bar. */
  transportName: string;
  now?: () => number;
}

export function joinReaders(
  manager: ReaderManager,
  hub: DeviceHub,
  logger: Logger,
  options: ReaderJoinOptions,
): () => void {
  const now = options.now ?? Date.now;
  const simulated = options.source === 'simulator';
  // The manager says which reader went empty; the counter is told which card left it.
  const onReader = new Map<string, string>();
  const onPresented: Parameters<typeof manager.on<'card.presented'>>[1] = (card) => {
    // A card with neither UID nor number is still told to the counter when it was refused (a contact CPU
    // card, a memory card of another system): the cashier must hear why nothing happened.
    if (card.uid === undefined && card.cardNumber === undefined && card.error === undefined) {
      logger.warn({ reader: card.reader, atr: card.atr }, 'card without UID or number');
      return;
    }
    if (card.error !== undefined) {
      logger.info({ reader: card.reader, atr: card.atr, code: card.error.code }, 'card refused');
    }
    onReader.set(card.reader, card.uid ?? card.cardNumber ?? '');
    hub.emit('card.presented', {
      uid: card.uid ?? '',
      ...(card.cardNumber === undefined ? {} : { cardNumber: card.cardNumber }),
      ...(card.error === undefined ? {} : { refused: card.error.code }),
      source: options.source,
      reader: card.reader,
      at: card.presentedAt,
    });
  };
  const onRemoved = ({ reader }: { reader: string }) => {
    const uid = onReader.get(reader) ?? '';
    onReader.delete(reader);
    hub.emit('card.removed', { uid, source: options.source, at: now() });
  };
  const onFailed: Parameters<typeof manager.on<'card.failed'>>[1] = (failure) => {
    logger.warn({ reader: failure.reader, code: failure.code }, 'card could not be read');
    hub.emit('card.presented', {
      uid: '',
      refused: failure.code,
      source: options.source,
      reader: failure.reader,
      at: now(),
    });
  };
  const onReaderAdded = ({ reader }: { reader: string }) =>
    hub.emit('device.status', {
      device: reader,
      kind: 'reader',
      state: simulated ? 'simulated' : 'connected',
    });
  const onReaderRemoved = ({ reader }: { reader: string }) =>
    hub.emit('device.status', { device: reader, kind: 'reader', state: 'disconnected' });
  const onStatus: Parameters<typeof manager.on<'status'>>[1] = (status) => {
    if (simulated) return;
    const state =
      status.state === 'ready' ? 'connected' : status.state === 'unavailable' ? 'error' : 'disconnected';
    hub.emit('device.status', {
      device: options.transportName,
      kind: 'reader',
      state,
      ...(status.message === undefined ? {} : { detail: status.message }),
    });
  };

  manager.on('card.presented', onPresented);
  manager.on('card.removed', onRemoved);
  manager.on('card.failed', onFailed);
  manager.on('reader.added', onReaderAdded);
  manager.on('reader.removed', onReaderRemoved);
  manager.on('status', onStatus);
  return () => {
    manager.off('card.presented', onPresented);
    manager.off('card.removed', onRemoved);
    manager.off('card.failed', onFailed);
    manager.off('reader.added', onReaderAdded);
    manager.off('reader.removed', onReaderRemoved);
    manager.off('status', onStatus);
  };
}
