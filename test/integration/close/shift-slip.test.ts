/**
 * The shift-close slip on a paired receipt printer: a TCP printer on loopback (the virtual printer behind a
 * real socket), a shift opened, moved, counted and signed off through the host's API. The sign-off queues one
 * job in the ledger's print queue whose ESC/POS bytes, decoded by the virtual printer, carry the drawer's
 * figures; the paper shows the same; a reprint is a second job marked as such, for the shift's own cashier or
 * a manager only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import type { Reply } from '../../../electron/contract';
import { createHost, type Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import { receiptLines, VirtualPrinter, VirtualPrinterTcpServer } from '../../../hardware/index';

let dataDir: string;
let host: Host;
const paper = new VirtualPrinter();
const printer = new VirtualPrinterTcpServer(paper);
const OTHER_CASHIER = { id: 'staff-cashier-slip', code: '1009', pin: '246810' };

async function login(staffNo: string, pin: string): Promise<Session> {
  const session = new Session('test');
  const reply = await host.api.call(session, 'session.login', { staffNo, pin });
  expect(reply.ok, JSON.stringify(reply)).toBe(true);
  return session;
}

async function ok<T>(session: Session, command: string, input: unknown = {}): Promise<T> {
  const reply = (await host.api.call(session, command, input)) as Reply<T>;
  if (!reply.ok) throw new Error(`${command} refused: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

/** The lines a printer makes of a job's bytes. */
function decoded(bytes: Uint8Array): string[] {
  const decoder = new VirtualPrinter();
  decoder.receive(bytes);
  expect(decoder.receipts).toHaveLength(1);
  return receiptLines(decoder.receipts[0]!);
}

const lineOf = (lines: string[], label: string) => lines.find((l) => l.trimStart().startsWith(label)) ?? '';

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-shift-slip-'));
  const port = await printer.listen(0);
  host = createHost({ book: 'demo', dataDir });
  host.ledger.createStaff({
    id: OTHER_CASHIER.id,
    storeId: DEMO.storeId,
    code: OTHER_CASHIER.code,
    name: '王芳',
    role: 'cashier',
    pin: OTHER_CASHIER.pin,
  });
  const technician = await login(DEMO.staff.technician.code, DEMO.staff.technician.pin);
  await ok(technician, 'devices.pair', {
    role: 'printer',
    profileId: 'pos80-203',
    transport: { kind: 'tcp', host: '127.0.0.1', port },
  });
});

