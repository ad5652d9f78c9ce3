/**
 * A virtual MIFARE Classic card (Mini / 1K / 4K) behind an ACS-style reader: two volatile key slots,
 * GENERAL AUTHENTICATE, READ/UPDATE BINARY and the ACS value-block commands, with the card's real rules:
 * one authenticated sector at a time, keys checked against the trailer, access bits enforced per block
 * group, key A never readable. Every refusal is `63 00`, as ACS readers answer.
 */
import { storageCardAtr } from '../atr';
import {
  type Access,
  accessGroupOfBlock,
  type DataOperation,
  dataBlockAllows,
  decodeAccessBits,
  decodeValueBlock,
  encodeValueBlock,
  type KeyName,
  keyBReadable,
  sectorCount,
  sectorFirstBlock,
  sectorOfBlock,
  sectorTrailer,
  sectorTrailerBlock,
  TRANSPORT_ACCESS,
  TRANSPORT_KEY,
  trailerAllows,
} from '../classic';
import { SW_FAILED, SW_NOT_SUPPORTED, SW_OK, sw, type VirtualCard } from './card';

export type ClassicKind = 'mifare-classic-1k' | 'mifare-classic-4k' | 'mifare-mini';

const CARD_NAME: Record<ClassicKind, number> = {
  'mifare-classic-1k': 0x0001,
  'mifare-classic-4k': 0x0002,
  'mifare-mini': 0x0026,
};

export class VirtualClassicCard implements VirtualCard {
  readonly atr: Buffer;
  readonly uid: Buffer;
  /** The whole card memory, block after block; tests may inspect it. */
  readonly memory: Buffer;
  private readonly keySlots: (Buffer | undefined)[] = [undefined, undefined];
  private auth: { sector: number; key: KeyName } | undefined;

  constructor(
    readonly kind: ClassicKind,
    uid: Uint8Array,
  ) {
    if (uid.length !== 4 && uid.length !== 7) throw new RangeError('a Classic UID is 4 or 7 bytes');
    this.uid = Buffer.from(uid);
    this.atr = storageCardAtr(0x03, CARD_NAME[kind]);
    const sectors = sectorCount(kind);
    const blocks = sectorTrailerBlock(sectors - 1) + 1;
    this.memory = Buffer.alloc(blocks * 16);
    // Block 0: UID, BCC (4-byte UIDs), SAK, ATQA, then manufacturer bytes.
    this.uid.copy(this.memory, 0);
    if (uid.length === 4) this.memory[4] = uid[0]! ^ uid[1]! ^ uid[2]! ^ uid[3]!;
    this.memory[5] = kind === 'mifare-classic-4k' ? 0x18 : kind === 'mifare-mini' ? 0x09 : 0x08;
    for (let sector = 0; sector < sectors; sector += 1) {
      sectorTrailer(TRANSPORT_KEY, TRANSPORT_ACCESS, TRANSPORT_KEY).copy(
        this.memory,
        sectorTrailerBlock(sector) * 16,
      );
    }
  }

  reset(): void {
    this.auth = undefined;
  }

  get blockCount(): number {
    return this.memory.length / 16;
  }

  block(index: number): Buffer {
    return Buffer.from(this.memory.subarray(index * 16, index * 16 + 16));
  }

  process(apdu: Buffer): Buffer {
    if (apdu[0] !== 0xff) return sw(SW_NOT_SUPPORTED);
    const ins = apdu[1];
    switch (ins) {
      case 0xca:
        return apdu[2] === 0x00 ? sw(SW_OK, this.uid) : sw(SW_NOT_SUPPORTED);
      case 0x82:
        return this.loadKey(apdu);
      case 0x86:
        // FF 86 00 00 05 01 00 BB KT KN
        if (apdu.length !== 10 || apdu[4] !== 0x05 || apdu[5] !== 0x01) return sw(SW_FAILED);
        return this.authenticate(apdu[7]!, apdu[8]!, apdu[9]!);
      case 0x88:
        // FF 88 00 BB KT KN (PC/SC 2.01)
        if (apdu.length !== 6) return sw(SW_FAILED);
        return this.authenticate(apdu[3]!, apdu[4]!, apdu[5]!);
      case 0xb0:
        return this.readBinary(apdu);
      case 0xd6:
        return this.updateBinary(apdu);
      case 0xd7:
        return this.valueCommand(apdu);
      case 0xb1:
        return this.readValue(apdu);
      default:
        return sw(SW_NOT_SUPPORTED);
    }
  }

