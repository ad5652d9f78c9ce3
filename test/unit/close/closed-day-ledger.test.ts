import { afterAll, describe, expect, it } from 'vitest';
import { openBusinessDays } from '../../../db/reports/index';
import { openShifts } from '../../../db/shifts/index';
import { cashier, clock, closeAll, codeOf, DEMO, demoLedger, manager, terminalId } from '../db/support';

afterAll(closeAll);

/** 2026-03-03 09:00 in Shanghai. */
const DAY_ONE = Date.UTC(2026, 2, 3, 1, 0, 0);
const HOUR = 3_600_000;

let ids = 0;
const id = (prefix: string) => `${prefix}-${String(++ids).padStart(6, '0')}`;

describe('the ledger after a day is closed', () => {
  it('dates every card operation rung after the close on the next open day, so the closed Z report never changes', () => {
    const time = clock(DAY_ONE);
    const { ledger } = demoLedger(time);
    const days = openBusinessDays(ledger, { now: time.now });
    const topUp = (amountFen: number) =>
      ledger.topUp({
        operationId: id('op'),
        cardId: DEMO.cards.uid.id,
        amountFen,
        tender: 'cash',
        bonusFen: 0,
        points: 0,
        staffId: cashier,
        terminalId,
      });
    expect(topUp(10_000).businessDay).toBe('2026-03-03');
    days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-02', managerId: manager });
    const closed = days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-03', managerId: manager });

    time.advance(HOUR);
    const late = topUp(2_500);
    const charge = ledger.spend({
      operationId: id('op'),
      cardId: DEMO.cards.uid.id,
      amountFen: 1_000,
      staffId: cashier,
      terminalId,
    });
    expect(late.businessDay).toBe('2026-03-04');
    expect(charge.businessDay).toBe('2026-03-04');
    expect(ledger.operation(late.operationId)?.businessDay).toBe('2026-03-04');

    // The live report of the closed day, recomputed from the ledger, still says what the stored one says.
    const live = days.zReport(DEMO.storeId, '2026-03-03');
    expect(live.store).toEqual(closed.store);
    expect(live.byCashier).toEqual(closed.byCashier);
    expect(days.storedZReport(DEMO.storeId, '2026-03-03')).toEqual(closed);
    const next = days.zReport(DEMO.storeId, '2026-03-04');
    expect(next.store.byTender.find((line) => line.tender === 'cash')?.inFen).toBe(2_500);
  });
});

describe('drawer movements on the audit log', () => {
  it('writes an accepted line for the float and each cash in and out, a rejected line for a refusal, and no outbox row', () => {
    const time = clock(DAY_ONE);
    const { ledger } = demoLedger(time);
    const shifts = openShifts(ledger, { now: time.now });
    const outboxBefore = ledger.outbox.stats().waiting;
    const auditRows = () =>
      ledger.sqlite
        .prepare<[], { action: string; outcome: string; code: string | null; operation_id: string | null }>(
          "SELECT action, outcome, code, operation_id FROM audit WHERE action LIKE 'operation.cash%' OR action = 'operation.float' ORDER BY id",
        )
        .all();
    const shift = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: { '10000': 2 },
    });
    const cashIn = shifts.cashIn({
      operationId: id('op'),
      shiftId: shift.id,
      amountFen: 5_000,
      reason: '找零补充',
      staffId: cashier,
    });
    const cashOut = shifts.cashOut({
      operationId: id('op'),
      shiftId: shift.id,
      amountFen: 1_200,
      reason: '购买牛奶',
      staffId: cashier,
    });
    // A replay of the same cash-in adds nothing, not even an audit line.
    shifts.cashIn({
      operationId: cashIn.operationId,
      shiftId: shift.id,
      amountFen: 5_000,
      reason: '找零补充',
      staffId: cashier,
    });
    shifts.count({ shiftId: shift.id, count: { '10000': 2, '5000': 1 }, staffId: cashier });
    const refusedId = id('op');
    expect(
      codeOf(() =>
        shifts.cashOut({
          operationId: refusedId,
          shiftId: shift.id,
          amountFen: 100,
          reason: 'too late',
          staffId: cashier,
        }),
      ),
    ).toBe('SHIFT_NOT_OPEN');

    expect(auditRows()).toEqual([
      { action: 'operation.float', outcome: 'ok', code: null, operation_id: expect.any(String) },
      { action: 'operation.cash_in', outcome: 'ok', code: null, operation_id: cashIn.operationId },
      { action: 'operation.cash_out', outcome: 'ok', code: null, operation_id: cashOut.operationId },
      { action: 'operation.cash_out', outcome: 'rejected', code: 'SHIFT_NOT_OPEN', operation_id: refusedId },
    ]);
    expect(ledger.verifyAuditChain().ok).toBe(true);
    expect(ledger.outbox.stats().waiting).toBe(outboxBefore);
    expect(ledger.checkInvariants().ok).toBe(true);
  });
});
