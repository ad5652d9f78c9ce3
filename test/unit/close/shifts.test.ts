import { afterAll, describe, expect, it } from 'vitest';
import { countTotal, normalizeCount, openShifts } from '../../../db/shifts/index';
import { cashier, closeAll, codeOf, DEMO, demoLedger, manager, terminalId } from '../db/support';

afterAll(closeAll);

const card = DEMO.cards.uid.id;
let ids = 0;
const id = (prefix: string) => `${prefix}-${String(++ids).padStart(4, '0')}`;

function setup() {
  const { ledger, time } = demoLedger();
  const shifts = openShifts(ledger, { now: time.now });
  return { ledger, time, shifts };
}

/** A float of 2 × 100 yuan + 5 × 10 yuan + 10 × 1 yuan = 260.00 yuan. */
const FLOAT = { '10000': 2, '1000': 5, '100': 10 };

describe('counting cash by denomination', () => {
  it('adds notes and coins by face value in fen', () => {
    expect(countTotal(FLOAT)).toBe(26_000);
    expect(countTotal({ '50': 3, '10': 4, '1': 2 })).toBe(192);
    expect(countTotal({})).toBe(0);
  });

  it('refuses a face value that does not exist and piece counts that are not whole', () => {
    expect(codeOf(() => countTotal({ '300': 1 }))).toBe('COUNT_INVALID');
    expect(codeOf(() => countTotal({ '100': -1 }))).toBe('COUNT_INVALID');
    expect(codeOf(() => countTotal({ '100': 1.5 }))).toBe('COUNT_INVALID');
  });

  it('stores every face value, absent ones as zero', () => {
    const stored = normalizeCount({ '100': 1 });
    expect(stored['100']).toBe(1);
    expect(stored['10000']).toBe(0);
    expect(
      Object.keys(stored)
        .map(Number)
        .sort((a, b) => b - a),
    ).toEqual([10000, 5000, 2000, 1000, 500, 100, 50, 20, 10, 5, 2, 1]);
  });
});

