/**
 * Keyboard-wedge swipe detection for swipers the OS owns as a keyboard. A swipe arrives as a burst of
 * keys a few milliseconds apart: a start sentinel, track characters, an end sentinel and Enter, possibly
 * several tracks in a row. People cannot type like that, so the burst's timing tells the two apart.
 *
 * Keys that might begin a swipe are held back (the caller swallows them) until the burst either completes,
 * which yields the raw track text, or breaks (a gap of `maxGapMs` or more, a key no swiper types), which
 * releases the held keys, in order, to whatever field has focus. Pure logic: no DOM, no timers.
 */

import { luhnValid } from '../../../common/luhn';

export interface WedgeKey {
  readonly key: string;
  readonly code: string;
  /** Milliseconds on one monotonic clock (a DOM event's `timeStamp`, i.e. `performance.now()`). */
  readonly timeStamp: number;
  /**
   * When given, characters are read from the physical key (`code`) and Shift, on the US layout swipers
   * assume, so a French or German OS layout cannot garble the track.
   */
  readonly shiftKey?: boolean;
}

export interface WedgeDecision {
  /** Stop this key from reaching the page. */
  readonly swallow: boolean;
  /** Keys held back earlier that turned out to be typing: give them to the focused field, before this key. */
  readonly release: readonly WedgeKey[];
  /** A completed swipe: the raw track text, tracks separated by `\n`. */
  readonly swipe?: string;
  /**
   * A completed swipe of a bank card. Its tracks are dropped here, so they never cross to the host or reach
   * its logs; only the refusal does.
   */
  readonly refused?: WedgeRefusal;
}

export interface WedgeOptions {
  /** A gap this long or longer between two keys is human typing (swipers type every few ms). */
  readonly maxGapMs?: number;
  /** The shortest track text taken for a swipe, sentinels included. */
  readonly minLength?: number;
  /** The longest: three full tracks with separators. */
  readonly maxLength?: number;
  /**
   * Keys that may open a swipe (default `%;`). Add `+` only for readers that send track 3 alone: a held
   * `+` reaches the page 30 ms late, and the counter uses it as a key.
   */
  readonly startSentinels?: string;
  /**
   * How long after a broken burst its tail is still expected (a busy page or a slow swipe pauses mid-track):
   * keys in this window are held until their pace shows whether they are a person's.
   */
  readonly guardMs?: number;
}

/** Keys that open a further track inside a swipe (MagTek types `+` for track 3). */
const TRACK_SENTINELS = '%;+';
const END_SENTINEL = '?';
const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock']);

/** Physical key → [unshifted, shifted] on the US layout. */
const US_KEYS: Record<string, readonly [string, string]> = (() => {
  const map: Record<string, readonly [string, string]> = {};
  for (let index = 0; index < 26; index += 1) {
    const letter = String.fromCharCode(0x41 + index);
    map[`Key${letter}`] = [letter.toLowerCase(), letter];
  }
  const shiftedDigits = ')!@#$%^&*(';
  for (let digit = 0; digit <= 9; digit += 1) {
    map[`Digit${digit}`] = [String(digit), shiftedDigits[digit]!];
    map[`Numpad${digit}`] = [String(digit), String(digit)];
  }
  const pairs: [string, string, string][] = [
    ['Space', ' ', ' '],
    ['Minus', '-', '_'],
    ['Equal', '=', '+'],
    ['BracketLeft', '[', '{'],
    ['BracketRight', ']', '}'],
    ['Backslash', '\\', '|'],
    ['Semicolon', ';', ':'],
    ['Quote', "'", '"'],
    ['Backquote', '`', '~'],
    ['Comma', ',', '<'],
    ['Period', '.', '>'],
    ['Slash', '/', '?'],
    ['NumpadDecimal', '.', '.'],
    ['NumpadAdd', '+', '+'],
    ['NumpadSubtract', '-', '-'],
    ['NumpadMultiply', '*', '*'],
    ['NumpadDivide', '/', '/'],
  ];
  for (const [code, plain, shifted] of pairs) map[code] = [plain, shifted];
  return map;
})();

const PASS: WedgeDecision = { swallow: false, release: [] };

type Phase = 'idle' | 'track' | 'between';

/** Why a burst was kept from the page: a bank card, or a swipe broken off part way (card data all the same). */
export type WedgeRefusal = 'CARD_IS_PAYMENT_CARD' | 'SWIPE_INCOMPLETE';

/** Characters a swiper types inside a track (upper case, digits, separators); a person's typing soon leaves them. */
const TRACK_TEXT = /^[0-9A-Z =^?/.\-%;+\n]*$/;

