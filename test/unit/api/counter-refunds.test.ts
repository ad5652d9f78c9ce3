/**
 * Refunds, withdrawals and reprints at the counter, through the host's API on a throw-away ledger: a charge
 * refunded in part goes back to the card in the proportion it took principal and bonus, never more than is
 * left of it; a withdrawal pays out principal only; both need a manager and print their slip; any receipt
 * prints again marked 重打, once per press; a top-up refund prints its slip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { createHost, type Host } from '../../../electron/host/compose';
import { openShift } from '../../support/shift';
import { apiCaller } from './api-caller';

let dataDir: string;
let host: Host;
const manager = { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin };
const cardId = DEMO.cards.uid.id;

const { ok, refused } = apiCaller(() => host);

/** The simulated printer's paper, newest first. */
const printed = async () => ok<{ text: string }[]>('cashier', 'simulator.printedReceipts', { limit: 50 });

async function waitForPrinted(count: number) {
  await expect.poll(async () => (await printed()).length).toBe(count);
  return (await printed())[0]!.text;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-counter-refunds-'));
  host = createHost({ dataDir, trainingMode: true });
  // Top-ups in cash move the drawer, so they happen inside the cashier's shift.
  await openShift(host);
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('refund of a charge', () => {
  let chargeId: string;

  it('gives back principal and bonus in the proportion the charge took them, with a slip', async () => {
    // ¥500 principal and ¥100 bonus: a ¥550 charge takes all the principal and ¥50 of bonus.
    chargeId = ulid();
    const before = (await printed()).length;
    await ok('cashier', 'wallet.charge', { operationId: chargeId, cardId, amountFen: 55_000 });
    await waitForPrinted(before + 1);
    const refund = await ok<{ principalFen: number; bonusFen: number; receiptText: string }>(
      'cashier',
      'wallet.refund',
      { operationId: ulid(), cardId, originalOperationId: chargeId, amountFen: 11_000, approver: manager },
    );
    expect(refund).toMatchObject({ principalFen: 10_000, bonusFen: 1_000 });
    expect(host.ledger.balance(cardId)).toMatchObject({ principalFen: 10_000, bonusFen: 6_000 });
    const slip = await waitForPrinted(before + 2);
    expect(slip).toContain('消费退款凭证');
    expect(slip).toMatch(/退回本金\s+[¥￥]100\.00/);
    expect(slip).toMatch(/退回赠送金\s+[¥￥]10\.00/);
    expect(slip).toContain(DEMO.staff.manager.name);
  });

  it('refuses more than is left of the charge, and a cashier as approver', async () => {
    const input = { cardId, originalOperationId: chargeId, approver: manager };
    const over = await refused('cashier', 'wallet.refund', {
      ...input,
      operationId: ulid(),
      amountFen: 44_001,
    });
    expect(over.code).toBe('REFUND_EXCEEDS_ORIGINAL');
    const cashier = { staffNo: DEMO.staff.cashier.code, pin: DEMO.staff.cashier.pin };
    const notManager = await refused('cashier', 'wallet.refund', {
      ...input,
      operationId: ulid(),
      amountFen: 100,
      approver: cashier,
    });
    expect(notManager.code).toBe('APPROVER_NOT_MANAGER');
    expect(host.ledger.balance(cardId)).toMatchObject({ principalFen: 10_000, bonusFen: 6_000 });
  });
});

describe('withdrawal (提现)', () => {
  it('pays out principal only, with a manager and a slip', async () => {
    const before = (await printed()).length;
    const tooMuch = await refused('cashier', 'wallet.withdraw', {
      operationId: ulid(),
      cardId,
      amountFen: 10_001,
      tender: 'cash',
      approver: manager,
    });
    expect(tooMuch.code).toBe('BALANCE_INSUFFICIENT');
    await ok('cashier', 'wallet.withdraw', {
      operationId: ulid(),
      cardId,
      amountFen: 4_000,
      tender: 'cash',
      approver: manager,
    });
    expect(host.ledger.balance(cardId)).toMatchObject({ principalFen: 6_000, bonusFen: 6_000 });
    const slip = await waitForPrinted(before + 1);
    expect(slip).toContain('提现凭证');
    expect(slip).toMatch(/提现金额\s+[¥￥]40\.00/);
  });
});

describe('reprint', () => {
  it("prints any operation's receipt again marked 重打, once per press however often it is sent", async () => {
    const topUp = ulid();
    const start = (await printed()).length;
    await ok('cashier', 'wallet.topUp', { operationId: topUp, cardId, amountFen: 10_000, tender: 'cash' });
    const before = await waitForPrinted(start + 1);
    const count = start + 1;
    const press = { operationId: topUp, requestId: ulid() };
    const copy = await ok<{ receiptText: string }>('cashier', 'receipt.reprint', press);
    await ok('cashier', 'receipt.reprint', press);
    expect(copy.receiptText).toContain('重打');
    const text = await waitForPrinted(count + 1);
    expect(text).toContain('重打');
    expect(text).toMatch(/充值金额\s+[¥￥]100\.00/);
    expect(before).not.toContain('重打');
    const none = await refused('cashier', 'receipt.reprint', {
      operationId: 'no-such-op',
      requestId: ulid(),
    });
    expect(none.code).toBe('RECEIPT_NOT_AVAILABLE');
  });
});

describe('top-up refund', () => {
  it('prints the refund slip the member signs', async () => {
    const topUp = ulid();
    const start = (await printed()).length;
    await ok('cashier', 'wallet.topUp', { operationId: topUp, cardId, amountFen: 20_000, tender: 'cash' });
    await waitForPrinted(start + 1);
    const quote = await ok<{ principalRefundFen: number; bonusForfeitFen: number }>(
      'manager',
      'refunds.quote',
      {
        topUpOperationId: topUp,
      },
    );
    await ok('manager', 'refunds.topUp', {
      topUpOperationId: topUp,
      expected: { principalRefundFen: quote.principalRefundFen, bonusForfeitFen: quote.bonusForfeitFen },
    });
    const slip = await waitForPrinted(start + 2);
    expect(slip).toContain('退款凭证');
    expect(slip).toMatch(/退本金\s+[¥￥]200\.00/);
    expect(slip).toContain(DEMO.staff.manager.name);
  });
});
