/**
 * The training simulator: a virtual contactless reader, a virtual member-card swiper and a virtual receipt
 * printer. It drives the same hub events as real devices, so the counter runs its real code path with no
 * hardware attached and in training mode.
 */
import type { PrintedReceipt } from '../contract';
import type { DeviceHub } from './hub';

export const SIMULATED_READER = 'Simulated reader';
export const SIMULATED_SWIPER = 'Simulated swiper';
export const SIMULATED_PRINTER = 'Simulated printer';

const KEPT_RECEIPTS = 50;

export class Simulator {
  private cardOnReader: string | null = null;
  private readonly receipts: PrintedReceipt[] = [];
  private jobSequence = 0;

  constructor(
    private readonly hub: DeviceHub,
    private readonly now: () => number = Date.now,
  ) {}

  attach(): void {
    this.hub.emit('device.status', { device: SIMULATED_READER, kind: 'reader', state: 'simulated' });
    this.hub.emit('device.status', { device: SIMULATED_SWIPER, kind: 'swiper', state: 'simulated' });
    this.hub.emit('device.status', { device: SIMULATED_PRINTER, kind: 'printer', state: 'simulated' });
  }

  /** Puts a card on the reader; a card already there is lifted first, as a cashier's hand would. */
  presentCard(uid: string): void {
    if (this.cardOnReader !== null) this.removeCard();
    this.cardOnReader = uid;
    this.hub.emit('card.presented', { uid, source: 'simulator', reader: SIMULATED_READER, at: this.now() });
  }

  removeCard(): void {
    if (this.cardOnReader === null) return;
    const uid = this.cardOnReader;
    this.cardOnReader = null;
    this.hub.emit('card.removed', { uid, source: 'simulator', at: this.now() });
  }

  swipe(cardNumber: string): void {
    this.hub.emit('swipe', { cardNumber, source: 'simulator', at: this.now() });
  }

  /** Prints a receipt on the virtual printer and reports it through the same print events as a real one. */
  print(text: string): string {
    this.jobSequence += 1;
    const jobId = `sim-${this.jobSequence}`;
    this.hub.emit('print.status', { jobId, state: 'queued' });
    this.receipts.unshift({ jobId, text, at: this.now() });
    this.receipts.length = Math.min(this.receipts.length, KEPT_RECEIPTS);
    this.hub.emit('print.status', { jobId, state: 'printed' });
    return jobId;
  }

  printed(limit: number): PrintedReceipt[] {
    return this.receipts.slice(0, limit);
  }
}
