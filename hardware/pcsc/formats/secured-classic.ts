/**
 * The secured MIFARE Classic member card (the default format for new cards).
 *
 * One configurable sector (4-block sectors only, never sector 0) holds:
 *   block 0: "MC" | format version | flags | chain id (u32 BE) | card number (8 bytes packed BCD)
 *   block 1: MAC = HMAC-SHA256(chainSecret, "MCv1" || UID || block 0)[0..16]
 *   block 2: the on-card purse (a value block) when the store uses one, otherwise zeros
 *   trailer: diversified key A | access bits | 69 | diversified key B
 * Access: blocks 0–1 read by A or B, written by B only; block 2 a value block (read/decrement by A or B,
 * write/increment by B); the trailer is rewritten only with key B. Terminals read with key A.
 *
 * A secured read is GET UID, LOAD KEY, AUTHENTICATE and one two-block READ BINARY: 4 APDUs (6 on readers
 * without ACS multi-block reads).
 */
import { DeviceError } from '../../errors';
import {
  authenticate,
  expectSuccess,
  getUid,
  KEY_A,
  KEY_B,
  type KeyType,
  loadKey,
  parseResponse,
  readBinary,
  readValue,
  statusOf,
  updateBinary,
  VALUE_STORE,
  valueOperation,
} from '../apdu';
import { toHex } from '../bytes';
import {
  dataBlockAllows,
  decodeAccessBits,
  encodeAccessBits,
  encodeValueBlock,
  keyBReadable,
  sectorFirstBlock,
  sectorTrailer,
  sectorTrailerBlock,
  TRANSPORT_KEY,
  trailerAllows,
} from '../classic';
import type { CardSession } from '../session';
import { assertCardNumber, decodeCardNumber, encodeCardNumber } from './card-number';
import { assertChainKeys, type ChainKeys, cardMac, diversifiedKeys, macMatches } from './chain-keys';

export const SECURED_CLASSIC_VERSION = 1;
const MAGIC = [0x4d, 0x43]; // "MC"
const MAC_LABEL = 'MCv1';
const FLAG_PURSE = 0x01;

/** Blocks 0–1: read AB / write B; block 2: value block; trailer: keys and access rewritten by B only. */
export const SECURED_ACCESS_BITS = encodeAccessBits([
  [1, 0, 0],
  [1, 0, 0],
  [1, 1, 0],
  [0, 1, 1],
]);

export interface SecuredClassicOptions {
  keys: ChainKeys;
  /** Sector holding the member data; 1–15 on 1K, up to 31 on 4K, 1–4 on Mini. */
  sector: number;
}

export interface SecuredCardContents {
  uid: string;
  cardNumber: string;
  chainId: number;
  version: number;
  hasPurse: boolean;
}

function checkSector(sector: number): void {
  if (!Number.isInteger(sector) || sector < 1 || sector > 31) {
    throw new DeviceError('CARD_CONFIG_INVALID', 'the secured sector must be a 4-block sector from 1 to 31', {
      details: { sector },
    });
  }
}

function foreign(reason: string, uid: Uint8Array, cause?: unknown): DeviceError {
  return new DeviceError('CARD_FOREIGN', 'card not issued by this chain', {
    details: { reason, uid: toHex(uid) },
    cause,
  });
}

/** A card this chain cannot write at all (keyed or locked by another system), as opposed to a blank one. */
export function unwritable(reason: string, uid: Uint8Array, cause?: unknown): DeviceError {
  return new DeviceError('CARD_FOREIGN', 'card keyed by another system; it cannot be written', {
    details: { reason, uid: toHex(uid), writable: false },
    cause,
  });
}

export function encodeDataBlock(keys: ChainKeys, cardNumber: string, hasPurse: boolean): Buffer {
  const block = Buffer.alloc(16);
  block[0] = MAGIC[0]!;
  block[1] = MAGIC[1]!;
  block[2] = SECURED_CLASSIC_VERSION;
  block[3] = hasPurse ? FLAG_PURSE : 0;
  block.writeUInt32BE(keys.chainId, 4);
  encodeCardNumber(cardNumber).copy(block, 8);
  return block;
}

