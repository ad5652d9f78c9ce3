import { afterAll, describe, expect, it } from 'vitest';
import type { Ledger, Tender } from '../../../db/index';
import { nextDay, openBusinessDays, type ZReport } from '../../../db/reports/index';
import { openShifts } from '../../../db/shifts/index';
import { seededRandom } from '../../support/business-days';
import {
  type Clock,
  cashier,
  clock,
  closeAll,
  codeOf,
  DEMO,
  demoLedger,
  manager,
  terminalId,
} from '../db/support';

afterAll(closeAll);

/** 2026-03-03 09:00 in Shanghai: the demo book was seeded the day before. */
const DAY_ONE = Date.UTC(2026, 2, 3, 1, 0, 0);
const HOUR = 3_600_000;
const TENDERS: Tender[] = ['cash', 'wechat', 'alipay', 'unionpay', 'bank_transfer'];

let ids = 0;
const id = (prefix: string) => `${prefix}-${String(++ids).padStart(6, '0')}`;

/** Card liability straight from the card balances the counter shows. */
function cardsHeld(ledger: Ledger): { principal: number; bonus: number } {
  const row = ledger.sqlite
    .prepare(
      `SELECT SUM(CASE WHEN a.kind = 'card_principal' THEN b.credits - b.debits ELSE 0 END) AS principal,
              SUM(CASE WHEN a.kind = 'card_bonus' THEN b.credits - b.debits ELSE 0 END) AS bonus
       FROM accounts a JOIN balances b ON b.account_id = a.id WHERE a.card_id IS NOT NULL`,
    )
    .get() as { principal: number; bonus: number };
  return row;
}

/**
 * One generated business day at the demo terminal: a shift with cash in and out, then top-ups in every
 * tender (some with bonus), charges, refunds of charges, withdrawals, voids and a card-to-card transfer,
 * with the shift counted (with a variance) and signed off at the end.
 */
