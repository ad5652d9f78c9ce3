/**
 * CardTransport for places with no pcscd (training mode, the counter's simulator, unit tests): virtual
 * readers in the same process, each holding at most one virtual card. Cards answer the same APDUs they
 * answer through vpcd; removal (also in the middle of a command) behaves as a pulled card does.
 */
import { EventEmitter } from 'node:events';
import { DeviceError } from '../errors';
import type { CardConnection, CardTransport, TransportEvents, TransportStatus } from './transport';
import type { VirtualCard } from './virtual/card';

interface VirtualReader {
  card: VirtualCard | undefined;
  /** Bumped at every insert and removal so stale connections fail like a removed card. */
  generation: number;
  dropOnNextCommand: boolean;
}

function removed(reader: string): DeviceError {
  return new DeviceError('CARD_REMOVED', 'card was removed', { details: { reader } });
}

class InProcessConnection implements CardConnection {
  constructor(
    private readonly transport: InProcessCardTransport,
    private readonly state: VirtualReader,
    private readonly generation: number,
    readonly reader: string,
  ) {}

  private card(): VirtualCard {
    if (this.state.generation !== this.generation || !this.state.card) throw removed(this.reader);
    return this.state.card;
  }

  async transmit(apdu: Uint8Array): Promise<Buffer> {
    // Answer asynchronously, as a real reader does, so callers cannot come to depend on re-entrancy.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const card = this.card();
    this.transport.commands += 1;
    if (this.state.dropOnNextCommand) {
      this.state.dropOnNextCommand = false;
      this.transport.remove(this.reader);
      throw removed(this.reader);
    }
    return card.process(Buffer.from(apdu));
  }

  async control(): Promise<Buffer> {
    throw new DeviceError('READER_UNSUPPORTED', 'virtual readers have no escape commands', {
      details: { reader: this.reader },
    });
  }

  async reselect(): Promise<void> {
    this.card().reset();
  }

  async disconnect(): Promise<void> {}
}

export class InProcessCardTransport implements CardTransport {
  readonly kind = 'in-process' as const;
  readonly events = new EventEmitter<TransportEvents>();
  private readonly virtualReaders = new Map<string, VirtualReader>();
  private running = false;
  /** APDUs carried so far (tests count the commands a read takes). */
  commands = 0;

  status(): TransportStatus {
    return { state: this.running ? 'ready' : 'stopped' };
  }

  readers(): string[] {
    return [...this.virtualReaders.keys()];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.events.emit('status', this.status());
    for (const [name, reader] of this.virtualReaders) {
      this.events.emit('reader.added', name);
      if (reader.card) this.events.emit('reader.state', name, { present: true, atr: reader.card.atr });
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.events.emit('status', this.status());
  }

  addReader(name: string): void {
    if (this.virtualReaders.has(name)) return;
    this.virtualReaders.set(name, { card: undefined, generation: 0, dropOnNextCommand: false });
    if (this.running) this.events.emit('reader.added', name);
  }

  removeReader(name: string): void {
    const reader = this.virtualReaders.get(name);
    if (!reader) return;
    if (reader.card) this.remove(name);
    this.virtualReaders.delete(name);
    if (this.running) this.events.emit('reader.removed', name);
  }

  insert(name: string, card: VirtualCard): void {
    const reader = this.reader(name);
    if (reader.card) this.remove(name);
    card.reset();
    reader.card = card;
    reader.generation += 1;
    if (this.running) this.events.emit('reader.state', name, { present: true, atr: card.atr });
  }

  remove(name: string): void {
    const reader = this.reader(name);
    if (!reader.card) return;
    reader.card = undefined;
    reader.generation += 1;
    reader.dropOnNextCommand = false;
    if (this.running) this.events.emit('reader.state', name, { present: false });
  }

  /** The card leaves the field during the next command, which then fails as CARD_REMOVED. */
  removeDuringNextCommand(name: string): void {
    this.reader(name).dropOnNextCommand = true;
  }

  async connect(name: string): Promise<CardConnection> {
    const reader = this.virtualReaders.get(name);
    if (!reader || !this.running)
      throw new DeviceError('READER_REMOVED', 'reader is gone', { details: { reader: name } });
    if (!reader.card)
      throw new DeviceError('CARD_REMOVED', 'no card in the reader', { details: { reader: name } });
    return new InProcessConnection(this, reader, reader.generation, name);
  }

  private reader(name: string): VirtualReader {
    const reader = this.virtualReaders.get(name);
    if (!reader) throw new DeviceError('READER_UNKNOWN', `no virtual reader named ${name}`);
    return reader;
  }
}
