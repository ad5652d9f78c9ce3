/**
 * The devices a technician paired to this terminal: one member-card reader (a PC/SC reader by name), one
 * magstripe swiper (HID, by VID/PID and serial number) and one receipt printer (profile and transport, with
 * the cash drawer on its drawer port). The pairing is kept per terminal id in the ledger's settings, applied
 * at every start, and applied again at once when the technician changes it. A paired reader or swiper is the
 * only one of its kind the counter listens to (see `pairedOnly` for the store's auto-joined devices).
 *
 * Re-plugging needs nothing from anyone: pcscd reports the reader coming back and the reader manager picks it
 * up; the swiper driver keeps looking for its device (with backoff) while it is away; the printer link is
 * retried every few seconds while it is down. A role with nothing paired keeps the old behaviour: the desktop
 * app and `npm start` join every reader and vendor-mode swiper found (`devices/hardware.ts`), the tests and
 * training use the simulator.
 */
import { type Ledger, withinTransaction } from '../../../db';
import {
  type CardPresented,
  type HidBackend,
  nodeHidBackend,
  PcscliteTransport,
  ReaderManager,
  type ReaderManagerOptions,
  Swiper,
} from '../../../hardware/index';
import type {
  PairingRole,
  PairingView,
  PrinterPairing,
  ReaderPairing,
  RoleStatus,
  SwiperPairing,
  TerminalSettings,
} from '../../contract';
import { ApiError } from '../../errors';
import type { HostAudit } from '../audit';
import type { DeviceHub } from '../hub';
import type { Logger } from '../logger';
import type { Printing } from './printing';
import { joinReaders } from './readers';
import { joinSwiper } from './swipers';

export const PCSC_SERVICE = 'PC/SC';
export const PAIRED_SWIPER = 'Swiper';

interface StoredPairing {
  reader: ReaderPairing | null;
  swiper: SwiperPairing | null;
  printer: PrinterPairing | null;
  settings: TerminalSettings;
}

const EMPTY: StoredPairing = {
  reader: null,
  swiper: null,
  printer: null,
  settings: { kioskMode: false, startAtLogin: false },
};

/** The settings key a terminal's pairing is kept under. */
export const pairingKey = (terminalId: string) => `devices.pairing.${terminalId}`;

/** This terminal's stored pairing (nothing paired when there is none). */
export function storedPairing(ledger: Ledger, terminalId: string): StoredPairing {
  const saved = ledger.settings.get<Partial<StoredPairing>>(pairingKey(terminalId));
  return { ...EMPTY, ...(saved ?? {}), settings: { ...EMPTY.settings, ...(saved?.settings ?? {}) } };
}

export interface PairedDevicesOptions {
  ledger: Ledger;
  terminalId: string;
  hub: DeviceHub;
  logger: Logger;
  printing: Printing;
  /** Options the paired reader's manager shares with the store's other readers (card security). */
  readerOptions?: () => Omit<ReaderManagerOptions, 'transport' | 'acceptReader'>;
  /** Told of the paired reader's manager (the on-card purse follows its cards); returns the detach. */
  onReaderManager?: (manager: ReaderManager) => () => void;
  /** The HID stack swipers are listed and opened through (default node-hid). */
  hidBackend?: HidBackend;
  /** Applies start-at-login when the setting changes. */
  onSettings?: (settings: TerminalSettings) => void;
  /** Where each pairing, unpairing and settings change is audited, in the transaction that stores it. */
  audit?: HostAudit;
}

/** What an audit line says about a paired device: its role, kind and id, never more. */
export function deviceFacts(
  role: PairingRole,
  config: ReaderPairing | SwiperPairing | PrinterPairing | null,
): Record<string, unknown> {
  if (config === null) return { role, kind: null, device: null };
  if (role === 'reader') return { role, kind: 'pcsc-reader', device: (config as ReaderPairing).reader };
  if (role === 'swiper') {
    const swiper = config as SwiperPairing;
    return {
      role,
      kind: 'hid',
      device: `${swiper.vendorId}:${swiper.productId}`,
      serialNumber: swiper.serialNumber ?? null,
      mode: swiper.mode,
    };
  }
  const printer = config as PrinterPairing;
  const transport = printer.transport;
  return {
    role,
    kind: transport.kind,
    device: transport.kind === 'tcp' ? `${transport.host}:${transport.port}` : transport.path,
    profileId: printer.profileId,
    drawer: printer.drawer,
  };
}