/** Checks blocks 0 and 1 against the UID and the chain secret; throws CARD_FOREIGN when they do not verify. */
export function verifyContents(
  keys: ChainKeys,
  uid: Uint8Array,
  block0: Uint8Array,
  block1: Uint8Array,
): SecuredCardContents {
  if (block0[0] !== MAGIC[0] || block0[1] !== MAGIC[1]) throw foreign('no member data in the sector', uid);
  if (block0[2] !== SECURED_CLASSIC_VERSION) throw foreign(`unknown format version ${block0[2]}`, uid);
  const chainId = Buffer.from(block0).readUInt32BE(4);
  if (chainId !== keys.chainId) throw foreign('issued by another chain', uid);
  if (!macMatches(cardMac(keys.chainSecret, MAC_LABEL, uid, block0), block1))
    throw foreign('MAC does not verify', uid);
  const cardNumber = decodeCardNumber(block0.subarray(8, 16));
  if (cardNumber === undefined) throw foreign('card number is not BCD', uid);
  return {
    uid: toHex(uid),
    cardNumber,
    chainId,
    version: block0[2],
    hasPurse: (block0[3]! & FLAG_PURSE) !== 0,
  };
}

async function tryAuthenticate(
  session: CardSession,
  block: number,
  key: Uint8Array,
  keyType: KeyType,
): Promise<boolean> {
  expectSuccess(await session.transmit(loadKey(key, 0)), 'LOAD KEY');
  const response = await session.transmit(authenticate(block, keyType, 0));
  try {
    expectSuccess(response, 'AUTHENTICATE');
    return true;
  } catch (error) {
    if (statusOf(error) !== undefined) return false;
    throw error;
  }
}

async function readBlock(session: CardSession, block: number): Promise<Buffer> {
  const data = expectSuccess(await session.transmit(readBinary(block, 0x10)), 'READ BINARY');
  if (data.length !== 16) {
    throw new DeviceError('CARD_RESPONSE_INVALID', 'a block read returned the wrong length', {
      details: { block, length: data.length },
    });
  }
  return data;
}

export async function readUid(session: CardSession): Promise<Buffer> {
  const uid = expectSuccess(await session.transmit(getUid()), 'GET UID');
  if (uid.length !== 4 && uid.length !== 7 && uid.length !== 10) {
    throw new DeviceError('CARD_RESPONSE_INVALID', 'UID has an impossible length', {
      details: { uid: toHex(uid) },
    });
  }
  return uid;
}

/**
 * Reads and verifies a secured card. A wrong key (63 00 on authentication) or contents that do not
 * verify both end in `CARD_FOREIGN`; nothing unverified is ever returned.
 */
export async function readSecuredClassic(
  session: CardSession,
  options: SecuredClassicOptions,
  knownUid?: Uint8Array,
): Promise<SecuredCardContents> {
  assertChainKeys(options.keys);
  checkSector(options.sector);
  const uid = knownUid ?? (await readUid(session));
  const first = sectorFirstBlock(options.sector);
  const { keyA } = diversifiedKeys(options.keys.masterKey, uid, options.sector);
  if (!(await tryAuthenticate(session, first, keyA, KEY_A))) throw foreign('sector key rejected', uid);
  const [block0, block1] = await readTwoBlocks(session, first);
  return verifyContents(options.keys, uid, block0, block1);
}

/**
 * Reads two consecutive data blocks with one ACS multi-block READ BINARY (Le 20); readers without
 * multi-block mode refuse it, and then the blocks are read one by one.
 */
async function readTwoBlocks(session: CardSession, block: number): Promise<[Buffer, Buffer]> {
  const { data, sw } = parseResponse(await session.transmit(readBinary(block, 0x20)));
  if (sw === 0x9000 && data.length === 32) return [data.subarray(0, 16), data.subarray(16, 32)];
  return [await readBlock(session, block), await readBlock(session, block + 1)];
}

