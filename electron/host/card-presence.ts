/**
 * Which member cards this terminal's own devices have just read. A card a reader read (a UID card by its UID,
 * a secured card by the member number its verified sector carries) or a swiper read is present while it lies
 * on the reader and for a short while after it was lifted or swiped: long enough to key the amount and take
 * the member's password, too short to charge the card again later by its number. The host, not the screen,
 * keeps this: a screen can only say which card it means, never that the card was there.
 */
import type { CardMedium } from '../../db';
import type { DeviceHub } from './hub';

/** How long a card counts as present after it left the reader or went through the swiper. */
export const PRESENCE_WINDOW_MS = 3 * 60_000;

export interface PresentableCard {
  cardNumber: string;
  uid: string | null;
  medium: CardMedium;
}

const tapByUid = (uid: string) => `tap:uid:${uid.toUpperCase()}`;
const tapByNumber = (cardNumber: string) => `tap:number:${cardNumber}`;
const swipeOf = (cardNumber: string) => `swipe:${cardNumber}`;

export class CardPresence {
  /** Evidence key → when the card was last read or lifted (epoch ms). */
  private readonly seen = new Map<string, number>();
  /** Card on a reader (by the UID its events carry) → its evidence keys, while it lies there. */
  private readonly onReader = new Map<string, string[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Follows the hub's card and swipe events; returns the unsubscribe function. */
  attach(hub: DeviceHub): () => void {
    return hub.subscribe((event, payload) => {
      if (event === 'card.presented') {
        const card = payload as { uid: string; cardNumber?: string; refused?: string };
        if (card.refused !== undefined) return;
        const keys = [
          ...(card.uid === '' ? [] : [tapByUid(card.uid)]),
          ...(card.cardNumber === undefined ? [] : [tapByNumber(card.cardNumber)]),
        ];
        this.stamp(keys);
        this.onReader.set(card.uid === '' ? (card.cardNumber ?? '') : card.uid, keys);
      } else if (event === 'card.removed') {
        const { uid } = payload as { uid: string };
        this.stamp(this.onReader.get(uid) ?? []);
        this.onReader.delete(uid);
      } else if (event === 'swipe') {
        const { cardNumber } = payload as { cardNumber: string | null };
        if (cardNumber !== null) this.swiped(cardNumber);
      }
    });
  }

  /** A keyboard-wedge swiper's tracks, read by the host into this member number. */
  swiped(cardNumber: string): void {
    this.stamp([swipeOf(cardNumber)]);
  }

  /**
   * Was this card read by a device of the kind its medium needs? A secured card only by a reader that verified
   * it; a UID card by its UID; a magstripe card by a swiper. A keyed card has nothing a device could read.
   */
  present(card: PresentableCard): boolean {
    const keys =
      card.medium === 'mifare'
        ? [tapByNumber(card.cardNumber)]
        : card.medium === 'uid' || card.medium === 'ultralight'
          ? card.uid === null
            ? []
            : [tapByUid(card.uid)]
          : card.medium === 'magstripe'
            ? [swipeOf(card.cardNumber)]
            : [];
    const lying = new Set([...this.onReader.values()].flat());
    const at = this.now();
    return keys.some((key) => lying.has(key) || at - (this.seen.get(key) ?? -Infinity) <= PRESENCE_WINDOW_MS);
  }

  private stamp(keys: readonly string[]): void {
    const at = this.now();
    for (const key of keys) this.seen.set(key, at);
    // Old evidence is dropped as new arrives, so the map holds only this shift's last few cards.
    for (const [key, when] of this.seen) if (at - when > PRESENCE_WINDOW_MS) this.seen.delete(key);
  }
}
