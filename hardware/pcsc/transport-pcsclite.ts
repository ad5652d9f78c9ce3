/**
 * CardTransport over pcscd through the native `pcsclite` package.
 *
 * pcsclite throws from its constructor when pcscd is not running and emits `error` when pcscd goes away;
 * both become the status "pcscd not running", and the transport opens a fresh context after a backoff
 * (250 ms doubling to 5 s, with jitter) until pcscd is back. Readers of a lost context are reported
 * removed, so the manager forgets their cards. Nothing here throws into the caller's event loop.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeviceError } from '../errors';
import { toDeviceError } from './pcsc-errors';
import type {
  CardConnection,
  CardTransport,
  ReaderState,
  TransportEvents,
  TransportStatus,
} from './transport';

type PcscLite = EventEmitter & { close(): void };
type NativeReader = EventEmitter & {
  name: string;
  connected: boolean;
  SCARD_SHARE_SHARED: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_STATE_PRESENT: number;
  SCARD_STATE_MUTE: number;
  SCARD_LEAVE_CARD: number;
  SCARD_RESET_CARD: number;
  connect(
    options: { share_mode: number; protocol: number },
    cb: (err: unknown, protocol: number) => void,
  ): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: unknown, data: Buffer) => void): void;
  control(data: Buffer, code: number, resLen: number, cb: (err: unknown, data: Buffer) => void): void;
  close(): void;
};

const require = createRequire(import.meta.url);

/** Largest short R-APDU: 256 data bytes + SW. */
const MAX_RESPONSE = 258;

export interface PcscliteTransportOptions {
  /** First retry delay after pcscd was found missing; doubles up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

function withTimeout<T>(
  start: (done: (error: unknown, value?: T) => void) => void,
  timeoutMs: number,
  onTimeout: () => DeviceError,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(onTimeout());
    }, timeoutMs);
    try {
      start((error, value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(value as T);
      });
    } catch (error) {
      settled = true;
      clearTimeout(timer);
      reject(error);
    }
  });
}

class PcscliteConnection implements CardConnection {
  /** A native call that outlived its timeout; the handle stays busy until it returns. */
  private stuck: Promise<unknown> | undefined;

  constructor(
    private readonly native: NativeReader,
    private protocol: number,
    readonly reader: string,
  ) {}

  transmit(apdu: Uint8Array, timeoutMs: number): Promise<Buffer> {
    if (this.stuck) {
      return Promise.reject(
        new DeviceError('CARD_TIMEOUT', 'an earlier command on this card never finished'),
      );
    }
    let finished: () => void = () => undefined;
    const returned = new Promise<void>((resolve) => {
      finished = resolve;
    });
    return withTimeout<Buffer>(
      (done) =>
        this.native.transmit(Buffer.from(apdu), MAX_RESPONSE, this.protocol, (error, data) => {
          finished();
          done(error, data);
        }),
      timeoutMs,
      () => {
        this.stuck = returned;
        return new DeviceError('CARD_TIMEOUT', `card did not answer within ${timeoutMs} ms`, {
          details: { reader: this.reader },
        });
      },
    ).then(
      (response) => {
        // pcscd hands back an empty answer when the card's link broke during the command (vpcd does
        // this when the card leaves the field mid-command).
        if (response.length < 2) {
          throw new DeviceError('CARD_REMOVED', 'card stopped answering in the middle of a command', {
            details: { reader: this.reader },
          });
        }
        return response;
      },
      (error) => {
        throw toDeviceError(error, this.reader, 'transmit');
      },
    );
  }

  control(controlCode: number, data: Uint8Array, timeoutMs: number): Promise<Buffer> {
    return withTimeout<Buffer>(
      (done) => this.native.control(Buffer.from(data), controlCode, MAX_RESPONSE, done),
      timeoutMs,
      () =>
        new DeviceError('READER_TIMEOUT', `reader did not answer a control request within ${timeoutMs} ms`),
    ).catch((error) => {
      throw toDeviceError(error, this.reader, 'control');
    });
  }

  async reselect(timeoutMs: number): Promise<void> {
    await withTimeout<void>(
      (done) => this.native.disconnect(this.native.SCARD_RESET_CARD, done),
      timeoutMs,
      () => new DeviceError('READER_TIMEOUT', 'reader did not reset the card in time'),
    ).catch((error) => {
      throw toDeviceError(error, this.reader, 'reset');
    });
    this.protocol = await connectNative(this.native, timeoutMs);
  }

  async disconnect(): Promise<void> {
    if (this.stuck) {
      // The handle can only be released once the native call returns (pcsclite serialises them).
      const returned = await Promise.race([this.stuck.then(() => true), sleep(10_000).then(() => false)]);
      if (!returned) {
        this.native.connected = false;
        return;
      }
    }
    try {
      await withTimeout<void>(
        (done) => this.native.disconnect(this.native.SCARD_LEAVE_CARD, done),
        2_000,
        () => new DeviceError('READER_TIMEOUT', 'disconnect timed out'),
      );
    } catch {
      // The card or pcscd is gone; the handle is dead either way. Let the next connect start afresh.
      this.native.connected = false;
    }
  }
}

