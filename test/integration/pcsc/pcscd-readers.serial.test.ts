/**
 * The reader manager against the real pcscd with Debian's vpcd driver, the project's virtual cards
 * connected to it over TCP as a card in a reader's field.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  type CardFailed,
  type CardPresented,
  type ChainKeys,
  DeviceError,
  directSession,
  fromHex,
  issueSecuredClassic,
  issueUltralight,
  KEY_A,
  loadKey,
  PcscliteTransport,
  ReaderManager,
  type TransportStatus,
  toHex,
  type VirtualCard,
  VirtualClassicCard,
  VirtualIsoDepCard,
  VirtualRawCard,
  VirtualSle4442Card,
  VirtualUltralightCard,
  VpcdCardSlot,
} from '../../../hardware/index';
import { killOwnedPcscd, type PcscdHandle, respawnOwnedPcscd, startPcscd } from '../../support/pcscd';
import { soakCount } from '../../support/soak';

const keys: ChainKeys = {
  chainId: 0x5a5a,
  masterKey: fromHex('000102030405060708090A0B0C0D0E0F'),
  chainSecret: fromHex('F0E0D0C0B0A090807060504030201000'),
};
const otherChain: ChainKeys = {
  ...keys,
  masterKey: fromHex('11'.repeat(16)),
  chainSecret: fromHex('22'.repeat(16)),
};
const secured = { keys, sector: 1 };
const READER_0 = 'Virtual PCD 00 00';
const READER_1 = 'Virtual PCD 00 01';
/** The leak test's length: rounds of two taps at once, then reads of a card left on the reader. */
const TAP_ROUNDS = soakCount(500, 30);
const READS = soakCount(1_000, 100);

let pcscd: PcscdHandle;
let manager: ReaderManager;
const slot0 = new VpcdCardSlot({ slot: 0 });
const slot1 = new VpcdCardSlot({ slot: 1 });
const statuses: TransportStatus[] = [];

const sessionOn = directSession;

async function securedClassic(
  kind: VirtualClassicCard['kind'],
  uid: string,
  cardNumber: string,
  chain = keys,
) {
  const card = new VirtualClassicCard(kind, fromHex(uid));
  await issueSecuredClassic(sessionOn(card), { keys: chain, sector: 1, cardNumber });
  return card;
}