type Stop = () => Promise<void> | void;

export class PairedDevices {
  private stored: StoredPairing;
  private readerStops: Stop[] = [];
  private swiperStops: Stop[] = [];
  private readerManager: ReaderManager | null = null;
  private swiper: Swiper | null = null;
  /** The card on each reader right now, with what the reader manager read (ATR, type). */
  private readonly onReaders = new Map<string, CardPresented>();
  private readonly hidBackend: HidBackend;
  /** Tests waiting for a card or a swipe; told when the host stops. */
  private readonly waiting = new Set<(error: Error) => void>();

  constructor(private readonly options: PairedDevicesOptions) {
    this.stored = storedPairing(options.ledger, options.terminalId);
    this.hidBackend = options.hidBackend ?? nodeHidBackend;
  }

  /**
   * Applies the stored reader and swiper (at host start). The printer was handed to the print queue when it
   * was made (`storedPairing(…).printer`), so the first receipt already goes to it.
   */
  start(): void {
    this.applyReader();
    this.applySwiper();
    const { reader, swiper, printer } = this.stored;
    if (reader !== null || swiper !== null || printer !== null) {
      this.options.logger.info({ reader, swiper, printer }, 'paired devices applied');
    }
  }

  view(): PairingView {
    return {
      terminalId: this.options.terminalId,
      reader: this.stored.reader,
      swiper: this.stored.swiper,
      printer: this.stored.printer,
      settings: this.stored.settings,
    };
  }

  get settings(): TerminalSettings {
    return this.stored.settings;
  }

  /** Whether the store's auto-joined devices should leave a role alone because something is paired to it. */
  pairedOnly(role: 'reader' | 'swiper'): boolean {
    return this.stored[role] !== null;
  }

  get hid(): HidBackend {
    return this.hidBackend;
  }

  /** Stores the pairing and its audit line in one transaction: neither stands without the other. */
  private save(
    next: StoredPairing,
    line?: { action: string; staffId: string | null; details: object },
  ): void {
    const { ledger, audit } = this.options;
    withinTransaction(ledger, () => {
      ledger.settings.set(pairingKey(this.options.terminalId), next);
      if (line && audit) {
        audit.record({ action: line.action, staffId: line.staffId, details: line.details as never });
      }
    });
    this.stored = next;
  }

  async pair(
    input:
      | ({ role: 'reader' } & ReaderPairing)
      | ({ role: 'swiper' } & SwiperPairing)
      | ({ role: 'printer' } & PrinterPairing),
    staffId: string | null = null,
  ): Promise<PairingView> {
    const { role, ...config } = input;
    const previous = this.stored[role];
    this.save(
      { ...this.stored, [role]: config },
      {
        action: 'device.pair',
        staffId,
        details: {
          ...deviceFacts(role, config as ReaderPairing | SwiperPairing | PrinterPairing),
          replaced: previous === null ? null : deviceFacts(role, previous).device,
        },
      },
    );
    this.options.logger.info({ role, config }, 'device paired');
    await this.apply(role);
    return this.view();
  }

  async unpair(role: PairingRole, staffId: string | null = null): Promise<PairingView> {
    const previous = this.stored[role];
    this.save(
      { ...this.stored, [role]: null },
      { action: 'device.unpair', staffId, details: deviceFacts(role, previous) },
    );
    this.options.logger.info({ role }, 'device unpaired');
    await this.apply(role);
    return this.view();
  }

  setSettings(patch: Partial<TerminalSettings>, staffId: string | null = null): TerminalSettings {
    const before = this.stored.settings;
    const settings = { ...before, ...patch };
    this.options.onSettings?.(settings);
    const changed = (Object.keys(patch) as (keyof TerminalSettings)[]).filter(
      (key) => before[key] !== settings[key],
    );
    this.save(
      { ...this.stored, settings },
      {
        action: 'settings.change',
        staffId,
        details: {
          key: pairingKey(this.options.terminalId),
          from: Object.fromEntries(changed.map((key) => [key, before[key]])),
          to: Object.fromEntries(changed.map((key) => [key, settings[key]])),
        },
      },
    );
    return settings;
  }

