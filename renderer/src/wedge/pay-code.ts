/**
 * A barcode scanner reading the customer's payment code types it as a keyboard would: 16 to 24 digits a few
 * milliseconds apart, then Enter. On a confirmation the digits 1–5 pick a tender and Enter confirms, so the
 * digits are held until their pace shows which they are: a burst ending in Enter is a payment code; a gap of
 * `maxGapMs` or more gives the held keys back as a person's. Pure logic: no DOM, no timers.
 *
 * Swipers' bursts open with a sentinel (`%`, `;`) and are the swipe wedge's (`detector.ts`); a payment code
 * never does, so the bank-card guard never sees one as a card.
 */
export interface PayCodeDecision {
  /** Keep this key from the page. */
  readonly hold: boolean;
  /** Keys held earlier that were a person's: act on them, in order, before this one. */
  readonly release: readonly string[];
  /** A whole payment code, read off the scanner. */
  readonly code?: string;
}

const MIN_DIGITS = 16;
const MAX_DIGITS = 24;

export class PayCodeBurst {
  private held: string[] = [];
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly maxGapMs = 50) {}

  /** When the held keys are given back if nothing follows; undefined while none are held. */
  get deadline(): number | undefined {
    return this.held.length === 0 ? undefined : this.last + this.maxGapMs;
  }

  key(key: string, at: number): PayCodeDecision {
    const late = at - this.last >= this.maxGapMs;
    if (/^[0-9]$/.test(key)) {
      const release = late ? this.take() : [];
      if (this.held.length >= MAX_DIGITS) return { hold: false, release: [...release, ...this.take()] };
      this.held.push(key);
      this.last = at;
      return { hold: true, release };
    }
    if (key === 'Enter' && !late && this.held.length >= MIN_DIGITS) {
      return { hold: true, release: [], code: this.take().join('') };
    }
    return { hold: false, release: this.take() };
  }

  /** The held keys, once `at` is past the deadline: a person typed them. */
  poll(at: number): readonly string[] {
    return this.deadline !== undefined && at >= this.deadline ? this.take() : [];
  }

  private take(): string[] {
    const keys = this.held;
    this.held = [];
    return keys;
  }
}
