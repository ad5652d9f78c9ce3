/**
 * The terminal's card security: the chain keys in the data folder's key store, the chain id, sector and purse
 * in the settings, and the simulator's secured card read through the same reader manager with them. With the
 * purse on, the ledger's balance is copied onto the card after each operation, and a copy that fails is a
 * warning on the reader, never a change to the operation.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import {
  CARD_SECURITY_SETTING,
  type CardSecuritySettings,
  DEMO_CARD_SECURITY,
} from '../../../electron/host/card-security';
import { createHost, type Host } from '../../../electron/host/compose';
import { PURSE_MIRROR_FAILED } from '../../../electron/host/devices/purse';
import { Session } from '../../../electron/host/session';
import { SIMULATED_READER, simulatedSecuredUid } from '../../../electron/host/simulator';
import { CARD_KEYS_FILE } from '../../../electron/keystore/card-keys';
import {
  authenticate,
  diversifiedKeys,
  expectSuccess,
  getUid,
  KEY_A,
  loadKey,
  readBinary,
  sectorFirstBlock,
} from '../../../hardware/index';

const dirs: string[] = [];
const hosts: Host[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-cardsec-'));
  dirs.push(dir);
  return dir;
}

function start(dir: string): Host {
  const host = createHost({ book: 'demo', dataDir: dir });
  hosts.push(host);
  return host;
}

afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function cashier(host: Host): Promise<Session> {
  const session = new Session('test');
  const login = await host.api.call(session, 'session.login', {
    staffNo: DEMO.staff.cashier.code,
    pin: DEMO.staff.cashier.pin,
  });
  expect(login.ok).toBe(true);
  // The purse tests top up in cash, which needs the drawer's shift open.
  const current = await host.api.call(session, 'shift.current', {});
  if (current.ok && (current.value as { shift: unknown }).shift === null) {
    const opened = await host.api.call(session, 'shift.open', {
      shiftId: ulid(),
      operationId: ulid(),
      floatCount: { '10000': 1 },
    });
    expect(opened.ok).toBe(true);
  }
  return session;
}

/** A host whose store keeps on-card purses (the setting changed as a technician would, then a restart). */
async function startWithPurse(dir: string): Promise<Host> {
  const first = start(dir);
  first.ledger.settings.set(CARD_SECURITY_SETTING, { ...DEMO_CARD_SECURITY, purse: true });
  await first.close();
  hosts.splice(hosts.indexOf(first), 1);
  return start(dir);
}

async function tapSecured(host: Host, cardNumber: string) {
  const uid = host.simulator!.offerSecuredCard(cardNumber);
  expect(uid).toBe(simulatedSecuredUid(cardNumber));
  const presented = host.hub.next('card.presented', (card) => card.uid === uid);
  await host.simulator!.presentCard(uid!);
  return presented;
}

