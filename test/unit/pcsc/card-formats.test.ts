import { describe, expect, it } from 'vitest';
import {
  authenticate,
  type CardSession,
  type ChainKeys,
  CountingSession,
  checkIssuableClassic,
  checkIssuableUltralight,
  DeviceError,
  diversifiedKeys,
  encodeAccessBits,
  fromHex,
  issueSecuredClassic,
  issueUltralight,
  KEY_A,
  KEY_B,
  loadKey,
  mirrorPurse,
  readBinary,
  readPurse,
  readSecuredClassic,
  readUltralight,
  readValue,
  sectorTrailer,
  sectorTrailerBlock,
  toHex,
  updateBinary,
  VALUE_DECREMENT,
  VALUE_INCREMENT,
  type VirtualCard,
  VirtualClassicCard,
  VirtualUltralightCard,
  valueOperation,
} from '../../../hardware/index';

const keys: ChainKeys = {
  chainId: 0x00c0ffee,
  masterKey: fromHex('000102030405060708090A0B0C0D0E0F'),
  chainSecret: fromHex('F0E0D0C0B0A090807060504030201000'),
};
const otherChain: ChainKeys = {
  ...keys,
  masterKey: fromHex('11'.repeat(16)),
  chainSecret: fromHex('22'.repeat(16)),
};
const SECTOR = 1;

/** A session straight onto a virtual card, as a reader would carry the APDUs. */
function sessionOn(card: VirtualCard): CardSession {
  return { transmit: async (apdu) => card.process(Buffer.from(apdu)) };
}

/** A session whose card is pulled away after `limit` APDUs. */
function pulledAfter(card: VirtualCard, limit: number): CardSession {
  let sent = 0;
  return {
    transmit: async (apdu) => {
      sent += 1;
      if (sent > limit) throw new DeviceError('CARD_REMOVED', 'card was removed');
      return card.process(Buffer.from(apdu));
    },
  };
}

const sw = (card: VirtualCard, apdu: Buffer): string => toHex(card.process(apdu)).slice(-4);
const classic = (uid = '0A0B0C0D') => new VirtualClassicCard('mifare-classic-1k', fromHex(uid));

describe('virtual MIFARE Classic card', () => {
  it('authenticates with the transport key and answers 63 00 to a wrong key', () => {
    const card = classic();
    expect(sw(card, loadKey(fromHex('FFFFFFFFFFFF')))).toBe('9000');
    expect(sw(card, authenticate(4, KEY_A))).toBe('9000');
    expect(sw(card, loadKey(fromHex('A0A1A2A3A4A5')))).toBe('9000');
    expect(sw(card, authenticate(4, KEY_A))).toBe('6300');
    // A failed authentication drops the previous one.
    expect(sw(card, readBinary(4))).toBe('6300');
  });

  it('refuses blocks outside the authenticated sector', () => {
    const card = classic();
    card.process(loadKey(fromHex('FFFFFFFFFFFF')));
    card.process(authenticate(4, KEY_A));
    expect(sw(card, readBinary(5))).toBe('9000');
    expect(sw(card, readBinary(8))).toBe('6300');
  });

  it('never reads key A back and keeps block 0 read-only', () => {
    const card = classic();
    card.process(loadKey(fromHex('FFFFFFFFFFFF')));
    card.process(authenticate(7, KEY_A));
    expect(toHex(card.process(readBinary(7)))).toBe('000000000000FF078069FFFFFFFFFFFF9000');
    card.process(authenticate(0, KEY_A));
    expect(sw(card, updateBinary(0, Buffer.alloc(16)))).toBe('6300');
  });

  it('enforces access bits: read-only with key A, writable with key B', () => {
    const card = classic();
    const keyA = fromHex('A0A1A2A3A4A5');
    const keyB = fromHex('B0B1B2B3B4B5');
    const access = encodeAccessBits([
      [1, 0, 0],
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 1],
    ]);
    card.process(loadKey(fromHex('FFFFFFFFFFFF')));
    card.process(authenticate(4, KEY_A));
    expect(sw(card, updateBinary(7, sectorTrailer(keyA, access, keyB)))).toBe('9000');
    card.process(loadKey(keyA));
    expect(sw(card, authenticate(4, KEY_A))).toBe('9000');
    expect(sw(card, readBinary(4))).toBe('9000');
    expect(sw(card, updateBinary(4, Buffer.alloc(16, 1)))).toBe('6300');
    card.process(loadKey(keyB));
    expect(sw(card, authenticate(4, KEY_B))).toBe('9000');
    expect(sw(card, updateBinary(4, Buffer.alloc(16, 1)))).toBe('9000');
    // Block 6 is a value block: store and increment need key B, decrement is open to key A.
    expect(sw(card, valueOperation(6, 0x00, 500))).toBe('9000');
    expect(sw(card, valueOperation(6, VALUE_INCREMENT, 20))).toBe('9000');
    card.process(loadKey(keyA));
    card.process(authenticate(4, KEY_A));
    expect(sw(card, valueOperation(6, VALUE_INCREMENT, 1))).toBe('6300');
    expect(sw(card, valueOperation(6, VALUE_DECREMENT, 120))).toBe('9000');
    expect(toHex(card.process(readValue(6)))).toBe('000001909000');
    // Key A may no longer rewrite the trailer.
    expect(sw(card, updateBinary(7, sectorTrailer(keyA, access, fromHex('000000000000'))))).toBe('6300');
  });

  it('blocks a sector for good when malformed access bits are written', () => {
    const card = classic();
    card.process(loadKey(fromHex('FFFFFFFFFFFF')));
    card.process(authenticate(4, KEY_A));
    expect(
      sw(
        card,
        updateBinary(7, sectorTrailer(fromHex('FFFFFFFFFFFF'), fromHex('FF0781'), fromHex('FFFFFFFFFFFF'))),
      ),
    ).toBe('9000');
    card.process(authenticate(4, KEY_A));
    expect(sw(card, readBinary(4))).toBe('6300');
  });
});