describe('a shift', () => {
  it('expects the float plus cash top-ups, cash in and out, cash withdrawals and voided cash top-ups', () => {
    const { ledger, shifts } = setup();
    const shift = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: FLOAT,
    });
    expect(shift.state).toBe('open');
    expect(shift.floatFen).toBe(26_000);

    ledger.topUp({
      operationId: id('op'),
      cardId: card,
      amountFen: 10_000,
      tender: 'cash',
      bonusFen: 1_000,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    ledger.topUp({
      operationId: id('op'),
      cardId: card,
      amountFen: 30_000,
      tender: 'wechat',
      bonusFen: 0,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    ledger.spend({ operationId: id('op'), cardId: card, amountFen: 2_500, staffId: cashier, terminalId });
    ledger.withdraw({
      operationId: id('op'),
      cardId: card,
      amountFen: 4_000,
      tender: 'cash',
      staffId: cashier,
      terminalId,
      approvedBy: manager,
    });
    const last = ledger.topUp({
      operationId: id('op'),
      cardId: card,
      amountFen: 5_000,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    ledger.voidOperation({
      operationId: id('op'),
      targetOperationId: last.operationId,
      staffId: cashier,
      terminalId,
      approvedBy: manager,
    });
    shifts.cashIn({
      operationId: id('op'),
      shiftId: shift.id,
      amountFen: 2_000,
      reason: 'change from the bank',
      staffId: cashier,
    });
    shifts.cashOut({
      operationId: id('op'),
      shiftId: shift.id,
      amountFen: 1_500,
      reason: 'milk delivery',
      staffId: cashier,
    });

    // Blind: nothing expected is shown before the count.
    expect(shifts.shift(shift.id)?.expectedFen).toBeNull();

    const counted = shifts.count({
      shiftId: shift.id,
      count: { '10000': 3, '1000': 1, '100': 4 },
      staffId: cashier,
    });
    expect(counted.expected).toEqual({
      floatFen: 26_000,
      topUpsFen: 15_000,
      withdrawalsFen: -4_000,
      voidsFen: -5_000,
      cashInFen: 2_000,
      cashOutFen: -1_500,
      otherFen: 0,
      expectedFen: 32_500,
    });
    expect(counted.countedFen).toBe(31_400);
    expect(counted.varianceFen).toBe(-1_100);
    expect(counted.state).toBe('counted');
  });

  it('keeps the ledger balanced: every drawer movement is a transfer the invariant check accepts', () => {
    const { ledger, shifts } = setup();
    const shift = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: FLOAT,
    });
    shifts.cashIn({
      operationId: id('op'),
      shiftId: shift.id,
      amountFen: 700,
      reason: 'coins',
      staffId: cashier,
    });
    shifts.count({ shiftId: shift.id, count: { '10000': 2, '1000': 6 }, staffId: cashier });
    shifts.signOff({
      shiftId: shift.id,
      managerId: manager,
      varianceReason: 'coins miscounted',
      dropOperationId: id('op'),
      overShortOperationId: id('op'),
    });
    expect(ledger.checkInvariants()).toEqual({ ok: true, problems: [] });
  });

  it('needs a reason for a variance and a manager to sign it off', () => {
    const { shifts } = setup();
    const shift = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: FLOAT,
    });
    shifts.count({ shiftId: shift.id, count: { '10000': 2, '1000': 5 }, staffId: cashier });
    const signOff = (managerId: string, varianceReason?: string) =>
      shifts.signOff({
        shiftId: shift.id,
        managerId,
        varianceReason,
        dropOperationId: id('op'),
        overShortOperationId: id('op'),
      });
    expect(codeOf(() => signOff(cashier, 'short'))).toBe('APPROVER_NOT_MANAGER');
    expect(codeOf(() => signOff(manager))).toBe('VARIANCE_REASON_REQUIRED');
    const closed = signOff(manager, 'ten yuan given as change twice');
    expect(closed.state).toBe('closed');
    expect(closed.varianceFen).toBe(-1_000);
    expect(closed.varianceReason).toBe('ten yuan given as change twice');
    expect(closed.signedOffBy).toBe(manager);
  });

  it('signs off an exact count without a reason', () => {
    const { shifts } = setup();
    const shift = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: FLOAT,
    });
    shifts.count({ shiftId: shift.id, count: FLOAT, staffId: cashier });
    const closed = shifts.signOff({
      shiftId: shift.id,
      managerId: manager,
      dropOperationId: id('op'),
      overShortOperationId: id('op'),
    });
    expect(closed.varianceFen).toBe(0);
    expect(shifts.cashMovements(shift.id).map((m) => m.kind)).toEqual(['float', 'cash_drop']);
  });

  it('allows one unclosed shift per terminal and no cash movement after the count', () => {
    const { shifts } = setup();
    const shift = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: FLOAT,
    });
    expect(
      codeOf(() =>
        shifts.open({
          shiftId: id('shift'),
          operationId: id('op'),
          terminalId,
          cashierId: cashier,
          floatCount: FLOAT,
        }),
      ),
    ).toBe('SHIFT_ALREADY_OPEN');
    shifts.count({ shiftId: shift.id, count: FLOAT, staffId: cashier });
    expect(
      codeOf(() =>
        shifts.cashIn({
          operationId: id('op'),
          shiftId: shift.id,
          amountFen: 100,
          reason: 'late',
          staffId: cashier,
        }),
      ),
    ).toBe('SHIFT_NOT_OPEN');
    expect(codeOf(() => shifts.count({ shiftId: shift.id, count: FLOAT, staffId: cashier }))).toBe(
      'SHIFT_NOT_OPEN',
    );
  });

  it('refuses cash in or out without a reason or with an amount that is not whole fen', () => {
    const { shifts } = setup();
    const shift = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: FLOAT,
    });
    expect(
      codeOf(() =>
        shifts.cashIn({
          operationId: id('op'),
          shiftId: shift.id,
          amountFen: 100,
          reason: ' ',
          staffId: cashier,
        }),
      ),
    ).toBe('INPUT_INVALID');
    expect(
      codeOf(() =>
        shifts.cashOut({
          operationId: id('op'),
          shiftId: shift.id,
          amountFen: 1.5,
          reason: 'x',
          staffId: cashier,
        }),
      ),
    ).toBe('AMOUNT_INVALID');
    expect(
      codeOf(() =>
        shifts.cashOut({
          operationId: id('op'),
          shiftId: shift.id,
          amountFen: 0,
          reason: 'x',
          staffId: cashier,
        }),
      ),
    ).toBe('AMOUNT_INVALID');
  });

  it('replays a cash movement with the same id once, and refuses the id for different content', () => {
    const { ledger, shifts } = setup();
    const shift = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: FLOAT,
    });
    const operationId = id('op');
    const first = shifts.cashIn({
      operationId,
      shiftId: shift.id,
      amountFen: 500,
      reason: 'coins',
      staffId: cashier,
    });
    expect(
      shifts.cashIn({ operationId, shiftId: shift.id, amountFen: 500, reason: 'coins', staffId: cashier }),
    ).toEqual(first);
    expect(
      codeOf(() =>
        shifts.cashIn({ operationId, shiftId: shift.id, amountFen: 600, reason: 'coins', staffId: cashier }),
      ),
    ).toBe('IDEMPOTENCY_CONFLICT');
    expect(shifts.cashMovements(shift.id).filter((m) => m.kind === 'cash_in')).toHaveLength(1);
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('hands the drawer over: the next cashier counts what was left, and a different count is refused', () => {
    const { ledger, shifts } = setup();
    const first = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: FLOAT,
    });
    ledger.topUp({
      operationId: id('op'),
      cardId: card,
      amountFen: 10_000,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    shifts.count({ shiftId: first.id, count: { '10000': 3, '1000': 5, '100': 10 }, staffId: cashier });
    shifts.signOff({
      shiftId: first.id,
      managerId: manager,
      handOverFen: 20_000,
      dropOperationId: id('op'),
      overShortOperationId: id('op'),
    });
    expect(
      codeOf(() =>
        shifts.handover({
          shiftId: id('shift'),
          fromShiftId: first.id,
          cashierId: manager,
          floatCount: { '10000': 1 },
        }),
      ),
    ).toBe('FLOAT_MISMATCH');
    const next = shifts.handover({
      shiftId: id('shift'),
      fromShiftId: first.id,
      cashierId: manager,
      floatCount: { '10000': 2 },
    });
    expect(next.previousShiftId).toBe(first.id);
    expect(next.floatFen).toBe(20_000);
    ledger.topUp({
      operationId: id('op'),
      cardId: card,
      amountFen: 3_000,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
      staffId: manager,
      terminalId,
    });
    const counted = shifts.count({ shiftId: next.id, count: { '10000': 2, '1000': 3 }, staffId: manager });
    expect(counted.expectedFen).toBe(23_000);
    expect(counted.varianceFen).toBe(0);
    // The drawer account holds exactly what is in the drawer: 200 handed over + 30 taken since.
    const drawer = ledger.sqlite
      .prepare(
        'SELECT b.debits - b.credits AS held FROM balances b JOIN accounts a ON a.id = b.account_id WHERE a.code = ?',
      )
      .get(`store:${DEMO.storeId}:cash_drawer`) as { held: number };
    const seeded = 50_000 + 100_000 + 20_000;
    expect(drawer.held - seeded).toBe(23_000);
    expect(
      codeOf(() =>
        shifts.handover({
          shiftId: id('shift'),
          fromShiftId: first.id,
          cashierId: cashier,
          floatCount: { '10000': 2 },
        }),
      ),
    ).toBe('SHIFT_ALREADY_OPEN');
  });

  it('refuses to hand over more than was counted', () => {
    const { shifts } = setup();
    const shift = shifts.open({
      shiftId: id('shift'),
      operationId: id('op'),
      terminalId,
      cashierId: cashier,
      floatCount: FLOAT,
    });
    shifts.count({ shiftId: shift.id, count: FLOAT, staffId: cashier });
    expect(
      codeOf(() =>
        shifts.signOff({
          shiftId: shift.id,
          managerId: manager,
          handOverFen: 26_001,
          dropOperationId: id('op'),
          overShortOperationId: id('op'),
        }),
      ),
    ).toBe('HANDOVER_EXCEEDS_COUNT');
  });
});
