/**
 * The host with the store's hardware joined: a card tapped on a real pcscd reader (Debian's vpcd driver with
 * the project's virtual card on the other end) reaches the hub as the counter's `card.presented`, and the
 * counter finds its member through the API. The host reads with its chain keys: a secured card yields its
 * verified number, a UID-registered card its UID, and with the store's purse on, a top-up made while the
 * card lies on the reader is copied onto the card.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { CARD_SECURITY_SETTING, DEMO_CARD_SECURITY } from '../../../electron/host/card-security';
import { createHost, type Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import {
  decodeValueBlock,
  directSession,
  fromHex,
  issueSecuredClassic,
  sectorFirstBlock,
  VirtualClassicCard,
  VpcdCardSlot,
} from '../../../hardware/index';
import { type PcscdHandle, startPcscd } from '../../support/pcscd';

const READER = 'Virtual PCD 00 00';

let pcscd: PcscdHandle;
let dataDir: string;
let host: Host;
const slot = new VpcdCardSlot({ slot: 0 });

beforeAll(async () => {
  pcscd = await startPcscd();
  dataDir = mkdtempSync(join(tmpdir(), 'pos-readers-'));
  // This store keeps on-card purses: set as a technician would, before the terminal starts with its readers.
  const first = createHost({ dataDir });
  first.ledger.settings.set(CARD_SECURITY_SETTING, { ...DEMO_CARD_SECURITY, purse: true });
  await first.close();
  host = createHost({ dataDir, hardware: true });
  await host.hub.next('device.status', (status) => status.device === READER && status.state === 'connected');
});

afterAll(async () => {
  slot.remove();
  await slot.close();
  await host?.close();
  await pcscd?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the host with a PC/SC reader', () => {
  it('reports the pcscd reader as a connected device', () => {
    expect(host.hub.deviceList()).toContainEqual({ device: READER, kind: 'reader', state: 'connected' });
  });

  it('turns a tapped card into card.presented from the reader, and the counter finds its member', async () => {
    // pcscd is one per machine: match our own card, not whatever else a neighbouring test may tap.
    const presented = host.hub.next('card.presented', (card) => card.uid === DEMO.cards.uid.uid);
    await slot.insert(new VirtualClassicCard('mifare-classic-1k', fromHex(DEMO.cards.uid.uid)));
    const card = await presented;
    expect(card).toMatchObject({ uid: DEMO.cards.uid.uid, source: 'reader', reader: READER });
    // The chain's keys do not open this plain card, but the store registered its UID: no refusal.
    expect(card.refused).toBeUndefined();

    const session = new Session('test');
    await host.api.call(session, 'session.login', {
      staffNo: DEMO.staff.cashier.code,
      pin: DEMO.staff.cashier.pin,
    });
    const lookup = await host.api.call(session, 'card.lookup', { uid: card.uid });
    expect(lookup).toMatchObject({ ok: true, value: { member: { name: DEMO.members.uid.name } } });
  });

  it('reports the card taken off the reader', async () => {
    const removed = host.hub.next('card.removed', (card) => card.uid === DEMO.cards.uid.uid);
    slot.remove();
    expect(await removed).toMatchObject({ uid: DEMO.cards.uid.uid });
  });

  it('reads a secured card by its verified number and copies each top-up onto its purse', async () => {
    const uid = '04A0B0C0D0E0F0';
    const { keys, sector } = host.cardSecurity;
    const secured = new VirtualClassicCard('mifare-classic-1k', fromHex(uid));
    await issueSecuredClassic(directSession(secured), {
      keys,
      sector,
      cardNumber: DEMO.cards.mifare.cardNumber,
      purseFen: 0,
    });
    const presented = host.hub.next('card.presented', (card) => card.uid === uid);
    await slot.insert(secured);
    const card = await presented;
    expect(card).toMatchObject({
      cardNumber: DEMO.cards.mifare.cardNumber,
      source: 'reader',
      reader: READER,
    });
    expect(card.refused).toBeUndefined();

    const session = new Session('purse');
    await host.api.call(session, 'session.login', {
      staffNo: DEMO.staff.cashier.code,
      pin: DEMO.staff.cashier.pin,
    });
    const topUp = await host.api.call(session, 'wallet.topUp', {
      operationId: ulid(),
      cardId: DEMO.cards.mifare.id,
      amountFen: 10_000,
      tender: 'cash',
    });
    if (!topUp.ok) throw new Error(JSON.stringify(topUp));
    const { totalFen } = (topUp.value as { balance: { totalFen: number } }).balance;
    const purseBlock = (sectorFirstBlock(sector) + 2) * 16;
    const purse = () => decodeValueBlock(secured.memory.subarray(purseBlock, purseBlock + 16))?.value;
    const deadline = Date.now() + 10_000;
    while (purse() !== totalFen && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(purse()).toBe(totalFen);

    const removed = host.hub.next('card.removed', (event) => event.uid === uid);
    slot.remove();
    await removed;
  });
});