  private loadKey(apdu: Buffer): Buffer {
    const slot = apdu[3]!;
    if (apdu.length !== 11 || apdu[4] !== 0x06 || slot > 1) return sw(SW_FAILED);
    this.keySlots[slot] = Buffer.from(apdu.subarray(5, 11));
    return sw(SW_OK);
  }

  private authenticate(block: number, keyType: number, slot: number): Buffer {
    this.auth = undefined;
    const key = this.keySlots[slot];
    if (block >= this.blockCount || key === undefined || (keyType !== 0x60 && keyType !== 0x61))
      return sw(SW_FAILED);
    const sector = sectorOfBlock(block);
    const trailer = this.block(sectorTrailerBlock(sector));
    const keyName: KeyName = keyType === 0x60 ? 'A' : 'B';
    const stored = keyName === 'A' ? trailer.subarray(0, 6) : trailer.subarray(10, 16);
    if (!stored.equals(key)) return sw(SW_FAILED);
    this.auth = { sector, key: keyName };
    return sw(SW_OK);
  }

  /** Access conditions of the sector, or undefined when the access bits are corrupt (sector blocked). */
  private accessOf(sector: number): [Access, Access, Access, Access] | undefined {
    try {
      return decodeAccessBits(this.block(sectorTrailerBlock(sector)).subarray(6, 9));
    } catch {
      return undefined;
    }
  }

  private allowed(block: number, operation: DataOperation): boolean {
    if (block >= this.blockCount || this.auth === undefined) return false;
    const sector = sectorOfBlock(block);
    if (sector !== this.auth.sector) return false;
    const access = this.accessOf(sector);
    if (access === undefined) return false;
    return dataBlockAllows(
      access[accessGroupOfBlock(block)]!,
      operation,
      this.auth.key,
      keyBReadable(access[3]),
    );
  }

  private isTrailer(block: number): boolean {
    return block === sectorTrailerBlock(sectorOfBlock(block));
  }

  private readBinary(apdu: Buffer): Buffer {
    if (apdu.length !== 5) return sw(SW_FAILED);
    const block = apdu[3]!;
    const length = apdu[4] === 0 ? 16 : apdu[4]!;
    if (length % 16 !== 0) return sw(0x6c10);
    if (length > 16) return this.readMultiple(block, length / 16);
    if (block >= this.blockCount || this.auth === undefined || sectorOfBlock(block) !== this.auth.sector) {
      return sw(SW_FAILED);
    }
    if (this.isTrailer(block)) {
      const access = this.accessOf(this.auth.sector);
      if (access === undefined) return sw(SW_FAILED);
      const stored = this.block(block);
      const view = Buffer.alloc(16);
      if (trailerAllows(access[3], 'access', 'read', this.auth.key)) stored.copy(view, 6, 6, 10);
      if (trailerAllows(access[3], 'keyB', 'read', this.auth.key)) stored.copy(view, 10, 10, 16);
      return sw(SW_OK, view);
    }
    if (!this.allowed(block, 'read')) return sw(SW_FAILED);
    return sw(SW_OK, this.block(block));
  }

  /** ACS multi-block mode: consecutive data blocks of the authenticated sector, never its trailer. */
  private readMultiple(block: number, count: number): Buffer {
    const blocks: Buffer[] = [];
    for (let index = block; index < block + count; index += 1) {
      if (this.isTrailer(index) || !this.allowed(index, 'read')) return sw(SW_FAILED);
      blocks.push(this.block(index));
    }
    return sw(SW_OK, Buffer.concat(blocks));
  }