afterAll(async () => {
  await host?.close();
  await printer.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the shift-close slip', () => {
  it('is queued once at sign-off with every drawer figure, prints on the paired printer, and reprints', async () => {
    const cashier = await login(DEMO.staff.cashier.code, DEMO.staff.cashier.pin);
    const shiftId = ulid();
    // Float ¥150.00; ¥20.00 in; a ¥50.00 cash top-up; ¥10.00 out: ¥210.00 expected.
    await ok(cashier, 'shift.open', { shiftId, operationId: ulid(), floatCount: { '10000': 1, '1000': 5 } });
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
    await ok(cashier, 'shift.cashMove', {
      operationId: ulid(),
      direction: 'out',
      amountFen: 1_000,
      reason: '买牛奶',
    });
    // Counted ¥209.00: ¥1.00 short.
    await ok(cashier, 'shift.count', { count: { '10000': 2, '500': 1, '100': 4 } });
    const before = host.ledger.printJobs.list({ limit: 1_000 }).length;
    await ok(cashier, 'shift.signOff', {
      dropOperationId: ulid(),
      overShortOperationId: ulid(),
      varianceReason: '找错钱',
      handOverFen: 10_000,
      approver: { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin },
    });

    const jobs = host.ledger.printJobs.list({ limit: 1_000 });
    expect(jobs.length).toBe(before + 1);
    const slips = jobs.filter((job) => job.kind === 'shift_report');
    expect(slips).toHaveLength(1);
    expect(slips[0]!.id).toBe(`shift-slip-${shiftId}`);

    const lines = decoded(slips[0]!.bytes);
    const text = lines.join('\n');
    expect(text).toContain('交班报表');
    expect(lineOf(lines, '班次')).toContain(shiftId.slice(0, 8));
    expect(lineOf(lines, '收银员')).toMatch(/\S$/);
    expect(lineOf(lines, '备用金')).toMatch(/￥150\.00$/);
    expect(lineOf(lines, '现金充值')).toMatch(/\+￥50\.00$/);
    expect(lineOf(lines, '存入现金')).toMatch(/\+￥20\.00$/);
    expect(lineOf(lines, '取出现金')).toMatch(/-￥10\.00$/);
    expect(lineOf(lines, '现金取款')).toMatch(/￥0\.00$/);
    expect(lineOf(lines, '现金退款')).toMatch(/￥0\.00$/);
    expect(lineOf(lines, '应有现金')).toMatch(/￥210\.00$/);
    expect(lineOf(lines, '￥100.00 × 2')).toMatch(/￥200\.00$/);
    expect(lineOf(lines, '￥5.00 × 1')).toMatch(/￥5\.00$/);
    expect(lineOf(lines, '￥1.00 × 4')).toMatch(/￥4\.00$/);
    expect(lineOf(lines, '实点现金')).toMatch(/￥209\.00$/);
    expect(lineOf(lines, '长短款')).toMatch(/-￥1\.00$/);
    expect(lineOf(lines, '原因')).toMatch(/找错钱$/);
    expect(lineOf(lines, '留给下一班')).toMatch(/￥100\.00$/);
    expect(lineOf(lines, '授权人')).toContain(host.ledger.staff(DEMO.staff.manager.id)!.name);
    expect(lineOf(lines, '开班')).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(lineOf(lines, '交班 ')).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(text).not.toContain('重打');

    // The queue sends it to the paired printer at the other end of the socket.
    await until(() =>
      paper.receipts.some((receipt) => receiptLines(receipt).join('\n').includes('交班报表')),
    );
    await until(() => host.ledger.printJobs.get(`shift-slip-${shiftId}`)?.state === 'done');

    // The cashier finds the shift in the list and reprints it: a second job, marked as a reprint.
    const recent = await ok<Array<{ shiftId: string; varianceFen: number }>>(cashier, 'shift.recent');
    expect(recent[0]).toMatchObject({ shiftId, varianceFen: -100 });
    const printId = ulid();
    const reprint = await ok<{ jobId: string; text: string }>(cashier, 'shift.printSlip', {
      printId,
      shiftId,
    });
    expect(reprint.jobId).toBe(`shift-slip-${printId}`);
    const copy = decoded(host.ledger.printJobs.get(reprint.jobId)!.bytes);
    expect(copy.join('\n')).toContain('重打');
    expect(lineOf(copy, '应有现金')).toMatch(/￥210\.00$/);
    // The same request again is the same job, not a third slip.
    await ok(cashier, 'shift.printSlip', { printId, shiftId });
    expect(
      host.ledger.printJobs.list({ limit: 1_000 }).filter((j) => j.kind === 'shift_report'),
    ).toHaveLength(2);

    // Another cashier neither sees nor reprints it; a manager does both.
    const other = await login(OTHER_CASHIER.code, OTHER_CASHIER.pin);
    expect(await ok<unknown[]>(other, 'shift.recent')).toEqual([]);
    const refused = await host.api.call(other, 'shift.printSlip', { printId: ulid(), shiftId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SHIFT_UNKNOWN' } });
    const manager = await login(DEMO.staff.manager.code, DEMO.staff.manager.pin);
    expect((await ok<Array<{ shiftId: string }>>(manager, 'shift.recent'))[0]?.shiftId).toBe(shiftId);
    await ok(manager, 'shift.printSlip', { printId: ulid(), shiftId });
  });

  it('refuses to print a shift that is still open', async () => {
    const cashier = await login(DEMO.staff.cashier.code, DEMO.staff.cashier.pin);
    const shiftId = ulid();
    await ok(cashier, 'shift.handover', {
      shiftId,
      fromShiftId: (await lastClosed(cashier)).shiftId,
      floatCount: { '10000': 1 },
    });
    const reply = await host.api.call(cashier, 'shift.printSlip', { printId: ulid(), shiftId });
    expect(reply).toMatchObject({ ok: false, error: { code: 'SHIFT_NOT_CLOSED', details: { shiftId } } });
  });
});

async function lastClosed(session: Session): Promise<{ shiftId: string }> {
  const [last] = await ok<Array<{ shiftId: string }>>(session, 'shift.recent');
  if (last === undefined) throw new Error('no closed shift');
  return last;
}
