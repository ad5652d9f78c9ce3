/**
 * How bytes reach a printer. A transport moves bytes and reports what comes back; it knows nothing of
 * ESC/POS. `canReadBack` is false where the link is write-only (a usblp node without a bidirectional
 * printer), and then status is reported as unknown rather than "ok".
 */

export interface PrinterTransport {
  /** For logs and the technician's screen: "serial /dev/ttyUSB0 @ 115200", "tcp 10.0.0.7:9100". */
  readonly description: string;
  readonly canReadBack: boolean;
  readonly isOpen: boolean;
  open(): Promise<void>;
  /** Resolves once every byte has been handed to the operating system (drained). */
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Called when the link goes away by itself (cable pulled, peer closed); not after `close()`. */
  onClose(listener: (error: Error | undefined) => void): () => void;
  close(): Promise<void>;
}

/** A small listener set with an unsubscribe function, shared by the transports. */
export class Listeners<T extends unknown[]> {
  private readonly set = new Set<(...args: T) => void>();

  add(listener: (...args: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(...args: T): void {
    for (const listener of [...this.set]) listener(...args);
  }
}
