/**
 * MIFARE Classic memory: sector geometry, access bits (C1 C2 C3 per block group, stored twice with the
 * inverted copy), what each key may do, and the 16-byte value block format.
 */
import { DeviceError } from '../errors';

export type Access = [c1: number, c2: number, c3: number];

/** Sectors 0–31 have 4 blocks; 4K sectors 32–39 have 16. */
export function sectorFirstBlock(sector: number): number {
  return sector < 32 ? sector * 4 : 128 + (sector - 32) * 16;
}

export function sectorBlockCount(sector: number): number {
  return sector < 32 ? 4 : 16;
}

export function sectorTrailerBlock(sector: number): number {
  return sectorFirstBlock(sector) + sectorBlockCount(sector) - 1;
}

export function sectorOfBlock(block: number): number {
  return block < 128 ? Math.floor(block / 4) : 32 + Math.floor((block - 128) / 16);
}

/** Access group (0–3) of a block inside its sector; the trailer is group 3. */
export function accessGroupOfBlock(block: number): number {
  if (block < 128) return block % 4;
  const offset = (block - 128) % 16;
  return offset === 15 ? 3 : Math.floor(offset / 5);
}

export function sectorCount(cardType: 'mifare-classic-1k' | 'mifare-classic-4k' | 'mifare-mini'): number {
  return cardType === 'mifare-classic-4k' ? 40 : cardType === 'mifare-mini' ? 5 : 16;
}

/** Encodes the four groups' conditions into trailer bytes 6–8. */
export function encodeAccessBits(groups: readonly [Access, Access, Access, Access]): Buffer {
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  groups.forEach(([b1, b2, b3], group) => {
    c1 |= (b1 & 1) << group;
    c2 |= (b2 & 1) << group;
    c3 |= (b3 & 1) << group;
  });
  return Buffer.from([((~c2 & 0xf) << 4) | (~c1 & 0xf), (c1 << 4) | (~c3 & 0xf), (c3 << 4) | c2]);
}

/**
 * Decodes trailer bytes 6–8; throws `CARD_ACCESS_BITS_INVALID` when the inverted copy does not match
 * (writing such a pattern would block the sector for good).
 */
export function decodeAccessBits(bytes: Uint8Array): [Access, Access, Access, Access] {
  const [b6, b7, b8] = [bytes[0]!, bytes[1]!, bytes[2]!];
  const c1 = b7 >> 4;
  const c2 = b8 & 0xf;
  const c3 = b8 >> 4;
  const valid = (~b6 & 0xf) === c1 && ((~b6 >> 4) & 0xf) === c2 && (~b7 & 0xf) === c3;
  if (!valid) {
    throw new DeviceError('CARD_ACCESS_BITS_INVALID', 'access bits and their inverted copy disagree', {
      details: { bytes: Buffer.from([b6, b7, b8]).toString('hex') },
    });
  }
  const group = (g: number): Access => [(c1 >> g) & 1, (c2 >> g) & 1, (c3 >> g) & 1];
  return [group(0), group(1), group(2), group(3)];
}

export type KeyName = 'A' | 'B';
export type DataOperation = 'read' | 'write' | 'increment' | 'decrement';

const code = (access: Access): number => (access[0] << 2) | (access[1] << 1) | access[2];

/** Which keys may do an operation on a data block under these conditions (NXP table). */
export function dataBlockAllows(
  access: Access,
  operation: DataOperation,
  key: KeyName,
  keyBReadable: boolean,
): boolean {
  // When the trailer lets key B be read, key B is data, not a key.
  if (key === 'B' && keyBReadable) return false;
  const AB = true;
  const B = key === 'B';
  switch (code(access)) {
    case 0b000:
      return AB;
    case 0b001:
      return operation === 'read' || operation === 'decrement' ? AB : false;
    case 0b010:
      return operation === 'read' ? AB : false;
    case 0b011:
      return operation === 'read' || operation === 'write' ? B : false;
    case 0b100:
      return operation === 'read' ? AB : operation === 'write' ? B : false;
    case 0b101:
      return operation === 'read' ? B : false;
    case 0b110:
      return operation === 'read' || operation === 'decrement' ? AB : B;
    default:
      return false;
  }
}

export type TrailerField = 'keyA' | 'access' | 'keyB';

/** Trailer permissions: [read, write] per field, by key, for each C1C2C3 of group 3. */
export function trailerAllows(
  access: Access,
  field: TrailerField,
  operation: 'read' | 'write',
  key: KeyName,
): boolean {
  const A = key === 'A';
  const B = key === 'B';
  const table: Record<number, Record<TrailerField, [boolean, boolean]>> = {
    0: { keyA: [false, A], access: [A, false], keyB: [A, A] },
    2: { keyA: [false, false], access: [A, false], keyB: [A, false] },
    4: { keyA: [false, B], access: [true, false], keyB: [false, B] },
    6: { keyA: [false, false], access: [true, false], keyB: [false, false] },
    1: { keyA: [false, A], access: [A, A], keyB: [A, A] },
    3: { keyA: [false, B], access: [true, B], keyB: [false, B] },
    5: { keyA: [false, false], access: [true, B], keyB: [false, false] },
    7: { keyA: [false, false], access: [true, false], keyB: [false, false] },
  };
  const row = table[code(access)]!;
  return row[field][operation === 'read' ? 0 : 1];
}

/** Key B is readable (hence unusable as a key) under trailer conditions 000, 010 and 001. */
export function keyBReadable(trailerAccess: Access): boolean {
  const c = code(trailerAccess);
  return c === 0b000 || c === 0b010 || c === 0b001;
}

export const TRANSPORT_KEY = Buffer.from('FFFFFFFFFFFF', 'hex');
export const TRANSPORT_ACCESS = Buffer.from('FF0780', 'hex');

export function sectorTrailer(
  keyA: Uint8Array,
  accessBits: Uint8Array,
  keyB: Uint8Array,
  userByte = 0x69,
): Buffer {
  if (keyA.length !== 6 || keyB.length !== 6 || accessBits.length !== 3) {
    throw new RangeError('a trailer is key A (6), access bits (3), user byte, key B (6)');
  }
  return Buffer.concat([keyA, accessBits, Buffer.from([userByte]), keyB]);
}

/** The 16-byte value block: V, ~V, V (little-endian int32), then address, ~address, address, ~address. */
export function encodeValueBlock(value: number, address: number): Buffer {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`a value block holds a signed 32-bit integer, got ${value}`);
  }
  const block = Buffer.alloc(16);
  block.writeInt32LE(value, 0);
  block.writeInt32LE(~value, 4);
  block.writeInt32LE(value, 8);
  block[12] = address & 0xff;
  block[13] = ~address & 0xff;
  block[14] = address & 0xff;
  block[15] = ~address & 0xff;
  return block;
}

/** Decodes a value block; undefined when the block is not in value format. */
export function decodeValueBlock(block: Uint8Array): { value: number; address: number } | undefined {
  if (block.length !== 16) return undefined;
  const buffer = Buffer.from(block.buffer, block.byteOffset, 16);
  const value = buffer.readInt32LE(0);
  const ok =
    buffer.readInt32LE(4) === ~value &&
    buffer.readInt32LE(8) === value &&
    buffer[12] === buffer[14] &&
    buffer[13] === buffer[15] &&
    (buffer[12]! ^ buffer[13]!) === 0xff;
  return ok ? { value, address: buffer[12]! } : undefined;
}
