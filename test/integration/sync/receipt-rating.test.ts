/**
 * The rating QR on a charge receipt. A till enrolled with HQ prints, under a charge, a QR of HQ's rating page
 * for that visit; the customer opens it, rates once, and HQ counts the rating under the till's store and the
 * cashier who made the charge; a copy printed again carries the same link. A charge on a till that belongs to
 * no chain prints no rating QR.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { HQ_SETTING } from '../../../electron/host/devices/sync';
import type { Session } from '../../../electron/host/session';
import { SETTINGS_KEYS } from '../../../sync';
import type { RunningHqServer } from '../../../sync/hq';
import { HqRatings } from '../../../sync/hq/ratings';
import { type BookUnderTest, openBook, sessionOf } from '../../support/books';
import { rawRequest } from '../../support/raw-http';
import { enrolDemoTerminal, type HqUnderTest, openHq, serve, until } from './fixtures';

const RATING_QR = /\[QR (http:\/\/[^\s\]]+\/rate\/[A-Za-z0-9_.-]+)\]/;

describe('the rating QR on a charge receipt', () => {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  let enrolledBook: BookUnderTest;
  let standalone: BookUnderTest;

  const charge = (book: BookUnderTest, session: Session) =>
    book.host.api.call(session, 'wallet.charge', {
      operationId: ulid(),
      cardId: DEMO.cards.uid.id,
      amountFen: 1_200,
    });

  beforeAll(async () => {
    hq = await openHq('pglite');
    server = await serve(hq.service);
    const { link, secrets } = await enrolDemoTerminal(hq.service, server.url);
    enrolledBook = await openBook('live', { secrets, settings: { [HQ_SETTING]: link } });
    standalone = await openBook('live');
    // Stored value is spent once HQ has answered the till.
    await until(() => enrolledBook.host.ledger.settings.get(SETTINGS_KEYS.lastContactAt) !== undefined);
  });

  afterAll(async () => {
    await enrolledBook?.close();
    await standalone?.close();
    await server?.close();
    await hq?.close();
  });

  it('prints HQ’s rating page for the visit, which the customer rates once, counted for the store and cashier', async () => {
    const cashier = await sessionOf(enrolledBook.host, 'cashier');
    const answer = await charge(enrolledBook, cashier);
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    const text = (answer.value as { receiptText: string }).receiptText;
    expect(text).toContain('扫码为本次服务评分');
    const url = RATING_QR.exec(text)?.[1];
    expect(url?.startsWith(`${server.url}/rate/`)).toBe(true);
    // The operation's own QR is still there for a reprint or a refund to find it.
    expect(text).toContain(`[QR ${(answer.value as { operationId: string }).operationId}]`);

    // A copy printed again carries the same link: the visit is still the one to rate, once.
    const copy = await enrolledBook.host.api.call(cashier, 'receipt.reprint', {
      operationId: (answer.value as { operationId: string }).operationId,
      requestId: ulid(),
    });
    if (!copy.ok) throw new Error(JSON.stringify(copy.error));
    expect(RATING_QR.exec((copy.value as { receiptText: string }).receiptText)?.[1]).toBe(url);

    const page = await rawRequest(url!);
    expect(page.status).toBe(200);
    expect(page.text).toContain(DEMO.staff.cashier.name);
    const rated = await rawRequest(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'stars=2',
    });
    expect(rated.status).toBe(200);
    const again = await rawRequest(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'stars=5',
    });
    expect(again.status).toBe(409);

    const report = await new HqRatings(hq.service).report();
    expect(report.low).toEqual([
      expect.objectContaining({
        operationId: (answer.value as { operationId: string }).operationId,
        storeId: DEMO.storeId,
        terminalId: DEMO.terminalId,
        staffName: DEMO.staff.cashier.name,
        stars: 2,
      }),
    ]);
  });

  it('prints no rating QR on a till that belongs to no chain', async () => {
    const cashier = await sessionOf(standalone.host, 'cashier');
    const answer = await charge(standalone, cashier);
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    const text = (answer.value as { receiptText: string }).receiptText;
    expect(text).not.toContain('扫码为本次服务评分');
    expect(text).not.toMatch(RATING_QR);
  });
});
