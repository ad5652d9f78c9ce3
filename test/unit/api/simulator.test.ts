/**
 * The simulator drives the production device code: a virtual card answers the reader manager's APDUs and a
 * virtual swiper sends HID reports to the swiper driver, and what reaches the hub is what a real device sends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { createHost, type Host } from '../../../electron/host/compose';
import { SIMULATED_READER } from '../../../electron/host/simulator';

let dataDir: string;
let host: Host;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-sim-'));
  host = createHost({ dataDir });
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the training simulator', () => {
  it('reports its reader, swiper and printer as simulated devices', () => {
    const devices = host.hub.deviceList();
    expect(devices).toContainEqual({ device: SIMULATED_READER, kind: 'reader', state: 'simulated' });
    expect(devices.map((device) => device.kind).sort()).toEqual(['printer', 'reader', 'swiper']);
  });

  it('presents a virtual card that the reader manager reads by UID', async () => {
    const presented = host.hub.next('card.presented');
    host.simulator!.presentCard(DEMO.cards.uid.uid);
    expect(await presented).toMatchObject({
      uid: DEMO.cards.uid.uid,
      source: 'simulator',
      reader: SIMULATED_READER,
    });
  });

  it('reports the card lifted off the reader', async () => {
    const removed = host.hub.next('card.removed');
    host.simulator!.removeCard();
    expect(await removed).toMatchObject({ uid: DEMO.cards.uid.uid, source: 'simulator' });
  });

  it('swipes a member card through the production swiper driver', async () => {
    const swiped = host.hub.next('swipe');
    host.simulator!.swipe(DEMO.cards.magstripe.cardNumber);
    expect(await swiped).toMatchObject({ cardNumber: DEMO.cards.magstripe.cardNumber, refused: null });
  });

  it('has the driver refuse a bank card, and only the refusal reaches the hub', async () => {
    const swiped = host.hub.next('swipe');
    host.simulator!.swipe('4111111111111111=29121010000000000000');
    const event = await swiped;
    expect(event).toMatchObject({ cardNumber: null, refused: 'CARD_IS_PAYMENT_CARD' });
    expect(JSON.stringify(event)).not.toContain('4111');
  });
});