describe('secured MIFARE Classic format', () => {
  it('issues a blank card and reads it back in 4 APDUs including the UID', async () => {
    const card = classic();
    expect(
      await issueSecuredClassic(sessionOn(card), { keys, sector: SECTOR, cardNumber: '8800000001' }),
    ).toBe('issued');
    const counting = new CountingSession(sessionOn(card));
    const contents = await readSecuredClassic(counting, { keys, sector: SECTOR });
    expect(contents).toEqual({
      uid: '0A0B0C0D',
      cardNumber: '8800000001',
      chainId: 0x00c0ffee,
      version: 1,
      hasPurse: false,
    });
    expect(counting.count).toBe(4);
  });

  it('falls back to single-block reads on readers without multi-block mode (6 APDUs, within the budget of 8)', async () => {
    const card = classic();
    await issueSecuredClassic(sessionOn(card), { keys, sector: SECTOR, cardNumber: '8800000001' });
    const singleBlockReader: CardSession = {
      transmit: async (apdu) =>
        apdu[1] === 0xb0 && apdu[4] !== 0x10 ? fromHex('6700') : card.process(Buffer.from(apdu)),
    };
    const counting = new CountingSession(singleBlockReader);
    expect((await readSecuredClassic(counting, { keys, sector: SECTOR })).cardNumber).toBe('8800000001');
    expect(counting.count).toBe(6);
  });

  it('keys the sector with keys diversified from the UID, not the transport key', async () => {
    const card = classic();
    await issueSecuredClassic(sessionOn(card), { keys, sector: SECTOR, cardNumber: '8800000001' });
    const { keyA, keyB } = diversifiedKeys(keys.masterKey, card.uid, SECTOR);
    const trailer = card.block(7);
    expect(toHex(trailer.subarray(0, 6))).toBe(toHex(keyA));
    expect(toHex(trailer.subarray(10, 16))).toBe(toHex(keyB));
    card.process(loadKey(fromHex('FFFFFFFFFFFF')));
    expect(sw(card, authenticate(4, KEY_A))).toBe('6300');
  });

  it('reports a blank card, a card keyed by another chain and a tampered card as CARD_FOREIGN', async () => {
    const blank = classic();
    await expect(readSecuredClassic(sessionOn(blank), { keys, sector: SECTOR })).rejects.toMatchObject({
      code: 'CARD_FOREIGN',
      message: 'card not issued by this chain',
    });

    const foreign = classic('01020304');
    await issueSecuredClassic(sessionOn(foreign), { keys: otherChain, sector: SECTOR, cardNumber: '1' });
    await expect(readSecuredClassic(sessionOn(foreign), { keys, sector: SECTOR })).rejects.toMatchObject({
      code: 'CARD_FOREIGN',
      details: { reason: 'sector key rejected' },
    });

    const tampered = classic('05060708');
    await issueSecuredClassic(sessionOn(tampered), { keys, sector: SECTOR, cardNumber: '8800000001' });
    tampered.memory[4 * 16 + 15] = tampered.memory[4 * 16 + 15]! ^ 0x01; // last digit of the card number
    await expect(readSecuredClassic(sessionOn(tampered), { keys, sector: SECTOR })).rejects.toMatchObject({
      code: 'CARD_FOREIGN',
      details: { reason: 'MAC does not verify' },
    });
  });

  it('does not accept data copied from another card, even with the right keys', async () => {
    const original = classic('0A0B0C0D');
    await issueSecuredClassic(sessionOn(original), { keys, sector: SECTOR, cardNumber: '8800000001' });
    const clone = classic('0A0B0C0E');
    // The cloner knows the clone's keys (the worst case) and copies the data blocks verbatim.
    await issueSecuredClassic(sessionOn(clone), { keys, sector: SECTOR, cardNumber: '8800000002' });
    original.memory.copy(clone.memory, 4 * 16, 4 * 16, 6 * 16);
    await expect(readSecuredClassic(sessionOn(clone), { keys, sector: SECTOR })).rejects.toMatchObject({
      code: 'CARD_FOREIGN',
    });
  });

  it('finishes issuing a card pulled away at any point of an earlier attempt', async () => {
    // Issuing a blank card takes 12 APDUs: UID, key B tried (2), transport key (2), 4 writes with the
    // trailer last (APDU 9), read-back (3). Pull it after each of the first 11.
    for (let limit = 1; limit <= 11; limit += 1) {
      const card = classic();
      await expect(
        issueSecuredClassic(pulledAfter(card, limit), { keys, sector: SECTOR, cardNumber: '8800000009' }),
      ).rejects.toMatchObject({ code: 'CARD_REMOVED' });
      card.reset();
      const outcome = await issueSecuredClassic(sessionOn(card), {
        keys,
        sector: SECTOR,
        cardNumber: '8800000009',
      });
      expect(outcome).toBe(limit >= 9 ? 'already-issued' : 'issued');
      expect((await readSecuredClassic(sessionOn(card), { keys, sector: SECTOR })).cardNumber).toBe(
        '8800000009',
      );
    }
  });

  it('is idempotent and refuses to renumber an issued card', async () => {
    const card = classic();
    await issueSecuredClassic(sessionOn(card), { keys, sector: SECTOR, cardNumber: '8800000001' });
    expect(
      await issueSecuredClassic(sessionOn(card), { keys, sector: SECTOR, cardNumber: '8800000001' }),
    ).toBe('already-issued');
    await expect(
      issueSecuredClassic(sessionOn(card), { keys, sector: SECTOR, cardNumber: '8800000002' }),
    ).rejects.toMatchObject({ code: 'CARD_ALREADY_ISSUED' });
  });

  it('refuses to issue over a sector keyed by someone else', async () => {
    const card = classic();
    await issueSecuredClassic(sessionOn(card), { keys: otherChain, sector: SECTOR, cardNumber: '1' });
    await expect(
      issueSecuredClassic(sessionOn(card), { keys, sector: SECTOR, cardNumber: '8800000001' }),
    ).rejects.toMatchObject({ code: 'CARD_FOREIGN' });
  });

  it('works on 4K and Mini cards and in a configurable sector', async () => {
    for (const kind of ['mifare-classic-4k', 'mifare-mini'] as const) {
      const card = new VirtualClassicCard(kind, fromHex('11223344'));
      await issueSecuredClassic(sessionOn(card), { keys, sector: 3, cardNumber: '42' });
      expect((await readSecuredClassic(sessionOn(card), { keys, sector: 3 })).cardNumber).toBe('42');
      await expect(readSecuredClassic(sessionOn(card), { keys, sector: 2 })).rejects.toMatchObject({
        code: 'CARD_FOREIGN',
      });
    }
    await expect(readSecuredClassic(sessionOn(classic()), { keys, sector: 0 })).rejects.toMatchObject({
      code: 'CARD_CONFIG_INVALID',
    });
  });

  it('mirrors the ledger balance into the on-card purse and reads it back', async () => {
    const card = classic();
    await issueSecuredClassic(sessionOn(card), {
      keys,
      sector: SECTOR,
      cardNumber: '8800000001',
      purseFen: 0,
    });
    const session = sessionOn(card);
    expect(await readPurse(session, { keys, sector: SECTOR }, card.uid)).toBe(0);
    await mirrorPurse(session, { keys, sector: SECTOR }, card.uid, 12_345);
    expect(await readPurse(session, { keys, sector: SECTOR }, card.uid)).toBe(12_345);
    await expect(mirrorPurse(session, { keys, sector: SECTOR }, card.uid, 1.5)).rejects.toMatchObject({
      code: 'PURSE_VALUE_INVALID',
    });
    expect((await readSecuredClassic(session, { keys, sector: SECTOR })).hasPurse).toBe(true);
  });
});

