/**
 * The swiper driver: follows one paired HID swiper (open, unplug, re-plug), decodes its reports in the
 * configured mode and emits a member number, or an error code, per swipe. It knows nothing of members:
 * looking the number up is the host's job.
 *
 * Track data never leaves this module except as the member number and a masked track, and is never put
 * in an event, an error or a log line. Report buffers are zeroed once decoded; JavaScript strings cannot be
 * wiped, so the decoded text is only ever held in locals that go out of scope at the end of the swipe.
 */
import { EventEmitter } from 'node:events';
import { DeviceError } from '../errors';
import {
  type HidBackend,
  type HidConnection,
  type HidDeviceInfo,
  type HidSelector,
  matchesSelector,
  nodeHidBackend,
} from './hid';
import { IdtechFrameAssembler } from './idtech';
import { interpretSwipe, type RawSwipe, type SwipeErrorCode, type SwipeOutcome } from './interpret';
import { BootKeyboardDecoder, ENTER } from './keyboard';
import { decodeMagtekReport } from './magtek';
import { checkMemberRule, DEFAULT_MEMBER_RULE, type MemberNumberRule } from './member-rule';
import { splitTracks } from './tracks';

export type SwiperMode = 'keyboard' | 'magtek' | 'idtech';

export interface SwipeEvent {
  readonly device: string;
  readonly memberNumber: string;
  readonly maskedTrack: string;
}

export interface SwipeErrorEvent {
  readonly device: string;
  readonly code: SwipeErrorCode;
}

export type SwiperState = 'connected' | 'disconnected' | 'absent' | 'stopped';

export interface SwiperStatusEvent {
  readonly device: string;
  readonly state: SwiperState;
}

/** The subset of a pino logger the driver uses. */
export interface SwiperLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface KeyboardFraming {
  /**
   * `quiet` (default): Enter separates tracks, and the swipe ends when no key follows an Enter for
   * `quietMs` (ID TECH readers end every track with Enter). `enter`: the first Enter ends the swipe
   * (readers configured to send one terminator per swipe).
   */
  readonly endOfSwipe?: 'quiet' | 'enter';
  readonly quietMs?: number;
  /** The reader is configured to type each track's LRC after its end sentinel. */
  readonly passesLrc?: boolean;
}

export interface SwiperOptions {
  /** The name this swiper goes by in events and logs (the pairing's id). */
  readonly id: string;
  readonly selector: HidSelector;
  readonly mode: SwiperMode;
  readonly rule?: MemberNumberRule;
  readonly backend?: HidBackend;
  readonly keyboard?: KeyboardFraming;
  /** A swipe that has started must complete within this long of its last report (ms). */
  readonly stallMs?: number;
  /** Re-open attempts after an unplug, doubling from `initialMs` up to `maxMs`. */
  readonly reconnect?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly logger?: SwiperLogger;
}

/** Keyboard text longer than this cannot be one swipe (three full tracks with separators are < 250). */
const MAX_KEYBOARD_TEXT = 512;

interface SwiperEvents {
  swipe: [SwipeEvent];
  'swipe.error': [SwipeErrorEvent];
  status: [SwiperStatusEvent];
}

export class Swiper extends EventEmitter<SwiperEvents> {
  readonly id: string;
  private readonly options: SwiperOptions;
  private readonly backend: HidBackend;
  private readonly rule: MemberNumberRule;
  private readonly logger: SwiperLogger | undefined;
  private connection: HidConnection | undefined;
  private connected: HidDeviceInfo | undefined;
  private state: SwiperState = 'stopped';
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectDelay: number;
  private swipeTimer: ReturnType<typeof setTimeout> | undefined;
  private lastOpenFailure: string | undefined;

  // Keyboard mode
  private readonly keyboardDecoder = new BootKeyboardDecoder();
  private readonly text = new Uint8Array(MAX_KEYBOARD_TEXT);
  private textLength = 0;
  private damaged = false;
  private readonly typeChar = (code: number) => {
    if (this.textLength >= MAX_KEYBOARD_TEXT) {
      this.damaged = true;
      return;
    }
    this.text[this.textLength] = code;
    this.textLength += 1;
  };

  // ID TECH mode
  private readonly frames = new IdtechFrameAssembler();

