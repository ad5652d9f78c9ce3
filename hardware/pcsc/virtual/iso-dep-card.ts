/**
 * A virtual ISO 14443-4 card (a DESFire-like or CPU card, or a phone): the reader answers GET DATA for the
 * UID and ATS itself; the card answers SELECT by AID for the applications it holds and refuses the rest.
 */
import { iso14443_4Atr } from '../atr';
import { SW_NOT_SUPPORTED, SW_OK, sw, type VirtualCard } from './card';

export class VirtualIsoDepCard implements VirtualCard {
  readonly atr: Buffer;
  readonly uid: Buffer;
  private readonly ats: Buffer;
  private readonly applications: Buffer[];

  constructor(options: { uid: Uint8Array; historical?: Uint8Array; applications?: Uint8Array[] }) {
    this.uid = Buffer.from(options.uid);
    const historical = Buffer.from(options.historical ?? [0x80]);
    this.atr = iso14443_4Atr(historical);
    // TL, T0 (FSCI 8, no TA/TB/TC), historical bytes.
    this.ats = Buffer.concat([Buffer.from([2 + historical.length, 0x08]), historical]);
    this.applications = (options.applications ?? []).map((aid) => Buffer.from(aid));
  }

  reset(): void {}

  process(apdu: Buffer): Buffer {
    if (apdu[0] === 0xff && apdu[1] === 0xca) {
      if (apdu[2] === 0x00) return sw(SW_OK, this.uid);
      if (apdu[2] === 0x01) return sw(SW_OK, this.ats);
      return sw(SW_NOT_SUPPORTED);
    }
    if (apdu[0] === 0xff) return sw(SW_NOT_SUPPORTED);
    if (apdu[1] === 0xa4 && apdu[2] === 0x04) {
      const length = apdu[4] ?? 0;
      const aid = apdu.subarray(5, 5 + length);
      return this.applications.some((known) => known.equals(aid)) ? sw(SW_OK) : sw(0x6a82);
    }
    return sw(0x6d00);
  }
}

/** A card with an arbitrary ATR that supports nothing: how an unknown card looks to the terminal. */
export class VirtualRawCard implements VirtualCard {
  readonly atr: Buffer;
  constructor(atr: Uint8Array) {
    this.atr = Buffer.from(atr);
  }
  reset(): void {}
  process(): Buffer {
    return sw(SW_NOT_SUPPORTED);
  }
}