function generateDay(
  ledger: Ledger,
  time: Clock,
  rand: () => number,
  dayStart: number,
  dayIndex: number,
  cards: string[] = [DEMO.cards.uid.id, DEMO.cards.mifare.id, DEMO.cards.magstripe.id],
) {
  const shifts = openShifts(ledger, { now: time.now });
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  time.set(dayStart);
  const shift = shifts.open({
    shiftId: id('shift'),
    operationId: id('op'),
    terminalId,
    cashierId: cashier,
    floatCount: { '10000': 5 },
  });
  shifts.cashIn({
    operationId: id('op'),
    shiftId: shift.id,
    amountFen: 1_000 + Math.floor(rand() * 5_000),
    reason: 'change',
    staffId: cashier,
  });
  const spends: string[] = [];
  for (let n = 0; n < 40; n += 1) {
    time.advance(Math.floor(rand() * 10 * 60_000));
    const card = pick(cards);
    const roll = rand();
    try {
      if (roll < 0.3) {
        const amountFen = 100 * (1 + Math.floor(rand() * 500));
        const bonusFen = rand() < 0.5 ? Math.floor(amountFen / 5) : 0;
        ledger.topUp({
          operationId: id('op'),
          cardId: card,
          amountFen,
          tender: pick(TENDERS),
          bonusFen,
          points: 0,
          staffId: pick([cashier, manager]),
          terminalId,
        });
      } else if (roll < 0.65) {
        const amountFen = 1 + Math.floor(rand() * 8_000);
        if (ledger.balance(card).principalFen + ledger.balance(card).bonusFen < amountFen) continue;
        spends.push(
          ledger.spend({ operationId: id('op'), cardId: card, amountFen, staffId: cashier, terminalId })
            .operationId,
        );
      } else if (roll < 0.75 && spends.length > 0) {
        const target = pick(spends);
        const original = ledger.operation(target);
        if (!original) continue;
        ledger.refund({
          operationId: id('op'),
          originalOperationId: target,
          amountFen: Math.max(1, Math.floor(original.amountFen / 3)),
          staffId: cashier,
          terminalId,
          approvedBy: manager,
        });
      } else if (roll < 0.85) {
        const held = ledger.balance(card).principalFen;
        if (held < 100) continue;
        ledger.withdraw({
          operationId: id('op'),
          cardId: card,
          amountFen: Math.floor(held / 10),
          tender: pick(['cash', 'bank_transfer'] as const),
          staffId: cashier,
          terminalId,
          approvedBy: manager,
        });
      } else {
        const last = ledger.operationsOf({ cardId: card, order: 'newest_first', limit: 1 })[0];
        if (!last || !['top_up', 'spend', 'refund', 'withdraw'].includes(last.kind) || last.voidedBy)
          continue;
        ledger.voidOperation({
          operationId: id('op'),
          targetOperationId: last.operationId,
          staffId: cashier,
          terminalId,
          approvedBy: manager,
        });
      }
    } catch (error) {
      // A generated request the ledger refuses (e.g. a refund beyond what is left) is skipped, as at a counter.
      const code = (error as { code?: string }).code;
      if (
        ![
          'REFUND_EXCEEDS_ORIGINAL',
          'OPERATION_NOT_REFUNDABLE',
          'VOID_NOT_LAST',
          'OPERATION_ALREADY_VOIDED',
          'BALANCE_INSUFFICIENT',
          'CARD_REPLACED',
          'AMOUNT_INVALID',
        ].includes(code ?? '')
      )
        throw error;
    }
  }
  // A member moves everything to a new card once in the run.
  if (dayIndex === 1) {
    const member = DEMO.members.magstripe.id;
    const fresh = ledger.issueCard({
      id: id('card'),
      memberId: member,
      cardNumber: `77${String(ids).padStart(14, '0')}`,
      medium: 'keyed',
      staffId: cashier,
      terminalId,
    });
    ledger.transferCard({
      operationId: id('op'),
      fromCardId: DEMO.cards.magstripe.id,
      toCardId: fresh.id,
      staffId: cashier,
      terminalId,
      approvedBy: manager,
    });
    cards[2] = fresh.id;
  }
  shifts.cashOut({
    operationId: id('op'),
    shiftId: shift.id,
    amountFen: 500,
    reason: 'supplies',
    staffId: cashier,
  });
  const counted = shifts.count({ shiftId: shift.id, count: { '10000': 3 }, staffId: cashier });
  shifts.signOff({
    shiftId: shift.id,
    managerId: manager,
    varianceReason: counted.varianceFen === 0 ? null : 'counted at close',
    dropOperationId: id('op'),
    overShortOperationId: id('op'),
  });
}

function movements(report: ZReport, part: 'principal' | 'bonus'): number {
  const r = report.liability[part];
  return (
    r.topUpsFen +
    r.bonusIssuedFen +
    r.chargesFen +
    r.refundsFen +
    r.withdrawalsFen +
    r.voidsFen +
    r.transfersFen +
    r.cardFeesFen +
    r.expiryFen +
    r.otherFen
  );
}

