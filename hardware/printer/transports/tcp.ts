/** Network printers: raw TCP, port 9100 by default ("JetDirect"/"RAW"). */
import { connect, type Socket } from 'node:net';
import { DeviceError } from '../../errors';
import { notOpen, writeFailed } from './serial';
import { Listeners, type PrinterTransport } from './transport';

export interface TcpSettings {
  host: string;
  port?: number;
  connectTimeoutMs?: number;
}

export class TcpTransport implements PrinterTransport {
  readonly canReadBack = true;
  private socket: Socket | null = null;
  private closing = false;
  private readonly data = new Listeners<[Uint8Array]>();
  private readonly closed = new Listeners<[Error | undefined]>();

  constructor(private readonly settings: TcpSettings) {}

  get description(): string {
    return `tcp ${this.settings.host}:${this.settings.port ?? 9100}`;
  }

  get isOpen(): boolean {
    return this.socket !== null && !this.socket.destroyed;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    const { host, port = 9100, connectTimeoutMs = 3000 } = this.settings;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(
          new DeviceError('PRINTER_OPEN_FAILED', `no answer from ${this.description}`, {
            details: { host, port },
          }),
        );
      }, connectTimeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (error) => {
        clearTimeout(timer);
        reject(
          new DeviceError('PRINTER_OPEN_FAILED', `cannot connect to ${this.description}: ${error.message}`, {
            cause: error,
            details: { host, port },
          }),
        );
      });
    });
    // Receipts are written in one piece; small status requests must not wait for Nagle.
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 5000);
    this.closing = false;
    let lastError: Error | undefined;
    socket.on('data', (chunk: Buffer) => this.data.emit(new Uint8Array(chunk)));
    socket.on('error', (error) => {
      lastError = error;
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      if (!this.closing) this.closed.emit(lastError);
    });
    this.socket = socket;
  }

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(notOpen(this.description));
    return new Promise((resolve, reject) => {
      socket.write(bytes, (error) => (error ? reject(writeFailed(this.description, error)) : resolve()));
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: Error | undefined) => void): () => void {
    return this.closed.add(listener);
  }

  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.closing = true;
    this.socket = null;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 500).unref();
    });
  }
}