  private async apply(role: PairingRole): Promise<void> {
    if (role === 'reader') {
      await this.stopAll(this.readerStops);
      this.applyReader();
    } else if (role === 'swiper') {
      await this.stopAll(this.swiperStops);
      this.applySwiper();
    } else {
      await this.options.printing.setPrinter(this.stored.printer);
    }
  }

  private async stopAll(stops: Stop[]): Promise<void> {
    for (const stop of stops.splice(0).reverse()) await stop();
  }

  private applyReader(): void {
    const { hub, logger } = this.options;
    const paired = this.stored.reader;
    this.readerManager = null;
    this.onReaders.clear();
    if (paired === null) return;
    try {
      const manager = new ReaderManager({
        ...this.options.readerOptions?.(),
        transport: new PcscliteTransport(),
        acceptReader: (reader: string) => reader === paired.reader,
      });
      const detach = joinReaders(manager, hub, logger, { source: 'reader', transportName: PCSC_SERVICE });
      const detachMore = this.options.onReaderManager?.(manager) ?? (() => {});
      const onPresented = (card: CardPresented) => this.onReaders.set(card.reader, card);
      const onRemoved = ({ reader }: { reader: string }) => this.onReaders.delete(reader);
      manager.on('card.presented', onPresented);
      manager.on('card.removed', onRemoved);
      manager.start();
      this.readerManager = manager;
      this.readerStops.push(detach, detachMore, async () => {
        manager.off('card.presented', onPresented);
        manager.off('card.removed', onRemoved);
        await manager.stop();
        hub.emit('device.status', { device: paired.reader, kind: 'reader', state: 'disconnected' });
      });
      if (!manager.readers().includes(paired.reader)) {
        hub.emit('device.status', { device: paired.reader, kind: 'reader', state: 'disconnected' });
      }
    } catch (error) {
      logger.warn({ err: error }, 'PC/SC readers unavailable');
      hub.emit('device.status', {
        device: PCSC_SERVICE,
        kind: 'reader',
        state: 'error',
        detail: 'unavailable',
      });
    }
  }

  private applySwiper(): void {
    const { hub, logger } = this.options;
    const paired = this.stored.swiper;
    this.swiper = null;
    const join = (swiper: Swiper) => {
      const detach = joinSwiper(swiper, hub, { source: 'swiper' });
      swiper.start();
      this.swiperStops.push(detach, () => {
        swiper.stop();
        hub.emit('device.status', { device: swiper.id, kind: 'swiper', state: 'disconnected' });
      });
    };
    if (paired === null) return;
    {
      const swiper = new Swiper({
        id: paired.name ?? PAIRED_SWIPER,
        selector: {
          vendorId: paired.vendorId,
          productId: paired.productId,
          ...(paired.serialNumber === undefined ? {} : { serialNumber: paired.serialNumber }),
        },
        mode: paired.mode,
        backend: this.hidBackend,
        logger,
      });
      this.swiper = swiper;
      hub.emit('device.status', { device: swiper.id, kind: 'swiper', state: 'disconnected' });
      join(swiper);
    }
  }

