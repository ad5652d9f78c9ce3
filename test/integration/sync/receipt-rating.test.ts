/**
 * The rating QR on a charge receipt. A till enrolled with HQ prints, under a charge, a QR of HQ's rating page
 * for that visit; the customer opens it, rates once, and HQ counts the rating under the till's store and the
 * cashier who made the charge; a copy printed again carries the same link. The rating comes down to the till
 * with its next pull of HQ's feed (its own store's ratings only) and shows on the store's reports. A charge on
 * a till that belongs to no chain prints no rating QR.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { HQ_SETTING } from '../../../electron/host/devices/sync';
import type { Session } from '../../../electron/host/session';
import { makeRatingToken, SETTINGS_KEYS } from '../../../sync';
import type { RunningHqServer } from '../../../sync/hq';
import { HqRatings } from '../../../sync/hq/ratings';
import { type BookUnderTest, openBook, sessionOf } from '../../support/books';
import { rawRequest } from '../../support/raw-http';
import { enrolDemoTerminal, enrolled, type HqUnderTest, openHq, serve, until } from './fixtures';

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

  it('brings the store’s own ratings down to the till, where the reports count them and list the low ones', async () => {
    const cashier = await sessionOf(enrolledBook.host, 'cashier');
    const manager = await sessionOf(enrolledBook.host, 'manager');
    const answer = await charge(enrolledBook, cashier);
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    const { operationId, receiptText } = answer.value as { operationId: string; receiptText: string };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const url = RATING_QR.exec(receiptText)![1]!;
    const comment = encodeURIComponent('等了很久');
    expect(
      (await rawRequest(url, { method: 'POST', headers: form, body: `stars=1&comment=${comment}` })).status,
    ).toBe(200);
    // Another store's visit is rated at the same HQ: it is not this store's to see.
    const elsewhere = await enrolled(hq.service, 'S09-T1', 'S09');
    const foreign = makeRatingToken(
      {
        terminalId: elsewhere.terminalId,
        storeId: elsewhere.storeId,
        operationId: 'op-elsewhere',
        staffId: 's09-1',
        staffName: '别店',
        at: Date.now(),
      },
      elsewhere.key,
    );
    expect(
      (await rawRequest(`${server.url}/rate/${foreign}`, { method: 'POST', headers: form, body: 'stars=1' }))
        .status,
    ).toBe(200);

    const ratings = async () => {
      const report = await enrolledBook.host.api.call(manager, 'reports.ratings', {});
      if (!report.ok) throw new Error(JSON.stringify(report.error));
      return report.value as {
        all: { count: number };
        staff: Array<{ staffName: string; count: number; low: number }>;
        low: Array<{
          operationId: string;
          stars: number;
          staffName: string;
          source: string;
          businessDay: string;
        }>;
      };
    };
    await until(async () => {
      await enrolledBook.host.api.call(manager, 'hq.syncNow', {});
      return (await ratings()).low.some((r) => r.operationId === operationId);
    });
    const report = await ratings();
    const day = enrolledBook.host.ledger.operation(operationId)!.businessDay;
    expect(report.low.find((r) => r.operationId === operationId)).toEqual(
      expect.objectContaining({
        stars: 1,
        comment: '等了很久',
        staffName: DEMO.staff.cashier.name,
        source: 'receipt',
        businessDay: day,
      }),
    );
    expect(report.low.map((r) => r.operationId)).not.toContain('op-elsewhere');
    expect(report.staff).toEqual([
      expect.objectContaining({ staffName: DEMO.staff.cashier.name, count: report.all.count }),
    ]);
    expect(enrolledBook.host.ledger.checkInvariants().ok).toBe(true);
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
