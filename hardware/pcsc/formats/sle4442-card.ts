/**
 * The SLE4442 member card (contact memory cards common in Chinese stores). The card has no UID, so the
 * MAC binds the contents to the card's write-protected maker area (bytes 00–1F), and the PSC that guards
 * writes is diversified from that area. Bytes 20–3F hold:
 *   20: "MS" | format version | 00 | chain id (u32 BE) | card number (8 bytes packed BCD)
 *   30: MAC = HMAC-SHA256(chainSecret, "MSv1" || bytes 00–1F || bytes 20–2F)[0..16]
 * PSC = HMAC-SHA256(masterKey, "MSPSC" || bytes 00–1F)[0..3].
 * Reading needs no code (SELECT, one 64-byte read: 2 APDUs), so the MAC is what tells a member card from a
 * copy-edited one; a copy onto a card with identical maker bytes would pass, which is this card type's limit.
 * Issuing presents the factory PSC, writes the data and changes the PSC last; repeating it after an
 * interruption costs at most one of the card's three PSC tries, and a good presentation restores them.
 */
import { createHmac } from 'node:crypto';
import { DeviceError } from '../../errors';
import { expectSuccess, parseResponse } from '../apdu';
import type { CardSession } from '../session';
import {
  presentCodeResult,
  SLE4442_DEFAULT_PSC,
  selectCardType,
  sleChangeCode,
  slePresentCode,
  sleReadMemory,
  sleWriteMemory,
} from '../sle4442';
import { decodeCardNumber, encodeCardNumber } from './card-number';
import { assertChainKeys, type ChainKeys, cardMac, macMatches } from './chain-keys';
import type { SecuredCardContents } from './secured-classic';

const MAGIC = [0x4d, 0x53]; // "MS"
const VERSION = 1;
const MAC_LABEL = 'MSv1';
const DATA_ADDRESS = 0x20;

function foreign(reason: string): DeviceError {
  return new DeviceError('CARD_FOREIGN', 'card not issued by this chain', { details: { reason } });
}

export function slePsc(masterKey: Uint8Array, makerArea: Uint8Array): Buffer {
  return createHmac('sha256', masterKey).update('MSPSC').update(makerArea).digest().subarray(0, 3);
}

/** Selects the card type and reads bytes 00–3F (the reader may append protection bytes, which are dropped). */
async function readHead(session: CardSession): Promise<Buffer> {
  expectSuccess(await session.transmit(selectCardType()), 'SELECT CARD TYPE');
  const data = expectSuccess(await session.transmit(sleReadMemory(0, 0x40)), 'READ MEMORY');
  if (data.length < 0x40)
    throw new DeviceError('CARD_RESPONSE_INVALID', 'memory read returned too few bytes');
  return data.subarray(0, 0x40);
}

function verify(keys: ChainKeys, head: Buffer): SecuredCardContents {
  const maker = head.subarray(0, 0x20);
  const data = head.subarray(0x20, 0x30);
  if (data[0] !== MAGIC[0] || data[1] !== MAGIC[1]) throw foreign('no member data on the card');
  if (data[2] !== VERSION) throw foreign(`unknown format version ${data[2]}`);
  const chainId = data.readUInt32BE(4);
  if (chainId !== keys.chainId) throw foreign('issued by another chain');
  const expected = cardMac(keys.chainSecret, MAC_LABEL, maker, data);
  if (!macMatches(expected, head.subarray(0x30, 0x40))) throw foreign('MAC does not verify');
  const cardNumber = decodeCardNumber(data.subarray(8, 16));
  if (cardNumber === undefined) throw foreign('card number is not BCD');
  return { uid: '', cardNumber, chainId, version: VERSION, hasPurse: false };
}

export async function readSle4442(session: CardSession, keys: ChainKeys): Promise<SecuredCardContents> {
  assertChainKeys(keys);
  return verify(keys, await readHead(session));
}

async function present(
  session: CardSession,
  psc: Uint8Array,
): Promise<{ accepted: boolean; triesLeft: number }> {
  const response = await session.transmit(slePresentCode(psc));
  const { sw } = parseResponse(response);
  if (sw >> 8 !== 0x90) expectSuccess(response, 'PRESENT CODE');
  return presentCodeResult(response);
}

export async function issueSle4442(session: CardSession, keys: ChainKeys, cardNumber: string): Promise<void> {
  assertChainKeys(keys);
  const head = await readHead(session);
  const maker = head.subarray(0, 0x20);
  const psc = slePsc(keys.masterKey, maker);
  let alreadyOurs = false;
  try {
    const existing = verify(keys, head);
    if (existing.cardNumber !== cardNumber) {
      throw new DeviceError('CARD_ALREADY_ISSUED', 'card already carries another card number', {
        details: { cardNumber: existing.cardNumber },
      });
    }
    alreadyOurs = true;
  } catch (error) {
    if (!(error instanceof DeviceError && error.code === 'CARD_FOREIGN')) throw error;
  }
  // An issued card has our PSC; a blank one (or one interrupted before the PSC change) the factory PSC.
  let opened = await present(session, alreadyOurs ? psc : SLE4442_DEFAULT_PSC);
  if (!opened.accepted && opened.triesLeft > 1)
    opened = await present(session, alreadyOurs ? SLE4442_DEFAULT_PSC : psc);
  if (!opened.accepted) {
    throw new DeviceError(
      opened.triesLeft === 0 ? 'CARD_LOCKED' : 'CARD_FOREIGN',
      "card refused this chain's codes",
      {
        details: { triesLeft: opened.triesLeft },
      },
    );
  }
  const data = Buffer.alloc(16);
  data[0] = MAGIC[0]!;
  data[1] = MAGIC[1]!;
  data[2] = VERSION;
  data.writeUInt32BE(keys.chainId, 4);
  encodeCardNumber(cardNumber).copy(data, 8);
  const mac = cardMac(keys.chainSecret, MAC_LABEL, maker, data);
  expectSuccess(
    await session.transmit(sleWriteMemory(DATA_ADDRESS, Buffer.concat([data, mac]))),
    'WRITE MEMORY',
  );
  expectSuccess(await session.transmit(sleChangeCode(psc)), 'CHANGE CODE');
  const readBack = verify(keys, await readHead(session));
  if (readBack.cardNumber !== cardNumber) {
    throw new DeviceError('CARD_WRITE_FAILED', 'card read back a different card number');
  }
}