export interface IssueOptions extends SecuredClassicOptions {
  cardNumber: string;
  /** Format block 2 as a purse holding this many fen; omit for stores without on-card purses. */
  purseFen?: number;
  /**
   * Re-selects the card after a failed authentication (real MIFARE cards halt after one). The reader
   * manager's session implements it by a reset; an in-process card does not need it.
   */
  reselect?: () => Promise<void>;
}

export type IssueOutcome = 'issued' | 'already-issued';

/**
 * Issues a blank card, or completes a half-issued one. Data blocks are written first and the trailer
 * last, so a card pulled away before the trailer still opens with the transport key and is simply
 * written again; one pulled after it opens with the diversified keys and is verified (and its data
 * rewritten with key B if the data is not ours). Reads the card back before reporting success.
 */
export async function issueSecuredClassic(
  session: CardSession,
  options: IssueOptions,
): Promise<IssueOutcome> {
  assertChainKeys(options.keys);
  checkSector(options.sector);
  const uid = await readUid(session);
  const first = sectorFirstBlock(options.sector);
  const trailer = sectorTrailerBlock(options.sector);
  const { keyA, keyB } = diversifiedKeys(options.keys.masterKey, uid, options.sector);
  const hasPurse = options.purseFen !== undefined;
  const block0 = encodeDataBlock(options.keys, options.cardNumber, hasPurse);
  const block1 = cardMac(options.keys.chainSecret, MAC_LABEL, uid, block0);
  const block2 = hasPurse ? encodeValueBlock(options.purseFen!, first + 2) : Buffer.alloc(16);

  const write = async (block: number, data: Buffer): Promise<void> => {
    expectSuccess(await session.transmit(updateBinary(block, data)), 'UPDATE BINARY');
  };

  let outcome: IssueOutcome = 'issued';
  if (await tryAuthenticate(session, first, keyB, KEY_B)) {
    // Already keyed by us: either fully issued, or rewritten data is due.
    if (await ourContents(session, options, uid)) {
      outcome = 'already-issued';
    } else {
      await write(first, block0);
      await write(first + 1, block1);
      await write(first + 2, block2);
    }
  } else {
    await options.reselect?.();
    if (!(await tryAuthenticate(session, first, TRANSPORT_KEY, KEY_A))) {
      throw unwritable('sector opens with neither this chain nor the transport key', uid);
    }
    await write(first, block0);
    await write(first + 1, block1);
    await write(first + 2, block2);
    await write(trailer, sectorTrailer(keyA, SECURED_ACCESS_BITS, keyB));
  }

  // Read back through the same path every terminal uses.
  const readBack = await readSecuredClassic(session, options, uid);
  if (readBack.cardNumber !== options.cardNumber) {
    throw new DeviceError('CARD_WRITE_FAILED', 'card read back a different card number', {
      details: { uid: toHex(uid), expected: options.cardNumber, actual: readBack.cardNumber },
    });
  }
  return outcome;
}

/**
 * With key B of this chain in force on the member sector: true when the sector already holds this card
 * number (verified), false when its data is not ours yet (a card pulled before its data was written).
 * CARD_ALREADY_ISSUED when it verifies with another number: one card never carries two members.
 */
async function ourContents(session: CardSession, options: IssueOptions, uid: Uint8Array): Promise<boolean> {
  const [current0, current1] = await readTwoBlocks(session, sectorFirstBlock(options.sector));
  let existing: SecuredCardContents | undefined;
  try {
    existing = verifyContents(options.keys, uid, current0, current1);
  } catch {
    return false;
  }
  if (existing.cardNumber !== options.cardNumber) {
    throw new DeviceError('CARD_ALREADY_ISSUED', 'card already carries another card number', {
      details: { uid: toHex(uid), cardNumber: existing.cardNumber },
    });
  }
  return true;
}

