import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CardFailed,
  type CardPresented,
  type ChainKeys,
  directSession,
  fromHex,
  InProcessCardTransport,
  IOCTL_CCID_ESCAPE,
  issueSecuredClassic,
  issueUltralight,
  ReaderManager,
  SIGNAL_FAILURE,
  SIGNAL_SUCCESS,
  toHex,
  VirtualClassicCard,
  VirtualIsoDepCard,
  VirtualRawCard,
  VirtualUltralightCard,
} from '../../../hardware/index';

const keys: ChainKeys = {
  chainId: 7,
  masterKey: fromHex('000102030405060708090A0B0C0D0E0F'),
  chainSecret: fromHex('F0E0D0C0B0A090807060504030201000'),
};
const secured = { keys, sector: 1 };
const READER = 'Training reader';

const sessionOn = directSession;

async function securedCard(uid: string, cardNumber: string): Promise<VirtualClassicCard> {
  const card = new VirtualClassicCard('mifare-classic-1k', fromHex(uid));
  await issueSecuredClassic(sessionOn(card), { ...secured, cardNumber });
  return card;
}

function nextEvent<K extends 'card.presented' | 'card.failed' | 'card.removed'>(
  manager: ReaderManager,
  name: K,
): Promise<
  K extends 'card.presented' ? CardPresented : K extends 'card.failed' ? CardFailed : { reader: string }
> {
  return new Promise((resolve) => manager.once(name, resolve as never));
}

let manager: ReaderManager | undefined;
afterEach(async () => {
  await manager?.stop();
  manager = undefined;
});

function setup(options: { secured?: boolean } = {}) {
  const transport = new InProcessCardTransport();
  transport.addReader(READER);
  manager = new ReaderManager({ transport, secured: options.secured === false ? undefined : secured });
  manager.start();
  return { transport, manager };
}

