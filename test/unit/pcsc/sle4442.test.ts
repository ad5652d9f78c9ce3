import { describe, expect, it } from 'vitest';
import {
  type CardSession,
  type ChainKeys,
  CountingSession,
  DeviceError,
  fromHex,
  InProcessCardTransport,
  issueSle4442,
  presentCodeResult,
  ReaderManager,
  readSle4442,
  SLE4442_DEFAULT_PSC,
  selectCardType,
  sleChangeCode,
  slePresentCode,
  slePsc,
  sleReadErrorCounter,
  sleReadMemory,
  sleReadProtectionBits,
  sleWriteMemory,
  toHex,
  VirtualSle4442Card,
} from '../../../hardware/index';

const keys: ChainKeys = {
  chainId: 9,
  masterKey: fromHex('000102030405060708090A0B0C0D0E0F'),
  chainSecret: fromHex('F0E0D0C0B0A090807060504030201000'),
};
const otherChain: ChainKeys = {
  ...keys,
  masterKey: fromHex('11'.repeat(16)),
  chainSecret: fromHex('22'.repeat(16)),
};
const sessionOn = (card: VirtualSle4442Card): CardSession => ({
  transmit: async (apdu) => card.process(Buffer.from(apdu)),
});
const maker = fromHex('0102030405060708');

describe('SLE4442 pseudo-APDUs (ACS contact readers)', () => {
  it('are built as the ACR38x/ACR39x reference manuals give them', () => {
    expect(toHex(selectCardType())).toBe('FFA400000106');
    expect(toHex(sleReadMemory(0x20, 0x20))).toBe('FFB0002020');
    expect(toHex(sleReadMemory(0, 256))).toBe('FFB0000000');
    expect(toHex(sleReadErrorCounter())).toBe('FFB1000004');
    expect(toHex(sleReadProtectionBits())).toBe('FFB2000004');
    expect(toHex(slePresentCode(fromHex('FFFFFF')))).toBe('FF20000003FFFFFF');
    expect(toHex(sleWriteMemory(0x20, fromHex('4D53')))).toBe('FFD00020024D53');
    expect(toHex(sleChangeCode(fromHex('123456')))).toBe('FFD2000103123456');
    expect(() => sleReadMemory(0xf0, 0x20)).toThrow(RangeError);
  });

  it('read PRESENT_CODE answers as 90 + error counter', () => {
    expect(presentCodeResult(fromHex('9007'))).toEqual({ accepted: true, triesLeft: 3 });
    expect(presentCodeResult(fromHex('9006'))).toEqual({ accepted: false, triesLeft: 2 });
    expect(presentCodeResult(fromHex('9000'))).toEqual({ accepted: false, triesLeft: 0 });
  });
});

describe('virtual SLE4442 card', () => {
  it('needs the card type selected, refuses writes before the PSC, and locks after three wrong codes', () => {
    const card = new VirtualSle4442Card({ maker });
    expect(toHex(card.process(sleReadMemory(0, 4)))).toBe('6300');
    card.process(selectCardType());
    expect(toHex(card.process(sleReadMemory(0, 4)).subarray(0, 4))).toBe('A2131091');
    expect(toHex(card.process(sleWriteMemory(0x40, fromHex('01'))))).toBe('6300');
    const wrong = fromHex('000000');
    expect(presentCodeResult(card.process(slePresentCode(wrong))).triesLeft).toBe(2);
    expect(presentCodeResult(card.process(slePresentCode(wrong))).triesLeft).toBe(1);
    expect(presentCodeResult(card.process(slePresentCode(SLE4442_DEFAULT_PSC))).accepted).toBe(true);
    expect(toHex(card.process(sleWriteMemory(0x40, fromHex('01'))))).toBe('9000');
    for (let attempt = 0; attempt < 3; attempt += 1) card.process(slePresentCode(wrong));
    expect(presentCodeResult(card.process(slePresentCode(SLE4442_DEFAULT_PSC)))).toEqual({
      accepted: false,
      triesLeft: 0,
    });
  });

  it('never changes write-protected maker bytes', () => {
    const card = new VirtualSle4442Card({ maker });
    card.process(selectCardType());
    card.process(slePresentCode(SLE4442_DEFAULT_PSC));
    expect(toHex(card.process(sleWriteMemory(0x00, fromHex('00000000'))))).toBe('9000');
    expect(toHex(card.memory.subarray(0, 4))).toBe('A2131091');
  });
});

