/**
 * Puts a virtual card into a vpcd reader slot of the real pcscd (Debian `vsmartcard-vpcd`).
 *
 * vpcd listens on TCP 35963 + slot and polls the connected card with GET ATR; a closed connection is a
 * card leaving the field. So the card side connects only while a card is inserted: `insert()` connects,
 * `remove()` closes. Every message is a 2-byte big-endian length and that many bytes (vpcd may send the
 * two in separate segments); a 1-byte message is a control code (00 power off, 01 power on, 02 reset,
 * 04 get ATR), anything else an APDU. `removeDuringNextCommand()` closes the connection instead of
 * answering, which pcscd sees as a card pulled away in the middle of a command. When pcscd restarts
 * while a card is inserted, the slot reconnects by itself, as a card left on the reader would reappear.
 */
import { createConnection, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeviceError } from '../../errors';
import type { VirtualCard } from './card';

export const VPCD_BASE_PORT = 35963;

export interface VpcdSlotOptions {
  host?: string;
  /** vpcd slot number (port = 35963 + slot). */
  slot?: number;
  /** How long `insert()` keeps trying to reach vpcd (pcscd loads the driver a moment after it starts). */
  connectTimeoutMs?: number;
}

export class VpcdCardSlot {
  readonly host: string;
  readonly port: number;
  private socket: Socket | undefined;
  private card: VirtualCard | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private dropOnNextCommand = false;
  private stallMs = 0;
  private connecting: Promise<void> | undefined;
  /** Number of APDUs the card has received (tests count commands with it). */
  commands = 0;

  constructor(private readonly options: VpcdSlotOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.port = VPCD_BASE_PORT + (options.slot ?? 0);
  }

  get inserted(): VirtualCard | undefined {
    return this.card;
  }

  /** Puts a card in the field and resolves once vpcd has accepted the connection. */
  async insert(card: VirtualCard): Promise<void> {
    if (this.card) this.remove();
    card.reset();
    this.card = card;
    await this.connectWhileInserted(card);
  }

  /** Takes the card out of the field. */
  remove(): void {
    this.card = undefined;
    this.dropOnNextCommand = false;
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  /** The card leaves the field on the next APDU, which is never answered. */
  removeDuringNextCommand(): void {
    this.dropOnNextCommand = true;
  }

  /** The card takes `ms` to answer the next APDU (a slow or struggling card). */
  stallNextCommand(ms: number): void {
    this.stallMs = ms;
  }

  /** Waits until a card that is inserted is connected again (after a pcscd restart). */
  async ready(): Promise<void> {
    if (this.connecting) await this.connecting;
  }

  async close(): Promise<void> {
    this.remove();
    await this.connecting?.catch(() => undefined);
  }

  private connectWhileInserted(card: VirtualCard): Promise<void> {
    const attempt = (async () => {
      const deadline = Date.now() + (this.options.connectTimeoutMs ?? 10_000);
      for (;;) {
        if (this.card !== card) return;
        try {
          await this.open(card);
          return;
        } catch (error) {
          if (Date.now() > deadline) {
            throw new DeviceError('VPCD_UNREACHABLE', `vpcd does not listen on ${this.host}:${this.port}`, {
              cause: error,
            });
          }
          await sleep(50);
        }
      }
    })();
    const tracked = attempt.finally(() => {
      if (this.connecting === tracked) this.connecting = undefined;
    });
    this.connecting = tracked;
    return tracked;
  }

  private open(card: VirtualCard): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: this.host, port: this.port });
      socket.setNoDelay(true);
      const fail = (error: Error): void => {
        socket.destroy();
        reject(error);
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.off('error', fail);
        if (this.card !== card) {
          socket.destroy();
          resolve();
          return;
        }
        this.socket = socket;
        this.pending = Buffer.alloc(0);
        socket.on('data', (chunk) => this.receive(socket, chunk));
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.lost(socket, card));
        resolve();
      });
    });
  }

  /** vpcd closed the connection while the card is still inserted: pcscd went away; come back with it. */
  private lost(socket: Socket, card: VirtualCard): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    if (this.card !== card) return;
    card.reset();
    this.connectWhileInserted(card).catch(() => undefined);
  }

  private receive(socket: Socket, chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 2) {
      const length = this.pending.readUInt16BE(0);
      if (this.pending.length < 2 + length) return;
      const message = this.pending.subarray(2, 2 + length);
      this.pending = this.pending.subarray(2 + length);
      const stall = message.length > 1 ? this.stallMs : 0;
      if (stall > 0) this.stallMs = 0;
      const reply = this.handle(message);
      if (reply === 'drop') {
        this.remove();
        return;
      }
      if (reply) {
        const frame = Buffer.alloc(2 + reply.length);
        frame.writeUInt16BE(reply.length, 0);
        reply.copy(frame, 2);
        if (stall > 0) setTimeout(() => socket.writable && socket.write(frame), stall);
        else socket.write(frame);
      }
    }
  }

  private handle(message: Buffer): Buffer | 'drop' | undefined {
    const card = this.card;
    if (message.length === 1) {
      if (message[0] === 0x04) return card ? card.atr : Buffer.alloc(0);
      card?.reset();
      return undefined;
    }
    this.commands += 1;
    if (this.dropOnNextCommand || !card) return 'drop';
    return card.process(Buffer.from(message));
  }
}
