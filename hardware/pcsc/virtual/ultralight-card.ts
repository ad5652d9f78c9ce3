/**
 * A virtual MIFARE Ultralight / NTAG21x card: 4-byte pages, READ BINARY returns 4 pages (wrapping past the
 * last page as the card's READ does), UPDATE BINARY writes one page. Pages 0–1 (UID) are read-only, page 2's
 * lock bytes and page 3 (OTP / capability container) are one-time programmable (bits can only be set), and
 * the static lock bits make pages 3–15 read-only once set.
 */
import { storageCardAtr } from '../atr';
import { SW_FAILED, SW_NOT_SUPPORTED, SW_OK, sw, type VirtualCard } from './card';

export type UltralightKind = 'mifare-ultralight' | 'ntag213' | 'ntag215' | 'ntag216';

const PAGE_COUNT: Record<UltralightKind, number> = {
  'mifare-ultralight': 16,
  ntag213: 45,
  ntag215: 135,
  ntag216: 231,
};

export class VirtualUltralightCard implements VirtualCard {
  /** NTAG21x report the Ultralight card name on ACS readers (PC/SC Part 3 has no NTAG entry). */
  readonly atr = storageCardAtr(0x03, 0x0003);
  readonly uid: Buffer;
  readonly pages: Buffer;

  constructor(
    readonly kind: UltralightKind,
    uid: Uint8Array,
  ) {
    if (uid.length !== 7) throw new RangeError('an Ultralight UID is 7 bytes');
    this.uid = Buffer.from(uid);
    this.pages = Buffer.alloc(PAGE_COUNT[kind] * 4);
    const u = this.uid;
    this.pages.set([u[0]!, u[1]!, u[2]!, 0x88 ^ u[0]! ^ u[1]! ^ u[2]!], 0);
    this.pages.set([u[3]!, u[4]!, u[5]!, u[6]!], 4);
    this.pages[8] = u[3]! ^ u[4]! ^ u[5]! ^ u[6]!;
    this.pages[9] = 0x48;
    if (kind !== 'mifare-ultralight') {
      // NTAG capability container: NDEF magic, version 1.0, data area size / 8, read/write.
      const size = { ntag213: 0x12, ntag215: 0x3e, ntag216: 0x6d }[kind];
      this.pages.set([0xe1, 0x10, size, 0x00], 12);
    }
  }

  get pageCount(): number {
    return this.pages.length / 4;
  }

  reset(): void {}

  process(apdu: Buffer): Buffer {
    if (apdu[0] !== 0xff) return sw(SW_NOT_SUPPORTED);
    switch (apdu[1]) {
      case 0xca:
        return apdu[2] === 0x00 ? sw(SW_OK, this.uid) : sw(SW_NOT_SUPPORTED);
      case 0xb0:
        return this.read(apdu);
      case 0xd6:
        return this.write(apdu);
      default:
        return sw(SW_NOT_SUPPORTED);
    }
  }

  private read(apdu: Buffer): Buffer {
    const page = apdu[3]!;
    const length = apdu[4] === 0 ? 16 : apdu[4]!;
    if (apdu.length !== 5 || page >= this.pageCount || length % 4 !== 0 || length > 16) return sw(SW_FAILED);
    const out = Buffer.alloc(length);
    for (let offset = 0; offset < length / 4; offset += 1) {
      const source = ((page + offset) % this.pageCount) * 4;
      this.pages.copy(out, offset * 4, source, source + 4);
    }
    return sw(SW_OK, out);
  }

  private locked(page: number): boolean {
    const lock0 = this.pages[10]!;
    const lock1 = this.pages[11]!;
    if (page === 3) return (lock0 & 0x08) !== 0;
    if (page >= 4 && page <= 7) return (lock0 & (1 << page)) !== 0;
    if (page >= 8 && page <= 15) return (lock1 & (1 << (page - 8))) !== 0;
    return false;
  }

  private write(apdu: Buffer): Buffer {
    const page = apdu[3]!;
    if (apdu.length !== 9 || apdu[4] !== 0x04 || page < 2 || page >= this.pageCount || this.locked(page)) {
      return sw(SW_FAILED);
    }
    const data = apdu.subarray(5, 9);
    const offset = page * 4;
    if (page === 2) {
      // Only the lock bytes are writable, and bits only ever get set.
      this.pages[offset + 2]! |= data[2]!;
      this.pages[offset + 3]! |= data[3]!;
    } else if (page === 3) {
      for (let index = 0; index < 4; index += 1) this.pages[offset + index]! |= data[index]!;
    } else {
      data.copy(this.pages, offset);
    }
    return sw(SW_OK);
  }
}