describe('the liability roll-forward over generated days', () => {
  for (const seed of [1, 7, 42]) {
    it(`balances to the fen every day and carries each closing into the next opening (seed ${seed})`, () => {
      const time = clock(DAY_ONE);
      const { ledger } = demoLedger(time);
      const days = openBusinessDays(ledger, { now: time.now });
      const rand = seededRandom(seed);
      // The seeded day closes first: its opening comes from the journal.
      const seeded = days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-02', managerId: manager });
      expect(seeded.liability.openingFrom).toEqual({ kind: 'journal' });
      expect(seeded.balanced).toBe(true);
      let previous = seeded;
      let day = '2026-03-03';
      const cards = [DEMO.cards.uid.id, DEMO.cards.mifare.id, DEMO.cards.magstripe.id];
      for (let index = 0; index < 4; index += 1) {
        generateDay(ledger, time, rand, DAY_ONE + index * 24 * HOUR, index, cards);
        const report = days.closeDay({ storeId: DEMO.storeId, businessDay: day, managerId: manager });
        for (const part of ['principal', 'bonus'] as const) {
          const r = report.liability[part];
          expect(r.openingFen).toBe(previous.liability[part].closingFen);
          expect(r.closingFen).toBe(r.openingFen + movements(report, part));
          expect(r.differenceFen).toBe(0);
        }
        expect(report.balanced).toBe(true);
        expect(report.liability.openingFrom).toEqual({
          kind: 'previous_close',
          businessDay: previous.businessDay,
        });
        // The card-to-card transfer moves liability between cards of the same store: zero net.
        expect(report.liability.principal.transfersFen).toBe(0);
        previous = report;
        day = nextDay(day);
      }
      const held = cardsHeld(ledger);
      expect(previous.liability.principal.closingFen).toBe(held.principal);
      expect(previous.liability.bonus.closingFen).toBe(held.bonus);
      expect(ledger.checkInvariants().ok).toBe(true);
    });
  }

  it('counts every kind of operation and every tender, for the store and per cashier', () => {
    const time = clock(DAY_ONE);
    const { ledger } = demoLedger(time);
    const days = openBusinessDays(ledger, { now: time.now });
    generateDay(ledger, time, seededRandom(5), DAY_ONE, 1);
    const report = days.zReport(DEMO.storeId, '2026-03-03');
    const ops = ledger.operationsOf({ businessDay: '2026-03-03' });
    const line = (name: string) => report.store.byKind.find((l) => l.line === name)!;
    for (const kind of ['top_up', 'spend', 'refund', 'withdraw', 'void', 'transfer'] as const) {
      const ofKind = ops.filter((o) => o.kind === kind);
      expect([kind, ofKind.length > 0]).toEqual([kind, true]);
      expect(line(kind).count).toBe(ofKind.length);
      expect(line(kind).amountFen).toBe(ofKind.reduce((sum, o) => sum + o.amountFen, 0));
      expect(line(kind).principalFen + line(kind).bonusFen).toBe(
        ofKind.reduce((sum, o) => sum + o.principalFen + o.bonusFen, 0),
      );
    }
    const topUps = ops.filter((o) => o.kind === 'top_up');
    expect(line('bonus_issued').amountFen).toBe(topUps.reduce((sum, o) => sum + o.bonusFen, 0));
    // Charges split into principal and bonus add up to what was charged.
    expect(line('spend').principalFen + line('spend').bonusFen).toBe(line('spend').amountFen);
    // Tender in: top-ups paid with it; tender out: withdrawals paid with it and voided top-ups.
    for (const tender of TENDERS) {
      const t = report.store.byTender.find((l) => l.tender === tender)!;
      const topUpIn = topUps.filter((o) => o.tender === tender).reduce((sum, o) => sum + o.amountFen, 0);
      const voidIn = ops
        .filter((o) => o.kind === 'void' && o.tender === tender)
        .map((o) => ledger.operation(o.targetOperationId!)!)
        .filter((o) => o.kind === 'withdraw')
        .reduce((sum, o) => sum + o.amountFen, 0);
      expect(t.inFen).toBe(topUpIn + voidIn);
    }
    // The cashiers' sections add up to the store's.
    for (const name of ['top_up', 'spend', 'refund', 'withdraw', 'void']) {
      const perCashier = report.byCashier.reduce(
        (sum, c) => sum + c.byKind.find((l) => l.line === name)!.amountFen,
        0,
      );
      expect(perCashier).toBe(line(name).amountFen);
    }
    expect(report.byCashier.map((c) => c.name).sort()).toEqual(
      [DEMO.staff.cashier.name, DEMO.staff.manager.name].sort(),
    );
    // The shift's drawer movements are listed apart from sales, with its variance.
    expect(report.store.drawer.find((d) => d.kind === 'float')?.netFen).toBe(50_000);
    expect(report.shifts).toHaveLength(1);
    expect(report.shifts[0]?.varianceFen).not.toBeNull();
  });
});