describe('SLE4442 member format', () => {
  it('issues a blank card, diversifies its PSC and verifies it with two APDUs', async () => {
    const card = new VirtualSle4442Card({ maker });
    await issueSle4442(sessionOn(card), keys, '8800000042');
    const counting = new CountingSession(sessionOn(card));
    expect(await readSle4442(counting, keys)).toMatchObject({ cardNumber: '8800000042', chainId: 9 });
    expect(counting.count).toBe(2);
    card.reset();
    card.process(selectCardType());
    expect(
      presentCodeResult(card.process(slePresentCode(slePsc(keys.masterKey, card.memory.subarray(0, 32)))))
        .accepted,
    ).toBe(true);
  });

  it('is repeatable, also after an attempt cut off before the PSC change', async () => {
    const card = new VirtualSle4442Card({ maker });
    let sent = 0;
    const cut: CardSession = {
      transmit: async (apdu) => {
        sent += 1;
        if (sent > 4) throw new DeviceError('CARD_REMOVED', 'card was removed');
        return card.process(Buffer.from(apdu));
      },
    };
    await expect(issueSle4442(cut, keys, '8800000042')).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    card.reset();
    await issueSle4442(sessionOn(card), keys, '8800000042');
    card.reset();
    await issueSle4442(sessionOn(card), keys, '8800000042');
    expect(card.errorCounter).toBe(0x07);
    expect((await readSle4442(sessionOn(card), keys)).cardNumber).toBe('8800000042');
  });

  it('reports blank, foreign, tampered and copied cards as CARD_FOREIGN', async () => {
    await expect(readSle4442(sessionOn(new VirtualSle4442Card({ maker })), keys)).rejects.toMatchObject({
      code: 'CARD_FOREIGN',
    });
    const foreign = new VirtualSle4442Card({ maker });
    await issueSle4442(sessionOn(foreign), otherChain, '1');
    await expect(readSle4442(sessionOn(foreign), keys)).rejects.toMatchObject({ code: 'CARD_FOREIGN' });

    const tampered = new VirtualSle4442Card({ maker });
    await issueSle4442(sessionOn(tampered), keys, '8800000042');
    tampered.memory[0x2f] = 0x43; // card number ...42 → ...43
    await expect(readSle4442(sessionOn(tampered), keys)).rejects.toMatchObject({
      code: 'CARD_FOREIGN',
      details: { reason: 'MAC does not verify' },
    });

    const original = new VirtualSle4442Card({ maker });
    await issueSle4442(sessionOn(original), keys, '8800000042');
    const copy = new VirtualSle4442Card({ maker: fromHex('0102030405060709') });
    original.memory.copy(copy.memory, 0x20, 0x20, 0x40);
    await expect(readSle4442(sessionOn(copy), keys)).rejects.toMatchObject({ code: 'CARD_FOREIGN' });
  });

  it('is presented by the reader manager as a verified contact card', async () => {
    const transport = new InProcessCardTransport();
    transport.addReader('ACS ACR39U ICC Reader');
    const manager = new ReaderManager({ transport, secured: { keys, sector: 1 } });
    manager.start();
    const card = new VirtualSle4442Card({ maker });
    const foreign = new Promise((resolve) => manager.once('card.presented', resolve));
    transport.insert('ACS ACR39U ICC Reader', card);
    expect(await foreign).toMatchObject({
      cardType: 'sle4442',
      medium: 'contact',
      error: { code: 'CARD_FOREIGN' },
    });
    expect(await manager.issueCard('ACS ACR39U ICC Reader', { cardNumber: '8800000042' })).toBe('issued');
    transport.remove('ACS ACR39U ICC Reader');
    const presented = new Promise((resolve) => manager.once('card.presented', resolve));
    transport.insert('ACS ACR39U ICC Reader', card);
    expect(await presented).toMatchObject({
      cardType: 'sle4442',
      medium: 'contact',
      format: 'secured-memory',
      cardNumber: '8800000042',
      verified: true,
    });
    await manager.stop();
  });
});
