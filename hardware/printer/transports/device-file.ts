/**
 * USB printer-class devices bound by the kernel's `usblp` driver (`/dev/usb/lpN`): ESC/POS goes out by plain
 * `write()`. Reading back depends on the printer's bidirectional support, which cannot be relied on, so this
 * transport never claims read-back and the printer's status is reported as unknown.
 */
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { DeviceError } from '../../errors';
import { notOpen, writeFailed } from './serial';
import { Listeners, type PrinterTransport } from './transport';

export class DeviceFileTransport implements PrinterTransport {
  readonly canReadBack = false;
  private handle: FileHandle | null = null;
  private readonly data = new Listeners<[Uint8Array]>();
  private readonly closed = new Listeners<[Error | undefined]>();

  constructor(private readonly path: string) {}

  get description(): string {
    return `usblp ${this.path}`;
  }

  get isOpen(): boolean {
    return this.handle !== null;
  }

  async open(): Promise<void> {
    if (this.handle) return;
    try {
      // Write-only and never O_CREAT: with the printer unplugged the node is missing, and creating a plain
      // file in its place would swallow receipts silently.
      this.handle = await open(this.path, constants.O_WRONLY);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new DeviceError(
        code === 'EACCES'
          ? 'PRINTER_PERMISSION_DENIED'
          : code === 'ENOENT'
            ? 'PRINTER_NOT_FOUND'
            : 'PRINTER_OPEN_FAILED',
        code === 'EACCES'
          ? `no permission to write ${this.path}; add the service user to the lp group`
          : code === 'ENOENT'
            ? `${this.path} does not exist; is the printer plugged in and switched on?`
            : `cannot open ${this.path}`,
        { cause: error, details: { path: this.path, code } },
      );
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    const handle = this.handle;
    if (!handle) throw notOpen(this.description);
    try {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
        written += bytesWritten;
      }
    } catch (error) {
      // ENODEV/EIO: the printer was unplugged; the node is gone until it is plugged back in.
      this.handle = null;
      await handle.close().catch(() => undefined);
      this.closed.emit(error as Error);
      throw writeFailed(this.description, error);
    }
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: Error | undefined) => void): () => void {
    return this.closed.add(listener);
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
