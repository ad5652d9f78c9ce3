/**
 * SLE4432/4442/5532/5542 contact memory cards on ACS contact readers (ACR38x, ACR39x), as the ACS
 * reference manuals give the pseudo-APDUs:
 *   SELECT_CARD_TYPE     FF A4 00 00 01 06
 *   READ_MEMORY_CARD     FF B0 00 addr len        → data (+ 4 protection bytes on ACR38x) + 90 00
 *   READ_ERROR_COUNTER   FF B1 00 00 04           → ERRCNT + 3 dummy bytes + 90 00
 *   READ_PROTECTION_BITS FF B2 00 00 04           → PROT1..PROT4 + 90 00
 *   PRESENT_CODE         FF 20 00 00 03 PSC(3)    → 90 ERRCNT (07 = accepted, 00 = locked)
 *   WRITE_MEMORY_CARD    FF D0 00 addr len data   → 90 00
 *   CHANGE_CODE          FF D2 00 01 03 PSC(3)    → 90 00
 * The card has 256 bytes; bytes 00–1F carry the maker's data and are usually write-protected; reading
 * needs no code, writing needs the 3-byte programmable security code (PSC), which allows 3 wrong tries.
 */
import { DeviceError } from '../errors';
import { byte, concat } from './bytes';

export const SLE4442_CARD_TYPE = 0x06;
export const SLE4442_MEMORY_SIZE = 256;
export const SLE4442_DEFAULT_PSC = Buffer.from('FFFFFF', 'hex');

export const selectCardType = (cardType = SLE4442_CARD_TYPE): Buffer =>
  Buffer.from([0xff, 0xa4, 0x00, 0x00, 0x01, byte(cardType)]);

export function sleReadMemory(address: number, length: number): Buffer {
  if (address + length > SLE4442_MEMORY_SIZE || length < 1)
    throw new RangeError('read outside the 256-byte memory');
  return Buffer.from([0xff, 0xb0, 0x00, byte(address), length === 256 ? 0 : byte(length)]);
}

export const sleReadErrorCounter = (): Buffer => Buffer.from([0xff, 0xb1, 0x00, 0x00, 0x04]);

export const sleReadProtectionBits = (): Buffer => Buffer.from([0xff, 0xb2, 0x00, 0x00, 0x04]);

export function slePresentCode(psc: Uint8Array): Buffer {
  if (psc.length !== 3) throw new RangeError('an SLE4442 PSC is 3 bytes');
  return concat(Buffer.from([0xff, 0x20, 0x00, 0x00, 0x03]), psc);
}

export function sleWriteMemory(address: number, data: Uint8Array): Buffer {
  if (data.length < 1 || address + data.length > SLE4442_MEMORY_SIZE) {
    throw new RangeError('write outside the 256-byte memory');
  }
  return concat(Buffer.from([0xff, 0xd0, 0x00, byte(address), data.length]), data);
}

export function sleChangeCode(psc: Uint8Array): Buffer {
  if (psc.length !== 3) throw new RangeError('an SLE4442 PSC is 3 bytes');
  return concat(Buffer.from([0xff, 0xd2, 0x00, 0x01, 0x03]), psc);
}

/** Reads PRESENT_CODE's answer: the error counter left after the try. */
export function presentCodeResult(response: Uint8Array): { accepted: boolean; triesLeft: number } {
  if (response.length !== 2 || response[0] !== 0x90) {
    throw new DeviceError('CARD_RESPONSE_INVALID', 'PRESENT_CODE answered without an error counter');
  }
  const counter = response[1]!;
  const triesLeft = [counter & 1, (counter >> 1) & 1, (counter >> 2) & 1].reduce((sum, bit) => sum + bit, 0);
  return { accepted: counter === 0x07, triesLeft };
}
