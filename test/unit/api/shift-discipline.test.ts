/**
 * The drawer's discipline through the host's API: cash moves only inside an open shift (a cash top-up, cash
 * at a card's issue, a cash refund by void), non-cash tenders and replays are never held up; nobody approves
 * their own shift count or void unless the store lets a lone manager, and then the shift slip and the Z report
 * say so; and the Z report lists the cash no shift counted, so the day reconciles: the cash tender's net is
 * the shifts' cash plus the cash outside them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import type { ZReportView } from '../../../electron/contract';
import { createHost, type Host } from '../../../electron/host/compose';
import type { Session } from '../../../electron/host/session';
import { apiCalls } from '../../support/api-calls';

let dataDir: string;
let host: Host;
const manager = { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin };

const calls = apiCalls(() => host);
const { ok, refusal } = calls;
const login = (staff: { code: string; pin: string }) => calls.login(staff.code, staff.pin);

/** Asks for a void of `targetOperationId` on the demo card, approved by the manager's PIN. */
const voidOf = (session: Session, targetOperationId: string) =>
  refusal(session, 'wallet.void', {
    operationId: ulid(),
    cardId: DEMO.cards.uid.id,
    targetOperationId,
    approver: manager,
  });

const cashTopUp = (amountFen: number, operationId = ulid()) => ({
  operationId,
  cardId: DEMO.cards.uid.id,
  amountFen,
  tender: 'cash',
});

/** Has `approver` sign off the terminal's counted shift; the drawer was counted empty, so a reason is given. */
function signOff(session: Session, approver: { staffNo: string; pin: string }) {
  return host.api.call(session, 'shift.signOff', {
    dropOperationId: ulid(),
    overShortOperationId: ulid(),
    varianceReason: '测试：钱箱清空后清点',
    approver,
  });
}