describe('a tampered ledger', () => {
  it('reports a balance row changed behind the journal as a difference, to the fen', () => {
    const time = clock(DAY_ONE);
    const { ledger } = demoLedger(time);
    const days = openBusinessDays(ledger, { now: time.now });
    generateDay(ledger, time, seededRandom(11), DAY_ONE, 0);
    expect(days.zReport(DEMO.storeId, '2026-03-03').balanced).toBe(true);
    ledger.sqlite
      .prepare(
        `UPDATE balances SET credits = credits + 137 WHERE account_id =
           (SELECT id FROM accounts WHERE card_id = ? AND kind = 'card_bonus')`,
      )
      .run(DEMO.cards.mifare.id);
    const report = days.zReport(DEMO.storeId, '2026-03-03');
    expect(report.balanced).toBe(false);
    expect(report.liability.bonus.differenceFen).toBe(-137);
    expect(report.liability.bonus.ledgerClosingFen - report.liability.bonus.closingFen).toBe(137);
    expect(report.liability.principal.differenceFen).toBe(0);
  });
});

describe('closing a day', () => {
  it('locks the day: later drawer movements and the business-day rule go to the next day', () => {
    const time = clock(DAY_ONE);
    const { ledger } = demoLedger(time);
    const days = openBusinessDays(ledger, { now: time.now });
    const shifts = openShifts(ledger, { now: time.now });
    expect(days.businessDayFor(DEMO.storeId, DAY_ONE)).toBe('2026-03-03');
    days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-02', managerId: manager });
    days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-03', managerId: manager });
    expect(days.isDayClosed(DEMO.storeId, '2026-03-03')).toBe(true);
    // Still 2026-03-03 on the calendar, but the day is closed: the next open day takes it.
    expect(days.businessDayFor(DEMO.storeId, DAY_ONE + HOUR)).toBe('2026-03-04');
    // The day after, the calendar rule applies again; and a store's day-close hour still counts.
    expect(days.businessDayFor(DEMO.storeId, DAY_ONE + 24 * HOUR)).toBe('2026-03-04');
    expect(days.businessDayFor(DEMO.storeId, DAY_ONE + 2 * 24 * HOUR)).toBe('2026-03-05');
    const shift = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: { '10000': 1 },
    });
    const floatOp = shifts.cashMovements(shift.id)[0]!;
    expect(ledger.operation(floatOp.operationId)?.businessDay).toBe('2026-03-04');
  });

  it('keeps the closed report for reprints, unchanged by anything recorded later', () => {
    const time = clock(DAY_ONE);
    const { ledger } = demoLedger(time);
    const days = openBusinessDays(ledger, { now: time.now });
    const closed = days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-02', managerId: manager });
    expect(closed.closedBy).toBe(manager);
    ledger.topUp({
      operationId: id('op'),
      cardId: DEMO.cards.uid.id,
      amountFen: 9_900,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    expect(days.storedZReport(DEMO.storeId, '2026-03-02')).toEqual(closed);
    expect(days.closedDays(DEMO.storeId).map((d) => d.businessDay)).toEqual(['2026-03-02']);
  });

  it('is refused twice, for an earlier day, for a day not begun, while a shift is open, and to a cashier', () => {
    const time = clock(DAY_ONE);
    const { ledger } = demoLedger(time);
    const days = openBusinessDays(ledger, { now: time.now });
    const shifts = openShifts(ledger, { now: time.now });
    const close = (businessDay: string, managerId: string = manager) =>
      days.closeDay({ storeId: DEMO.storeId, businessDay, managerId });
    expect(codeOf(() => close('2026-03-02', cashier))).toBe('APPROVER_NOT_MANAGER');
    expect(codeOf(() => close('2026-03-04'))).toBe('DAY_IN_FUTURE');
    expect(codeOf(() => close('2026-3-4'))).toBe('INPUT_INVALID');
    const shift = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: { '10000': 1 },
    });
    expect(codeOf(() => close('2026-03-03'))).toBe('DAY_HAS_OPEN_SHIFTS');
    shifts.count({ shiftId: shift.id, count: { '10000': 1 }, staffId: cashier });
    shifts.signOff({
      shiftId: shift.id,
      managerId: manager,
      dropOperationId: id('op'),
      overShortOperationId: id('op'),
    });
    close('2026-03-03');
    expect(codeOf(() => close('2026-03-03'))).toBe('DAY_ALREADY_CLOSED');
    expect(codeOf(() => close('2026-03-02'))).toBe('DAY_ALREADY_CLOSED');
    expect(codeOf(() => days.storedZReport(DEMO.storeId, '2026-03-01'))).toBe('DAY_NOT_CLOSED');
  });
});
