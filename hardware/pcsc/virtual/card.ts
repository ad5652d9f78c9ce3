/**
 * What every virtual card implements. The virtual card plays both the card and the reader firmware
 * that turns PC/SC pseudo-APDUs (CLA FF) into card commands, because that is what a vpcd "card"
 * receives from pcscd.
 */
export interface VirtualCard {
  /** The ATR the reader reports for this card. */
  readonly atr: Buffer;
  /** Power-on or reset: forgets volatile state such as the current authentication. */
  reset(): void;
  /** Handles one C-APDU and returns the R-APDU (data + SW1 SW2). */
  process(apdu: Buffer): Buffer;
}

export const sw = (value: number, data?: Uint8Array): Buffer => {
  const tail = Buffer.from([value >> 8, value & 0xff]);
  return data ? Buffer.concat([data, tail]) : tail;
};

export const SW_OK = 0x9000;
export const SW_FAILED = 0x6300;
export const SW_NOT_SUPPORTED = 0x6a81;

/**
 * A session straight onto a virtual card, with no reader in between: for preparing cards (issuing them
 * for training mode or a test) before they are put on a reader.
 */
export function directSession(card: VirtualCard): { transmit(apdu: Uint8Array): Promise<Buffer> } {
  return { transmit: async (apdu) => card.process(Buffer.from(apdu)) };
}