describe('checking that a blank card can be issued, before anything is written', () => {
  const check = (card: VirtualClassicCard, cardNumber = '8800000001') =>
    checkIssuableClassic(sessionOn(card), { keys, sector: SECTOR, cardNumber });
  const keyTrailer = (card: VirtualClassicCard, trailer: Buffer) =>
    trailer.copy(card.memory, sectorTrailerBlock(SECTOR) * 16);

  it('accepts a transport-keyed blank card and one this chain already issued with the same number', async () => {
    const blank = classic();
    const before = Buffer.from(blank.memory);
    expect(await check(blank)).toBe('issued');
    expect(blank.memory.equals(before)).toBe(true);
    await issueSecuredClassic(sessionOn(blank), { keys, sector: SECTOR, cardNumber: '8800000001' });
    expect(await check(blank)).toBe('already-issued');
    await expect(check(blank, '8800000002')).rejects.toMatchObject({ code: 'CARD_ALREADY_ISSUED' });
  });

  it('refuses a sector keyed by another system as CARD_FOREIGN, not writable', async () => {
    const card = classic();
    keyTrailer(card, sectorTrailer(fromHex('A0A1A2A3A4A5'), fromHex('FF0780'), fromHex('B0B1B2B3B4B5')));
    await expect(check(card)).rejects.toMatchObject({ code: 'CARD_FOREIGN', details: { writable: false } });
  });

  it('refuses a sector the transport key opens but whose access bits forbid writing with it', async () => {
    const card = classic();
    // Data blocks read-only (010) and a frozen trailer (110): the transport key reads, it never writes.
    const readOnly = encodeAccessBits([
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
      [1, 1, 0],
    ]);
    keyTrailer(card, sectorTrailer(fromHex('FFFFFFFFFFFF'), readOnly, fromHex('FFFFFFFFFFFF')));
    await expect(check(card)).rejects.toMatchObject({ code: 'CARD_FOREIGN', details: { writable: false } });
  });

  it('refuses a number the card format cannot hold', async () => {
    for (const cardNumber of ['12345678901234567', 'AB12', '']) {
      await expect(check(classic(), cardNumber)).rejects.toMatchObject({ code: 'CARD_NUMBER_INVALID' });
    }
  });

  it('refuses an Ultralight whose member pages another system locked', async () => {
    const card = new VirtualUltralightCard('mifare-ultralight', fromHex('04A1B2C3D4E5F6'));
    expect(await checkIssuableUltralight(sessionOn(card), keys, '8800000001')).toBe('issued');
    // Static lock bits for pages 4–7 (lock byte 0, page 2 byte 2).
    card.pages[10] = 0xf0;
    await expect(checkIssuableUltralight(sessionOn(card), keys, '8800000001')).rejects.toMatchObject({
      code: 'CARD_FOREIGN',
      details: { writable: false },
    });
  });
});

