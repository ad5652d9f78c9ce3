/**
 * 立即同步 on the Devices screen (`hq.syncNow`): one sync round at once, answering whether HQ was reached and
 * how many operations still wait. With HQ away it says so and the till keeps its operations; once HQ is back the
 * next round sends them. A till of no chain reaches nobody; a cashier may not ask.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { HQ_SETTING } from '../../../electron/host/enrolment/link';
import type { RunningHqServer } from '../../../sync/hq';
import { type BookUnderTest, openBook, sessionOf } from '../../support/books';
import { freePort } from '../../support/postgres';
import { enrolDemoTerminal, type HqUnderTest, openHq, serve } from './fixtures';

let hq: HqUnderTest;
let server: RunningHqServer;
let port: number;
let book: BookUnderTest;
/** The charge made while HQ was away. */
const offlineCharge = ulid();

const syncNow = async () => {
  const reply = await book.host.api.call(await sessionOf(book.host, 'technician'), 'hq.syncNow', {});
  if (!reply.ok) throw new Error(JSON.stringify(reply.error));
  return reply.value;
};

beforeAll(async () => {
  hq = await openHq('pglite');
  port = await freePort();
  server = await serve(hq.service, port);
  const { link, secrets } = await enrolDemoTerminal(hq.service, server.url);
  book = await openBook('live', { secrets, settings: { [HQ_SETTING]: link } });
});

afterAll(async () => {
  await book?.close();
  await server?.close();
  await hq?.close();
});

describe('a sync round asked for at the till', () => {
  it('reaches HQ and leaves nothing waiting', async () => {
    expect(await syncNow()).toMatchObject({ reached: true, pending: 0, lastContactAt: expect.any(Number) });
  });

  it('says HQ cannot be reached while it is away, and keeps what the till did', async () => {
    await server.close();
    const cashier = await sessionOf(book.host, 'cashier');
    const charged = await book.host.api.call(cashier, 'wallet.charge', {
      operationId: offlineCharge,
      cardId: DEMO.cards.uid.id,
      amountFen: 500,
    });
    expect(charged).toMatchObject({ ok: true });
    expect(await syncNow()).toMatchObject({ reached: false, pending: 1 });
  });

  it('sends what waited once HQ is back', async () => {
    server = await serve(hq.service, port);
    expect(await syncNow()).toMatchObject({ reached: true, pending: 0 });
    const atHq = await hq.service.operationsOf(DEMO.terminalId);
    expect(atHq.filter((row) => row.operationId === offlineCharge)).toHaveLength(1);
  });

  it('is not for a cashier', async () => {
    const cashier = await sessionOf(book.host, 'cashier');
    expect(await book.host.api.call(cashier, 'hq.syncNow', {})).toMatchObject({
      ok: false,
      error: { code: 'COMMAND_FORBIDDEN' },
    });
  });
});

describe('a till of no chain', () => {
  it('reaches nobody and counts what waits', async () => {
    const standalone = await openBook('live');
    try {
      const reply = await standalone.host.api.call(
        await sessionOf(standalone.host, 'manager'),
        'hq.syncNow',
        {},
      );
      expect(reply).toMatchObject({
        ok: true,
        value: {
          reached: false,
          pending: standalone.host.ledger.outbox.stats().waiting,
          lastContactAt: null,
        },
      });
    } finally {
      await standalone.close();
    }
  });
});