  /** Each role's device and state, as the Devices screen shows them. */
  roles(): RoleStatus[] {
    const devices = this.options.hub.deviceList();
    const find = (name: string) => devices.find((device) => device.device === name);
    const reader = this.stored.reader;
    const readerStatus = ((): RoleStatus => {
      if (reader === null) {
        const any = devices.find((device) => device.kind === 'reader' && device.state === 'connected');
        const simulated = devices.find((device) => device.kind === 'reader' && device.state === 'simulated');
        const used = any ?? simulated;
        return {
          role: 'reader',
          paired: false,
          device: used?.device ?? null,
          state: used?.state ?? 'disconnected',
        };
      }
      const service = find(PCSC_SERVICE);
      if (service !== undefined && service.state === 'error') {
        return {
          role: 'reader',
          paired: true,
          device: reader.reader,
          state: 'error',
          ...(service.detail === undefined ? {} : { detail: service.detail }),
        };
      }
      const status = find(reader.reader);
      return { role: 'reader', paired: true, device: reader.reader, state: status?.state ?? 'disconnected' };
    })();
    const swiper = this.stored.swiper;
    const swiperStatus = ((): RoleStatus => {
      if (swiper === null) {
        const used =
          devices.find((device) => device.kind === 'swiper' && device.state === 'connected') ??
          devices.find((device) => device.kind === 'swiper' && device.state === 'simulated');
        return {
          role: 'swiper',
          paired: false,
          device: used?.device ?? null,
          state: used?.state ?? 'disconnected',
        };
      }
      const id = swiper.name ?? PAIRED_SWIPER;
      return { role: 'swiper', paired: true, device: id, state: find(id)?.state ?? 'disconnected' };
    })();
    const printer = this.options.printing.current();
    const printerStatus: RoleStatus = {
      role: 'printer',
      paired: printer.paired,
      device: printer.description,
      state: printer.state.state,
      ...(printer.state.detail === undefined ? {} : { detail: printer.state.detail }),
    };
    return [readerStatus, swiperStatus, printerStatus];
  }

  /** The card on the paired reader now, or the next one tapped within `timeoutMs`. */
  readCard(timeoutMs: number): Promise<CardPresented> {
    const paired = this.stored.reader;
    const manager = this.readerManager;
    if (paired === null || manager === null) {
      throw new ApiError('DEVICE_NOT_PAIRED', 'No member-card reader is paired', {
        details: { role: 'reader' },
      });
    }
    const present = this.onReaders.get(paired.reader);
    if (present !== undefined) return Promise.resolve(present);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(cancel);
        manager.off('card.presented', onPresented);
        manager.off('card.failed', onFailed);
      };
      const cancel = (error: Error) => {
        done();
        reject(error);
      };
      this.waiting.add(cancel);
      const onPresented = (card: CardPresented) => {
        done();
        resolve(card);
      };
      const onFailed = (failure: { code: string; message: string; atr: string }) => {
        // A card lifted while it was being read (or still settling on the reader) is read again when it lands.
        if (failure.code === 'CARD_REMOVED') return;
        done();
        reject(new ApiError(failure.code, failure.message, { details: { atr: failure.atr } }));
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new ApiError('DEVICE_TEST_TIMEOUT', 'No card was tapped in time', { details: { role: 'reader' } }),
        );
      }, timeoutMs);
      manager.on('card.presented', onPresented);
      manager.on('card.failed', onFailed);
    });
  }

  /** The next swipe on the paired swiper: its member number, or the refusal code (a bank card, a bad read). */
  nextSwipe(timeoutMs: number): Promise<{ memberNumber: string | null; refused: string | null }> {
    const swiper = this.swiper;
    if (this.stored.swiper === null || swiper === null) {
      throw new ApiError('DEVICE_NOT_PAIRED', 'No swiper is paired', { details: { role: 'swiper' } });
    }
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(cancel);
        swiper.off('swipe', onSwipe);
        swiper.off('swipe.error', onError);
      };
      const cancel = (error: Error) => {
        done();
        reject(error);
      };
      this.waiting.add(cancel);
      const onSwipe = (event: { memberNumber: string }) => {
        done();
        resolve({ memberNumber: event.memberNumber, refused: null });
      };
      const onError = (event: { code: string }) => {
        done();
        resolve({ memberNumber: null, refused: event.code });
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new ApiError('DEVICE_TEST_TIMEOUT', 'No card was swiped in time', { details: { role: 'swiper' } }),
        );
      }, timeoutMs);
      swiper.on('swipe', onSwipe);
      swiper.on('swipe.error', onError);
    });
  }

  printer(): PrinterPairing | null {
    return this.stored.printer;
  }

  async stop(): Promise<void> {
    for (const cancel of [...this.waiting]) cancel(new ApiError('HOST_STOPPING', 'The terminal is stopping'));
    await this.stopAll(this.swiperStops);
    await this.stopAll(this.readerStops);
  }
}
