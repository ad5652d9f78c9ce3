import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authenticate,
  decodeAccessBits,
  decodeAtr,
  decodeCardNumber,
  decodeValueBlock,
  diversifiedKeys,
  encodeAccessBits,
  encodeCardNumber,
  encodeValueBlock,
  expectSuccess,
  fromHex,
  getUid,
  loadKey,
  readBinary,
  readValue,
  restoreValue,
  SECURED_ACCESS_BITS,
  SIGNAL_FAILURE,
  SIGNAL_SUCCESS,
  sectorFirstBlock,
  sectorOfBlock,
  sectorTrailerBlock,
  storageCardAtr,
  toHex,
  updateBinary,
  VALUE_DECREMENT,
  VALUE_STORE,
  valueOperation,
} from '../../../hardware/pcsc/index';

describe('storage-card pseudo-APDUs', () => {
  it('are built byte for byte as the ACS manuals give them', () => {
    expect(toHex(getUid())).toBe('FFCA000000');
    expect(toHex(loadKey(fromHex('FFFFFFFFFFFF'), 1))).toBe('FF82000106FFFFFFFFFFFF');
    expect(toHex(authenticate(4, 0x60, 0))).toBe('FF860000050100046000');
    expect(toHex(authenticate(7, 0x61, 1))).toBe('FF860000050100076101');
    expect(toHex(readBinary(4))).toBe('FFB0000410');
    expect(toHex(updateBinary(4, fromHex('00112233')))).toBe('FFD600040400112233');
    expect(toHex(readValue(6))).toBe('FFB1000604');
    expect(toHex(restoreValue(5, 6))).toBe('FFD70005020306');
  });

  it('send value operands as signed 32-bit, most significant byte first', () => {
    expect(toHex(valueOperation(6, VALUE_DECREMENT, -4))).toBe('FFD700060502FFFFFFFC');
    expect(toHex(valueOperation(6, VALUE_STORE, 100))).toBe('FFD70006050000000064');
    expect(() => valueOperation(6, VALUE_STORE, 2 ** 31)).toThrow(RangeError);
  });

  it('turn any status word but 90 00 into a CARD_COMMAND_REFUSED error that carries the SW', () => {
    expect(toHex(expectSuccess(fromHex('01029000'), 'x'))).toBe('0102');
    expect(() => expectSuccess(fromHex('6300'), 'AUTHENTICATE')).toThrowError(
      expect.objectContaining({
        code: 'CARD_COMMAND_REFUSED',
        details: { command: 'AUTHENTICATE', sw: '6300' },
      }),
    );
    expect(() => expectSuccess(fromHex('90'), 'x')).toThrowError(
      expect.objectContaining({ code: 'CARD_RESPONSE_INVALID' }),
    );
  });

  it('ACR122U signals are LED/buzzer escapes', () => {
    expect(toHex(SIGNAL_SUCCESS)).toBe('FF0040AA0401010101');
    expect(toHex(SIGNAL_FAILURE)).toBe('FF0040550402020301');
  });
});

describe('ATR decoding', () => {
  const cases: Array<[string, string]> = [
    ['3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A', 'mifare-classic-1k'],
    ['3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 02 00 00 00 00 69', 'mifare-classic-4k'],
    ['3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 03 00 00 00 00 68', 'mifare-ultralight'],
    ['3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 3A 00 00 00 00 51', 'mifare-ultralight-c'],
    ['3B 8F 80 01 80 4F 0C A0 00 00 03 06 11 00 3B 00 00 00 00 42', 'felica'],
    ['3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 26 00 00 00 00 4D', 'mifare-mini'],
    ['3B 81 80 01 80 80', 'iso14443-4'],
    ['3B 8D 80 01 80 73 C0 21 C0 57 59 75 62 69 4B 65 FF 7F', 'iso14443-4'],
    ['3B 80 80 01 01', 'iso14443-4'],
    ['3B 04 A2 13 10 91', 'sle4442'],
    ['3B 6E 00 00 80 31 80 66 B0 84 0C 01 6E 01 83 00 90 00', 'contact-cpu'],
    ['00 11 22', 'unknown'],
    ['3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 00', 'unknown'],
  ];
  it.each(cases)('%s is %s', (atr, cardType) => {
    expect(decodeAtr(fromHex(atr)).cardType).toBe(cardType);
  });

  it('reads the standard and card name of storage cards', () => {
    const info = decodeAtr(fromHex('3B8F8001804F0CA0000003061100 3B 00000000 42'));
    expect(info).toMatchObject({
      standard: 0x11,
      cardName: 0x003b,
      medium: 'contactless',
      description: 'FeliCa',
    });
  });

  it('builds storage ATRs whose checksum matches the published ones', () => {
    expect(toHex(storageCardAtr(0x03, 0x0001))).toBe('3B8F8001804F0CA000000306030001000000006A');
    expect(toHex(storageCardAtr(0x03, 0x003a))).toBe(
      '3B8F8001804F0CA000000306030 03A0000000051'.replace(' ', ''),
    );
  });
});

