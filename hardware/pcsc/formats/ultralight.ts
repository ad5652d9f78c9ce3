/**
 * The Ultralight/NTAG member card. User pages 4–11 hold:
 *   page 4: "MU" | format version | 00
 *   page 5: chain id (u32 BE)
 *   pages 6–7: card number (8 bytes packed BCD)
 *   pages 8–11: MAC = HMAC-SHA256(chainSecret, "MUv1" || UID || pages 4–7)[0..16]
 * These cards have no keys worth the name, so the MAC (bound to the 7-byte UID) is the whole defence:
 * contents copied to another card do not verify. A read is GET UID and two 4-page reads: 3 APDUs.
 */
import { DeviceError } from '../../errors';
import { expectSuccess, readBinary, updateBinary } from '../apdu';
import { toHex } from '../bytes';
import type { CardSession } from '../session';
import { assertCardNumber, decodeCardNumber, encodeCardNumber } from './card-number';
import { assertChainKeys, type ChainKeys, cardMac, macMatches } from './chain-keys';
import { readUid, type SecuredCardContents, unwritable } from './secured-classic';

export const ULTRALIGHT_VERSION = 1;
const MAGIC = [0x4d, 0x55]; // "MU"
const MAC_LABEL = 'MUv1';
export const FIRST_PAGE = 4;

function foreign(reason: string, uid: Uint8Array): DeviceError {
  return new DeviceError('CARD_FOREIGN', 'card not issued by this chain', {
    details: { reason, uid: toHex(uid) },
  });
}

async function readPages(session: CardSession, page: number): Promise<Buffer> {
  const data = expectSuccess(await session.transmit(readBinary(page, 0x10)), 'READ BINARY');
  if (data.length !== 16) {
    throw new DeviceError('CARD_RESPONSE_INVALID', 'a 4-page read returned the wrong length', {
      details: { page },
    });
  }
  return data;
}

export function encodeUltralightContents(keys: ChainKeys, uid: Uint8Array, cardNumber: string): Buffer {
  const head = Buffer.alloc(16);
  head[0] = MAGIC[0]!;
  head[1] = MAGIC[1]!;
  head[2] = ULTRALIGHT_VERSION;
  head.writeUInt32BE(keys.chainId, 4);
  encodeCardNumber(cardNumber).copy(head, 8);
  return Buffer.concat([head, cardMac(keys.chainSecret, MAC_LABEL, uid, head)]);
}

export function verifyUltralightContents(
  keys: ChainKeys,
  uid: Uint8Array,
  contents: Uint8Array,
): SecuredCardContents {
  const head = contents.subarray(0, 16);
  const mac = contents.subarray(16, 32);
  if (head[0] !== MAGIC[0] || head[1] !== MAGIC[1]) throw foreign('no member data on the card', uid);
  if (head[2] !== ULTRALIGHT_VERSION) throw foreign(`unknown format version ${head[2]}`, uid);
  const chainId = Buffer.from(head).readUInt32BE(4);
  if (chainId !== keys.chainId) throw foreign('issued by another chain', uid);
  if (!macMatches(cardMac(keys.chainSecret, MAC_LABEL, uid, head), mac))
    throw foreign('MAC does not verify', uid);
  const cardNumber = decodeCardNumber(head.subarray(8, 16));
  if (cardNumber === undefined) throw foreign('card number is not BCD', uid);
  return { uid: toHex(uid), cardNumber, chainId, version: head[2], hasPurse: false };
}

export async function readUltralight(
  session: CardSession,
  keys: ChainKeys,
  knownUid?: Uint8Array,
): Promise<SecuredCardContents> {
  assertChainKeys(keys);
  const uid = knownUid ?? (await readUid(session));
  const contents = Buffer.concat([
    await readPages(session, FIRST_PAGE),
    await readPages(session, FIRST_PAGE + 4),
  ]);
  return verifyUltralightContents(keys, uid, contents);
}

/** Writes the member pages one by one and reads them back; safe to repeat after an interrupted write. */
export async function issueUltralight(
  session: CardSession,
  keys: ChainKeys,
  cardNumber: string,
): Promise<void> {
  assertChainKeys(keys);
  const uid = await readUid(session);
  const contents = encodeUltralightContents(keys, uid, cardNumber);
  for (let page = 0; page < 8; page += 1) {
    const data = contents.subarray(page * 4, page * 4 + 4);
    expectSuccess(await session.transmit(updateBinary(FIRST_PAGE + page, data)), 'UPDATE BINARY');
  }
  const readBack = await readUltralight(session, keys, uid);
  if (readBack.cardNumber !== cardNumber) {
    throw new DeviceError('CARD_WRITE_FAILED', 'card read back a different card number', {
      details: { uid: toHex(uid), expected: cardNumber, actual: readBack.cardNumber },
    });
  }
}

/** Static lock bits of page 2 that cover the member pages 4–11 (bits 4–7 of lock byte 0, 0–3 of byte 1). */
function memberPagesLocked(page2: Uint8Array): boolean {
  return (page2[2]! & 0xf0) !== 0 || (page2[3]! & 0x0f) !== 0;
}

/**
 * Whether `issueUltralight` can write this number, found out without writing: a card already carrying
 * another of this chain's numbers is CARD_ALREADY_ISSUED; one whose member pages are locked (written for
 * good by another system) is CARD_FOREIGN.
 */
export async function checkIssuableUltralight(
  session: CardSession,
  keys: ChainKeys,
  cardNumber: string,
): Promise<'issued' | 'already-issued'> {
  assertChainKeys(keys);
  assertCardNumber(cardNumber);
  const uid = await readUid(session);
  let existing: SecuredCardContents | undefined;
  try {
    existing = await readUltralight(session, keys, uid);
  } catch (error) {
    if (!(error instanceof DeviceError && error.code === 'CARD_FOREIGN')) throw error;
  }
  if (existing !== undefined && existing.cardNumber !== cardNumber) {
    throw new DeviceError('CARD_ALREADY_ISSUED', 'card already carries another card number', {
      details: { uid: toHex(uid), cardNumber: existing.cardNumber },
    });
  }
  if (existing !== undefined) return 'already-issued';
  if (memberPagesLocked(await readPages(session, 2))) throw unwritable('the member pages are locked', uid);
  return 'issued';
}
