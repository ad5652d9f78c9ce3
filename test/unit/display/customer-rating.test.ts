/**
 * The customer's rating on the customer screen, as the host takes it: after a charge of this till the stars are
 * offered for half a minute; one rating per visit, recorded as the cashier who made the charge; a top-up, a
 * charge made elsewhere, a visit already rated and a tap after the offer ran out are all refused.
 */
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openRatings } from '../../../db/index';
import { CustomerDisplay, RATING_WINDOW_MS } from '../../../electron/host/devices/customer-display';
import { DeviceHub } from '../../../electron/host/hub';
import { cashier, clock, closeAll, DEMO, demoLedger, terminalId } from '../db/support';

afterAll(closeAll);

let ids = 0;
const id = () => `01JRATE${String(++ids).padStart(19, '0')}`;

function setUp() {
  const time = clock();
  const { ledger } = demoLedger(time);
  const shown: unknown[] = [];
  const hub = new DeviceHub();
  hub.subscribe((event, payload) => {
    if (event === 'customer.display') shown.push(payload);
  });
  const display = new CustomerDisplay({
    ledger,
    terminalId,
    hub,
    logger: pino({ level: 'silent' }),
    allowsVirtual: true,
    now: time.now,
  });
  const charge = () =>
    ledger.spend({
      operationId: id(),
      cardId: DEMO.cards.uid.id,
      amountFen: 1_000,
      staffId: cashier,
      terminalId,
    });
  return { time, ledger, display, charge, shown };
}

describe('the rating on the customer screen', () => {
  it('offers the stars after a charge and records one rating, as the cashier who charged', async () => {
    const { ledger, display, charge, shown } = setUp();
    const { operationId } = charge();
    const view = await display.show({ phase: 'done', amountFen: 1_000, operationId });
    expect(view.rating).toEqual({ until: expect.any(Number), stars: null });
    const rated = display.rate(4);
    expect(rated.rating?.stars).toBe(4);
    expect(shown.at(-1)).toEqual(rated);
    const report = openRatings(ledger).report(DEMO.storeId, '2026-01-01', '2026-12-31');
    expect(report.staff).toEqual([
      expect.objectContaining({ staffId: cashier, staffName: DEMO.staff.cashier.name, count: 1, average: 4 }),
    ]);
    // Tapped again, or the same visit shown again: it was rated, and nothing more is taken.
    expect(() => display.rate(1)).toThrow(expect.objectContaining({ code: 'RATING_NOT_RATEABLE' }));
    expect((await display.show({ phase: 'done', amountFen: 1_000, operationId })).rating).toBeNull();
    expect(openRatings(ledger).starsOf(operationId)).toBe(4);
  });

  it('takes the stars back when the offer runs out, and offers none for a top-up or an idle screen', async () => {
    const { time, ledger, display, charge } = setUp();
    const { operationId } = charge();
    await display.show({ phase: 'done', amountFen: 1_000, operationId });
    time.advance(RATING_WINDOW_MS + 1);
    expect(() => display.rate(5)).toThrow(expect.objectContaining({ code: 'RATING_NOT_RATEABLE' }));
    expect(openRatings(ledger).starsOf(operationId)).toBeNull();

    const topUp = ledger.topUp({
      operationId: id(),
      cardId: DEMO.cards.uid.id,
      amountFen: 5_000,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    expect(
      (await display.show({ phase: 'done', amountFen: 5_000, operationId: topUp.operationId })).rating,
    ).toBeNull();
    await display.show({ phase: 'idle' });
    expect(() => display.rate(5)).toThrow(expect.objectContaining({ code: 'RATING_NOT_RATEABLE' }));
  });

  it('refuses a second rating of a visit already rated from its receipt', async () => {
    const { ledger, display, charge } = setUp();
    const { operationId } = charge();
    await display.show({ phase: 'done', amountFen: 1_000, operationId });
    openRatings(ledger).take({
      operationId,
      storeId: DEMO.storeId,
      terminalId,
      staffId: cashier,
      staffName: DEMO.staff.cashier.name,
      stars: 2,
      source: 'receipt',
      visitAt: Date.now(),
      ratedAt: Date.now(),
    });
    expect(() => display.rate(5)).toThrow(expect.objectContaining({ code: 'RATING_ALREADY_GIVEN' }));
    expect(openRatings(ledger).starsOf(operationId)).toBe(2);
  });
});