describe('Ultralight/NTAG format', () => {
  const uid = fromHex('04A1B2C3D4E5F6');

  it('writes card number and MAC into user pages and reads them in 3 APDUs', async () => {
    for (const kind of ['mifare-ultralight', 'ntag213'] as const) {
      const card = new VirtualUltralightCard(kind, uid);
      await issueUltralight(sessionOn(card), keys, '8800000007');
      const counting = new CountingSession(sessionOn(card));
      expect((await readUltralight(counting, keys)).cardNumber).toBe('8800000007');
      expect(counting.count).toBe(3);
      expect(toHex(card.pages.subarray(16, 20))).toBe('4D550100');
    }
  });

  it('rejects a blank card, another chain and a copy on another UID as CARD_FOREIGN', async () => {
    const blank = new VirtualUltralightCard('ntag213', uid);
    await expect(readUltralight(sessionOn(blank), keys)).rejects.toMatchObject({ code: 'CARD_FOREIGN' });

    const original = new VirtualUltralightCard('ntag213', uid);
    await issueUltralight(sessionOn(original), keys, '8800000007');
    await expect(readUltralight(sessionOn(original), otherChain)).rejects.toMatchObject({
      code: 'CARD_FOREIGN',
    });

    const copy = new VirtualUltralightCard('ntag213', fromHex('04A1B2C3D4E5F7'));
    original.pages.copy(copy.pages, 16, 16, 48);
    await expect(readUltralight(sessionOn(copy), keys)).rejects.toMatchObject({
      code: 'CARD_FOREIGN',
      details: { reason: 'MAC does not verify' },
    });
  });

  it('keeps the UID pages read-only and honours static lock bits', () => {
    const card = new VirtualUltralightCard('mifare-ultralight', uid);
    expect(sw(card, updateBinary(1, fromHex('00000000')))).toBe('6300');
    expect(sw(card, updateBinary(4, fromHex('01020304')))).toBe('9000');
    // Lock byte 0 bit 4 locks page 4; lock bits can be set but never cleared.
    expect(sw(card, updateBinary(2, fromHex('00001000')))).toBe('9000');
    expect(sw(card, updateBinary(2, fromHex('00000000')))).toBe('9000');
    expect(sw(card, updateBinary(4, fromHex('05060708')))).toBe('6300');
    // Page 0 ends with BCC0 = 88 ^ 04 ^ A1 ^ B2 = 9F.
    expect(toHex(card.process(readBinary(0)).subarray(0, 8))).toBe('04A1B29FC3D4E5F6');
  });
});
