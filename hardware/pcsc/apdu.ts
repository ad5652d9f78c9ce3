/**
 * PC/SC Part 3 "storage card" pseudo-APDUs (CLA FF) as ACS ACR122U/ACR1252U readers implement them,
 * and the parsing of their responses. Pure: bytes in, bytes out.
 */
import { DeviceError } from '../errors';
import { byte, concat, toHex } from './bytes';

export const KEY_A = 0x60;
export const KEY_B = 0x61;
export type KeyType = typeof KEY_A | typeof KEY_B;

/** GET DATA: the UID (Le 00 = full length). */
export const getUid = (): Buffer => Buffer.from([0xff, 0xca, 0x00, 0x00, 0x00]);

/** GET DATA: the ATS of an ISO 14443-A card. */
export const getAts = (): Buffer => Buffer.from([0xff, 0xca, 0x01, 0x00, 0x00]);

/** LOAD KEYS into a volatile reader slot (ACR122U has slots 00 and 01). */
export function loadKey(key: Uint8Array, slot = 0): Buffer {
  if (key.length !== 6) throw new RangeError('a MIFARE key is 6 bytes');
  return concat(Buffer.from([0xff, 0x82, 0x00, byte(slot), 0x06]), key);
}

/** GENERAL AUTHENTICATE (PC/SC 2.07) of one block with the key in a reader slot. */
export function authenticate(block: number, keyType: KeyType, slot = 0): Buffer {
  return Buffer.from([0xff, 0x86, 0x00, 0x00, 0x05, 0x01, 0x00, byte(block), keyType, byte(slot)]);
}

/** READ BINARY: 16 bytes of a Classic block, or 4 Ultralight pages starting at `block`. */
export function readBinary(block: number, length = 0x10): Buffer {
  return Buffer.from([0xff, 0xb0, 0x00, byte(block), byte(length)]);
}

/** UPDATE BINARY: 16 bytes to a Classic block, or 4 bytes to an Ultralight page. */
export function updateBinary(block: number, data: Uint8Array): Buffer {
  if (data.length !== 16 && data.length !== 4)
    throw new RangeError('UPDATE BINARY takes 16 (block) or 4 (page) bytes');
  return concat(Buffer.from([0xff, 0xd6, 0x00, byte(block), data.length]), data);
}

export const VALUE_STORE = 0x00;
export const VALUE_INCREMENT = 0x01;
export const VALUE_DECREMENT = 0x02;
export type ValueOperation = typeof VALUE_STORE | typeof VALUE_INCREMENT | typeof VALUE_DECREMENT;

/** ACS VALUE BLOCK OPERATION; the value travels as a signed 32-bit integer, most significant byte first. */
export function valueOperation(block: number, operation: ValueOperation, value: number): Buffer {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`a value block holds a signed 32-bit integer, got ${value}`);
  }
  const apdu = Buffer.from([0xff, 0xd7, 0x00, byte(block), 0x05, operation, 0, 0, 0, 0]);
  apdu.writeInt32BE(value, 6);
  return apdu;
}

/** ACS READ VALUE BLOCK: 4 bytes, most significant first. */
export const readValue = (block: number): Buffer => Buffer.from([0xff, 0xb1, 0x00, byte(block), 0x04]);

/** ACS RESTORE VALUE BLOCK: copies a value block to another block of the same sector. */
export const restoreValue = (source: number, target: number): Buffer =>
  Buffer.from([0xff, 0xd7, 0x00, byte(source), 0x02, 0x03, byte(target)]);

/** ACR122U LED and buzzer control, sent with SCardControl (escape). */
export function acr122LedBuzzer(options: {
  /** P2: final LED state and blink masks, see the ACR122U manual. */
  ledState: number;
  t1: number;
  t2: number;
  repetitions: number;
  buzzer: number;
}): Buffer {
  return Buffer.from([
    0xff,
    0x00,
    0x40,
    byte(options.ledState),
    0x04,
    byte(options.t1),
    byte(options.t2),
    byte(options.repetitions),
    byte(options.buzzer),
  ]);
}

/** Status word meanings from the ACS and Identiv manuals; everything but 90 00 is a failure. */
const STATUS_MESSAGES: Record<number, string> = {
  25344: 'operation failed (wrong key, not authenticated, or card gone)',
  27265: 'function not supported',
  25218: 'end of data reached before Le bytes',
  25217: 'part of the returned data may be corrupted',
  26368: 'wrong length',
  26624: 'CLA not supported',
  27009: 'command incompatible with the card',
  27010: 'security status not satisfied',
  27014: 'command not allowed',
  27266: 'addressed block does not exist',
  27392: 'wrong P1/P2',
};

export interface Response {
  data: Buffer;
  sw: number;
}

export function parseResponse(response: Uint8Array): Response {
  if (response.length < 2) {
    throw new DeviceError('CARD_RESPONSE_INVALID', 'card response shorter than a status word', {
      details: { response: toHex(response) },
    });
  }
  const buffer = Buffer.from(response.buffer, response.byteOffset, response.byteLength);
  return { data: buffer.subarray(0, buffer.length - 2), sw: buffer.readUInt16BE(buffer.length - 2) };
}

export function describeStatus(sw: number): string {
  if (sw === 0x9000) return 'success';
  if (sw >> 8 === 0x6c) return `wrong Le, expected ${sw & 0xff}`;
  return STATUS_MESSAGES[sw] ?? 'unknown status';
}

/**
 * The data of a successful response; any other status word becomes a DeviceError `CARD_COMMAND_REFUSED`
 * carrying the SW so callers (e.g. the wrong-key path) can branch on it.
 */
export function expectSuccess(response: Uint8Array, command: string): Buffer {
  const { data, sw } = parseResponse(response);
  if (sw === 0x9000) return data;
  const swHex = sw.toString(16).toUpperCase().padStart(4, '0');
  throw new DeviceError('CARD_COMMAND_REFUSED', `${command} failed: ${swHex} ${describeStatus(sw)}`, {
    details: { command, sw: swHex },
  });
}

export function statusOf(error: unknown): string | undefined {
  if (error instanceof DeviceError && error.code === 'CARD_COMMAND_REFUSED')
    return error.details?.sw as string | undefined;
  return undefined;
}
