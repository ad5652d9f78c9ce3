/**
 * A simulated swiper for the counter's simulator panel, training mode and tests. It stands in at the HID
 * seam: it is a backend with one device that sends the very reports a keyboard-emulating, MagTek or ID TECH
 * reader sends for a card, so everything above the seam is the code that runs with a real reader.
 */
import type { HidBackend, HidConnection, HidDeviceInfo } from './hid';
import { encodeIdtechFrame, toReports } from './idtech';
import { encodeKeyboardReports, type KeyboardStyle } from './keyboard';
import { encodeMagtekReport } from './magtek';
import type { SwiperMode } from './swiper';
import { formatTrack, type TrackNumber } from './tracks';

/** A card as the stripe holds it: the data of each track, without sentinels. */
export interface SimulatedCard {
  readonly track1?: string;
  readonly track2?: string;
  readonly track3?: string;
  /** Tracks the head fails to read on this swipe. */
  readonly unreadable?: readonly TrackNumber[];
}

export interface SimulatedSwiperOptions {
  readonly mode: SwiperMode;
  readonly info?: Partial<HidDeviceInfo>;
  readonly keyboardStyle?: KeyboardStyle;
  /** Keyboard readers: Enter after every track (ID TECH default) or once per swipe. */
  readonly terminator?: 'per-track' | 'per-swipe';
  /** Keyboard readers: the track-3 start sentinel (MagTek types `+` for ISO cards). */
  readonly track3Sentinel?: string;
  /** ID TECH: the size of the HID input report the frame is cut into. */
  readonly reportSize?: number;
}

const DEFAULT_INFO: Record<SwiperMode, HidDeviceInfo> = {
  keyboard: { vendorId: 0x0801, productId: 0x0001, product: 'Simulated keyboard swiper' },
  magtek: { vendorId: 0x0801, productId: 0x0002, product: 'Simulated MagTek swiper' },
  idtech: { vendorId: 0x0acd, productId: 0x2030, product: 'Simulated ID TECH swiper' },
};

let nextPath = 0;

class SimulatedConnection implements HidConnection {
  private readonly dataListeners: ((report: Uint8Array) => void)[] = [];
  private readonly errorListeners: ((error: Error) => void)[] = [];
  closed = false;

  constructor(private readonly onClose: () => void) {}

  on(event: 'data' | 'error', listener: ((report: Uint8Array) => void) | ((error: Error) => void)): this {
    if (event === 'data') this.dataListeners.push(listener as (report: Uint8Array) => void);
    else this.errorListeners.push(listener as (error: Error) => void);
    return this;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }

  deliver(report: Uint8Array): void {
    for (const listener of this.dataListeners) listener(report);
  }

  fail(error: Error): void {
    for (const listener of this.errorListeners) listener(error);
  }
}

export class SimulatedSwiper implements HidBackend {
  readonly info: HidDeviceInfo;
  private readonly options: SimulatedSwiperOptions;
  private plugged = true;
  private connection: SimulatedConnection | undefined;

  constructor(options: SimulatedSwiperOptions) {
    this.options = options;
    nextPath += 1;
    this.info = {
      ...DEFAULT_INFO[options.mode],
      path: `/dev/hidraw-sim${nextPath}`,
      serialNumber: `SIM${String(nextPath).padStart(5, '0')}`,
      ...options.info,
    };
  }

  devices(): HidDeviceInfo[] {
    return this.plugged ? [this.info] : [];
  }

  open(path: string): HidConnection {
    if (!this.plugged || path !== this.info.path) throw new Error(`cannot open ${path}: no such device`);
    this.connection?.close();
    const connection = new SimulatedConnection(() => {
      if (this.connection === connection) this.connection = undefined;
    });
    this.connection = connection;
    return connection;
  }

  get isOpen(): boolean {
    return this.connection !== undefined;
  }

  /** The reports the reader sends for one swipe of `card`. */
  reportsFor(card: SimulatedCard): Uint8Array[] {
    const failed = new Set(card.unreadable ?? []);
    const data: Partial<Record<TrackNumber, string>> = { 1: card.track1, 2: card.track2, 3: card.track3 };
    switch (this.options.mode) {
      case 'keyboard': {
        const perTrack = (this.options.terminator ?? 'per-track') === 'per-track';
        let text = '';
        for (const number of [1, 2, 3] as const) {
          const value = data[number];
          if (value === undefined && !failed.has(number)) continue;
          const ss = number === 3 ? (this.options.track3Sentinel ?? ';') : undefined;
          text += formatTrack(number, failed.has(number) ? 'E' : (value ?? ''), ss ? { ss } : {});
          if (perTrack) text += '\n';
        }
        if (!perTrack) text += '\n';
        return encodeKeyboardReports(text, this.options.keyboardStyle ?? 'press-release');
      }
      case 'magtek': {
        const tracks: Parameters<typeof encodeMagtekReport>[0] = {};
        for (const number of [1, 2, 3] as const) {
          const value = data[number];
          if (failed.has(number)) tracks[number] = { status: 0x01 };
          else if (value !== undefined) tracks[number] = { text: formatTrack(number, value) };
        }
        return [encodeMagtekReport(tracks)];
      }
      case 'idtech': {
        const tracks: Partial<Record<TrackNumber, string>> = {};
        for (const number of [1, 2, 3] as const) {
          const value = data[number];
          if (value !== undefined && !failed.has(number)) tracks[number] = formatTrack(number, value);
        }
        return toReports(
          encodeIdtechFrame(tracks, { unreadable: [...failed] }),
          this.options.reportSize ?? 64,
        );
      }
    }
  }

  /** Swipes a card through the reader; returns how many reports it sent. */
  swipe(card: SimulatedCard): number {
    const reports = this.reportsFor(card);
    for (const report of reports) this.send(report);
    return reports.length;
  }

  /** Sends one raw report to whoever has the device open (recorded sequences, noise). */
  send(report: Uint8Array): void {
    if (!this.plugged) return;
    this.connection?.deliver(report);
  }

  /** Pulls the reader out: an open handle gets the read error node-hid gives on unplug. */
  unplug(): void {
    this.plugged = false;
    const connection = this.connection;
    this.connection = undefined;
    connection?.fail(new Error('could not read from HID device'));
  }

  plug(): void {
    this.plugged = true;
  }
}
