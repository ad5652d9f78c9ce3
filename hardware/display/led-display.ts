/**
 * A customer display driven with the LED pole commands: on a serial line (often 2400 baud 8N1, through a
 * USB-serial adapter or the till's COM port), or the virtual display that keeps and decodes every byte, for
 * tests, training and the demo. Nothing comes back from a real display, so "shown" means "written".
 */
import { DeviceError } from '../errors';
import { SerialTransport } from '../printer/transports/serial';
import {
  decodeLedStream,
  encodeLedBlank,
  encodeLedFrame,
  LED_INIT,
  type LedLamp,
  type LedState,
} from './led-pole';

export interface LedDisplay {
  /** "serial /dev/ttyUSB0 @ 2400", "virtual display". */
  readonly description: string;
  open(): Promise<void>;
  show(lamp: LedLamp, fen: number): Promise<void>;
  blank(): Promise<void>;
  /** What the display shows now, as far as this terminal knows. */
  state(): LedState;
  close(): Promise<void>;
}

/** Baud rates LED pole displays ship with or can be set to. */
export const LED_BAUD_RATES = [2400, 4800, 9600, 19200] as const;

abstract class ByteDisplay implements LedDisplay {
  abstract readonly description: string;
  private shown: LedState = { lamp: 'none', text: '', resets: 0 };

  protected abstract send(bytes: Buffer): Promise<void>;
  abstract open(): Promise<void>;
  abstract close(): Promise<void>;

  protected async write(bytes: Buffer): Promise<void> {
    await this.send(bytes);
    this.shown = decodeLedStream(bytes, this.shown);
  }

  show(lamp: LedLamp, fen: number): Promise<void> {
    return this.write(encodeLedFrame(lamp, fen));
  }

  blank(): Promise<void> {
    return this.write(encodeLedBlank());
  }

  state(): LedState {
    return { ...this.shown };
  }
}

export class SerialLedDisplay extends ByteDisplay {
  private readonly transport: SerialTransport;

  constructor(private readonly settings: { path: string; baudRate: number }) {
    super();
    this.transport = new SerialTransport(settings);
  }

  get description(): string {
    return `serial ${this.settings.path} @ ${this.settings.baudRate}`;
  }

  async open(): Promise<void> {
    try {
      await this.transport.open();
    } catch (error) {
      throw new DeviceError('DISPLAY_OPEN_FAILED', `cannot open ${this.settings.path}`, {
        cause: error,
        details: { path: this.settings.path },
      });
    }
    await this.write(LED_INIT);
  }

  protected async send(bytes: Buffer): Promise<void> {
    // A display unplugged since the last amount is opened again: the next amount finds it back.
    if (!this.transport.isOpen) await this.open();
    try {
      await this.transport.write(bytes);
    } catch (error) {
      throw new DeviceError('DISPLAY_WRITE_FAILED', `writing to ${this.description} failed`, {
        cause: error,
        details: { path: this.settings.path },
      });
    }
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/** The display with no hardware: every byte kept, decoded as a real display would show it. */
export class VirtualLedDisplay extends ByteDisplay {
  readonly description = 'virtual display';
  /** Every byte received since it was made. */
  received: Buffer = Buffer.alloc(0);

  async open(): Promise<void> {
    await this.write(LED_INIT);
  }

  protected async send(bytes: Buffer): Promise<void> {
    this.received = Buffer.concat([this.received, bytes]);
  }

  async close(): Promise<void> {}
}