describe('card keys and settings', () => {
  it('creates the chain keys once, 0600 in keys/, with the demo chain settings, and keeps them across starts', async () => {
    const dir = dataDir();
    const first = start(dir);
    const keyFile = join(dir, 'keys', CARD_KEYS_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o077).toBe(0);
    expect(first.ledger.settings.get<CardSecuritySettings>(CARD_SECURITY_SETTING)).toEqual(
      DEMO_CARD_SECURITY,
    );
    const { masterKey, chainSecret } = first.cardSecurity.keys;
    expect(masterKey.length).toBe(32);
    expect(Buffer.compare(masterKey, chainSecret)).not.toBe(0);
    await first.close();

    const second = start(dir);
    expect(Buffer.from(second.cardSecurity.keys.masterKey).equals(Buffer.from(masterKey))).toBe(true);
    expect(Buffer.from(second.cardSecurity.keys.chainSecret).equals(Buffer.from(chainSecret))).toBe(true);
    expect(second.cardSecurity).toMatchObject({
      chainId: DEMO_CARD_SECURITY.chainId,
      sector: 1,
      purse: false,
    });
  });

  it('never puts the keys in the log, in JSON or in an inspected value', async () => {
    const dir = dataDir();
    const host = start(dir);
    const { masterKey, chainSecret } = host.cardSecurity.keys;
    const secrets = [masterKey, chainSecret].flatMap((key) => [
      Buffer.from(key).toString('hex'),
      Buffer.from(key).toString('hex').toUpperCase(),
      Buffer.from(key).toString('base64'),
    ]);
    await tapSecured(host, DEMO.cards.mifare.cardNumber);
    const shown = [
      JSON.stringify(host.cardSecurity),
      inspect(host.cardSecurity, { depth: 5 }),
      inspect(host.cardSecurity.keys),
    ];
    await host.close();
    hosts.splice(0);
    shown.push(readFileSync(host.logFile, 'utf8'));
    for (const text of shown) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('refuses a key file that others may read, naming the chmod to run', async () => {
    const dir = dataDir();
    await start(dir).close();
    hosts.splice(0);
    const keyFile = join(dir, 'keys', CARD_KEYS_FILE);
    chmodSync(keyFile, 0o644);
    expect(() => createHost({ book: 'demo', dataDir: dir })).toThrow(
      expect.objectContaining({
        code: 'KEYSTORE_FILE_EXPOSED',
        message: expect.stringContaining('chmod 600'),
      }),
    );
  });

  it('refuses a damaged key file and a setting with an impossible sector', async () => {
    const dir = dataDir();
    const host = start(dir);
    host.ledger.settings.set(CARD_SECURITY_SETTING, { ...DEMO_CARD_SECURITY, sector: 0 });
    await host.close();
    hosts.splice(0);
    expect(() => createHost({ book: 'demo', dataDir: dir })).toThrow(
      expect.objectContaining({ code: 'CARD_CONFIG_INVALID' }),
    );

    const other = dataDir();
    await start(other).close();
    hosts.splice(0);
    const keyFile = join(other, 'keys', CARD_KEYS_FILE);
    writeFileSync(
      keyFile,
      JSON.stringify({ version: 1, createdAt: 0, masterKey: 'AAAA', chainSecret: 'AAAA' }),
    );
    expect(() => createHost({ book: 'demo', dataDir: other })).toThrow(
      expect.objectContaining({ code: 'KEYSTORE_FILE_INVALID' }),
    );
  });
});

describe('secured cards through the simulator', () => {
  it('offers the secured demo card, and its tap reaches the counter with the verified card number', async () => {
    const host = start(dataDir());
    const session = await cashier(host);
    const cards = await host.api.call(session, 'simulator.cards', {});
    expect(cards).toMatchObject({
      ok: true,
      value: expect.arrayContaining([
        {
          uid: simulatedSecuredUid(DEMO.cards.mifare.cardNumber),
          cardNumber: DEMO.cards.mifare.cardNumber,
          label: DEMO.members.mifare.name,
        },
      ]),
    });

    const presented = host.hub.next('card.presented', (card) => card.source === 'simulator');
    const reply = await host.api.call(session, 'simulator.presentCard', {
      uid: simulatedSecuredUid(DEMO.cards.mifare.cardNumber),
    });
    expect(reply.ok).toBe(true);
    const card = await presented;
    expect(card).toMatchObject({ cardNumber: DEMO.cards.mifare.cardNumber, reader: SIMULATED_READER });
    expect(card.refused).toBeUndefined();
    const lookup = await host.api.call(session, 'card.lookup', { cardNumber: card.cardNumber! });
    expect(lookup).toMatchObject({ ok: true, value: { member: { name: DEMO.members.mifare.name } } });
  });

  it('still reads the store’s UID-registered card by its UID, and refuses an unregistered blank card as foreign', async () => {
    const host = start(dataDir());
    const known = host.hub.next('card.presented', (card) => card.uid === DEMO.cards.uid.uid);
    await host.simulator!.presentCard(DEMO.cards.uid.uid);
    const card = await known;
    expect(card.refused).toBeUndefined();
    expect(card.cardNumber).toBeUndefined();

    const blank = host.hub.next('card.presented', (event) => event.uid === '04DEADBEEF0102');
    await host.simulator!.presentCard('04DEADBEEF0102');
    expect(await blank).toMatchObject({ refused: 'CARD_FOREIGN' });
    expect((await blank).cardNumber).toBeUndefined();
  });

  it('another terminal’s chain keys do not open this terminal’s card', async () => {
    const ours = start(dataDir());
    const theirs = start(dataDir());
    // The same card number, issued by the other terminal's chain keys, tapped on ours.
    const uid = theirs.simulator!.offerSecuredCard(DEMO.cards.mifare.cardNumber)!;
    const issued = theirs.hub.next('card.presented', (card) => card.uid === uid);
    await theirs.simulator!.presentCard(uid);
    expect((await issued).cardNumber).toBe(DEMO.cards.mifare.cardNumber);
    // Ours has never issued this UID, so it reads it as any card of that UID would be read.
    const refused = ours.hub.next('card.presented', (card) => card.uid === uid);
    await ours.simulator!.presentCard(uid);
    expect(await refused).toMatchObject({ refused: 'CARD_FOREIGN' });
  });
});

describe('the on-card purse', () => {
  it('is left alone when the store keeps no purse', async () => {
    const host = start(dataDir());
    await tapSecured(host, DEMO.cards.mifare.cardNumber);
    const session = await cashier(host);
    const topUp = await host.api.call(session, 'wallet.topUp', {
      operationId: ulid(),
      cardId: DEMO.cards.mifare.id,
      amountFen: 10_000,
      tender: 'cash',
    });
    expect(topUp.ok).toBe(true);
    // Block 2 of the sector, where a purse would be, is still the zeros it was issued with.
    const block2 = await host.simulator!.readers.withCard(SIMULATED_READER, async (session) => {
      const uid = expectSuccess(await session.transmit(getUid()), 'GET UID');
      const { keyA } = diversifiedKeys(host.cardSecurity.keys.masterKey, uid, host.cardSecurity.sector);
      expectSuccess(await session.transmit(loadKey(keyA, 0)), 'LOAD KEY');
      expectSuccess(await session.transmit(authenticate(sectorFirstBlock(1), KEY_A, 0)), 'AUTHENTICATE');
      return expectSuccess(await session.transmit(readBinary(sectorFirstBlock(1) + 2, 16)), 'READ');
    });
    expect(block2.equals(Buffer.alloc(16))).toBe(true);
  });

  it('carries the ledger balance after each top-up and charge made while the card is on the reader', async () => {
    const host = await startWithPurse(dataDir());
    expect(host.cardSecurity.purse).toBe(true);
    await tapSecured(host, DEMO.cards.mifare.cardNumber);
    const session = await cashier(host);
    const topUp = await host.api.call(session, 'wallet.topUp', {
      operationId: ulid(),
      cardId: DEMO.cards.mifare.id,
      amountFen: 10_000,
      tender: 'cash',
    });
    if (!topUp.ok) throw new Error(JSON.stringify(topUp));
    const afterTopUp = (topUp.value as { balance: { totalFen: number } }).balance.totalFen;
    // The read is queued behind the mirror on the same reader.
    expect(await host.simulator!.readers.readPurse(SIMULATED_READER)).toBe(afterTopUp);

    const charge = await host.api.call(session, 'wallet.charge', {
      operationId: ulid(),
      cardId: DEMO.cards.mifare.id,
      amountFen: 3_050,
    });
    if (!charge.ok) throw new Error(JSON.stringify(charge));
    const afterCharge = (charge.value as { balance: { totalFen: number } }).balance.totalFen;
    expect(afterCharge).toBe(afterTopUp - 3_050);
    expect(await host.simulator!.readers.readPurse(SIMULATED_READER)).toBe(afterCharge);
  });

  it('warns on the reader when the card leaves before its purse is written, and the operation stands', async () => {
    const host = await startWithPurse(dataDir());
    await tapSecured(host, DEMO.cards.mifare.cardNumber);
    const session = await cashier(host);
    const before = host.ledger.findCardByNumber(DEMO.cards.mifare.cardNumber)!.balance;
    const warning = host.hub.next(
      'device.status',
      (status) => status.device === SIMULATED_READER && status.state === 'error',
    );
    host.simulator!.pullCardDuringNextCommand();
    const topUp = await host.api.call(session, 'wallet.topUp', {
      operationId: ulid(),
      cardId: DEMO.cards.mifare.id,
      amountFen: 10_000,
      tender: 'cash',
    });
    expect(topUp.ok).toBe(true);
    expect(await warning).toMatchObject({ kind: 'reader', detail: `${PURSE_MIRROR_FAILED}: CARD_REMOVED` });
    const after = host.ledger.findCardByNumber(DEMO.cards.mifare.cardNumber)!.balance;
    expect(after.principalFen).toBe(before.principalFen + 10_000);
    await host.close();
    hosts.splice(0);
    expect(readFileSync(host.logFile, 'utf8')).toContain('on-card purse not updated');
  });

  it('clears the warning with the next purse written', async () => {
    const host = await startWithPurse(dataDir());
    await tapSecured(host, DEMO.cards.mifare.cardNumber);
    const session = await cashier(host);
    const warning = host.hub.next(
      'device.status',
      (s) => s.device === SIMULATED_READER && s.state === 'error',
    );
    host.simulator!.pullCardDuringNextCommand();
    await host.api.call(session, 'wallet.topUp', {
      operationId: ulid(),
      cardId: DEMO.cards.mifare.id,
      amountFen: 10_000,
      tender: 'cash',
    });
    await warning;
    await tapSecured(host, DEMO.cards.mifare.cardNumber);
    const cleared = host.hub.next(
      'device.status',
      (s) => s.device === SIMULATED_READER && s.state === 'simulated',
    );
    const charge = await host.api.call(session, 'wallet.charge', {
      operationId: ulid(),
      cardId: DEMO.cards.mifare.id,
      amountFen: 100,
    });
    expect(charge.ok).toBe(true);
    await cleared;
    const total = host.ledger.findCardByNumber(DEMO.cards.mifare.cardNumber)!.balance;
    expect(await host.simulator!.readers.readPurse(SIMULATED_READER)).toBe(
      total.principalFen + total.bonusFen,
    );
  });
});
