/**
 * A connected card as the card formats see it: one method to exchange an APDU. The reader manager
 * hands formats a session bound to one reader's command queue, with its timeout.
 */
export interface CardSession {
  /** Sends a C-APDU and resolves with the full R-APDU (data + SW). */
  transmit(apdu: Uint8Array): Promise<Buffer>;
}

/** Wraps a session and counts the APDUs it carries (the secured-read budget is measured with it). */
export class CountingSession implements CardSession {
  count = 0;
  constructor(private readonly inner: CardSession) {}
  transmit(apdu: Uint8Array): Promise<Buffer> {
    this.count += 1;
    return this.inner.transmit(apdu);
  }
}