describe('MIFARE Classic access bits', () => {
  it('encode the transport configuration as FF 07 80', () => {
    expect(
      toHex(
        encodeAccessBits([
          [0, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
          [0, 0, 1],
        ]),
      ),
    ).toBe('FF0780');
  });

  it('decode what they encode, for every combination', () => {
    const access = fc.tuple(
      fc.integer({ min: 0, max: 1 }),
      fc.integer({ min: 0, max: 1 }),
      fc.integer({ min: 0, max: 1 }),
    );
    fc.assert(
      fc.property(fc.tuple(access, access, access, access), (groups) => {
        expect(decodeAccessBits(encodeAccessBits(groups))).toEqual(groups);
      }),
    );
  });

  it('refuse bytes whose inverted copy disagrees', () => {
    expect(() => decodeAccessBits(fromHex('FF0781'))).toThrowError(
      expect.objectContaining({ code: 'CARD_ACCESS_BITS_INVALID' }),
    );
  });

  it('of the secured layout are read AB / write B on data, a value block, and a B-managed trailer', () => {
    // C1 = 0111, C2 = 1100, C3 = 1000 (group 0 in bit 0), stored with their inverted copies.
    expect(toHex(SECURED_ACCESS_BITS)).toBe('38778C');
    expect(decodeAccessBits(SECURED_ACCESS_BITS)).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 1],
    ]);
  });

  it('map blocks to sectors on 1K and on the large 4K sectors', () => {
    expect([sectorFirstBlock(1), sectorTrailerBlock(1), sectorOfBlock(7)]).toEqual([4, 7, 1]);
    expect([sectorFirstBlock(32), sectorTrailerBlock(32), sectorOfBlock(0x8f), sectorOfBlock(0xff)]).toEqual([
      128, 143, 32, 39,
    ]);
  });
});

describe('value blocks', () => {
  it('use the MFRC522 layout: V ~V V little-endian, then the address four times', () => {
    expect(toHex(encodeValueBlock(0, 6))).toBe('00000000FFFFFFFF0000000006F906F9');
    expect(toHex(encodeValueBlock(-4, 5))).toBe('FCFFFFFF03000000FCFFFFFF05FA05FA');
  });

  it('decode what they encode and reject anything else', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (value, address) => {
          expect(decodeValueBlock(encodeValueBlock(value, address))).toEqual({ value, address });
        },
      ),
    );
    const corrupted = encodeValueBlock(100, 6);
    corrupted[4] = 0;
    expect(decodeValueBlock(corrupted)).toBeUndefined();
  });
});

describe('card numbers and keys', () => {
  it('pack card numbers as BCD padded with F', () => {
    expect(toHex(encodeCardNumber('8800123456'))).toBe('8800123456FFFFFF');
    expect(decodeCardNumber(encodeCardNumber('1234567890123456'))).toBe('1234567890123456');
    expect(decodeCardNumber(fromHex('12AB56FFFFFFFFFF'))).toBeUndefined();
    expect(() => encodeCardNumber('12a')).toThrowError(
      expect.objectContaining({ code: 'CARD_NUMBER_INVALID' }),
    );
  });

  it('diversify keys as HMAC-SHA256(master, label || UID || sector) truncated to 6 bytes', () => {
    // Vector computed independently with `openssl dgst -sha256 -mac HMAC`.
    const master = fromHex('000102030405060708090A0B0C0D0E0F');
    const keys = diversifiedKeys(master, fromHex('01020304'), 1);
    expect(toHex(keys.keyA)).toBe('85EF53FFE284');
    expect(toHex(keys.keyB)).toBe('014484F14FB4');
    expect(toHex(diversifiedKeys(master, fromHex('01020305'), 1).keyA)).not.toBe('85EF53FFE284');
    expect(toHex(diversifiedKeys(master, fromHex('01020304'), 2).keyA)).not.toBe('85EF53FFE284');
  });
});
