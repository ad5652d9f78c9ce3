/**
 * Shifts and the day close through the host's API: the cashier's own shift, the blind count, the manager's
 * PIN on the sign-off, the refusals of shifts and the day close crossing as { code, message, details }, an
 * operation after the close landing on the next day, and the exports' files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, nextDay } from '../../../db';
import type { EventPayload } from '../../../electron/contract';
import { createHost, type Host } from '../../../electron/host/compose';
import { apiCalls } from '../../support/api-calls';

let dataDir: string;
let host: Host;
const OTHER_CASHIER = { id: 'staff-cashier-2', code: '1002', pin: '246810' };
const manager = { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin };

const { login, ok, refusal } = apiCalls(() => host);

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-close-api-'));
  host = createHost({ book: 'demo', dataDir });
  host.ledger.createStaff({
    id: OTHER_CASHIER.id,
    storeId: DEMO.storeId,
    code: OTHER_CASHIER.code,
    name: '王芳',
    role: 'cashier',
    pin: OTHER_CASHIER.pin,
  });
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Status {
  shift: {
    id: string;
    state: string;
    floatFen: number;
    expectedFen: number | null;
    varianceFen: number | null;
  } | null;
  expected: { expectedFen: number; topUpsFen: number; cashInFen: number } | null;
  movements: Array<{ kind: string; amountFen: number; reason: string }>;
}

describe('a shift through the API', () => {
  it('keeps the count blind, refuses another cashier and a cashier PIN, and needs a reason for a variance', async () => {
    const cashier = await login(DEMO.staff.cashier.code, DEMO.staff.cashier.pin);
    const other = await login(OTHER_CASHIER.code, OTHER_CASHIER.pin);
    const opened = await ok<Status>(cashier, 'shift.open', {
      shiftId: ulid(),
      operationId: ulid(),
      floatCount: { '10000': 1, '1000': 5 },
    });
    expect(opened.shift?.state).toBe('open');

    await ok(cashier, 'shift.cashMove', {
      operationId: ulid(),
      direction: 'in',
      amountFen: 2_000,
      reason: '补零钱',
    });
    await ok(cashier, 'wallet.topUp', {
      operationId: ulid(),
      cardId: DEMO.cards.uid.id,
      amountFen: 5_000,
      tender: 'cash',
    });
    const before = await ok<Status>(cashier, 'shift.current', {});
    // Blind: nothing on the screen says what the drawer should hold.
    expect(before.shift?.expectedFen).toBeNull();
    expect(before.expected).toBeNull();
    expect(before.movements.map((m) => m.kind)).toEqual(['float', 'cash_in']);

    expect(
      await refusal(other, 'shift.cashMove', {
        operationId: ulid(),
        direction: 'out',
        amountFen: 100,
        reason: 'x',
      }),
    ).toMatchObject({
      code: 'SHIFT_NOT_YOURS',
    });
    expect(
      await refusal(other, 'shift.open', { shiftId: ulid(), operationId: ulid(), floatCount: { '100': 1 } }),
    ).toMatchObject({
      code: 'SHIFT_ALREADY_OPEN',
      details: { shiftId: opened.shift?.id },
    });

    // Expected: 150.00 float + 20.00 in + 50.00 top-up = 220.00; counted 219.00.
    const counted = await ok<Status>(cashier, 'shift.count', {
      count: { '10000': 2, '1000': 1, '500': 1, '100': 4 },
    });
    expect(counted.expected).toMatchObject({ expectedFen: 22_000, topUpsFen: 5_000, cashInFen: 2_000 });
    expect(counted.shift).toMatchObject({ state: 'counted', expectedFen: 22_000, varianceFen: -100 });

    const signOff = (approver: { staffNo: string; pin: string }, varianceReason?: string) => ({
      dropOperationId: ulid(),
      overShortOperationId: ulid(),
      approver,
      ...(varianceReason === undefined ? {} : { varianceReason }),
    });
    expect(
      await refusal(
        cashier,
        'shift.signOff',
        signOff({ staffNo: DEMO.staff.cashier.code, pin: DEMO.staff.cashier.pin }, '找错钱'),
      ),
    ).toMatchObject({ code: 'APPROVER_NOT_MANAGER' });
    expect(await refusal(cashier, 'shift.signOff', signOff(manager))).toMatchObject({
      code: 'VARIANCE_REASON_REQUIRED',
      message: expect.any(String),
      details: { varianceFen: -100 },
    });
    const closed = await ok<Status>(cashier, 'shift.signOff', signOff(manager, '找错钱'));
    expect(closed.shift?.state).toBe('closed');
    // The short is recorded and the rest of the drawer goes to the safe, in the same moment.
    expect(closed.movements.map((m) => m.kind).sort()).toEqual([
      'cash_drop',
      'cash_in',
      'cash_over_short',
      'float',
    ]);
    expect(closed.movements.find((m) => m.kind === 'cash_over_short')?.amountFen).toBe(-100);
  });
});

describe('a handover through the API', () => {
  it('leaves cash for the next cashier, who must count the same amount to take the drawer over', async () => {
    const cashier = await login(DEMO.staff.cashier.code, DEMO.staff.cashier.pin);
    const other = await login(OTHER_CASHIER.code, OTHER_CASHIER.pin);
    const opened = await ok<Status>(cashier, 'shift.open', {
      shiftId: ulid(),
      operationId: ulid(),
      floatCount: { '10000': 3 },
    });
    await ok(cashier, 'shift.count', { count: { '10000': 3 } });
    const signed = await ok<Status & { handover: { shiftId: string; handedOverFen: number } | null }>(
      cashier,
      'shift.signOff',
      { dropOperationId: ulid(), overShortOperationId: ulid(), handOverFen: 20_000, approver: manager },
    );
    expect(signed.handover).toMatchObject({ shiftId: opened.shift?.id, handedOverFen: 20_000 });
    // The drawer left ¥200.00 behind; a count of ¥100.00 is refused and leaves it waiting.
    const waiting = await ok<Status & { handover: { shiftId: string } | null }>(other, 'shift.current', {});
    expect(waiting.shift).toBeNull();
    expect(waiting.handover?.shiftId).toBe(opened.shift?.id);
    expect(
      await refusal(other, 'shift.handover', {
        shiftId: ulid(),
        fromShiftId: opened.shift?.id,
        floatCount: { '10000': 1 },
      }),
    ).toMatchObject({ code: 'FLOAT_MISMATCH', details: { countedFen: 10_000, handedOverFen: 20_000 } });
    const taken = await ok<Status & { handover: unknown }>(other, 'shift.handover', {
      shiftId: ulid(),
      fromShiftId: opened.shift?.id,
      floatCount: { '10000': 2 },
    });
    expect(taken.shift).toMatchObject({ state: 'open', floatFen: 20_000 });
    expect(taken.handover).toBeNull();
    // Close it again so the day can close below.
    await ok(other, 'shift.count', { count: { '10000': 2 } });
    await ok(other, 'shift.signOff', {
      dropOperationId: ulid(),
      overShortOperationId: ulid(),
      approver: manager,
    });
  });
});

describe('the day close through the API', () => {
  it('closes the day, sends later sales to the next day, reprints the stored report and exports both formats', async () => {
    const boss = await login(manager.staffNo, manager.pin);
    const cashier = await login(DEMO.staff.cashier.code, DEMO.staff.cashier.pin);
    const status = await ok<{ openDay: string; unclosedShifts: unknown[] }>(boss, 'day.status', {});
    expect(status.unclosedShifts).toEqual([]);
    const closed = await ok<{ closed: boolean; report: { businessDay: string; balanced: boolean } }>(
      boss,
      'day.close',
      { businessDay: status.openDay },
    );
    expect(closed).toMatchObject({ closed: true, report: { businessDay: status.openDay, balanced: true } });
    expect(await refusal(boss, 'day.close', { businessDay: status.openDay })).toMatchObject({
      code: 'DAY_ALREADY_CLOSED',
    });
    expect(await refusal(cashier, 'day.close', { businessDay: status.openDay })).toMatchObject({
      code: 'COMMAND_FORBIDDEN',
    });

    const late = await ok<{ operationId: string }>(cashier, 'wallet.topUp', {
      operationId: ulid(),
      cardId: DEMO.cards.uid.id,
      amountFen: 1_000,
      tender: 'alipay',
      reference: 'ALI-LATE',
    });
    expect(host.ledger.operation(late.operationId)?.businessDay ?? '').toBe(nextDay(status.openDay));
    const again = await ok<{ closed: boolean; report: unknown }>(boss, 'day.report', {
      businessDay: status.openDay,
    });
    expect(again).toEqual({ ...closed, staffNames: expect.any(Object) });

    const printed = await ok<{ text: string }>(boss, 'day.printReport', {
      printId: ulid(),
      businessDay: status.openDay,
    });
    expect(printed.text).toContain(status.openDay);
    // The printout carries the per-cashier figures and both roll-forwards, balanced.
    for (const heading of ['按业务类型', '按收银员', '本金滚存', '赠送金滚存'])
      expect(printed.text).toContain(heading);
    expect(printed.text).not.toContain('不平');

    const progress: Array<EventPayload<'export.progress'>> = [];
    const off = host.hub.subscribe((event, payload) => {
      if (event === 'export.progress') progress.push(payload as EventPayload<'export.progress'>);
    });
    const csv = await ok<{ fileName: string; base64: string }>(boss, 'day.export', {
      exportId: ulid(),
      businessDay: status.openDay,
      content: 'operations',
      format: 'csv',
    });
    const xlsx = await ok<{ fileName: string; base64: string; mimeType: string }>(boss, 'day.export', {
      exportId: ulid(),
      businessDay: status.openDay,
      content: 'z_report',
      format: 'xlsx',
    });
    off();
    const csvText = Buffer.from(csv.base64, 'base64').toString('utf8');
    expect(csv.fileName).toMatch(/\.csv$/);
    expect(csvText.startsWith('\ufeffoperation_id')).toBe(true);
    expect(csvText.split('\n').filter((line) => line.includes('top_up')).length).toBeGreaterThan(0);
    // An XLSX is a zip.
    expect(Buffer.from(xlsx.base64, 'base64').subarray(0, 2).toString('latin1')).toBe('PK');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.rows).toBe(progress.at(-1)?.total);
  });
});
