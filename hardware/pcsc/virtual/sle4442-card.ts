/**
 * A virtual SLE4442 card in an ACS contact reader: 256 bytes of memory, 32 protection bits over bytes
 * 00–1F, a 3-byte PSC with a 3-try error counter. Writes need the PSC presented since power-on; protected
 * bytes never change; a locked card (counter 0) refuses every code.
 */
import { SW_FAILED, SW_NOT_SUPPORTED, SW_OK, sw, type VirtualCard } from './card';

export class VirtualSle4442Card implements VirtualCard {
  /** The ATR ACS readers report for SLE4442 (synchronous header A2 13 10 91). */
  readonly atr = Buffer.from('3B04A2131091', 'hex');
  readonly memory = Buffer.alloc(256, 0xff);
  /** Bit set = byte still writable (bytes 00–1F). */
  protection = 0xffffffff;
  private psc: Buffer;
  errorCounter = 0x07;
  private unlocked = false;
  private selected = false;

  constructor(options: { maker?: Uint8Array; psc?: Uint8Array; protectMaker?: boolean } = {}) {
    this.psc = Buffer.from(options.psc ?? [0xff, 0xff, 0xff]);
    const maker = Buffer.alloc(32);
    Buffer.from('A2131091', 'hex').copy(maker, 0);
    if (options.maker) Buffer.from(options.maker).copy(maker, 4, 0, Math.min(28, options.maker.length));
    maker.copy(this.memory, 0);
    if (options.protectMaker !== false) this.protection = 0;
  }

  reset(): void {
    this.unlocked = false;
    this.selected = false;
  }

  process(apdu: Buffer): Buffer {
    if (apdu[0] !== 0xff) return sw(SW_NOT_SUPPORTED);
    if (apdu[1] === 0xa4) {
      this.selected = apdu.length === 6 && apdu[5] === 0x06;
      return this.selected ? sw(SW_OK) : sw(SW_NOT_SUPPORTED);
    }
    if (!this.selected) return sw(SW_FAILED);
    switch (apdu[1]) {
      case 0xb0: {
        const address = apdu[3]!;
        const length = apdu[4] === 0 ? 256 : apdu[4]!;
        if (apdu.length !== 5 || address + length > 256) return sw(SW_FAILED);
        const prot = Buffer.alloc(4);
        prot.writeUInt32LE(this.protection >>> 0, 0);
        return sw(SW_OK, Buffer.concat([this.memory.subarray(address, address + length), prot]));
      }
      case 0xb1:
        return sw(SW_OK, Buffer.from([this.errorCounter, 0, 0, 0]));
      case 0xb2: {
        const prot = Buffer.alloc(4);
        prot.writeUInt32LE(this.protection >>> 0, 0);
        return sw(SW_OK, prot);
      }
      case 0x20: {
        if (apdu.length !== 8 || apdu[4] !== 0x03) return sw(SW_FAILED);
        if (this.errorCounter === 0) return sw(0x9000);
        // The card first spends a try, then restores the counter if the code matched.
        this.errorCounter = (this.errorCounter << 1) & 0x07;
        if (apdu.subarray(5, 8).equals(this.psc)) {
          this.errorCounter = 0x07;
          this.unlocked = true;
        } else {
          this.unlocked = false;
        }
        return sw(0x9000 | this.errorCounter);
      }
      case 0xd0: {
        const address = apdu[3]!;
        const length = apdu[4]!;
        if (!this.unlocked || apdu.length !== 5 + length || address + length > 256) return sw(SW_FAILED);
        for (let index = 0; index < length; index += 1) {
          const target = address + index;
          if (target < 32 && ((this.protection >>> target) & 1) === 0) continue;
          this.memory[target] = apdu[5 + index]!;
        }
        return sw(SW_OK);
      }
      case 0xd2:
        if (!this.unlocked || apdu.length !== 8 || apdu[4] !== 0x03) return sw(SW_FAILED);
        this.psc = Buffer.from(apdu.subarray(5, 8));
        return sw(SW_OK);
      default:
        return sw(SW_NOT_SUPPORTED);
    }
  }
}
