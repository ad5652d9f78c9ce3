/**
 * Split payment at the counter, through the host's API: a charge larger than the card's balance takes the
 * whole balance from the card and the rest by another tender, in one operation whose legs are all in the
 * ledger (card principal and bonus, and the drawer or the tender's clearing account) and all on the receipt.
 * A void reverses every leg; a refund goes back to the card, at most what the card paid. Receipts of the
 * training book are marked 培训.
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
const { ok, refused } = apiCaller(() => host);
const manager = { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin };
/** ¥500 of principal and ¥100 of bonus. */
const cardId = DEMO.cards.uid.id;

/** What a store account holds (debits less credits: money the store has), fen. */
function storeHolds(kind: string): number {
  const row = host.ledger.sqlite
    .prepare<[string, string], { held: number }>(
      `SELECT b.debits - b.credits AS held FROM accounts a JOIN balances b ON b.account_id = a.id
       WHERE a.store_id = ? AND a.card_id IS NULL AND a.kind = ?`,
    )
    .get(DEMO.storeId, kind);
  return row?.held ?? 0;
}

const printed = async () => ok<{ text: string }[]>('cashier', 'simulator.printedReceipts', { limit: 50 });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-counter-split-'));
  host = createHost({ dataDir, trainingMode: true });
  await openShift(host);
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a charge larger than the balance', () => {
  let chargeId: string;

  it('is refused without another tender, and nothing moves', async () => {
    const refusal = await refused('cashier', 'wallet.charge', {
      operationId: ulid(),
      cardId,
      amountFen: 88_000,
    });
    expect(refusal.code).toBe('BALANCE_INSUFFICIENT');
    expect(host.ledger.balance(cardId)).toMatchObject({ principalFen: 50_000, bonusFen: 10_000 });
  });

  it('takes the balance from the card and the rest in cash, both legs on the receipt', async () => {
    const drawerBefore = storeHolds('cash_drawer');
    const start = (await printed()).length;
    chargeId = ulid();
    const result = await ok<{
      amountFen: number;
      principalFen: number;
      bonusFen: number;
      balance: { totalFen: number };
      receiptText: string;
      charge: { rest: { tender: string; amountFen: number } };
    }>('cashier', 'wallet.charge', {
      operationId: chargeId,
      cardId,
      amountFen: 88_000,
      rest: { tender: 'cash', amountFen: 28_000 },
    });
    expect(result).toMatchObject({ amountFen: 88_000, principalFen: 50_000, bonusFen: 10_000 });
    expect(result.balance.totalFen).toBe(0);
    expect(result.charge.rest).toEqual({ tender: 'cash', amountFen: 28_000, reference: null });
    expect(storeHolds('cash_drawer') - drawerBefore).toBe(28_000);
    expect(result.receiptText).toMatch(/消费金额\s+[¥￥]880\.00/);
    expect(result.receiptText).toMatch(/本金支付\s+[¥￥]500\.00/);
    expect(result.receiptText).toMatch(/赠送金支付\s+[¥￥]100\.00/);
    expect(result.receiptText).toMatch(/现金\s+[¥￥]280\.00/);
    await expect.poll(async () => (await printed()).length).toBe(start + 1);
    expect((await printed())[0]!.text).toMatch(/现金\s+[¥￥]280\.00/);
  });

  it('refunds to the card at most what the card paid', async () => {
    const over = await refused('cashier', 'wallet.refund', {
      operationId: ulid(),
      cardId,
      originalOperationId: chargeId,
      amountFen: 60_001,
      approver: manager,
    });
    expect(over).toMatchObject({ code: 'REFUND_EXCEEDS_ORIGINAL', details: { refundableFen: 60_000 } });
  });

  it('is voided as a whole: the card gets its balance back and the cash leaves the drawer', async () => {
    const drawerBefore = storeHolds('cash_drawer');
    await ok('cashier', 'wallet.void', {
      operationId: ulid(),
      cardId,
      targetOperationId: chargeId,
      approver: manager,
    });
    expect(host.ledger.balance(cardId)).toMatchObject({ principalFen: 50_000, bonusFen: 10_000 });
    expect(drawerBefore - storeHolds('cash_drawer')).toBe(28_000);
  });

  it('takes the rest by WeChat with its payment code as the reference, printed', async () => {
    const clearingBefore = storeHolds('clearing_wechat');
    const result = await ok<{ receiptText: string }>('cashier', 'wallet.charge', {
      operationId: ulid(),
      cardId,
      amountFen: 70_000,
      rest: { tender: 'wechat', amountFen: 10_000, reference: '134567890123456789' },
    });
    expect(storeHolds('clearing_wechat') - clearingBefore).toBe(10_000);
    expect(result.receiptText).toMatch(/微信支付\s+[¥￥]100\.00/);
    expect(result.receiptText).toContain('134567890123456789');
  });

  it('refuses a rest that leaves nothing to the card', async () => {
    const refusal = await refused('cashier', 'wallet.charge', {
      operationId: ulid(),
      cardId,
      amountFen: 1_000,
      rest: { tender: 'cash', amountFen: 1_000 },
    });
    expect(refusal.code).toBe('AMOUNT_INVALID');
  });
});

describe('the training book', () => {
  it('marks every receipt 培训, on paper and on screen', async () => {
    const result = await ok<{ receiptText: string }>('cashier', 'wallet.topUp', {
      operationId: ulid(),
      cardId,
      amountFen: 1_000,
      tender: 'cash',
    });
    expect(result.receiptText).toContain('培训');
    await expect.poll(async () => (await printed())[0]?.text ?? '').toContain('培训');
  });
});
