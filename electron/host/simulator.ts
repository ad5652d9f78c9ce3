/**
 * The training simulator: a virtual contactless reader and a virtual magstripe swiper (the virtual receipt
 * printer lives with the print queue in `devices/printing.ts`). Each stands in at the lowest layer it can: the virtual card answers APDUs to the production
 * reader manager, the virtual swiper sends HID reports to the production swiper driver. So the counter,
 * in training mode or with no hardware paired, runs the same code path a store runs.
 */
import {
  InProcessCardTransport,
  ReaderManager,
  SimulatedSwiper,
  Swiper,
  VirtualClassicCard,
} from '../../hardware/index';
import { joinReaders } from './devices/readers';
import { joinSwiper } from './devices/swipers';
import type { DeviceHub } from './hub';
import type { Logger } from './logger';

export const SIMULATED_READER = 'Simulated reader';
export const SIMULATED_SWIPER = 'Simulated swiper';

function uidBytes(uid: string): Uint8Array {
  return Uint8Array.from(uid.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

export class Simulator {
  private readonly cards = new InProcessCardTransport();
  private readonly readers: ReaderManager;
  private readonly swiperDevice = new SimulatedSwiper({ mode: 'magtek' });
  private readonly swiper: Swiper;
  private readonly detach: (() => void)[] = [];

  constructor(hub: DeviceHub, logger: Logger, now: () => number = Date.now) {
    this.readers = new ReaderManager({ transport: this.cards });
    this.swiper = new Swiper({
      id: SIMULATED_SWIPER,
      selector: { path: this.swiperDevice.info.path! },
      mode: 'magtek',
      backend: this.swiperDevice,
      logger,
    });
    this.detach.push(
      joinReaders(this.readers, hub, logger, { source: 'simulator', transportName: SIMULATED_READER, now }),
      joinSwiper(this.swiper, hub, { source: 'simulator', now }),
    );
  }

  start(): void {
    this.cards.addReader(SIMULATED_READER);
    this.readers.start();
    this.swiper.start();
  }

  stop(): void {
    for (const detach of this.detach.splice(0)) detach();
    this.swiper.stop();
    void this.cards.stop();
  }

  /**
   * Puts a MIFARE Classic card with this UID on the virtual reader (a card already there is lifted first, as a
   * cashier's hand would). The reader manager reads it and reports it like any other card.
   */
  presentCard(uid: string): void {
    this.cards.insert(SIMULATED_READER, new VirtualClassicCard('mifare-classic-1k', uidBytes(uid)));
  }

  removeCard(): void {
    this.cards.remove(SIMULATED_READER);
  }

  /** Swipes a member card whose track 2 holds this number through the simulated MagTek swiper. */
  swipe(cardNumber: string): void {
    this.swiperDevice.swipe({ track2: cardNumber });
  }
}
