/**
 * HQ's offline caps at the counter. With the terminal's HQ on a closed loopback port and its last contact an
 * hour ago, every spend is bounded by the caps HQ delivered earlier: a charge over the card's cap is refused
 * with the cap and what may still be charged, one under it goes through, the terminal's cap counts every card,
 * and a till unheard for longer than HQ allows takes no stored value or points at all. Once HQ answers again,
 * the caps no longer apply. A book with no HQ link is never capped.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { HQ_SETTING } from '../../../electron/host/devices/sync';
import type { Session } from '../../../electron/host/session';
import { SETTINGS_KEYS } from '../../../sync';
import type { RunningHqServer } from '../../../sync/hq';
import { type BookUnderTest, openBook, sessionOf } from '../../support/books';
import { closedLoopbackPort } from '../../support/ports';
import { enrolDemoTerminal, type HqUnderTest, openHq, serve, until } from './fixtures';

const HOUR = 3_600_000;
const CAPS = { perCardFen: 5_000, perTerminalFen: 7_000, maxAgeMs: 24 * HOUR };
const approval = { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin, reason: '会员忘带卡' };

describe('offline caps at the counter while HQ is unreachable', () => {
  let hq: HqUnderTest;
  let server: RunningHqServer | undefined;
  let port: number;
  let book: BookUnderTest;
  let cashier: Session;

  const charge = (cardId: string, amountFen: number, extra: Record<string, unknown> = {}) =>
    book.host.api.call(cashier, 'wallet.charge', { operationId: ulid(), cardId, amountFen, ...extra });

  beforeAll(async () => {
    hq = await openHq('pglite');
    port = await closedLoopbackPort();
    server = await serve(hq.service, port);
    const { link, secrets } = await enrolDemoTerminal(hq.service, server.url);
    await server.close();
    server = undefined;
    // The caps came down with the last pull, an hour ago; HQ has not answered since.
    book = await openBook('live', {
      secrets,
      settings: {
        [HQ_SETTING]: link,
        [SETTINGS_KEYS.caps]: CAPS,
        [SETTINGS_KEYS.lastContactAt]: Date.now() - HOUR,
      },
    });
    cashier = await sessionOf(book.host, 'cashier');
  });

  afterAll(async () => {
    await book?.close();
    await server?.close();
    await hq?.close();
  });

  it("refuses a charge over the card's cap, saying the cap and what may still be charged, and moves nothing", async () => {
    const before = book.host.ledger.balance(DEMO.cards.uid.id);
    expect(await charge(DEMO.cards.uid.id, 6_000)).toEqual({
      ok: false,
      error: {
        code: 'OFFLINE_CARD_CAP_REACHED',
        message: expect.any(String),
        details: { cardId: DEMO.cards.uid.id, capFen: 5_000, remainingFen: 5_000, amountFen: 6_000 },
      },
    });
    expect(book.host.ledger.balance(DEMO.cards.uid.id)).toEqual(before);
  });

  it('lets a charge under the cap through, and counts it against the next one', async () => {
    expect(await charge(DEMO.cards.uid.id, 3_000)).toMatchObject({ ok: true });
    expect(await charge(DEMO.cards.uid.id, 2_500)).toMatchObject({
      ok: false,
      error: { code: 'OFFLINE_CARD_CAP_REACHED', details: { capFen: 5_000, remainingFen: 2_000 } },
    });
  });

  it("counts every card against the terminal's cap", async () => {
    // 3,000 of the terminal's 7,000 went on the other card: 4,000 is left, under this card's own 5,000.
    expect(await charge(DEMO.cards.mifare.id, 4_500, { keyedApproval: approval })).toMatchObject({
      ok: false,
      error: { code: 'OFFLINE_TERMINAL_CAP_REACHED', details: { capFen: 7_000, remainingFen: 4_000 } },
    });
    expect(await charge(DEMO.cards.mifare.id, 3_500, { keyedApproval: approval })).toMatchObject({
      ok: true,
    });
  });

  it('takes no stored value and no points once the till has gone unheard for longer than HQ allows', async () => {
    book.host.ledger.settings.set(SETTINGS_KEYS.lastContactAt, Date.now() - 25 * HOUR);
    try {
      expect(await charge(DEMO.cards.uid.id, 100)).toMatchObject({
        ok: false,
        error: { code: 'OFFLINE_TOO_LONG', details: { maxOfflineMs: CAPS.maxAgeMs, remainingFen: 0 } },
      });
      const managerSession = await sessionOf(book.host, 'manager');
      await book.host.api.call(managerSession, 'points.putGift', {
        gift: { id: 'mug', name: '马克杯', points: 50, active: true },
      });
      expect(
        await book.host.api.call(cashier, 'points.redeemGift', {
          operationId: ulid(),
          cardId: DEMO.cards.uid.id,
          giftId: 'mug',
        }),
      ).toMatchObject({ ok: false, error: { code: 'OFFLINE_TOO_LONG' } });
    } finally {
      book.host.ledger.settings.set(SETTINGS_KEYS.lastContactAt, Date.now() - HOUR);
    }
  });

  it('no longer caps a charge once HQ answers again', async () => {
    server = await serve(hq.service, port);
    // Everything the till wrote offline reaches HQ; its answer is the contact the caps wait for.
    await until(() => book.host.ledger.outbox.stats().waiting === 0, 60_000);
    expect(await charge(DEMO.cards.uid.id, 6_000)).toMatchObject({ ok: true });
  });
});

describe('a book with no HQ link', () => {
  it('is never capped, however long ago anything was heard from HQ', async () => {
    const book = await openBook('live', {
      settings: { [SETTINGS_KEYS.caps]: CAPS, [SETTINGS_KEYS.lastContactAt]: Date.now() - 25 * HOUR },
    });
    try {
      const session = await sessionOf(book.host, 'cashier');
      const reply = await book.host.api.call(session, 'wallet.charge', {
        operationId: ulid(),
        cardId: DEMO.cards.uid.id,
        amountFen: 9_000,
      });
      expect(reply).toMatchObject({ ok: true });
    } finally {
      await book.close();
    }
  });
});
