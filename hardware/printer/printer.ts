/**
 * A receipt printer on one transport: connects, writes jobs, and knows its status from `DLE EOT` replies
 * and the automatic status back (ASB) frames it enables on connect. Replies are read asynchronously; the
 * two kinds are told apart by the first byte's fixed bits.
 */
import { DeviceError } from '../errors';
import { automaticStatusBack, realtimeStatus } from './escpos/commands';
import { decodeAsb, decodeRealtime, isAsbHeader, isRealtimeReply, type PrinterStatus } from './status';
import { Listeners, type PrinterTransport } from './transports/transport';

export interface PrinterOptions {
  /** How long to wait for each `DLE EOT` reply before calling the printer unreachable. */
  replyTimeoutMs?: number;
  /**
   * Whether the printer answers status requests. Some low-cost printers never reply; set this to false for
   * them so their status is reported as unknown instead of as disconnected. Defaults to what the transport
   * can do.
   */
  readsStatus?: boolean;
}

const DISCONNECTED: PrinterStatus = { known: false, reason: 'DISCONNECTED' };
const NO_READ_BACK: PrinterStatus = { known: false, reason: 'NO_READ_BACK' };

export class EscPosPrinter {
  private readonly statusListeners = new Listeners<[PrinterStatus]>();
  private readonly replyTimeoutMs: number;
  private readonly readsStatus: boolean;
  private lastStatus: PrinterStatus = DISCONNECTED;
  private asb: number[] | null = null;
  private waiting: { resolve: (byte: number) => void } | null = null;
  private query: Promise<PrinterStatus> | null = null;
  private connecting: Promise<void> | null = null;
  private lateReplyPossible = false;
  private unsubscribe: (() => void)[] = [];

  constructor(
    readonly transport: PrinterTransport,
    options: PrinterOptions = {},
  ) {
    this.replyTimeoutMs = options.replyTimeoutMs ?? 1000;
    this.readsStatus = transport.canReadBack && (options.readsStatus ?? true);
  }

  get connected(): boolean {
    return this.transport.isOpen;
  }

  /** The latest status known without asking the printer (from ASB frames or the last query). */
  get cachedStatus(): PrinterStatus {
    if (!this.transport.isOpen) return DISCONNECTED;
    return this.readsStatus ? this.lastStatus : NO_READ_BACK;
  }

  /** Status changes: every ASB frame, every query result and every disconnect. */
  onStatus(listener: (status: PrinterStatus) => void): () => void {
    return this.statusListeners.add(listener);
  }

  /** Opens the transport if needed, enables ASB and reads the status once. */
  connect(): Promise<void> {
    if (this.transport.isOpen) return Promise.resolve();
    this.connecting ??= this.openAndGreet().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async openAndGreet(): Promise<void> {
    await this.transport.open();
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [
      this.transport.onData((chunk) => this.onBytes(chunk)),
      this.transport.onClose(() => this.setStatus(DISCONNECTED)),
    ];
    this.asb = null;
    if (!this.readsStatus) {
      this.setStatus(NO_READ_BACK);
      return;
    }
    this.lastStatus = { known: false, reason: 'NO_REPLY' };
    await this.transport.write(
      Uint8Array.from(automaticStatusBack({ drawer: true, online: true, error: true, paper: true })),
    );
    await this.status();
  }

  /**
   * Asks the printer (`DLE EOT 1–4`, one at a time as the printer expects) and returns what it said; an
   * unanswered query means the printer is off or the cable is out.
   */
  status(replyTimeoutMs = this.replyTimeoutMs): Promise<PrinterStatus> {
    if (!this.transport.isOpen) return Promise.resolve(DISCONNECTED);
    if (!this.readsStatus) return Promise.resolve(NO_READ_BACK);
    this.query ??= this.askAll(replyTimeoutMs).finally(() => {
      this.query = null;
    });
    return this.query;
  }

  private async askAll(replyTimeoutMs: number): Promise<PrinterStatus> {
    if (this.lateReplyPossible) {
      // Replies all look alike (0xx1xx10): an answer to the request that timed out could arrive now and be
      // taken for the answer to the next one. Wait it out first; bytes nobody waits for are dropped.
      await new Promise((resolve) => setTimeout(resolve, this.replyTimeoutMs));
      this.lateReplyPossible = false;
    }
    const replies: number[] = [];
    for (const n of [1, 2, 3, 4] as const) {
      const reply = await this.ask(n, replyTimeoutMs);
      if (reply === null) {
        this.lateReplyPossible = true;
        const status: PrinterStatus = this.transport.isOpen
          ? { known: false, reason: 'NO_REPLY' }
          : DISCONNECTED;
        this.setStatus(status);
        return status;
      }
      replies.push(reply);
    }
    const status = decodeRealtime(replies[0]!, replies[1]!, replies[2]!, replies[3]!);
    this.setStatus(status);
    return status;
  }

  private async ask(n: 1 | 2 | 3 | 4, replyTimeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<number | null>((resolve) => {
      this.waiting = { resolve };
      timer = setTimeout(() => resolve(null), replyTimeoutMs);
    });
    try {
      await this.transport.write(Uint8Array.from(realtimeStatus(n)));
    } catch {
      clearTimeout(timer);
      this.waiting = null;
      return null;
    }
    const byte = await reply;
    clearTimeout(timer);
    this.waiting = null;
    return byte;
  }

  /** Writes a job's bytes; resolves when the last byte has left this process. */
  async write(bytes: Uint8Array): Promise<void> {
    if (!this.transport.isOpen) {
      throw new DeviceError('PRINTER_DISCONNECTED', `${this.transport.description} is not connected`);
    }
    await this.transport.write(bytes);
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    await this.transport.close();
    this.setStatus(DISCONNECTED);
  }

  private onBytes(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (this.asb) {
        this.asb.push(byte);
        if (this.asb.length === 4) {
          const frame = this.asb;
          this.asb = null;
          this.setStatus(decodeAsb(frame));
        }
      } else if (isAsbHeader(byte)) {
        this.asb = [byte];
      } else if (isRealtimeReply(byte) && this.waiting) {
        this.waiting.resolve(byte);
        this.waiting = null;
      }
      // Anything else (a reply nobody waits for any more, line noise) is dropped.
    }
  }

  private setStatus(status: PrinterStatus): void {
    this.lastStatus = status;
    this.statusListeners.emit(status);
  }
}
