import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Ledger, openLedger } from '../../../db/index';
import { openBusinessDays } from '../../../db/reports/index';
import { openShifts } from '../../../db/shifts/index';
import { cashier, closeAll, DEMO, demoLedger, manager, terminalId } from '../../unit/db/support';

const dir = mkdtempSync(join(tmpdir(), 'close-two-'));
const opened: Ledger[] = [];

afterAll(() => {
  for (const ledger of opened) ledger.close();
  closeAll();
  rmSync(dir, { recursive: true, force: true });
});

/** 2026-03-03 09:00 in Shanghai. */
const MORNING = Date.UTC(2026, 2, 3, 1, 0, 0);

describe('a day closed from another connection to the same ledger file', () => {
  it('is respected by the till: its next drawer movement goes to the next day, and both read the same Z report', () => {
    const { ledger: template } = demoLedger();
    template.checkpoint();
    const path = join(dir, 'ledger.sqlite');
    copyFileSync(template.sqlite.name, path);
    let now = MORNING;
    const clock = () => now++;
    const till = openLedger({ path, now: clock, checkpointIntervalMs: 0 });
    const office = openLedger({ path, now: clock, checkpointIntervalMs: 0 });
    opened.push(till, office);

    const shifts = openShifts(till, { now: clock });
    const shift = shifts.open({
      shiftId: 'two-shift-1',
      operationId: 'two-op-1',
      terminalId,
      cashierId: cashier,
      floatCount: { '10000': 2 },
    });
    till.topUp({
      operationId: 'two-op-2',
      cardId: DEMO.cards.uid.id,
      amountFen: 5_000,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    shifts.count({ shiftId: shift.id, count: { '10000': 2, '1000': 5 }, staffId: cashier });
    shifts.signOff({
      shiftId: shift.id,
      managerId: manager,
      handOverFen: 25_000,
      dropOperationId: 'two-op-3',
      overShortOperationId: 'two-op-4',
    });

    const officeDays = openBusinessDays(office, { now: clock });
    officeDays.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-02', managerId: manager });
    const closed = officeDays.closeDay({
      storeId: DEMO.storeId,
      businessDay: '2026-03-03',
      managerId: manager,
    });
    expect(closed.balanced).toBe(true);
    expect(closed.store.byTender.find((t) => t.tender === 'cash')?.inFen).toBe(5_000);

    // Still the morning of the 3rd on the calendar; the till's next shift records into the 4th.
    const next = shifts.handover({
      shiftId: 'two-shift-2',
      fromShiftId: shift.id,
      cashierId: manager,
      floatCount: { '10000': 2, '1000': 5 },
    });
    shifts.cashIn({
      operationId: 'two-op-5',
      shiftId: next.id,
      amountFen: 1_000,
      reason: 'coins from the bank',
      staffId: manager,
    });
    expect(till.operation('two-op-5')?.businessDay).toBe('2026-03-04');
    expect(openBusinessDays(till, { now: clock }).storedZReport(DEMO.storeId, '2026-03-03')).toEqual(closed);
    expect(till.checkInvariants().ok).toBe(true);
  });
});
