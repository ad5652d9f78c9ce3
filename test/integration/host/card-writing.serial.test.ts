/**
 * Cards that cannot be written are not sold. The host with its hardware on the real pcscd (Debian's vpcd
 * driver, the project's virtual cards on the other end) checks a blank card before activation commits
 * anything: a MIFARE card whose member sector another system keyed is refused with CARD_FOREIGN, a number the
 * card format cannot hold with CARD_NUMBER_INVALID, and neither leaves a member, a card or money in the book.
 * A contact CPU card on the reader is not dropped: the counter hears CARD_UNSUPPORTED.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { createHost, type Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import {
  fromHex,
  sectorTrailer,
  sectorTrailerBlock,
  TRANSPORT_ACCESS,
  type VirtualCard,
  VirtualClassicCard,
  VirtualRawCard,
  VpcdCardSlot,
} from '../../../hardware/index';
import { type PcscdHandle, startPcscd } from '../../support/pcscd';
import { openShift } from '../../support/shift';

const READER = 'Virtual PCD 00 00';
/** A contact CPU card (ISO 7816, T=0/T=1) as a contact reader reports it. */
const CPU_CARD_ATR = '3B 95 13 81 01 80 73 FF 01 00 0B';

let pcscd: PcscdHandle;
let dataDir: string;
let host: Host;
const slot = new VpcdCardSlot({ slot: 0 });
const session = new Session('card-writing');

beforeAll(async () => {
  pcscd = await startPcscd();
  dataDir = mkdtempSync(join(tmpdir(), 'pos-card-writing-'));
  host = createHost({ book: 'demo', dataDir, hardware: true });
  const connected = () => host.hub.deviceList().some((d) => d.device === READER && d.state === 'connected');
  if (!connected()) await host.hub.next('device.status', () => connected());
  await openShift(host);
  const login = await host.api.call(session, 'session.login', {
    staffNo: DEMO.staff.cashier.code,
    pin: DEMO.staff.cashier.pin,
  });
  if (!login.ok) throw new Error(JSON.stringify(login.error));
});

afterAll(async () => {
  slot.remove();
  await slot.close();
  await host?.close();
  await pcscd?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Puts a card on the vpcd reader and waits until the host has told the counter about it. */
async function tap(card: VirtualCard, uid: string) {
  const presented = host.hub.next(
    'card.presented',
    (event) => event.uid === uid && event.source === 'reader',
  );
  await slot.insert(card);
  return presented;
}

async function lift() {
  const removed = host.hub.next('card.removed', () => true);
  slot.remove();
  await removed;
}

/** A blank Classic card whose member sector another system has keyed with its own keys. */
function keyedElsewhere(uid: string): VirtualClassicCard {
  const card = new VirtualClassicCard('mifare-classic-1k', fromHex(uid));
  const otherKey = fromHex('A0A1A2A3A4A5');
  sectorTrailer(otherKey, TRANSPORT_ACCESS, fromHex('B0B1B2B3B4B5')).copy(
    card.memory,
    sectorTrailerBlock(host.cardSecurity.sector) * 16,
  );
  return card;
}

/** The activation a cashier confirms: a new member, the tapped blank card, a ¥100 cash opening top-up. */
function activation(operationId: string, uid: string, cardNumber: string, phone: string) {
  return {
    operationId,
    member: {
      register: { name: '写卡测试', phone, consent: { purpose: '会员服务', version: 'v1' } },
    },
    identityChecked: false,
    card: { cardNumber, uid, medium: 'mifare' as const, reader: READER },
    openingTopUp: { amountFen: 10_000, tender: 'cash' as const },
  };
}

/** Nothing of the refused activation reached the book: no member, no card, no money. */
function nothingCommitted(operationId: string, cardNumber: string) {
  expect(host.members.profile(`member-${operationId}`)).toBeUndefined();
  expect(host.ledger.card(`card-${operationId}`)).toBeUndefined();
  expect(host.ledger.findCardByNumber(cardNumber)).toBeUndefined();
  expect(host.ledger.operation(operationId)).toBeUndefined();
}

describe('activating a card on a PC/SC reader', () => {
  it('refuses a card keyed by another system with CARD_FOREIGN before registering anyone', async () => {
    const uid = '04F0E1D2C3B4A5';
    const card = keyedElsewhere(uid);
    const before = Buffer.from(card.memory);
    // At the counter it reads as not this chain's card, like any blank card.
    expect(await tap(card, uid)).toMatchObject({ refused: 'CARD_FOREIGN', reader: READER });

    const operationId = ulid();
    const reply = await host.api.call(
      session,
      'cards.activate',
      activation(operationId, uid, '6612340000000001', '13700000001'),
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'CARD_FOREIGN', details: { writable: false } } });
    nothingCommitted(operationId, '6612340000000001');
    // Not a byte of the card was written.
    expect(card.memory.equals(before)).toBe(true);
    await lift();
  });

  it('refuses a number the card format cannot hold with CARD_NUMBER_INVALID, naming the rule', async () => {
    const uid = '04D4C3B2A19988';
    const card = new VirtualClassicCard('mifare-classic-1k', fromHex(uid));
    await tap(card, uid);
    for (const cardNumber of ['12345678901234567', 'AB12345678']) {
      const operationId = ulid();
      const reply = await host.api.call(
        session,
        'cards.activate',
        activation(operationId, uid, cardNumber, '13700000002'),
      );
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'CARD_NUMBER_INVALID', message: 'a card number is 1 to 16 decimal digits' },
      });
      nothingCommitted(operationId, cardNumber);
    }

    // The same blank card with a number that fits is activated and written.
    const operationId = ulid();
    const reply = await host.api.call(
      session,
      'cards.activate',
      activation(operationId, uid, '6612340000000002', '13700000003'),
    );
    expect(reply).toMatchObject({
      ok: true,
      value: { written: 'issued', writeError: null, balance: { principalFen: 10_000 } },
    });
    await lift();
    // Tapped again, it reads as this chain's card with its number.
    expect(await tap(card, uid)).toMatchObject({ cardNumber: '6612340000000002' });
    await lift();
  });

  it('tells the counter that a contact CPU card is not supported, instead of dropping it', async () => {
    const presented = await tap(new VirtualRawCard(fromHex(CPU_CARD_ATR)), '');
    expect(presented).toEqual({
      uid: '',
      refused: 'CARD_UNSUPPORTED',
      source: 'reader',
      reader: READER,
      at: expect.any(Number),
    });
    await lift();
  });
});