/** Resolves with the first event of `name` that matches, or fails after `timeoutMs`. */
function waitFor<T>(name: string, match: (event: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (event: T) => {
      if (!match(event)) return;
      clearTimeout(timer);
      manager.off(name as never, listener as never);
      resolve(event);
    };
    const timer = setTimeout(() => {
      manager.off(name as never, listener as never);
      reject(new Error(`no ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    manager.on(name as never, listener as never);
  });
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const onReader = (reader: string) => (event: { reader: string }) => event.reader === reader;

/** Puts a card on a reader, waits for the manager's verdict, takes the card away and waits for that too. */
async function tap(slot: VpcdCardSlot, reader: string, card: VirtualCard): Promise<CardPresented> {
  const presented = waitFor<CardPresented>('card.presented', onReader(reader));
  await slot.insert(card);
  const event = await presented;
  const removed = waitFor('card.removed', onReader(reader));
  slot.remove();
  await removed;
  return event;
}

beforeAll(async () => {
  pcscd = await startPcscd();
  manager = new ReaderManager({
    transport: new PcscliteTransport({ initialBackoffMs: 100, maxBackoffMs: 400 }),
    secured,
  });
  manager.on('status', (status) => statuses.push(status));
  const both = Promise.all([
    waitFor('reader.added', onReader(READER_0)),
    waitFor('reader.added', onReader(READER_1)),
  ]);
  manager.start();
  await both;
});

afterAll(async () => {
  await manager?.stop();
  await slot0.close();
  await slot1.close();
  await pcscd?.stop();
});

describe('card types through pcscd and vpcd', () => {
  it('verifies secured MIFARE Classic 1K, 4K and Mini cards and reports their card numbers', async () => {
    for (const [kind, uid, number] of [
      ['mifare-classic-1k', '0A0B0C0D', '8800000001'],
      ['mifare-classic-4k', '1A1B1C1D', '8800000002'],
      ['mifare-mini', '2A2B2C2D', '8800000003'],
    ] as const) {
      const event = await tap(slot0, READER_0, await securedClassic(kind, uid, number));
      expect(event).toMatchObject({
        reader: READER_0,
        cardType: kind,
        uid,
        cardNumber: number,
        verified: true,
      });
    }
  });

  it('verifies Ultralight and NTAG213 member cards', async () => {
    for (const kind of ['mifare-ultralight', 'ntag213'] as const) {
      const card = new VirtualUltralightCard(kind, fromHex('04A1B2C3D4E5F6'));
      await issueUltralight(sessionOn(card), keys, '8800000010');
      const event = await tap(slot1, READER_1, card);
      expect(event).toMatchObject({ format: 'secured-ultralight', cardNumber: '8800000010', verified: true });
    }
  });

  it('reports ISO 14443-4 cards by UID for stores registering cards by UID', async () => {
    const event = await tap(slot0, READER_0, new VirtualIsoDepCard({ uid: fromHex('04112233445566') }));
    expect(event).toMatchObject({
      cardType: 'iso14443-4',
      format: 'uid',
      uid: '04112233445566',
      verified: false,
    });
    expect(event.error).toBeUndefined();
  });

  it('verifies SLE4442 contact memory cards and issues them through the reader', async () => {
    const card = new VirtualSle4442Card({ maker: fromHex('0102030405060708') });
    const presented = waitFor<CardPresented>('card.presented', onReader(READER_1));
    await slot1.insert(card);
    expect(await presented).toMatchObject({
      cardType: 'sle4442',
      medium: 'contact',
      error: { code: 'CARD_FOREIGN' },
    });
    expect(await manager.issueCard(READER_1, { cardNumber: '8800000042' })).toBe('issued');
    const removed = waitFor('card.removed', onReader(READER_1));
    slot1.remove();
    await removed;
    const event = await tap(slot1, READER_1, card);
    expect(event).toMatchObject({
      cardType: 'sle4442',
      format: 'secured-memory',
      cardNumber: '8800000042',
      verified: true,
    });
  });

  it('reports an unknown ATR as "unsupported card", with the ATR', async () => {
    const event = await tap(slot0, READER_0, new VirtualRawCard(fromHex('3B021450')));
    expect(event).toMatchObject({
      atr: '3B021450',
      verified: false,
      error: { code: 'CARD_UNSUPPORTED', message: 'unsupported card' },
    });
  });
});

describe('cards not issued by this chain', () => {
  it('answers 63 00 to a wrong key, as ACS readers do', async () => {
    const presented = waitFor<CardPresented>('card.presented', onReader(READER_0));
    await slot0.insert(await securedClassic('mifare-classic-1k', '0A0B0C0D', '8800000001'));
    await presented;
    const statusWords = await manager.withCard(READER_0, async (session) => {
      const load = await session.transmit(loadKey(fromHex('FFFFFFFFFFFF')));
      const auth = await session.transmit(authenticate(4, KEY_A));
      return [toHex(load), toHex(auth)];
    });
    expect(statusWords).toEqual(['9000', '6300']);
    const removed = waitFor('card.removed', onReader(READER_0));
    slot0.remove();
    await removed;
  });

  it("reports a blank card and another chain's card as CARD_FOREIGN, never with a card number", async () => {
    const blank = await tap(
      slot0,
      READER_0,
      new VirtualClassicCard('mifare-classic-1k', fromHex('DEADBEEF')),
    );
    expect(blank).toMatchObject({ uid: 'DEADBEEF', verified: false, error: { code: 'CARD_FOREIGN' } });
    expect(blank.cardNumber).toBeUndefined();
    const foreign = await tap(
      slot0,
      READER_0,
      await securedClassic('mifare-classic-1k', '01020304', '1', otherChain),
    );
    expect(foreign).toMatchObject({
      verified: false,
      error: { code: 'CARD_FOREIGN', message: 'card not issued by this chain' },
    });
    expect(foreign.cardNumber).toBeUndefined();
  });
});

describe('issuing through pcscd', () => {
  it('issues a blank card with a purse, mirrors the balance, and the next tap verifies it', async () => {
    const card = new VirtualClassicCard('mifare-classic-1k', fromHex('CAFEF00D'));
    const presented = waitFor<CardPresented>('card.presented', onReader(READER_0));
    await slot0.insert(card);
    expect((await presented).error?.code).toBe('CARD_FOREIGN');
    expect(await manager.issueCard(READER_0, { cardNumber: '8800000099', purseFen: 0 })).toBe('issued');
    expect(await manager.issueCard(READER_0, { cardNumber: '8800000099', purseFen: 0 })).toBe(
      'already-issued',
    );
    await manager.mirrorPurse(READER_0, 50_000);
    expect(await manager.readPurse(READER_0)).toBe(50_000);
    const removed = waitFor('card.removed', onReader(READER_0));
    slot0.remove();
    await removed;
    expect(await tap(slot0, READER_0, card)).toMatchObject({ cardNumber: '8800000099', verified: true });
  });
});

describe('failures around the reader', () => {
  it('reports a card pulled away in the middle of a command, then reads the next card', async () => {
    const failed = waitFor<CardFailed>('card.failed', onReader(READER_0));
    slot0.removeDuringNextCommand();
    await slot0.insert(await securedClassic('mifare-classic-1k', '0A0B0C0D', '8800000001'));
    const failure = await failed;
    expect(['CARD_REMOVED', 'CARD_UNRESPONSIVE']).toContain(failure.code);
    await waitFor('card.removed', onReader(READER_0));
    const event = await tap(
      slot0,
      READER_0,
      await securedClassic('mifare-classic-1k', '0A0B0C0E', '8800000005'),
    );
    expect(event).toMatchObject({ cardNumber: '8800000005', verified: true });
  });

  it('gives up on a card that does not answer within the command timeout, then reads the next tap', async () => {
    const failed = waitFor<CardFailed>('card.failed', onReader(READER_0));
    slot0.stallNextCommand(2_600);
    await slot0.insert(await securedClassic('mifare-classic-1k', '0A0B0C0D', '8800000001'));
    expect(await failed).toMatchObject({ code: 'CARD_TIMEOUT' });
    const removed = waitFor('card.removed', onReader(READER_0));
    slot0.remove();
    await removed;
    const event = await tap(
      slot0,
      READER_0,
      await securedClassic('mifare-classic-1k', '0A0B0C0E', '8800000006'),
    );
    expect(event).toMatchObject({ cardNumber: '8800000006', verified: true });
  });

  it('survives pcscd restarting while a card is connected, and reads the card again afterwards', async (context) => {
    if (!pcscd.owned) context.skip();
    const card = await securedClassic('mifare-classic-1k', '0A0B0C0D', '8800000001');
    const presented = waitFor<CardPresented>('card.presented', onReader(READER_0));
    await slot0.insert(card);
    await presented;

    const unavailable = waitFor<TransportStatus>('status', (status) => status.state === 'unavailable');
    const removed = waitFor('card.removed', onReader(READER_0));
    const again = waitFor<CardPresented>('card.presented', onReader(READER_0), 20_000);
    const outcome = await manager
      .withCard(READER_0, async (session) => {
        await pcscd.restart();
        return session.transmit(fromHex('FFCA000000'));
      })
      .then(
        () => 'answered',
        (error: unknown) => (error instanceof DeviceError ? error.code : String(error)),
      );
    // The connection died with pcscd; what matters is a stable code and no crash.
    expect(['PCSCD_UNAVAILABLE', 'CARD_REMOVED', 'READER_REMOVED', 'PCSC_FAILED']).toContain(outcome);
    expect((await unavailable).message).toBe('pcscd not running');
    await removed;
    // The card never left the reader: once pcscd is back it is presented again.
    expect(await again).toMatchObject({ cardNumber: '8800000001', verified: true });
    const gone = waitFor('card.removed', onReader(READER_0));
    slot0.remove();
    await gone;
  });

  it('reports "pcscd not running" and retries with backoff until pcscd appears', async (context) => {
    if (!pcscd.owned) context.skip();
    await killOwnedPcscd();
    const lonely = new ReaderManager({
      transport: new PcscliteTransport({ initialBackoffMs: 100, maxBackoffMs: 400 }),
    });
    const seen: TransportStatus[] = [];
    lonely.on('status', (status) => seen.push(status));
    const readerBack = new Promise((resolve) => lonely.once('reader.added', resolve));
    lonely.start();
    const unavailable = () => seen.filter((status) => status.state === 'unavailable');
    await until(() => unavailable().length >= 2);
    const failures = unavailable();
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0]).toMatchObject({ message: 'pcscd not running' });
    expect(failures[1]!.retryInMs!).toBeGreaterThan(failures[0]!.retryInMs! * 1.2);
    await respawnOwnedPcscd();
    await readerBack;
    expect(lonely.status().state).toBe('ready');
    await lonely.stop();
    // The main manager came back too.
    await until(() => manager.readers().includes(READER_0) && manager.status().state === 'ready');
  });

  // pcscd notices a vpcd card arriving or leaving at its 400 ms presence poll, so a tap costs about half a
  // second: the two readers are tapped at the same time, 500 rounds for 1,000 taps (about four minutes under
  // `npm run soak`; 60 taps in `npm test`), then connect–read–disconnect cycles of a card left on the reader.
  it(`takes ${TAP_ROUNDS * 2} taps and ${READS} reads in a row through pcscd without leaking file descriptors or memory`, {
    timeout: 900_000,
  }, async () => {
    const cards = [
      await securedClassic('mifare-classic-1k', '0A0B0C0D', '8800000001'),
      await securedClassic('mifare-classic-1k', '0A0B0C0E', '8800000002'),
    ];
    await tap(slot0, READER_0, cards[0]!);
    const fdsBefore = readdirSync('/proc/self/fd').length;
    const heapBefore = process.memoryUsage().heapUsed;
    let verified = 0;
    for (let round = 0; round < TAP_ROUNDS; round += 1) {
      const [first, second] = await Promise.all([
        tap(slot0, READER_0, cards[round % 2]!),
        tap(slot1, READER_1, cards[(round + 1) % 2]!),
      ]);
      if (first.verified) verified += 1;
      if (second.verified) verified += 1;
    }
    expect(verified).toBe(TAP_ROUNDS * 2);
    // Reads of a card left on the reader exercise connect/transmit/disconnect at full speed.
    const presented = waitFor<CardPresented>('card.presented', onReader(READER_0));
    await slot0.insert(cards[0]!);
    await presented;
    for (let index = 0; index < READS; index += 1) {
      await manager.withCard(READER_0, (session) => session.transmit(fromHex('FFCA000000')));
    }
    slot0.remove();
    await waitFor('card.removed', onReader(READER_0));
    expect(readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(fdsBefore + 1);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(16 * 1024 * 1024);
  });
});