export class WedgeDetector {
  private readonly maxGapMs: number;
  private readonly minLength: number;
  private readonly maxLength: number;
  private readonly startSentinels: string;
  private readonly guardMs: number;
  private phase: Phase = 'idle';
  private held: WedgeKey[] = [];
  private text = '';
  private last = 0;
  /** The burst began inside the guard window after an earlier one broke off, not at a start sentinel. */
  private guarded = false;
  /** Until when a key of any kind is held, because a swipe just broke off and its tail may follow. */
  private guardUntil = Number.NEGATIVE_INFINITY;
  /** The last broken burst was dropped: whatever follows inside the guard window is its tail. */
  private afterDrop = false;
  /** Text of the broken bursts inside the current guard window, to see a bank card across the pieces. */
  private pieces = '';
  /** What the cashier was last told inside the current guard window. */
  private told: WedgeRefusal | undefined;

  constructor(options: WedgeOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 30;
    this.minLength = options.minLength ?? 6;
    this.maxLength = options.maxLength ?? 300;
    this.startSentinels = options.startSentinels ?? '%;';
    this.guardMs = options.guardMs ?? 1000;
  }

  /** True while keys are held back; call `poll` at `deadline` to settle them. */
  get pending(): boolean {
    return this.phase !== 'idle';
  }

  /** When a held burst times out if no further key comes (same clock as `timeStamp`). */
  get deadline(): number | undefined {
    return this.phase === 'idle' ? undefined : this.last + this.maxGapMs;
  }

  handle(event: WedgeKey): WedgeDecision {
    if (MODIFIER_KEYS.has(event.key)) return PASS;
    if (this.phase === 'idle') return this.fromIdle(event);

    if (event.timeStamp - this.last >= this.maxGapMs) {
      const settled = this.settle();
      return combine(settled, this.fromIdle(event));
    }

    const isEnter = isEnterKey(event);
    const char = isEnter ? undefined : charOf(event);

    if (this.phase === 'between') {
      // After a track's Enter, only another track's start sentinel continues the swipe.
      if (char !== undefined && TRACK_SENTINELS.includes(char)) {
        this.hold(event, `\n${char}`);
        this.phase = 'track';
        return { swallow: true, release: [] };
      }
      return combine(this.settle(), this.fromIdle(event));
    }

    // Inside a track.
    if (isEnter) {
      this.hold(event, '\n');
      if (this.text.endsWith(`${END_SENTINEL}\n`)) {
        this.text = this.text.slice(0, -1);
        this.phase = 'between';
        return { swallow: true, release: [] };
      }
      // Enter without an end sentinel: the burst is over, and its Enter never submits anything.
      return { ...this.abandon(), swallow: true };
    }
    if (char === undefined) return { ...this.abandon(), swallow: false };
    this.hold(event, char);
    if (this.text.length > this.maxLength) return { ...this.abandon(), swallow: true };
    return { swallow: true, release: [] };
  }

  /** Settles a burst whose next key is overdue: a finished swipe completes, anything else is released. */
  poll(now: number): WedgeDecision {
    if (this.phase === 'idle' || now - this.last < this.maxGapMs) return { swallow: false, release: [] };
    return this.settle();
  }

  private fromIdle(event: WedgeKey): WedgeDecision {
    if (MODIFIER_KEYS.has(event.key)) return PASS;
    const isEnter = isEnterKey(event);
    const char = isEnter ? undefined : charOf(event);
    const inGuard = event.timeStamp < this.guardUntil;
    if (!inGuard) {
      this.pieces = '';
      this.told = undefined;
      this.afterDrop = false;
    }
    const opens = char !== undefined && this.startSentinels.includes(char);
    // Just after a broken swipe, any character or Enter may be its tail: hold it too until its pace is known.
    if (!opens && !(inGuard && (char !== undefined || isEnter))) return PASS;
    this.phase = 'track';
    this.held = [];
    this.text = '';
    this.guarded = !opens;
    this.hold(event, isEnter ? '\n' : char!);
    return { swallow: true, release: [] };
  }

  private hold(event: WedgeKey, text: string): void {
    this.held.push(event);
    this.text += text;
    this.last = event.timeStamp;
  }

  private settle(): WedgeDecision {
    const complete = this.phase === 'between' || this.text.endsWith(END_SENTINEL);
    if (complete && !this.guarded && this.looksLikeTracks()) {
      const swipe = this.text;
      this.reset();
      if (looksLikePaymentCard(swipe)) {
        this.openGuard(true);
        return { swallow: false, release: [], refused: 'CARD_IS_PAYMENT_CARD' };
      }
      return { swallow: false, release: [], swipe };
    }
    return this.abandon();
  }

