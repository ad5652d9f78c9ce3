/**
 * The simulator exists only in demo and training books. In a live book the host has no virtual reader or
 * swiper, refuses every simulator command whatever the role, and never offers the panel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import type { BookMode } from '../../../electron/host/book-mode';
import { type BookUnderTest, openBook, sessionOf } from '../../support/books';

const SIMULATOR_CALLS = [
  ['simulator.cards', {}],
  ['simulator.presentCard', { uid: DEMO.cards.uid.uid }],
  ['simulator.removeCard', {}],
  ['simulator.swipe', { cardNumber: DEMO.cards.magstripe.cardNumber }],
  ['simulator.printedReceipts', { limit: 5 }],
] as const;

const books = new Map<BookMode, BookUnderTest>();

beforeAll(async () => {
  for (const mode of ['live', 'demo', 'training'] as const) books.set(mode, await openBook(mode));
});

afterAll(async () => {
  for (const book of books.values()) await book.close();
});

describe('the simulator in a live book', () => {
  it('does not exist: no simulated reader, swiper or virtual card acts on the counter', () => {
    const { host } = books.get('live')!;
    expect(host.simulator).toBeNull();
    const simulated = host.hub.deviceList().filter((device) => device.state === 'simulated');
    expect(simulated.filter((device) => device.kind !== 'printer')).toEqual([]);
  });

  it('refuses every simulator command with SIMULATOR_UNAVAILABLE, whatever the role', async () => {
    const { host } = books.get('live')!;
    for (const role of ['cashier', 'manager', 'technician', 'admin'] as const) {
      const session = await sessionOf(host, role);
      for (const [command, input] of SIMULATOR_CALLS) {
        const reply = await host.api.call(session, command, input);
        expect(reply, `${role} ${command}`).toEqual({
          ok: false,
          error: {
            code: 'SIMULATOR_UNAVAILABLE',
            message: expect.any(String),
            details: { mode: 'live' },
          },
        });
      }
    }
  });

  it('never offers the simulator panel, even with no reader connected', async () => {
    const { host } = books.get('live')!;
    const info = await host.api.call(await sessionOf(host, 'cashier'), 'terminal.info', {});
    expect(info).toMatchObject({ ok: true, value: { simulator: false } });
  });
});

describe.each(['demo', 'training'] as const)('the simulator in a %s book', (mode) => {
  it('offers the panel and lets a cashier tap and swipe the demo cards', async () => {
    const { host } = books.get(mode)!;
    const cashier = await sessionOf(host, 'cashier');
    expect(await host.api.call(cashier, 'terminal.info', {})).toMatchObject({
      ok: true,
      value: { simulator: true },
    });
    const presented = host.hub.next('card.presented');
    expect(await host.api.call(cashier, 'simulator.presentCard', { uid: DEMO.cards.uid.uid })).toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(await presented).toMatchObject({ uid: DEMO.cards.uid.uid, source: 'simulator' });
    const swiped = host.hub.next('swipe');
    await host.api.call(cashier, 'simulator.swipe', { cardNumber: DEMO.cards.magstripe.cardNumber });
    expect(await swiped).toMatchObject({ cardNumber: DEMO.cards.magstripe.cardNumber });
  });
});