  private updateBinary(apdu: Buffer): Buffer {
    const block = apdu[3]!;
    if (apdu.length !== 21 || apdu[4] !== 0x10 || block === 0) return sw(SW_FAILED);
    const data = apdu.subarray(5, 21);
    if (this.isTrailer(block)) return this.writeTrailer(block, data);
    if (!this.allowed(block, 'write')) return sw(SW_FAILED);
    data.copy(this.memory, block * 16);
    return sw(SW_OK);
  }

  private writeTrailer(block: number, data: Buffer): Buffer {
    if (this.auth === undefined || sectorOfBlock(block) !== this.auth.sector) return sw(SW_FAILED);
    const access = this.accessOf(this.auth.sector);
    if (access === undefined) return sw(SW_FAILED);
    const stored = this.block(block);
    const key = this.auth.key;
    const trailerAccess = access[3];
    // Each part the write changes must be writable with the key in use; otherwise the card refuses it.
    if (
      !stored.subarray(0, 6).equals(data.subarray(0, 6)) &&
      !trailerAllows(trailerAccess, 'keyA', 'write', key)
    ) {
      return sw(SW_FAILED);
    }
    if (
      !stored.subarray(6, 10).equals(data.subarray(6, 10)) &&
      !trailerAllows(trailerAccess, 'access', 'write', key)
    ) {
      return sw(SW_FAILED);
    }
    if (
      !stored.subarray(10, 16).equals(data.subarray(10, 16)) &&
      !trailerAllows(trailerAccess, 'keyB', 'write', key)
    ) {
      return sw(SW_FAILED);
    }
    // As on the real card, a malformed access pattern is written anyway and blocks the sector for good.
    data.copy(this.memory, block * 16);
    return sw(SW_OK);
  }

  private valueCommand(apdu: Buffer): Buffer {
    const block = apdu[3]!;
    if (this.isTrailer(block) || block === 0) return sw(SW_FAILED);
    if (apdu.length === 7 && apdu[4] === 0x02 && apdu[5] === 0x03) {
      // RESTORE: copy a value block to another block of the same sector.
      const target = apdu[6]!;
      if (sectorOfBlock(target) !== sectorOfBlock(block) || this.isTrailer(target)) return sw(SW_FAILED);
      const source = decodeValueBlock(this.block(block));
      if (!source || !this.allowed(block, 'decrement') || !this.allowed(target, 'decrement'))
        return sw(SW_FAILED);
      encodeValueBlock(source.value, source.address).copy(this.memory, target * 16);
      return sw(SW_OK);
    }
    if (apdu.length !== 10 || apdu[4] !== 0x05) return sw(SW_FAILED);
    const operation = apdu[5]!;
    const operand = apdu.readInt32BE(6);
    if (operation === 0x00) {
      if (!this.allowed(block, 'write')) return sw(SW_FAILED);
      encodeValueBlock(operand, block).copy(this.memory, block * 16);
      return sw(SW_OK);
    }
    const current = decodeValueBlock(this.block(block));
    if (!current) return sw(SW_FAILED);
    let next: number;
    if (operation === 0x01) {
      if (!this.allowed(block, 'increment')) return sw(SW_FAILED);
      next = current.value + operand;
    } else if (operation === 0x02) {
      if (!this.allowed(block, 'decrement')) return sw(SW_FAILED);
      next = current.value - operand;
    } else {
      return sw(SW_FAILED);
    }
    if (next < -0x80000000 || next > 0x7fffffff) return sw(SW_FAILED);
    encodeValueBlock(next, current.address).copy(this.memory, block * 16);
    return sw(SW_OK);
  }

  private readValue(apdu: Buffer): Buffer {
    const block = apdu[3]!;
    if (apdu.length !== 5 || this.isTrailer(block) || !this.allowed(block, 'read')) return sw(SW_FAILED);
    const value = decodeValueBlock(this.block(block));
    if (!value) return sw(SW_FAILED);
    const out = Buffer.alloc(4);
    out.writeInt32BE(value.value, 0);
    return sw(SW_OK, out);
  }

  /** The first block of a sector, for tests that reach into memory. */
  static firstBlock(sector: number): number {
    return sectorFirstBlock(sector);
  }
}
