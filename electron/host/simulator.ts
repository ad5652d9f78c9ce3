/**
 * The training simulator: a virtual contactless reader and a virtual magstripe swiper (the virtual receipt
 * printer lives with the print queue in `devices/printing.ts`). Each stands in at the lowest layer it can: the virtual card answers APDUs to the production
 * reader manager, the virtual swiper sends HID reports to the production swiper driver. So the counter,
 * in training mode or with no hardware paired, runs the same code path a store runs.
 */
import { createHash } from 'node:crypto';
import {
  directSession,
  InProcessCardTransport,
  issueSecuredClassic,
  ReaderManager,
  SimulatedSwiper,
  Swiper,
  VirtualClassicCard,
} from '../../hardware/index';
import type { CardSecurity } from './card-security';
import { joinReaders } from './devices/readers';
import { joinSwiper } from './devices/swipers';
import type { DeviceHub } from './hub';
import type { Logger } from './logger';

export const SIMULATED_READER = 'Simulated reader';
export const SIMULATED_SWIPER = 'Simulated swiper';

function uidBytes(uid: string): Uint8Array {
  return Uint8Array.from(uid.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

export interface SimulatorOptions {
  /** The chain's card security: the virtual reader reads secured cards with it, and issues the virtual ones. */
  security?: CardSecurity;
  /** Cards the store registered by UID (read by UID even with the chain's keys configured). */
  registeredUid?: (uid: string) => boolean;
}

/** The UID of the simulator's virtual secured card for a card number: 7 bytes, NXP's 04 first, stable. */
export function simulatedSecuredUid(cardNumber: string): string {
  const digest = createHash('sha256').update(`simulated-secured-card:${cardNumber}`).digest();
  return `04${digest.subarray(0, 6).toString('hex')}`.toUpperCase();
}

export class Simulator {
  private readonly cards = new InProcessCardTransport();
  /** The reader manager behind the virtual reader (the on-card purse follows its cards). */
  readonly readers: ReaderManager;
  private readonly swiperDevice = new SimulatedSwiper({ mode: 'magtek' });
  private readonly swiper: Swiper;
  private readonly detach: (() => void)[] = [];
  private readonly security: CardSecurity | undefined;
  /** UID → card number of the secured cards offered; their virtual cards once issued (the purse persists). */
  private readonly securedNumbers = new Map<string, string>();
  private readonly securedCards = new Map<string, VirtualClassicCard>();
  /** Every other virtual card presented, by UID, as it was left (blank, or written by the terminal). */
  private readonly plainCards = new Map<string, VirtualClassicCard>();
  /** Bumped at every present and remove, so a card still being issued is not put down after a later action. */
  private generation = 0;

  constructor(
    hub: DeviceHub,
    private readonly logger: Logger,
    now: () => number = Date.now,
    options: SimulatorOptions = {},
  ) {
    this.security = options.security;
    this.readers = new ReaderManager({
      transport: this.cards,
      ...(options.security === undefined
        ? {}
        : { secured: { keys: options.security.keys, sector: options.security.sector } }),
      ...(options.registeredUid === undefined ? {} : { registeredUid: options.registeredUid }),
    });
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
   * cashier's hand would). The reader manager reads it and reports it like any other card. A UID offered by
   * `offerSecuredCard` is a card in the chain's secured format, read and verified as a store's reader would.
   */
  presentCard(uid: string): Promise<void> {
    this.generation += 1;
    const cardNumber = this.securedNumbers.get(uid);
    if (cardNumber === undefined) {
      // The same UID is the same card: what was written to it (a card issued at activation) stays on it.
      let card = this.plainCards.get(uid);
      if (card === undefined) {
        card = new VirtualClassicCard('mifare-classic-1k', uidBytes(uid));
        this.plainCards.set(uid, card);
      }
      this.cards.insert(SIMULATED_READER, card);
      return Promise.resolve();
    }
    return this.presentSecured(uid, cardNumber, this.generation);
  }

  /**
   * Offers a secured MIFARE Classic card for this card number, issued with the chain's keys the first time
   * it is presented (with an empty purse when the store keeps one). Returns the virtual card's UID, or
   * undefined when no card security is configured.
   */
  offerSecuredCard(cardNumber: string): string | undefined {
    if (this.security === undefined) return undefined;
    const uid = simulatedSecuredUid(cardNumber);
    this.securedNumbers.set(uid, cardNumber);
    return uid;
  }

  private async presentSecured(uid: string, cardNumber: string, generation: number): Promise<void> {
    const security = this.security!;
    let card = this.securedCards.get(uid);
    if (card === undefined) {
      const blank = new VirtualClassicCard('mifare-classic-1k', uidBytes(uid));
      try {
        await issueSecuredClassic(directSession(blank), {
          keys: security.keys,
          sector: security.sector,
          cardNumber,
          ...(security.purse ? { purseFen: 0 } : {}),
        });
      } catch (error) {
        this.logger.error({ err: error, uid }, 'the simulator could not issue its secured card');
        throw error;
      }
      card = this.securedCards.get(uid) ?? blank;
      this.securedCards.set(uid, card);
    }
    if (generation === this.generation) this.cards.insert(SIMULATED_READER, card);
  }

  removeCard(): void {
    this.generation += 1;
    this.cards.remove(SIMULATED_READER);
  }

  /** The card leaves the field during the reader's next command, as a card pulled away too soon does. */
  pullCardDuringNextCommand(): void {
    this.cards.removeDuringNextCommand(SIMULATED_READER);
  }

  /** Swipes a member card whose track 2 holds this number through the simulated MagTek swiper. */
  swipe(cardNumber: string): void {
    this.swiperDevice.swipe({ track2: cardNumber });
  }
}
