/**
 * The reader manager: follows readers and cards through a CardTransport, reads each presented card
 * (one command queue per reader, every APDU with a timeout), and reports what it found. It knows
 * nothing of members: the host turns `uid`, `cardNumber` and `verified` into a member.
 *
 * Events:
 *   status          transport status ("pcscd not running", retrying…)
 *   reader.added / reader.removed
 *   card.presented  { reader, atr, cardType, medium, uid?, cardNumber?, verified, format, error? }
 *   card.failed     the card could not be read (pulled away mid-read, timed out)
 *   card.removed
 */
import { EventEmitter } from 'node:events';
import { DeviceError } from '../errors';
import { hasAcr122Signals, SIGNAL_FAILURE, SIGNAL_SUCCESS } from './acr122';
import { type CardType, decodeAtr, hasUid, isClassic, isUltralight, type Medium } from './atr';
import { assertCardNumber } from './formats/card-number';
import type { ChainKeys } from './formats/chain-keys';
import {
  checkIssuableClassic,
  type IssueOutcome,
  issueSecuredClassic,
  mirrorPurse,
  readPurse,
  readSecuredClassic,
  readUid,
  type SecuredCardContents,
} from './formats/secured-classic';
import { issueSle4442, readSle4442 } from './formats/sle4442-card';
import { checkIssuableUltralight, issueUltralight, readUltralight } from './formats/ultralight';
import type { CardSession } from './session';
import {
  type CardConnection,
  type CardTransport,
  IOCTL_CCID_ESCAPE,
  type ReaderState,
  type TransportEvents,
  type TransportStatus,
} from './transport';

export type CardFormat = 'secured-classic' | 'secured-ultralight' | 'secured-memory' | 'uid' | 'none';

export interface CardPresented {
  reader: string;
  atr: string;
  cardType: CardType;
  medium: Medium;
  uid?: string;
  cardNumber?: string;
  /** True only when the card's MAC verified against this chain's secret. */
  verified: boolean;
  format: CardFormat;
  /** CARD_FOREIGN (not issued by this chain) or CARD_UNSUPPORTED ("unsupported card"). */
  error?: { code: string; message: string };
  /** UTC epoch milliseconds. */
  presentedAt: number;
}

export interface CardFailed {
  reader: string;
  atr: string;
  code: string;
  message: string;
}

export interface ManagerEvents {
  status: [TransportStatus];
  'reader.added': [{ reader: string }];
  'reader.removed': [{ reader: string }];
  'card.presented': [CardPresented];
  'card.failed': [CardFailed];
  'card.removed': [{ reader: string }];
}

export interface SecuredFormatConfig {
  keys: ChainKeys;
  /** Sector of the secured MIFARE Classic layout. */
  sector: number;
}

export interface ReaderManagerOptions {
  transport: CardTransport;
  /** The chain's card secrets; without them cards are read by UID only. */
  secured?: SecuredFormatConfig;
  /** Per APDU. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** LED/buzzer on readers that have them (ACR122U). */
  signals?: boolean;
  /** Which readers this manager drives (the technician pairs readers); all of them by default. */
  acceptReader?: (reader: string) => boolean;
  /**
   * Cards the store registered by their UID (plain cards with no secured format): such a card is reported by
   * UID without a secured read, where it would otherwise be refused as CARD_FOREIGN once keys are configured.
   */
  registeredUid?: (uid: string) => boolean;
}

/** A session bound to one connection, with the manager's timeout. */
export interface ReaderSession extends CardSession {
  readonly reader: string;
  reselect(): Promise<void>;
}

interface ReaderSlot {
  queue: Promise<unknown>;
  present: boolean;
  atr: Buffer | undefined;
  /** Bumped on every insert and removal, so a read finishing after its card left is not reported. */
  generation: number;
}

export class ReaderManager extends EventEmitter<ManagerEvents> {
  private readonly transport: CardTransport;
  private readonly slots = new Map<string, ReaderSlot>();
  private readonly commandTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly unsubscribers: Array<() => void> = [];
  private started = false;