async function connectNative(native: NativeReader, timeoutMs: number): Promise<number> {
  if (native.connected) {
    // A handle left over from a card that vanished before its disconnect went through.
    native.connected = false;
  }
  try {
    return await withTimeout<number>(
      (done) =>
        native.connect(
          {
            share_mode: native.SCARD_SHARE_SHARED,
            protocol: native.SCARD_PROTOCOL_T0 | native.SCARD_PROTOCOL_T1,
          },
          done,
        ),
      timeoutMs,
      () => new DeviceError('READER_TIMEOUT', `connect took longer than ${timeoutMs} ms`),
    );
  } catch (error) {
    throw toDeviceError(error, native.name, 'connect');
  }
}

export class PcscliteTransport implements CardTransport {
  readonly kind = 'pcsclite' as const;
  readonly events = new EventEmitter<TransportEvents>();
  private context: PcscLite | undefined;
  private readonly natives = new Map<string, NativeReader>();
  private current: TransportStatus = { state: 'stopped' };
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  private running = false;

  constructor(private readonly options: PcscliteTransportOptions = {}) {
    this.backoffMs = options.initialBackoffMs ?? 250;
  }

  status(): TransportStatus {
    return this.current;
  }

  readers(): string[] {
    return [...this.natives.keys()];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.setStatus({ state: 'starting' });
    this.open();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.teardown();
    this.setStatus({ state: 'stopped' });
  }

  async connect(reader: string, timeoutMs: number): Promise<CardConnection> {
    const native = this.natives.get(reader);
    if (!native) throw new DeviceError('READER_REMOVED', 'reader is gone', { details: { reader } });
    const protocol = await connectNative(native, timeoutMs);
    return new PcscliteConnection(native, protocol, reader);
  }

  private setStatus(status: TransportStatus): void {
    this.current = status;
    this.events.emit('status', status);
  }

  private open(): void {
    if (!this.running) return;
    let context: PcscLite;
    try {
      const factory = require('pcsclite') as () => PcscLite;
      context = factory();
    } catch (error) {
      this.unavailable(error);
      return;
    }
    this.context = context;
    context.on('error', (error: unknown) => {
      if (this.context === context) this.unavailable(error);
    });
    context.on('reader', (native: NativeReader) => {
      if (this.context !== context) {
        // A reader reported by a context already given up on (stopped, or replaced after pcscd went) still
        // has a status thread: when pcscd next goes, it emits 'error', which with no listener would be an
        // uncaught exception that ends the terminal.
        native.on('error', () => {});
        try {
          native.close();
        } catch {
          // Its thread already ended.
        }
        return;
      }
      if (this.current.state !== 'ready') {
        this.backoffMs = this.options.initialBackoffMs ?? 250;
        this.setStatus({ state: 'ready' });
      }
      this.addReader(native);
    });
    // A context with no readers yet is still a running pcscd.
    setImmediate(() => {
      if (
        this.context === context &&
        this.current.state !== 'ready' &&
        this.current.state !== 'unavailable'
      ) {
        this.backoffMs = this.options.initialBackoffMs ?? 250;
        this.setStatus({ state: 'ready' });
      }
    });
  }

  private addReader(native: NativeReader): void {
    const name = native.name;
    this.natives.set(name, native);
    let present = false;
    native.on('error', () => {
      // Status-thread failures end in 'end' (reader gone) or in the context's own error (pcscd gone).
    });
    native.on('end', () => {
      if (this.natives.get(name) !== native) return;
      this.natives.delete(name);
      if (present) this.events.emit('reader.state', name, { present: false });
      this.events.emit('reader.removed', name);
    });
    native.on('status', (status: { state: number; atr?: Buffer }) => {
      if (this.natives.get(name) !== native) return;
      const isPresent =
        (status.state & native.SCARD_STATE_PRESENT) !== 0 && (status.state & native.SCARD_STATE_MUTE) === 0;
      const state: ReaderState =
        isPresent && status.atr && status.atr.length > 0
          ? { present: true, atr: Buffer.from(status.atr) }
          : { present: false };
      if (!state.present && !present) return;
      present = state.present;
      this.events.emit('reader.state', name, state);
    });
    this.events.emit('reader.added', name);
  }

  private teardown(): void {
    const context = this.context;
    this.context = undefined;
    const natives = [...this.natives.entries()];
    this.natives.clear();
    for (const [name, native] of natives) {
      try {
        native.close();
      } catch {
        // Already closed by its own status thread.
      }
      this.events.emit('reader.state', name, { present: false });
      this.events.emit('reader.removed', name);
    }
    if (context) {
      try {
        context.close();
      } catch {
        // The context's thread already ended with pcscd.
      }
    }
  }

  private unavailable(error: unknown): void {
    this.teardown();
    if (!this.running) return;
    const cause = toDeviceError(error, undefined, 'establish context');
    const retryInMs = Math.round(this.backoffMs * (0.8 + Math.random() * 0.4));
    this.setStatus({
      state: 'unavailable',
      message: cause.code === 'PCSCD_UNAVAILABLE' ? 'pcscd not running' : cause.message,
      retryInMs,
    });
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 5_000);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.open();
    }, retryInMs);
  }
}
