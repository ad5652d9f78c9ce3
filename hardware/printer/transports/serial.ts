/**
 * Serial printers (RS-232, USB-serial `/dev/ttyUSB*` and CDC-ACM `/dev/ttyACM*`) through `serialport`.
 * The port is opened without touching DTR/RTS: pseudo-terminals (used by the virtual printer) reject those
 * ioctls, and printers that need them use hardware flow control (`rtscts`) instead.
 */
import { SerialPort } from 'serialport';
import { DeviceError } from '../../errors';
import { Listeners, type PrinterTransport } from './transport';

export interface SerialSettings {
  path: string;
  baudRate: number;
  dataBits?: 7 | 8;
  stopBits?: 1 | 2;
  parity?: 'none' | 'even' | 'odd';
  /** Hardware (RTS/CTS) flow control. */
  rtscts?: boolean;
  /** Software (XON/XOFF) flow control. */
  xonxoff?: boolean;
}

export class SerialTransport implements PrinterTransport {
  readonly canReadBack = true;
  private port: SerialPort | null = null;
  private closing = false;
  private readonly data = new Listeners<[Uint8Array]>();
  private readonly closed = new Listeners<[Error | undefined]>();

  constructor(private readonly settings: SerialSettings) {}

  get description(): string {
    return `serial ${this.settings.path} @ ${this.settings.baudRate}`;
  }

  get isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    const s = this.settings;
    const port = new SerialPort({
      path: s.path,
      baudRate: s.baudRate,
      dataBits: s.dataBits ?? 8,
      stopBits: s.stopBits ?? 1,
      parity: s.parity ?? 'none',
      rtscts: s.rtscts ?? false,
      xon: s.xonxoff ?? false,
      xoff: s.xonxoff ?? false,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      port.open((error) => {
        if (error) {
          reject(
            new DeviceError('PRINTER_OPEN_FAILED', `cannot open ${s.path}: ${error.message}`, {
              cause: error,
              details: { path: s.path },
            }),
          );
        } else resolve();
      });
    });
    this.closing = false;
    port.on('data', (chunk: Buffer) => this.data.emit(new Uint8Array(chunk)));
    port.on('error', () => {
      // A read error on a vanished device comes before 'close'; the close handler reports it.
    });
    port.on('close', (error?: Error) => {
      if (this.port === port) this.port = null;
      if (!this.closing) this.closed.emit(error ?? undefined);
    });
    this.port = port;
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.reject(notOpen(this.description));
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error) => {
        if (error) return reject(writeFailed(this.description, error));
        port.drain((drainError) =>
          drainError ? reject(writeFailed(this.description, drainError)) : resolve(),
        );
      });
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: Error | undefined) => void): () => void {
    return this.closed.add(listener);
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.closing = true;
    this.port = null;
    if (!port.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

export function notOpen(description: string): DeviceError {
  return new DeviceError('PRINTER_DISCONNECTED', `${description} is not connected`, {
    details: { description },
  });
}

export function writeFailed(description: string, cause: unknown): DeviceError {
  return new DeviceError('PRINTER_WRITE_FAILED', `writing to ${description} failed`, {
    cause,
    details: { description },
  });
}