  /**
   * A burst that broke off. A person's keys go back to the field; a machine-paced run of track characters
   * (a swipe cut by a pause, a stray key, a missing end sentinel, too much text) is dropped, never typed into
   * a field, and the cashier is told. A tail arriving soon after is held and judged the same way.
   */
  private abandon(): WedgeDecision {
    const held = this.held;
    const text = this.text;
    const guarded = this.guarded;
    const last = this.last;
    this.reset();
    this.pieces += text;
    if (this.looksLikeSwiper(held, text, guarded)) {
      this.guardUntil = last + this.guardMs;
      this.afterDrop = true;
      const code: WedgeRefusal =
        looksLikePaymentCard(this.pieces) ||
        looksLikePaymentCard(text) ||
        this.told === 'CARD_IS_PAYMENT_CARD'
          ? 'CARD_IS_PAYMENT_CARD'
          : 'SWIPE_INCOMPLETE';
      if (code === this.told) return { swallow: false, release: [] };
      this.told = code;
      return { swallow: false, release: [], refused: code };
    }
    // A lone start sentinel may be a swipe paused after its first key: watch what follows.
    if (!guarded) this.guardUntil = last + this.guardMs;
    this.afterDrop = false;
    return { swallow: false, release: held };
  }

  private looksLikeSwiper(held: readonly WedgeKey[], text: string, guarded: boolean): boolean {
    if (guarded) {
      if (this.afterDrop) return true;
      return held.length >= 2 && TRACK_TEXT.test(text) && /[0-9=^?]/.test(text);
    }
    // From a start sentinel: a format letter or a digit came straight after it, faster than a hand types.
    return held.length >= 2 && /^[%;+][0-9A-Z]/.test(text);
  }

  private openGuard(dropped: boolean): void {
    this.guardUntil = this.last + this.guardMs;
    this.afterDrop = dropped;
    this.told = 'CARD_IS_PAYMENT_CARD';
  }

  private looksLikeTracks(): boolean {
    const tracks = this.text.split('\n');
    const total = tracks.reduce((sum, track) => sum + track.length, 0);
    if (total < this.minLength) return false;
    // Every track is `SS … ES` with at least one character between (a failed track is `SS E ES`).
    return tracks.every(
      (track) => track.length >= 3 && TRACK_SENTINELS.includes(track[0]!) && track.endsWith(END_SENTINEL),
    );
  }

  private reset(): void {
    this.phase = 'idle';
    this.held = [];
    this.text = '';
    this.guarded = false;
  }
}

function isEnterKey(event: WedgeKey): boolean {
  return event.key === 'Enter' || event.code === 'Enter' || event.code === 'NumpadEnter';
}

/**
 * The character a swiper meant. When the typed character is one the physical key gives on the US layout,
 * it is right as typed; when it is not, the OS layout differs from the US one the swiper assumed, and the
 * physical key with Shift says what was meant.
 */
function charOf(event: WedgeKey): string | undefined {
  const typed = event.key.length === 1 ? event.key : undefined;
  const pair = US_KEYS[event.code];
  if (pair === undefined || event.shiftKey === undefined) return typed;
  if (typed !== undefined && (typed === pair[0] || typed === pair[1])) return typed;
  return pair[event.shiftKey ? 1 : 0];
}

function combine(first: WedgeDecision, second: WedgeDecision): WedgeDecision {
  const release = first.release.length === 0 ? second.release : [...first.release, ...second.release];
  const swipe = first.swipe ?? second.swipe;
  const refused = first.refused ?? second.refused;
  return {
    swallow: second.swallow,
    release,
    ...(swipe === undefined ? {} : { swipe }),
    ...(refused === undefined ? {} : { refused }),
  };
}

/**
 * The bank-card test the host's swiper driver applies, repeated here so bank tracks stop at the
 * renderer: a track 1 in format B (`%B` + digits), or a Luhn-valid PAN of 12–19 digits followed by a
 * separator and a service code (expiry `YYMM` + 3 digits, or `=` in place of the expiry + 3 digits).
 */
export function looksLikePaymentCard(tracks: string): boolean {
  if (/%B\d/.test(tracks)) return true;
  const pattern = /(?:^|[;%^\n])[A-Z]?(\d{12,19})[=^](?:[^=^?]*\^)?(?:\d{4}|=)\d{3}/g;
  for (const match of tracks.matchAll(pattern)) {
    if (luhnValid(match[1]!)) return true;
  }
  return false;
}