  constructor(private readonly options: ReaderManagerOptions) {
    super();
    this.transport = options.transport;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const events = this.transport.events;
    const on = <K extends keyof TransportEvents>(
      name: K,
      listener: (...args: TransportEvents[K]) => void,
    ): void => {
      events.on(name, listener as never);
      this.unsubscribers.push(() => events.off(name, listener as never));
    };
    const accept = this.options.acceptReader ?? (() => true);
    on('status', (status) => this.emit('status', status));
    on('reader.added', (reader) => accept(reader) && this.readerAdded(reader));
    on('reader.removed', (reader) => accept(reader) && this.readerRemoved(reader));
    on('reader.state', (reader, state) => accept(reader) && this.readerState(reader, state));
    this.transport.start();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const off of this.unsubscribers.splice(0)) off();
    await Promise.allSettled([...this.slots.values()].map((slot) => slot.queue));
    this.slots.clear();
    await this.transport.stop();
  }

  status(): TransportStatus {
    return this.transport.status();
  }

  readers(): string[] {
    return [...this.slots.keys()];
  }

  private slot(reader: string): ReaderSlot {
    let slot = this.slots.get(reader);
    if (!slot) {
      slot = { queue: Promise.resolve(), present: false, atr: undefined, generation: 0 };
      this.slots.set(reader, slot);
    }
    return slot;
  }

  private readerAdded(reader: string): void {
    this.slot(reader);
    this.emit('reader.added', { reader });
  }

  private readerRemoved(reader: string): void {
    const slot = this.slots.get(reader);
    if (slot?.present) this.readerState(reader, { present: false });
    this.slots.delete(reader);
    this.emit('reader.removed', { reader });
  }

  private readerState(reader: string, state: ReaderState): void {
    const slot = this.slot(reader);
    if (!state.present) {
      if (!slot.present) return;
      slot.present = false;
      slot.atr = undefined;
      slot.generation += 1;
      this.emit('card.removed', { reader });
      return;
    }
    if (slot.present && slot.atr && state.atr && slot.atr.equals(state.atr)) return;
    if (slot.present) {
      slot.generation += 1;
      this.emit('card.removed', { reader });
    }
    slot.present = true;
    slot.atr = state.atr;
    slot.generation += 1;
    const generation = slot.generation;
    const atr = state.atr ?? Buffer.alloc(0);
    this.enqueue(reader, () => this.readPresented(reader, atr, generation));
  }

  /**
   * Reads the card on `reader` again and reports it as if it had just been presented: for a read that
   * failed while the card stayed on the reader (pcscd reports no new insertion then).
   */
  rescan(reader: string): void {
    const slot = this.slots.get(reader);
    if (!slot?.present || !slot.atr) {
      throw new DeviceError('CARD_REMOVED', 'no card on the reader', { details: { reader } });
    }
    slot.generation += 1;
    const generation = slot.generation;
    const atr = slot.atr;
    this.enqueue(reader, () => this.readPresented(reader, atr, generation));
  }

  /** Runs `task` after everything already queued on this reader; one command sequence at a time. */
  private enqueue<T>(reader: string, task: () => Promise<T>): Promise<T> {
    const slot = this.slot(reader);
    const run = slot.queue.then(task, task);
    slot.queue = run.catch(() => undefined);
    return run;
  }

  private session(connection: CardConnection): ReaderSession {
    return {
      reader: connection.reader,
      transmit: (apdu) => connection.transmit(apdu, this.commandTimeoutMs),
      reselect: () => connection.reselect(this.connectTimeoutMs),
    };
  }

  private async signal(connection: CardConnection, success: boolean): Promise<void> {
    if (this.options.signals === false || !hasAcr122Signals(connection.reader)) return;
    try {
      await connection.control(
        IOCTL_CCID_ESCAPE,
        success ? SIGNAL_SUCCESS : SIGNAL_FAILURE,
        this.commandTimeoutMs,
      );
    } catch {
      // A silent reader never fails a read.
    }
  }

  private async readPresented(reader: string, atr: Buffer, generation: number): Promise<void> {
    const info = decodeAtr(atr);
    const base = {
      reader,
      atr: info.atr,
      cardType: info.cardType,
      medium: info.medium ?? ('contactless' as Medium),
    };
    const stillThere = (): boolean => this.slots.get(reader)?.generation === generation;

    if (info.cardType === 'sle4442' && this.options.secured) {
      await this.readMemoryCard(reader, base, stillThere);
      return;
    }
    if (!hasUid(info.cardType)) {
      if (stillThere()) {
        this.emit('card.presented', {
          ...base,
          verified: false,
          format: 'none',
          error: { code: 'CARD_UNSUPPORTED', message: 'unsupported card' },
          presentedAt: Date.now(),
        });
      }
      return;
    }

    let connection: CardConnection | undefined;
    try {
      connection = await this.transport.connect(reader, this.connectTimeoutMs);
      const session = this.session(connection);
      const uid = await readUid(session);
      const uidHex = uid.toString('hex').toUpperCase();
      const presented: CardPresented = {
        ...base,
        uid: uidHex,
        verified: false,
        format: 'uid',
        presentedAt: 0,
      };
      const secured = this.options.registeredUid?.(uidHex) ? undefined : this.options.secured;
      let contents: SecuredCardContents | undefined;
      try {
        if (secured && isClassic(info.cardType)) {
          presented.format = 'secured-classic';
          contents = await readSecuredClassic(session, secured, uid);
        } else if (secured && isUltralight(info.cardType)) {
          presented.format = 'secured-ultralight';
          contents = await readUltralight(session, secured.keys, uid);
        }
      } catch (error) {
        if (!(error instanceof DeviceError && error.code === 'CARD_FOREIGN')) throw error;
        presented.error = { code: error.code, message: error.message };
      }
      if (contents) {
        presented.cardNumber = contents.cardNumber;
        presented.verified = true;
      }
      await this.signal(connection, presented.error === undefined);
      presented.presentedAt = Date.now();
      if (stillThere()) this.emit('card.presented', presented);
    } catch (error) {
      const failure =
        error instanceof DeviceError ? error : new DeviceError('CARD_READ_FAILED', String(error));
      if (connection) await this.signal(connection, false);
      this.emit('card.failed', { reader, atr: info.atr, code: failure.code, message: failure.message });
    } finally {
      await connection?.disconnect();
    }
  }

  /** SLE4442 contact cards: no UID, the member data and its MAC in the card's memory. */
  private async readMemoryCard(
    reader: string,
    base: Pick<CardPresented, 'reader' | 'atr' | 'cardType' | 'medium'>,
    stillThere: () => boolean,
  ): Promise<void> {
    let connection: CardConnection | undefined;
    try {
      connection = await this.transport.connect(reader, this.connectTimeoutMs);
      const presented: CardPresented = { ...base, verified: false, format: 'secured-memory', presentedAt: 0 };
      try {
        const contents = await readSle4442(this.session(connection), this.requireSecured().keys);
        presented.cardNumber = contents.cardNumber;
        presented.verified = true;
      } catch (error) {
        if (!(error instanceof DeviceError && error.code === 'CARD_FOREIGN')) throw error;
        presented.error = { code: error.code, message: error.message };
      }
      presented.presentedAt = Date.now();
      if (stillThere()) this.emit('card.presented', presented);
    } catch (error) {
      const failure =
        error instanceof DeviceError ? error : new DeviceError('CARD_READ_FAILED', String(error));
      this.emit('card.failed', { reader, atr: base.atr, code: failure.code, message: failure.message });
    } finally {
      await connection?.disconnect();
    }
  }

  /**
   * Runs `task` with the card on `reader`, queued behind the reader's other commands. The task gets a
   * session whose every APDU has the manager's timeout; the card is disconnected afterwards.
   */
  withCard<T>(reader: string, task: (session: ReaderSession, cardType: CardType) => Promise<T>): Promise<T> {
    return this.enqueue(reader, async () => {
      const slot = this.slots.get(reader);
      if (!slot?.present || !slot.atr) {
        throw new DeviceError('CARD_REMOVED', 'no card on the reader', { details: { reader } });
      }
      const { cardType } = decodeAtr(slot.atr);
      const connection = await this.transport.connect(reader, this.connectTimeoutMs);
      try {
        return await task(this.session(connection), cardType);
      } finally {
        await connection.disconnect();
      }
    });
  }

  private requireSecured(): SecuredFormatConfig {
    if (!this.options.secured) {
      throw new DeviceError('CARD_CONFIG_MISSING', 'no chain card keys configured on this terminal');
    }
    return this.options.secured;
  }

  /** Issues the card on `reader` with a card number (secured Classic or Ultralight format). */
  issueCard(reader: string, request: { cardNumber: string; purseFen?: number }): Promise<IssueOutcome> {
    const secured = this.requireSecured();
    return this.withCard(reader, async (session, cardType) => {
      if (isClassic(cardType)) {
        return issueSecuredClassic(session, {
          ...secured,
          cardNumber: request.cardNumber,
          purseFen: request.purseFen,
          reselect: () => session.reselect(),
        });
      }
      if (isUltralight(cardType)) {
        await issueUltralight(session, secured.keys, request.cardNumber);
        return 'issued';
      }
      if (cardType === 'sle4442') {
        await issueSle4442(session, secured.keys, request.cardNumber);
        return 'issued';
      }
      throw new DeviceError('CARD_UNSUPPORTED', 'unsupported card', { details: { reader, cardType } });
    });
  }

  /**
   * Whether `issueCard` can write this number onto the card on `reader`, writing nothing: the number must fit
   * the card format (CARD_NUMBER_INVALID) and the card must open to this chain or to its transport key
   * (CARD_FOREIGN otherwise). 'already-issued' when it already carries this number.
   */
  checkIssuable(reader: string, cardNumber: string): Promise<IssueOutcome> {
    const secured = this.requireSecured();
    assertCardNumber(cardNumber);
    return this.withCard(reader, async (session, cardType) => {
      if (isClassic(cardType)) {
        return checkIssuableClassic(session, { ...secured, cardNumber, reselect: () => session.reselect() });
      }
      if (isUltralight(cardType)) return checkIssuableUltralight(session, secured.keys, cardNumber);
      // An SLE4442 counts every wrong code against three tries: it is not probed, its write says how it went.
      if (cardType === 'sle4442') return 'issued';
      throw new DeviceError('CARD_UNSUPPORTED', 'unsupported card', { details: { reader, cardType } });
    });
  }

  /** Reads the on-card purse of a secured Classic card (fen). Advisory: the ledger is the truth. */
  readPurse(reader: string): Promise<number> {
    const secured = this.requireSecured();
    return this.withCard(reader, async (session, cardType) => {
      if (!isClassic(cardType)) throw new DeviceError('CARD_UNSUPPORTED', 'this card type carries no purse');
      const uid = await readUid(session);
      return readPurse(session, secured, uid);
    });
  }

  /**
   * Writes the ledger's balance into the on-card purse. With `expectedCardNumber`, the card on the reader
   * must carry that number (CARD_MISMATCH otherwise), so a card swapped since it was read is never written.
   */
  mirrorPurse(reader: string, balanceFen: number, expectedCardNumber?: string): Promise<void> {
    const secured = this.requireSecured();
    return this.withCard(reader, async (session, cardType) => {
      if (!isClassic(cardType)) throw new DeviceError('CARD_UNSUPPORTED', 'this card type carries no purse');
      const uid = await readUid(session);
      const contents = await readSecuredClassic(session, secured, uid);
      if (expectedCardNumber !== undefined && contents.cardNumber !== expectedCardNumber) {
        throw new DeviceError('CARD_MISMATCH', 'another card is on the reader', {
          details: { reader, uid: contents.uid },
        });
      }
      if (!contents.hasPurse)
        throw new DeviceError('PURSE_MISSING', 'card was issued without an on-card purse');
      await mirrorPurse(session, secured, uid, balanceFen);
    });
  }
}
