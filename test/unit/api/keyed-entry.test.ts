/**
 * A card charged by its typed number, decided by the host: a secured card must lie on a reader or a manager
 * approves with a reason (on the operation, in the audit log and on the receipt); the chain's rule says, per
 * kind of card, whether a typed number is allowed, needs approval or is refused. Gifts follow the same rule.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import type { Session } from '../../../electron/host/session';
import { type BookUnderTest, openBook, sessionOf } from '../../support/books';

let book: BookUnderTest;
let cashier: Session;
const manager = DEMO.staff.manager;
const approval = { staffNo: manager.code, pin: manager.pin, reason: '会员忘带卡' };

const host = () => book.host;
const charge = (card: { id: string }, extra: Record<string, unknown> = {}) =>
  host().api.call(cashier, 'wallet.charge', {
    operationId: ulid(),
    cardId: card.id,
    amountFen: 1_000,
    ...extra,
  });
const balanceOf = (card: { cardNumber: string }) => host().ledger.findCardByNumber(card.cardNumber)!.balance;
const auditAfter = (mark: number) =>
  host()
    .ledger.auditLog.after(mark, 1_000)
    .map((line) => ({
      action: line.action,
      operationId: line.operationId,
      details: JSON.parse(line.details ?? 'null'),
    }));
const lastAuditId = () => host().ledger.auditLog.after(0, 1_000_000).at(-1)?.id ?? 0;

beforeAll(async () => {
  // A live book has no simulator: every card here is typed. A demo book taps one at the end.
  book = await openBook('live');
  cashier = await sessionOf(host(), 'cashier');
});

afterAll(async () => {
  await book.close();
});

describe('a secured card charged by its typed number', () => {
  it('is refused with KEYED_ENTRY_NEEDS_APPROVAL and moves nothing', async () => {
    const before = balanceOf(DEMO.cards.mifare);
    expect(await charge(DEMO.cards.mifare)).toEqual({
      ok: false,
      error: {
        code: 'KEYED_ENTRY_NEEDS_APPROVAL',
        message: expect.any(String),
        details: { cardId: DEMO.cards.mifare.id, medium: 'mifare' },
      },
    });
    expect(balanceOf(DEMO.cards.mifare)).toEqual(before);
  });

  it("is refused when the approver is not a manager, or the manager's PIN is wrong", async () => {
    const byCashier = { ...approval, staffNo: DEMO.staff.cashier.code, pin: DEMO.staff.cashier.pin };
    expect(await charge(DEMO.cards.mifare, { keyedApproval: byCashier })).toMatchObject({
      ok: false,
      error: { code: 'APPROVER_NOT_MANAGER' },
    });
    expect(await charge(DEMO.cards.mifare, { keyedApproval: { ...approval, pin: '000000' } })).toMatchObject({
      ok: false,
      error: { code: 'STAFF_PIN_WRONG' },
    });
  });

  it("goes through with a manager's approval: the approver and reason are on the operation, the audit log and the receipt", async () => {
    const before = balanceOf(DEMO.cards.mifare);
    const mark = lastAuditId();
    const reply = await charge(DEMO.cards.mifare, { keyedApproval: approval });
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const result = reply.value as { operationId: string; receiptText: string };
    const after = balanceOf(DEMO.cards.mifare);
    expect(before.principalFen + before.bonusFen - (after.principalFen + after.bonusFen)).toBe(1_000);

    expect(host().ledger.operation(result.operationId)).toMatchObject({
      kind: 'spend',
      approvedBy: manager.id,
      memo: expect.stringContaining('会员忘带卡'),
    });
    const lines = auditAfter(mark).filter((line) => line.operationId === result.operationId);
    expect(lines).toContainEqual({
      action: 'operation.spend',
      operationId: result.operationId,
      details: { approvedBy: manager.id },
    });
    expect(lines).toContainEqual({
      action: 'loyalty.charge',
      operationId: result.operationId,
      details: expect.objectContaining({ approvedBy: manager.id, reason: '会员忘带卡', entry: 'keyed' }),
    });
    expect(result.receiptText).toContain('手工输入卡号');
    expect(result.receiptText).toContain(`授权人: ${manager.name}`);
    expect(result.receiptText).toContain('会员忘带卡');
  });

  it('replays the approved charge once, with the same approval', async () => {
    const input = {
      operationId: ulid(),
      cardId: DEMO.cards.mifare.id,
      amountFen: 700,
      keyedApproval: approval,
    };
    const first = await host().api.call(cashier, 'wallet.charge', input);
    const second = await host().api.call(cashier, 'wallet.charge', input);
    expect(first).toMatchObject({ ok: true, value: { replayed: false } });
    expect(second).toMatchObject({ ok: true, value: { replayed: true } });
    expect((second as { value: { receiptText: string } }).value.receiptText).toContain('会员忘带卡');
  });
});

describe("the chain's typed-number rule, per kind of card", () => {
  it('by default lets a keyed card and a UID card through, and asks approval for a magstripe card', async () => {
    expect(await charge(DEMO.cards.uid)).toMatchObject({ ok: true });
    expect(await charge(DEMO.cards.magstripe)).toMatchObject({
      ok: false,
      error: { code: 'KEYED_ENTRY_NEEDS_APPROVAL', details: { medium: 'magstripe' } },
    });
    const technician = await sessionOf(host(), 'technician');
    expect(await host().api.call(technician, 'cardFormat.keyedEntry', {})).toEqual({
      ok: true,
      value: { secured: 'approval', uid: 'allowed', magstripe: 'approval', keyed: 'allowed', setBy: 'store' },
    });
  });

  it('takes a magstripe card swiped through a keyboard-wedge swiper without approval', async () => {
    const read = await host().api.call(cashier, 'card.swipeText', {
      tracks: `;${DEMO.cards.magstripe.cardNumber}?\n`,
    });
    expect(read).toMatchObject({ ok: true });
    expect(await charge(DEMO.cards.magstripe)).toMatchObject({ ok: true });
  });

  it('is changed by an admin only, and the next charge follows it', async () => {
    const admin = await sessionOf(host(), 'admin');
    const technician = await sessionOf(host(), 'technician');
    expect(await host().api.call(technician, 'cardFormat.setKeyedEntry', { uid: 'refused' })).toMatchObject({
      ok: false,
      error: { code: 'COMMAND_FORBIDDEN' },
    });
    expect(await host().api.call(admin, 'cardFormat.setKeyedEntry', { secured: 'allowed' })).toMatchObject({
      ok: false,
      error: { code: 'INPUT_INVALID' },
    });
    expect(
      await host().api.call(admin, 'cardFormat.setKeyedEntry', { uid: 'approval', keyed: 'refused' }),
    ).toEqual({
      ok: true,
      value: {
        secured: 'approval',
        uid: 'approval',
        magstripe: 'approval',
        keyed: 'refused',
        setBy: 'store',
      },
    });
    expect(await charge(DEMO.cards.uid)).toMatchObject({
      ok: false,
      error: { code: 'KEYED_ENTRY_NEEDS_APPROVAL', details: { medium: 'uid' } },
    });
    expect(await charge(DEMO.cards.uid, { keyedApproval: approval })).toMatchObject({ ok: true });
    expect(await charge(DEMO.cards.keyed, { keyedApproval: approval })).toMatchObject({
      ok: false,
      error: { code: 'KEYED_ENTRY_REFUSED', details: { medium: 'keyed' } },
    });
    const changes = auditAfter(0).filter(
      (line) => line.action === 'settings.change' && line.details.key === 'cards.keyedEntryPolicy',
    );
    expect(changes.at(-1)?.details.to).toEqual({
      secured: 'approval',
      uid: 'approval',
      magstripe: 'approval',
      keyed: 'refused',
    });
  });
});

describe('a gift for points', () => {
  it('follows the same rule: a typed secured number needs approval, which the operation records', async () => {
    const managerSession = await sessionOf(host(), 'manager');
    const gift = { id: 'mug', name: '马克杯', points: 50, active: true };
    expect(await host().api.call(managerSession, 'points.putGift', { gift })).toMatchObject({ ok: true });
    const redeem = { operationId: ulid(), cardId: DEMO.cards.mifare.id, giftId: 'mug' };
    const refused = await host().api.call(cashier, 'points.redeemGift', redeem);
    expect(refused).toMatchObject({ ok: false, error: { code: 'KEYED_ENTRY_NEEDS_APPROVAL' } });
    const approved = await host().api.call(cashier, 'points.redeemGift', {
      ...redeem,
      keyedApproval: approval,
    });
    if (!approved.ok) throw new Error(JSON.stringify(approved.error));
    expect(host().ledger.operation(redeem.operationId)).toMatchObject({
      kind: 'points_redeem',
      approvedBy: manager.id,
      memo: expect.stringContaining('会员忘带卡'),
    });
  });
});

describe('a secured card on the reader', () => {
  let demo: BookUnderTest;
  beforeAll(async () => {
    demo = await openBook('demo');
  });
  afterAll(async () => {
    await demo.close();
  });

  it('is charged without approval while it lies there, and the rule holds in a demo book too', async () => {
    const session = await sessionOf(demo.host, 'cashier');
    const call = () =>
      demo.host.api.call(session, 'wallet.charge', {
        operationId: ulid(),
        cardId: DEMO.cards.mifare.id,
        amountFen: 500,
      });
    expect(await call()).toMatchObject({ ok: false, error: { code: 'KEYED_ENTRY_NEEDS_APPROVAL' } });
    const presented = demo.host.hub.next(
      'card.presented',
      (card) => card.cardNumber === DEMO.cards.mifare.cardNumber,
    );
    await demo.host.simulator!.presentCard(
      demo.host.simulator!.offerSecuredCard(DEMO.cards.mifare.cardNumber)!,
    );
    await presented;
    const reply = await call();
    expect(reply).toMatchObject({ ok: true });
    expect((reply as { value: { receiptText: string } }).value.receiptText).not.toContain('手工输入卡号');
  });
});
