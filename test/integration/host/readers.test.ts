/**
 * The host with the store's hardware joined: a card tapped on a real pcscd reader (Debian's vpcd driver with
 * the project's virtual card on the other end) reaches the hub as the counter's `card.presented`, and the
 * counter finds its member through the API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { createHost, type Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import { fromHex, VirtualClassicCard, VpcdCardSlot } from '../../../hardware/index';
import { type PcscdHandle, startPcscd } from '../../support/pcscd';

const READER = 'Virtual PCD 00 00';

let pcscd: PcscdHandle;
let dataDir: string;
let host: Host;
const slot = new VpcdCardSlot({ slot: 0 });

beforeAll(async () => {
  pcscd = await startPcscd();
  dataDir = mkdtempSync(join(tmpdir(), 'pos-readers-'));
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
});
