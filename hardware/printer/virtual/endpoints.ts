/**
 * Ways to reach a virtual printer: in-process (a transport object), a raw TCP port on loopback (like a
 * network printer's port 9100) and one end of a serial line (a `socat` pty pair in tests and training).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { SerialPort } from 'serialport';
import { DeviceError } from '../../errors';
import { Listeners, type PrinterTransport } from '../transports/transport';
import type { VirtualPrinter } from './virtual-printer';

/** A transport wired straight to a virtual printer; `unplug()` drops the link like a pulled cable. */
export class InProcessTransport implements PrinterTransport {
  readonly canReadBack = true;
  readonly description = 'virtual printer (in-process)';
  private open_ = false;
  private plugged = true;
  private detach: (() => void) | null = null;
  private readonly data = new Listeners<[Uint8Array]>();
  private readonly closed = new Listeners<[Error | undefined]>();

  constructor(private readonly printer: VirtualPrinter) {}

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    if (this.open_) return;
    if (!this.plugged) throw new DeviceError('PRINTER_OPEN_FAILED', 'the virtual printer is unplugged');
    // Replies arrive asynchronously, as they would over a wire.
    this.detach = this.printer.onReply((bytes) => setImmediate(() => this.open_ && this.data.emit(bytes)));
    this.open_ = true;
  }

  private cutAfter: number | null = null;

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open_) throw new DeviceError('PRINTER_DISCONNECTED', 'the virtual printer is not connected');
    // Bytes reach the printer on a later turn, as over a wire, never inside the caller's stack.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!this.open_)
      throw new DeviceError('PRINTER_WRITE_FAILED', 'the virtual printer was unplugged during the write');
    if (this.cutAfter !== null && bytes.length > this.cutAfter) {
      // The cable comes out part-way through this write.
      this.printer.receive(bytes.slice(0, this.cutAfter));
      this.cutAfter = null;
      this.unplug();
      throw new DeviceError('PRINTER_WRITE_FAILED', 'the virtual printer was unplugged during the write');
    }
    if (this.cutAfter !== null) this.cutAfter -= bytes.length;
    this.printer.receive(bytes.slice());
  }

  /** Pulls the cable after `bytes` more bytes have gone through. */
  unplugAfter(bytes: number): void {
    this.cutAfter = bytes;
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: Error | undefined) => void): () => void {
    return this.closed.add(listener);
  }

  async close(): Promise<void> {
    this.detach?.();
    this.detach = null;
    this.open_ = false;
  }

  unplug(): void {
    this.plugged = false;
    if (this.open_) {
      void this.close();
      this.closed.emit(new Error('unplugged'));
    }
  }

  plugIn(): void {
    this.plugged = true;
  }
}

/** Serves a virtual printer on a TCP port of 127.0.0.1 (0 picks a free one). */
export class VirtualPrinterTcpServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly printer: VirtualPrinter) {}

  async listen(port = 0): Promise<number> {
    const server = createServer((socket) => {
      this.sockets.add(socket);
      const detach = this.printer.onReply((bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      });
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => this.printer.receive(new Uint8Array(chunk)));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        detach();
        this.sockets.delete(socket);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
    return address.port;
  }

  /** Stops listening and drops every connection, as a printer does when it is switched off. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Connects a virtual printer to the printer's end of a serial line (a pty made by socat). */
export class VirtualPrinterSerialEnd {
  private port: SerialPort | null = null;
  private detach: (() => void) | null = null;

  constructor(
    private readonly printer: VirtualPrinter,
    private readonly path: string,
    private readonly baudRate = 115200,
  ) {}

  async open(): Promise<void> {
    const port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    port.on('data', (chunk: Buffer) => this.printer.receive(new Uint8Array(chunk)));
    port.on('error', () => undefined);
    this.detach = this.printer.onReply((bytes) => {
      if (port.isOpen) port.write(Buffer.from(bytes));
    });
    this.port = port;
  }

  async close(): Promise<void> {
    this.detach?.();
    this.detach = null;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