  constructor(options: SwiperOptions) {
    super();
    if (!options.selector || Object.values(options.selector).every((value) => value === undefined)) {
      throw new DeviceError('SWIPER_CONFIG_INVALID', 'A swiper needs a VID, PID, serial number or path');
    }
    if (!['keyboard', 'magtek', 'idtech'].includes(options.mode)) {
      throw new DeviceError('SWIPER_CONFIG_INVALID', 'Unknown swiper mode', {
        details: { mode: options.mode },
      });
    }
    this.options = options;
    this.id = options.id;
    this.backend = options.backend ?? nodeHidBackend;
    this.rule = checkMemberRule(options.rule ?? DEFAULT_MEMBER_RULE);
    this.logger = options.logger;
    this.reconnectDelay = options.reconnect?.initialMs ?? 250;
  }

  get status(): SwiperState {
    return this.state;
  }

  /** The device currently open, if any. */
  get device(): HidDeviceInfo | undefined {
    return this.connected;
  }

  /** Opens the swiper now if it is plugged in, and keeps looking for it (with backoff) if it is not. */
  start(): void {
    if (this.state !== 'stopped') return;
    this.setState('absent');
    this.tryOpen();
  }

  stop(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.closeConnection();
    this.resetSwipe();
    this.setState('stopped');
  }

  /**
   * Feeds one input report as if the device had sent it. This is the path every report takes; the HID
   * connection's `data` event calls it.
   */
  handleReport(report: Uint8Array): void {
    try {
      switch (this.options.mode) {
        case 'keyboard':
          this.handleKeyboardReport(report);
          break;
        case 'magtek':
          this.handleMagtekReport(report);
          break;
        case 'idtech':
          this.handleIdtechReport(report);
          break;
      }
    } catch (error) {
      // A decoder bug must not take the terminal down or leak a half-decoded track: drop the swipe.
      this.resetSwipe();
      this.logger?.warn(
        {
          device: this.id,
          code: 'SWIPE_DECODE_FAILED',
          error: error instanceof Error ? error.name : 'unknown',
        },
        'swipe report could not be decoded',
      );
      this.refuse('SWIPE_UNREADABLE');
    } finally {
      report.fill(0);
    }
  }

  private handleKeyboardReport(report: Uint8Array): void {
    const before = this.textLength;
    if (!this.keyboardDecoder.decode(report, this.typeChar)) {
      if (this.textLength === 0 && !this.damaged) return; // not a keyboard report and no swipe under way
      this.damaged = true;
    }
    if (this.textLength === before) return;
    const framing = this.options.keyboard;
    const endedWithEnter = this.text[this.textLength - 1] === ENTER;
    if (endedWithEnter && framing?.endOfSwipe === 'enter') {
      this.finishKeyboardSwipe();
      return;
    }
    this.armSwipeTimer(endedWithEnter ? (framing?.quietMs ?? 40) : (this.options.stallMs ?? 1000), () =>
      this.finishKeyboardSwipe(),
    );
  }

  private finishKeyboardSwipe(): void {
    clearTimeout(this.swipeTimer);
    this.swipeTimer = undefined;
    const length = this.textLength;
    const complete = length > 0 && this.text[length - 1] === ENTER && !this.damaged;
    let text = '';
    for (let index = 0; index < length; index += 1) text += String.fromCharCode(this.text[index]!);
    this.resetSwipe();
    const split = splitTracks(text, this.options.keyboard?.passesLrc === true);
    const outcome = interpretSwipe(
      { tracks: split.tracks, stray: split.stray || !complete },
      { rule: this.rule, sentinels: 'required' },
    );
    // An incomplete swipe is "swipe again" even if what arrived looks fine, unless it is a bank card's.
    if (!complete && outcome.kind === 'member') this.refuse('SWIPE_UNREADABLE');
    else this.report(outcome);
  }

  private handleMagtekReport(report: Uint8Array): void {
    const swipe = decodeMagtekReport(report);
    if (swipe === undefined) {
      this.refuse('SWIPE_UNREADABLE');
      return;
    }
    this.conclude(swipe, 'optional');
  }

  private handleIdtechReport(report: Uint8Array): void {
    this.frames.push(report, (frame) => {
      if (frame.kind === 'damaged') this.refuse('SWIPE_UNREADABLE');
      // ID TECH readers encrypt financial cards; the masked tracks they send with them are never a member.
      else if (frame.encrypted) this.refuse('CARD_IS_PAYMENT_CARD');
      else this.conclude(frame.swipe, 'optional');
    });
    if (this.frames.pending) {
      this.armSwipeTimer(this.options.stallMs ?? 1000, () => {
        this.frames.reset();
        this.refuse('SWIPE_UNREADABLE');
      });
    } else {
      clearTimeout(this.swipeTimer);
      this.swipeTimer = undefined;
    }
  }

