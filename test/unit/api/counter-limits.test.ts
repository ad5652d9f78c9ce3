/**
 * The chain's amount limits, applied by the host whatever the screen sends: one top-up and one charge have
 * their limits, a card holds at most ¥5,000 of principal when its member gave a phone or ID number and ¥1,000
 * when not, and a top-up above ¥1,000 asks for those details. Each refusal has its own code and names the
 * limit; nothing moves. An admin changes the limits on the Rules screen; a cashier cannot. Principal paid out
 * in cash (提现) needs an open shift, as a cash top-up does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { DEFAULT_AMOUNT_LIMITS } from '../../../electron/contract';
import { createHost, type Host } from '../../../electron/host/compose';
import { openShift } from '../../support/shift';
import { apiCaller } from './api-caller';

let dataDir: string;
let host: Host;
const { ok, refused } = apiCaller(() => host);
const manager = { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin };
/** 孙伟 gave no phone and no ID number: his card is anonymous. */
const anonymous = DEMO.cards.keyed.id;
/** 刘洋 gave a phone: a named card, ¥1,000 of principal to start with. */
const named = DEMO.cards.mifare.id;

const topUp = (cardId: string, amountFen: number) => ({
  operationId: ulid(),
  cardId,
  amountFen,
  tender: 'cash',
});

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-counter-limits-'));
  host = createHost({ book: 'demo', dataDir });
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('cash out of the drawer', () => {
  it('refuses a cash withdrawal with no shift open, and pays it once one is', async () => {
    const input = { ...topUp(named, 1_000), approver: manager };
    const refusal = await refused('cashier', 'wallet.withdraw', input);
    expect(refusal.code).toBe('SHIFT_NOT_OPEN');
    expect(host.ledger.balance(named).principalFen).toBe(100_000);
    await openShift(host);
    await ok('cashier', 'wallet.withdraw', input);
    expect(host.ledger.balance(named).principalFen).toBe(99_000);
    // Back to ¥1,000 for the limits below.
    await ok('cashier', 'wallet.topUp', topUp(named, 1_000));
  });
});

describe('defaults', () => {
  it('are the single-purpose prepaid card rules', async () => {
    expect(await ok('cashier', 'limits.get', {})).toEqual({
      topUpMaxFen: 500_000,
      chargeMaxFen: 500_000,
      namedCardMaxFen: 500_000,
      anonymousCardMaxFen: 100_000,
      realNameAboveFen: 100_000,
    });
  });
});

describe('a top-up', () => {
  it('over the per-operation limit is refused naming the limit, at the quote and at the top-up', async () => {
    // ¥50,000, ¥1,000,000 and the keypad's ¥9,999,999: each says the limit, none is a shape error.
    for (const amountFen of [5_000_000, 100_000_000, 999_999_900]) {
      const quote = await refused('cashier', 'wallet.previewTopUp', { cardId: anonymous, amountFen });
      expect(quote).toMatchObject({ code: 'AMOUNT_OVER_LIMIT', details: { limitFen: 500_000, amountFen } });
      const refusal = await refused('cashier', 'wallet.topUp', topUp(anonymous, amountFen));
      expect(refusal.code).toBe('AMOUNT_OVER_LIMIT');
    }
    expect(host.ledger.balance(anonymous).principalFen).toBe(0);
  });

  it('above the real-name amount needs the member to have a phone or ID number', async () => {
    const refusal = await refused('cashier', 'wallet.topUp', topUp(anonymous, 100_001));
    expect(refusal).toMatchObject({
      code: 'MEMBER_REAL_NAME_REQUIRED',
      details: { limitFen: 100_000, amountFen: 100_001 },
    });
    expect(host.ledger.balance(anonymous).principalFen).toBe(0);
  });

  it('takes an anonymous card up to ¥1,000 of principal and no further', async () => {
    await ok('cashier', 'wallet.topUp', topUp(anonymous, 80_000));
    const refusal = await refused('cashier', 'wallet.topUp', topUp(anonymous, 30_000));
    expect(refusal).toMatchObject({
      code: 'CARD_BALANCE_OVER_LIMIT',
      details: { limitFen: 100_000, named: false, principalFen: 80_000, roomFen: 20_000 },
    });
    await ok('cashier', 'wallet.topUp', topUp(anonymous, 20_000));
    expect(host.ledger.balance(anonymous).principalFen).toBe(100_000);
  });

  it('takes a named card up to ¥5,000 of principal and no further', async () => {
    await ok('cashier', 'wallet.topUp', topUp(named, 400_000));
    const refusal = await refused('cashier', 'wallet.topUp', topUp(named, 1));
    expect(refusal).toMatchObject({
      code: 'CARD_BALANCE_OVER_LIMIT',
      details: { limitFen: 500_000, named: true, principalFen: 500_000, roomFen: 0 },
    });
    expect(host.ledger.balance(named).principalFen).toBe(500_000);
  });

  it('replayed after the card reached its limit returns the first result', async () => {
    const input = topUp(DEMO.cards.uid.id, 450_000);
    const first = await ok<{ balance: { principalFen: number } }>('cashier', 'wallet.topUp', input);
    expect(first.balance.principalFen).toBe(500_000);
    const again = await ok<{ replayed: boolean }>('cashier', 'wallet.topUp', input);
    expect(again.replayed).toBe(true);
  });
});

describe("a new card's opening top-up", () => {
  it('meets the same limits before anything is registered', async () => {
    const cardNumber = '5500000000000099';
    const refusal = await refused('cashier', 'cards.activate', {
      operationId: ulid(),
      member: { memberId: DEMO.members.keyed.id },
      identityChecked: false,
      card: { cardNumber, medium: 'keyed' },
      openingTopUp: { amountFen: 200_000, tender: 'cash' },
    });
    expect(refusal).toMatchObject({ code: 'MEMBER_REAL_NAME_REQUIRED', details: { limitFen: 100_000 } });
    expect(host.ledger.findCardByNumber(cardNumber)).toBeUndefined();
  });
});

describe('a charge', () => {
  it('over the per-operation limit is refused naming the limit', async () => {
    const refusal = await refused('cashier', 'wallet.charge', {
      operationId: ulid(),
      cardId: named,
      amountFen: 500_001,
    });
    expect(refusal).toMatchObject({ code: 'AMOUNT_OVER_LIMIT', details: { limitFen: 500_000 } });
    expect(host.ledger.balance(named).principalFen).toBe(500_000);
  });
});

describe('changing the limits', () => {
  it('is for admins; the store single-operation limit still applies beneath the chain', async () => {
    const cashier = await refused('cashier', 'limits.set', { topUpMaxFen: 1_000_000 });
    expect(cashier.code).toBe('COMMAND_FORBIDDEN');
    const changed = await ok('admin', 'limits.set', { topUpMaxFen: 9_000_000, namedCardMaxFen: 9_000_000 });
    expect(changed).toEqual({ ...DEFAULT_AMOUNT_LIMITS, topUpMaxFen: 9_000_000, namedCardMaxFen: 9_000_000 });
    // The demo café's own limit for one operation is ¥50,000.
    const refusal = await refused('cashier', 'wallet.previewTopUp', { cardId: named, amountFen: 6_000_000 });
    expect(refusal).toMatchObject({ code: 'AMOUNT_OVER_LIMIT', details: { limitFen: 5_000_000 } });
    await ok('cashier', 'wallet.topUp', topUp(named, 600_000));
    expect(host.ledger.balance(named).principalFen).toBe(1_100_000);
  });
});