/**
 * Whether `issueSecuredClassic` can write this number onto the card, found out without writing anything, so
 * that a card keyed by another system is refused before a member or money is committed. A card opened by
 * this chain's key B is ours (issued, or half-issued and rewritable); otherwise the transport key must open
 * the sector and its access bits must let key A write the data blocks and the whole trailer.
 */
export async function checkIssuableClassic(
  session: CardSession,
  options: IssueOptions,
): Promise<IssueOutcome> {
  assertChainKeys(options.keys);
  checkSector(options.sector);
  assertCardNumber(options.cardNumber);
  const uid = await readUid(session);
  const first = sectorFirstBlock(options.sector);
  const { keyB } = diversifiedKeys(options.keys.masterKey, uid, options.sector);
  if (await tryAuthenticate(session, first, keyB, KEY_B)) {
    return (await ourContents(session, options, uid)) ? 'already-issued' : 'issued';
  }
  await options.reselect?.();
  if (!(await tryAuthenticate(session, first, TRANSPORT_KEY, KEY_A))) {
    throw unwritable('sector opens with neither this chain nor the transport key', uid);
  }
  const trailer = await readBlock(session, sectorTrailerBlock(options.sector));
  let groups: ReturnType<typeof decodeAccessBits>;
  try {
    groups = decodeAccessBits(trailer.subarray(6, 9));
  } catch (error) {
    throw unwritable('the sector trailer holds invalid access bits', uid, error);
  }
  const keyBIsData = keyBReadable(groups[3]);
  const dataWritable = [0, 1, 2].every((group) => dataBlockAllows(groups[group]!, 'write', 'A', keyBIsData));
  const trailerWritable = (['keyA', 'access', 'keyB'] as const).every((field) =>
    trailerAllows(groups[3], field, 'write', 'A'),
  );
  if (!dataWritable || !trailerWritable) {
    throw unwritable('the transport key opens the sector but may not write it', uid);
  }
  return 'issued';
}

/** Reads the on-card purse (fen). The ledger stays the truth; this is for offline checks only. */
export async function readPurse(
  session: CardSession,
  options: SecuredClassicOptions,
  uid: Uint8Array,
): Promise<number> {
  const first = sectorFirstBlock(options.sector);
  const { keyA } = diversifiedKeys(options.keys.masterKey, uid, options.sector);
  if (!(await tryAuthenticate(session, first, keyA, KEY_A))) throw foreign('sector key rejected', uid);
  const data = expectSuccess(await session.transmit(readValue(first + 2)), 'READ VALUE');
  if (data.length !== 4)
    throw new DeviceError('CARD_RESPONSE_INVALID', 'a value read returned the wrong length');
  return data.readInt32BE(0);
}

/** Sets the on-card purse to the ledger's balance (fen) and reads it back. */
export async function mirrorPurse(
  session: CardSession,
  options: SecuredClassicOptions,
  uid: Uint8Array,
  balanceFen: number,
): Promise<void> {
  if (!Number.isSafeInteger(balanceFen) || balanceFen < 0 || balanceFen > 0x7fffffff) {
    throw new DeviceError('PURSE_VALUE_INVALID', 'the on-card purse holds 0 to 2147483647 fen', {
      details: { balanceFen },
    });
  }
  const first = sectorFirstBlock(options.sector);
  const { keyB } = diversifiedKeys(options.keys.masterKey, uid, options.sector);
  if (!(await tryAuthenticate(session, first, keyB, KEY_B))) throw foreign('sector key rejected', uid);
  expectSuccess(await session.transmit(valueOperation(first + 2, VALUE_STORE, balanceFen)), 'VALUE STORE');
  const data = expectSuccess(await session.transmit(readValue(first + 2)), 'READ VALUE');
  if (data.length !== 4 || data.readInt32BE(0) !== balanceFen) {
    throw new DeviceError('CARD_WRITE_FAILED', 'purse read back a different value', {
      details: { balanceFen },
    });
  }
}