describe('reader manager (in-process transport)', () => {
  it('reports a secured card with its verified card number, and its removal', async () => {
    const { transport, manager } = setup();
    const presented = nextEvent(manager, 'card.presented');
    transport.insert(READER, await securedCard('0A0B0C0D', '8800000001'));
    expect(await presented).toMatchObject({
      reader: READER,
      cardType: 'mifare-classic-1k',
      medium: 'contactless',
      uid: '0A0B0C0D',
      cardNumber: '8800000001',
      verified: true,
      format: 'secured-classic',
      atr: '3B8F8001804F0CA000000306030001000000006A',
    });
    const removed = nextEvent(manager, 'card.removed');
    transport.remove(READER);
    expect(await removed).toEqual({ reader: READER });
  });

  it('reports a blank or foreign card as CARD_FOREIGN with its UID and no card number', async () => {
    const { transport, manager } = setup();
    const presented = nextEvent(manager, 'card.presented');
    transport.insert(READER, new VirtualClassicCard('mifare-classic-1k', fromHex('DEADBEEF')));
    const event = await presented;
    expect(event).toMatchObject({ uid: 'DEADBEEF', verified: false, error: { code: 'CARD_FOREIGN' } });
    expect(event.cardNumber).toBeUndefined();
  });

  it('reads Ultralight/NTAG member cards and ISO 14443-4 cards by UID', async () => {
    const { transport, manager } = setup();
    const tag = new VirtualUltralightCard('ntag213', fromHex('04A1B2C3D4E5F6'));
    await issueUltralight(sessionOn(tag), keys, '8800000002');
    let presented = nextEvent(manager, 'card.presented');
    transport.insert(READER, tag);
    expect(await presented).toMatchObject({
      format: 'secured-ultralight',
      cardNumber: '8800000002',
      verified: true,
    });

    presented = nextEvent(manager, 'card.presented');
    transport.insert(READER, new VirtualIsoDepCard({ uid: fromHex('04112233445566') }));
    expect(await presented).toMatchObject({
      cardType: 'iso14443-4',
      format: 'uid',
      uid: '04112233445566',
      verified: false,
    });
  });

  it('reports an unknown card as unsupported, with its ATR', async () => {
    const { transport, manager } = setup();
    const presented = nextEvent(manager, 'card.presented');
    transport.insert(READER, new VirtualRawCard(fromHex('3B021450')));
    expect(await presented).toMatchObject({
      atr: '3B021450',
      cardType: 'contact-cpu',
      verified: false,
      error: { code: 'CARD_UNSUPPORTED', message: 'unsupported card' },
    });
  });

  it('reads cards by UID alone when no chain keys are configured', async () => {
    const { transport, manager } = setup({ secured: false });
    const presented = nextEvent(manager, 'card.presented');
    transport.insert(READER, await securedCard('0A0B0C0D', '8800000001'));
    expect(await presented).toMatchObject({ uid: '0A0B0C0D', format: 'uid', verified: false });
  });

  it('reports a card pulled away mid-read as card.failed CARD_REMOVED, then reads the next one', async () => {
    const { transport, manager } = setup();
    const failed = nextEvent(manager, 'card.failed');
    transport.removeDuringNextCommand(READER);
    transport.insert(READER, await securedCard('0A0B0C0D', '8800000001'));
    expect(await failed).toMatchObject({ reader: READER, code: 'CARD_REMOVED' });
    const presented = nextEvent(manager, 'card.presented');
    transport.insert(READER, await securedCard('0A0B0C0E', '8800000003'));
    expect((await presented).cardNumber).toBe('8800000003');
  });

  it('reads a card again on request, for a read that failed while the card stayed on the reader', async () => {
    const { transport, manager } = setup();
    const presented = nextEvent(manager, 'card.presented');
    transport.insert(READER, await securedCard('0A0B0C0D', '8800000001'));
    await presented;
    const again = nextEvent(manager, 'card.presented');
    manager.rescan(READER);
    expect(await again).toMatchObject({ cardNumber: '8800000001', verified: true });
    transport.remove(READER);
    expect(() => manager.rescan(READER)).toThrowError(expect.objectContaining({ code: 'CARD_REMOVED' }));
  });

  it('issues a card and mirrors the purse through the reader queue', async () => {
    const { transport, manager } = setup();
    const presented = nextEvent(manager, 'card.presented');
    transport.insert(READER, new VirtualClassicCard('mifare-classic-1k', fromHex('01020304')));
    await presented;
    const [first, second] = await Promise.all([
      manager.issueCard(READER, { cardNumber: '8800000004', purseFen: 0 }),
      manager.issueCard(READER, { cardNumber: '8800000004', purseFen: 0 }),
    ]);
    expect([first, second]).toEqual(['issued', 'already-issued']);
    await manager.mirrorPurse(READER, 9_900);
    expect(await manager.readPurse(READER)).toBe(9_900);
  });

  it('writes a purse only onto the card it was meant for', async () => {
    const { transport, manager } = setup();
    const card = new VirtualClassicCard('mifare-classic-1k', fromHex('01020305'));
    await issueSecuredClassic(sessionOn(card), { ...secured, cardNumber: '8800000005', purseFen: 100 });
    const presented = nextEvent(manager, 'card.presented');
    transport.insert(READER, card);
    await presented;
    await expect(manager.mirrorPurse(READER, 5_000, '8800000006')).rejects.toMatchObject({
      code: 'CARD_MISMATCH',
    });
    expect(await manager.readPurse(READER)).toBe(100);
    await manager.mirrorPurse(READER, 5_000, '8800000005');
    expect(await manager.readPurse(READER)).toBe(5_000);
  });

  it('reads a card the store registered by UID without a secured read, and refuses other unverified cards', async () => {
    const transport = new InProcessCardTransport();
    transport.addReader(READER);
    manager = new ReaderManager({ transport, secured, registeredUid: (uid) => uid === '04A1B2C3D4E5F6' });
    manager.start();
    const known = nextEvent(manager, 'card.presented');
    const before = transport.commands;
    transport.insert(READER, new VirtualClassicCard('mifare-classic-1k', fromHex('04A1B2C3D4E5F6')));
    expect(await known).toMatchObject({ uid: '04A1B2C3D4E5F6', format: 'uid', verified: false });
    expect((await known).error).toBeUndefined();
    expect(transport.commands - before).toBe(1);
    const stranger = nextEvent(manager, 'card.presented');
    transport.insert(READER, new VirtualClassicCard('mifare-classic-1k', fromHex('04A1B2C3D4E5F7')));
    expect(await stranger).toMatchObject({ error: { code: 'CARD_FOREIGN' } });
  });

  it('follows readers plugged in and out', async () => {
    const { transport, manager } = setup();
    const added = new Promise((resolve) => manager.once('reader.added', resolve));
    transport.addReader('Second reader');
    expect(await added).toEqual({ reader: 'Second reader' });
    transport.insert('Second reader', await securedCard('0A0B0C0D', '1'));
    const events: string[] = [];
    manager.on('card.removed', () => events.push('card.removed'));
    manager.on('reader.removed', () => events.push('reader.removed'));
    transport.removeReader('Second reader');
    expect(events).toEqual(['card.removed', 'reader.removed']);
    expect(manager.readers()).toEqual([READER]);
  });

  it('reports a reader unplugged in the middle of a read as a failed read, a removed card and a removed reader', async () => {
    const { transport, manager } = setup();
    const events: string[] = [];
    manager.on('card.failed', (failure) => events.push(`card.failed ${failure.code}`));
    manager.on('card.removed', () => events.push('card.removed'));
    manager.on('reader.removed', () => events.push('reader.removed'));
    manager.on('card.presented', () => events.push('card.presented'));
    const failed = nextEvent(manager, 'card.failed');
    transport.insert(READER, await securedCard('0A0B0C0D', '8800000001'));
    transport.removeReader(READER);
    await failed;
    expect(events).toEqual(['card.removed', 'reader.removed', 'card.failed READER_REMOVED']);
  });

  it('signals success and refusal on ACR122U readers through the CCID escape, and on no other reader', async () => {
    // No ACR122U firmware runs here: the transport records the escapes the manager sends.
    const escapes: Array<{ reader: string; code: number; data: string }> = [];
    class RecordingTransport extends InProcessCardTransport {
      override async connect(name: string) {
        const connection = await super.connect(name);
        connection.control = async (code, data) => {
          escapes.push({ reader: name, code, data: toHex(data) });
          return Buffer.from([0x90, 0x00]);
        };
        return connection;
      }
    }
    const transport = new RecordingTransport();
    const acr = 'ACS ACR122U PICC Interface 00 00';
    transport.addReader(acr);
    transport.addReader('Virtual PCD 00 00');
    manager = new ReaderManager({ transport, secured });
    manager.start();
    let presented = nextEvent(manager, 'card.presented');
    transport.insert(acr, await securedCard('0A0B0C0D', '8800000001'));
    await presented;
    presented = nextEvent(manager, 'card.presented');
    transport.insert(acr, new VirtualClassicCard('mifare-classic-1k', fromHex('DEADBEEF')));
    await presented;
    presented = nextEvent(manager, 'card.presented');
    transport.insert('Virtual PCD 00 00', await securedCard('0A0B0C0D', '8800000001'));
    await presented;
    expect(escapes).toEqual([
      { reader: acr, code: IOCTL_CCID_ESCAPE, data: toHex(SIGNAL_SUCCESS) },
      { reader: acr, code: IOCTL_CCID_ESCAPE, data: toHex(SIGNAL_FAILURE) },
    ]);
  });

  it('takes 1,000 taps in a row without leaking file descriptors or memory', async () => {
    const { transport, manager } = setup();
    const cards = await Promise.all([
      securedCard('0A0B0C0D', '8800000001'),
      securedCard('0A0B0C0E', '8800000002'),
    ]);
    const tap = async (index: number) => {
      const presented = nextEvent(manager, 'card.presented');
      transport.insert(READER, cards[index % 2]!);
      const event = await presented;
      transport.remove(READER);
      return event;
    };
    for (let index = 0; index < 50; index += 1) await tap(index);
    global.gc?.();
    const fdsBefore = readdirSync('/proc/self/fd').length;
    const heapBefore = process.memoryUsage().heapUsed;
    let verified = 0;
    for (let index = 0; index < 1_000; index += 1) if ((await tap(index)).verified) verified += 1;
    global.gc?.();
    expect(verified).toBe(1_000);
    expect(readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(fdsBefore);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(8 * 1024 * 1024);
    expect(manager.listenerCount('card.presented')).toBe(0);
  });
});