  private conclude(swipe: RawSwipe, sentinels: 'required' | 'optional'): void {
    this.report(interpretSwipe(swipe, { rule: this.rule, sentinels }));
  }

  private report(outcome: SwipeOutcome): void {
    if (outcome.kind === 'refused') {
      this.refuse(outcome.code);
      return;
    }
    this.logger?.info({ device: this.id, maskedTrack: outcome.maskedTrack }, 'member card swiped');
    this.deliver('swipe', {
      device: this.id,
      memberNumber: outcome.memberNumber,
      maskedTrack: outcome.maskedTrack,
    });
  }

  private refuse(code: SwipeErrorCode): void {
    this.logger?.info({ device: this.id, code }, 'swipe refused');
    this.deliver('swipe.error', { device: this.id, code });
  }

  /**
   * Emits an event; a listener that throws is logged and does not reach the HID stack's callback (where it
   * would be an uncaught exception) nor turn into a decoding error.
   */
  private deliver<E extends keyof SwiperEvents>(event: E, ...payload: SwiperEvents[E]): void {
    try {
      (this.emit as (event: E, ...args: SwiperEvents[E]) => boolean)(event, ...payload);
    } catch (error) {
      this.logger?.warn(
        {
          device: this.id,
          code: 'SWIPER_LISTENER_FAILED',
          event,
          error: error instanceof Error ? error.name : 'unknown',
        },
        'a swiper event listener failed',
      );
    }
  }

  private armSwipeTimer(ms: number, fire: () => void): void {
    clearTimeout(this.swipeTimer);
    this.swipeTimer = setTimeout(() => {
      this.swipeTimer = undefined;
      fire();
    }, ms);
  }

  private resetSwipe(): void {
    clearTimeout(this.swipeTimer);
    this.swipeTimer = undefined;
    this.text.fill(0, 0, this.textLength);
    this.textLength = 0;
    this.damaged = false;
    this.keyboardDecoder.reset();
    this.frames.reset();
  }

  private tryOpen(): void {
    this.reconnectTimer = undefined;
    if (this.state === 'stopped') return;
    let found: HidDeviceInfo | undefined;
    try {
      found = this.backend.devices().find((info) => matchesSelector(info, this.options.selector));
      if (found?.path !== undefined) {
        this.attach(this.backend.open(found.path), found);
        return;
      }
    } catch (error) {
      // Logged once per kind of failure, not at every retry (a missing udev rule fails every 5 s).
      const code = error instanceof DeviceError ? error.code : 'HID_OPEN_FAILED';
      if (code !== this.lastOpenFailure) {
        this.lastOpenFailure = code;
        this.logger?.warn({ device: this.id, code }, 'swiper could not be opened');
      }
    }
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, this.options.reconnect?.maxMs ?? 5000);
    this.reconnectTimer = setTimeout(() => this.tryOpen(), delay);
  }

  private attach(connection: HidConnection, info: HidDeviceInfo): void {
    this.connection = connection;
    this.connected = info;
    this.lastOpenFailure = undefined;
    this.reconnectDelay = this.options.reconnect?.initialMs ?? 250;
    connection.on('data', (report) => {
      if (this.connection === connection) this.handleReport(report);
    });
    connection.on('error', () => {
      if (this.connection !== connection) return;
      // node-hid reports an unplug as a read error: drop the handle and look for the device again.
      this.logger?.warn({ device: this.id, code: 'SWIPER_DISCONNECTED' }, 'swiper disconnected');
      this.closeConnection();
      this.resetSwipe();
      this.setState('disconnected');
      this.scheduleReopen();
    });
    this.logger?.info(
      { device: this.id, vendorId: info.vendorId, productId: info.productId },
      'swiper connected',
    );
    this.setState('connected');
  }

  private closeConnection(): void {
    const connection = this.connection;
    this.connection = undefined;
    this.connected = undefined;
    if (connection === undefined) return;
    try {
      connection.close();
    } catch {
      // Closing an unplugged device can fail; the handle is gone either way.
    }
  }

  private setState(state: SwiperState): void {
    if (this.state === state) return;
    this.state = state;
    this.deliver('status', { device: this.id, state });
  }
}