async function countEmpty(session: Session): Promise<void> {
  await ok(session, 'shift.count', { count: { '1': 0 } });
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-shift-discipline-'));
  host = createHost({ book: 'demo', dataDir });
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('cash moves only inside a shift', () => {
  it('refuses a cash top-up and cash at a card issue with SHIFT_NOT_OPEN and records nothing; other tenders go on', async () => {
    const cashier = await login(DEMO.staff.cashier);
    const before = host.ledger.operationsOf({ limit: 100_000 }).length;
    const topUp = cashTopUp(5_000);
    expect(await refusal(cashier, 'wallet.topUp', topUp)).toMatchObject({ code: 'SHIFT_NOT_OPEN' });
    expect(
      await refusal(cashier, 'cards.activate', {
        operationId: ulid(),
        member: {
          register: { name: '林雪', phone: '15900001111', consent: { purpose: '会员服务', version: 'v1' } },
        },
        identityChecked: false,
        card: { cardNumber: '55000000000000001', medium: 'keyed' },
        openingTopUp: { amountFen: 50_000, tender: 'cash' },
      }),
    ).toMatchObject({ code: 'SHIFT_NOT_OPEN' });
    expect(host.ledger.operationsOf({ limit: 100_000 }).length).toBe(before);
    expect(host.ledger.findCardByNumber('55000000000000001')).toBeUndefined();

    await ok(cashier, 'wallet.topUp', { ...cashTopUp(3_000), tender: 'wechat', reference: 'WX-0001' });
    expect(host.ledger.operationsOf({ limit: 100_000 }).length).toBe(before + 1);
  });

  it('takes the same top-up once a shift is open, and its replay after the shift closed returns the first result', async () => {
    const cashier = await login(DEMO.staff.cashier);
    const topUp = cashTopUp(5_000);
    await ok(cashier, 'shift.open', { shiftId: ulid(), operationId: ulid(), floatCount: { '10000': 1 } });
    const first = await ok<{ operationId: string }>(cashier, 'wallet.topUp', topUp);
    await countEmpty(cashier);
    const signed = await signOff(cashier, manager);
    expect(signed.ok, JSON.stringify(signed)).toBe(true);
    const replay = await ok<{ operationId: string; replayed: boolean }>(cashier, 'wallet.topUp', topUp);
    expect(replay).toMatchObject({ operationId: first.operationId, replayed: true });
  });

  it('refuses cash after the blind count (the expected figure is fixed) and a cash void without a shift', async () => {
    const cashier = await login(DEMO.staff.cashier);
    await ok(cashier, 'shift.open', { shiftId: ulid(), operationId: ulid(), floatCount: { '10000': 1 } });
    const paid = await ok<{ operationId: string }>(cashier, 'wallet.topUp', cashTopUp(2_000));
    await ok(cashier, 'shift.count', { count: { '10000': 1, '1000': 2 } });
    expect(await refusal(cashier, 'wallet.topUp', cashTopUp(1_000))).toMatchObject({
      code: 'SHIFT_NOT_OPEN',
    });
    expect(await voidOf(cashier, paid.operationId)).toMatchObject({ code: 'SHIFT_NOT_OPEN' });
    await ok(cashier, 'shift.signOff', {
      dropOperationId: ulid(),
      overShortOperationId: ulid(),
      approver: manager,
    });
  });
});

describe('an approval needs a second person', () => {
  it("refuses a manager's PIN on their own count, and on a void they asked for themselves", async () => {
    const boss = await login(DEMO.staff.manager);
    await ok(boss, 'shift.open', { shiftId: ulid(), operationId: ulid(), floatCount: { '10000': 1 } });
    const paid = await ok<{ operationId: string }>(boss, 'wallet.topUp', cashTopUp(1_500));
    expect(await voidOf(boss, paid.operationId)).toMatchObject({ code: 'APPROVAL_BY_SELF' });
    await countEmpty(boss);
    const signed = await signOff(boss, manager);
    expect(signed).toMatchObject({ ok: false, error: { code: 'APPROVAL_BY_SELF' } });
    expect(host.ledger.operation(paid.operationId)?.voidedBy ?? null).toBeNull();
  });

  it('lets a lone manager sign off their own count once the store allows it, flagged on the slip and the Z report', async () => {
    const boss = await login(DEMO.staff.manager);
    const policy = await ok<{ loneManagerAllowed: boolean }>(boss, 'day.setApprovalPolicy', {
      loneManagerAllowed: true,
    });
    expect(policy.loneManagerAllowed).toBe(true);
    expect(await ok<{ loneManagerAllowed: boolean }>(boss, 'day.status', {})).toMatchObject({
      loneManagerAllowed: true,
    });
    const signed = await signOff(boss, manager);
    expect(signed.ok, JSON.stringify(signed)).toBe(true);
    const shiftId = signed.ok ? (signed.value as { shift: { id: string } }).shift.id : '';
    const slip = await ok<{ text: string }>(boss, 'shift.printSlip', { printId: ulid(), shiftId });
    expect(slip.text).toContain('店长独自审批');

    const { openDay } = await ok<{ openDay: string }>(boss, 'day.status', {});
    const { report } = await ok<{ report: ZReportView }>(boss, 'day.report', { businessDay: openDay });
    expect(report.shifts.find((s) => s.shiftId === shiftId)).toMatchObject({ selfApproved: true });
    expect(report.shifts.filter((s) => s.shiftId !== shiftId).every((s) => s.selfApproved === false)).toBe(
      true,
    );
    const printed = await ok<{ text: string }>(boss, 'day.printReport', {
      printId: ulid(),
      businessDay: openDay,
    });
    expect(printed.text).toContain('店长独自审批');
    await ok(boss, 'day.setApprovalPolicy', { loneManagerAllowed: false });
  });

  it('keeps the policy to managers', async () => {
    const cashier = await login(DEMO.staff.cashier);
    expect(await refusal(cashier, 'day.setApprovalPolicy', { loneManagerAllowed: true })).toMatchObject({
      code: 'COMMAND_FORBIDDEN',
    });
  });
});

describe('the day reconciles', () => {
  it('lists cash recorded outside every shift, and the cash tender is the shifts’ cash plus that', async () => {
    const boss = await login(DEMO.staff.manager);
    // A book written before the rule (or by a till that did not keep it): cash with no shift open.
    const outsideId = ulid();
    host.ledger.topUp({
      operationId: outsideId,
      cardId: DEMO.cards.uid.id,
      amountFen: 50_000,
      bonusFen: 0,
      points: 0,
      tender: 'cash',
      staffId: DEMO.staff.manager.id,
      terminalId: DEMO.terminalId,
    });
    const status = await ok<{ openDay: string; unclosedShifts: unknown[] }>(boss, 'day.status', {});
    expect(status.unclosedShifts).toEqual([]);
    const { report } = await ok<{ report: ZReportView }>(boss, 'day.report', { businessDay: status.openDay });
    const outside = report.outsideShifts;
    expect(outside?.operations.map((o) => o.operationId)).toContain(outsideId);
    expect(outside?.operations.find((o) => o.operationId === outsideId)).toMatchObject({
      kind: 'top_up',
      netFen: 50_000,
    });

    // Every shift's cash, float aside, plus the cash outside shifts is the cash tender's net for the day.
    const shiftsCash = report.shifts.reduce((sum, s) => sum + (s.expectedFen ?? 0) - s.floatFen, 0);
    const cashNet = report.store.byTender.find((t) => t.tender === 'cash')?.netFen ?? 0;
    expect(shiftsCash + (outside?.netFen ?? 0)).toBe(cashNet);

    const printed = await ok<{ text: string }>(boss, 'day.printReport', {
      printId: ulid(),
      businessDay: status.openDay,
    });
    expect(printed.text).toContain('班次外现金');
  });
});
