/**
 * The member and card commands through the host's API boundary, on a real host with a throw-away ledger:
 * what a cashier and a manager each see of a profile, search, edits and consents, one member's export,
 * deletion, activation (replayed once, slip printed once, refused whole), the manager's approvals, the card
 * life-cycle and the closing arithmetic, a printed statement and a manager's tier change with its reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, residentIdCheckCharacter } from '../../../db';
import { openPromotions } from '../../../db/promotions/index';
import { createHost, type Host } from '../../../electron/host/compose';
import { SIMULATED_READER } from '../../../electron/host/simulator';
import { openShift } from '../../support/shift';
import { apiCaller } from './api-caller';

let dataDir: string;
let host: Host;
const manager = { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin };
const consent = { purpose: '会员服务', version: 'v1' };

const { ok, refused } = apiCaller(() => host);

let phoneSequence = 0;
function phone(): string {
  phoneSequence += 1;
  return `1581234${String(phoneSequence).padStart(4, '0')}`;
}

async function activate(options: { openingFen?: number; idNumber?: string } = {}) {
  const operationId = ulid();
  const cardNumber = `55${String(Date.now()).slice(-8)}${String(phoneSequence).padStart(4, '0')}`;
  const value = await ok<{ memberId: string; card: { id: string }; receiptText: string; replayed: boolean }>(
    'cashier',
    'cards.activate',
    {
      operationId,
      member: {
        register: {
          name: '周敏',
          phone: phone(),
          ...(options.idNumber === undefined ? {} : { idNumber: options.idNumber }),
          consent,
        },
      },
      identityChecked: options.idNumber !== undefined,
      card: { cardNumber, medium: 'keyed' },
      ...(options.openingFen === undefined
        ? {}
        : { openingTopUp: { amountFen: options.openingFen, tender: 'cash' } }),
    },
  );
  return { ...value, operationId, cardNumber };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-members-api-'));
  host = createHost({ book: 'demo', dataDir });
  // Opening top-ups and closings pay in cash, inside the cashier's shift.
  await openShift(host);
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('profiles and search', () => {
  it("shows a cashier the member's phone and ID number masked, and a manager in full", async () => {
    const { memberId } = await activate({ idNumber: '11010519491231002X' });
    const cashierView = await ok<{ phone: string; idNumber: string; masked: boolean }>(
      'cashier',
      'members.get',
      {
        memberId,
      },
    );
    expect(cashierView.masked).toBe(true);
    expect(cashierView.phone).toMatch(/^158\*{4}\d{4}$/);
    expect(cashierView.idNumber).toBe('110***********002X');
    const managerView = await ok<{ phone: string; idNumber: string; masked: boolean }>(
      'manager',
      'members.get',
      {
        memberId,
      },
    );
    expect(managerView).toMatchObject({ masked: false, idNumber: '11010519491231002X' });
    expect(managerView.phone).toMatch(/^1581234\d{4}$/);
  });

  it('finds members by phone prefix, name and card number, always masked', async () => {
    const { memberId, cardNumber } = await activate();
    const byPhone = await ok<Array<{ memberId: string; phoneMasked: string }>>('cashier', 'members.search', {
      text: '1581234',
    });
    expect(byPhone.map((hit) => hit.memberId)).toContain(memberId);
    for (const hit of byPhone) expect(hit.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    const byCard = await ok<Array<{ memberId: string; matchedBy: string }>>('cashier', 'members.search', {
      text: cardNumber,
    });
    expect(byCard[0]).toMatchObject({ memberId, matchedBy: 'card' });
    const byName = await ok<Array<{ memberId: string }>>('cashier', 'members.search', {
      text: '周敏',
      limit: 50,
    });
    expect(byName.map((hit) => hit.memberId)).toContain(memberId);
  });

  it('edits a member and records a new marketing decision beside the earlier one', async () => {
    const { memberId } = await activate();
    const edited = await ok<{ name: string; notes: string; consents: { marketing: { granted: boolean } } }>(
      'cashier',
      'members.edit',
      {
        memberId,
        changes: { name: '周 敏', notes: '不加糖' },
        marketing: { purpose: '优惠信息', version: 'm1', granted: true },
      },
    );
    expect(edited).toMatchObject({
      name: '周 敏',
      notes: '不加糖',
      consents: { marketing: { granted: true } },
    });
    expect(host.ledger.member(memberId)?.name).toBe('周 敏');
    expect(host.ledger.verifyAuditChain().ok).toBe(true);
  });

  it("exports one member's data as JSON with their cards and operations", async () => {
    const { memberId, card } = await activate({ openingFen: 10_000 });
    const exported = await ok<{ fileName: string; json: string }>('manager', 'members.export', { memberId });
    expect(exported.fileName).toMatch(new RegExp(`^member-${memberId}-\\d{8}\\.json$`));
    const data = JSON.parse(exported.json);
    expect(data.profile.memberId).toBe(memberId);
    expect(data.consents[0]).toMatchObject({ kind: 'pipl', granted: true });
    expect(data.cards[0]).toMatchObject({ id: card.id, balance: { principalFen: 10_000, bonusFen: 2_000 } });
    expect(data.cards[0].operations.map((op: { kind: string }) => op.kind)).toContain('top_up');
  });

  it('deletes a member with a manager PIN: personal fields erased, cards closed, history kept', async () => {
    const { memberId, card } = await activate();
    expect(await refused('cashier', 'members.delete', { memberId })).toMatchObject({
      code: 'APPROVAL_REQUIRED',
    });
    const deleted = await ok<{ deleted: boolean; phone: string | null; name: string }>(
      'cashier',
      'members.delete',
      {
        memberId,
        approver: manager,
      },
    );
    expect(deleted).toMatchObject({ deleted: true, phone: null, name: '已注销会员' });
    expect(host.ledger.card(card.id)?.state).toBe('closed');
  });
});

describe('activation', () => {
  it('applies once: the repeat of the same operation id returns the first activation and prints no second slip', async () => {
    const first = await activate({ openingFen: 50_000 });
    const jobs = () =>
      host.ledger.printJobs.list({ limit: 500 }).filter((job) => job.id.includes(first.operationId));
    expect(jobs()).toHaveLength(1);
    expect(first.receiptText).toMatch(/赠送金额\s+[¥￥]120\.00/);
    const again = await ok<{ replayed: boolean; card: { id: string }; receiptText: string }>(
      'cashier',
      'cards.activate',
      {
        operationId: first.operationId,
        member: { register: { name: '周敏', phone: phone(), consent } },
        identityChecked: false,
        card: { cardNumber: first.cardNumber, medium: 'keyed' },
        openingTopUp: { amountFen: 50_000, tender: 'cash' },
      },
    );
    expect(again).toMatchObject({ replayed: true, card: { id: first.card.id } });
    expect(again.receiptText).toContain('重打');
    expect(jobs()).toHaveLength(1);
    // The same id for another card is not a repeat.
    expect(
      await refused('cashier', 'cards.activate', {
        operationId: first.operationId,
        member: { register: { name: '周敏', phone: phone(), consent } },
        identityChecked: false,
        card: { cardNumber: '5598000000000001', medium: 'keyed' },
      }),
    ).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    expect(host.ledger.balance(first.card.id)).toMatchObject({ principalFen: 50_000, bonusFen: 12_000 });
  });

  it('refuses an ID number without the document check and leaves no member or card behind', async () => {
    const before = host.ledger.sqlite.prepare('SELECT COUNT(*) AS n FROM members').get() as { n: number };
    const refusal = await refused('cashier', 'cards.activate', {
      operationId: ulid(),
      member: { register: { name: '吴刚', phone: phone(), idNumber: '11010519491231002X', consent } },
      identityChecked: false,
      card: { cardNumber: '5599000000000001', medium: 'keyed' },
    });
    expect(refusal.code).toBe('IDENTITY_NOT_CHECKED');
    const after = host.ledger.sqlite.prepare('SELECT COUNT(*) AS n FROM members').get() as { n: number };
    expect(after.n).toBe(before.n);
    expect(host.ledger.findCardByNumber('5599000000000001')).toBeUndefined();
  });

  it('gives a member on file a second card, with the document checked when an ID number is on record', async () => {
    const first17 = '44030419900307002';
    const first = await activate({
      idNumber: `${first17}${residentIdCheckCharacter(first17)}`,
      openingFen: 10_000,
    });
    const second = {
      operationId: ulid(),
      member: { memberId: first.memberId },
      identityChecked: false,
      card: { cardNumber: `57${Date.now()}`, medium: 'keyed' },
    };
    expect(await refused('cashier', 'cards.activate', second)).toMatchObject({
      code: 'IDENTITY_NOT_CHECKED',
    });
    // The member's own card gives the quote (their tier, their rule uses).
    expect(
      await ok('cashier', 'cards.previewActivation', { memberId: first.memberId, amountFen: 50_000 }),
    ).toMatchObject({
      bonusFen: 12_000,
    });
    const added = await ok<{ memberId: string; card: { id: string } }>('cashier', 'cards.activate', {
      ...second,
      identityChecked: true,
    });
    expect(added.memberId).toBe(first.memberId);
    expect(host.ledger.cardsOf(first.memberId).map((card) => card.id)).toEqual(
      expect.arrayContaining([first.card.id, added.card.id]),
    );
  });

  it("writes a blank MIFARE card on its reader in the chain's format once bound, and again on a repeat; with no card there, nothing is bound", async () => {
    const uid = '04BEEF00000777';
    const read = host.hub.next('card.presented', (card) => card.uid === uid);
    await host.simulator!.presentCard(uid);
    // With the chain's keys configured a blank card is not this chain's card yet.
    expect(await read).toMatchObject({ refused: 'CARD_FOREIGN', reader: SIMULATED_READER });
    const request = {
      operationId: ulid(),
      member: { register: { name: '郑洁', phone: phone(), consent } },
      identityChecked: false,
      card: { cardNumber: '8800000000000777', uid, medium: 'mifare', reader: SIMULATED_READER },
    };
    expect(await ok('cashier', 'cards.activate', request)).toMatchObject({
      written: 'issued',
      writeError: null,
    });
    expect(await ok('cashier', 'cards.activate', request)).toMatchObject({
      replayed: true,
      written: 'already-issued',
    });
    // Tapped again, the card now carries its number, verified.
    const again = host.hub.next('card.presented', (card) => card.uid === uid);
    await host.simulator!.presentCard(uid);
    expect(await again).toMatchObject({ cardNumber: '8800000000000777' });
    expect((await again).refused).toBeUndefined();

    // No card on the reader: the card cannot be checked, so nothing is committed and the cashier is told.
    host.simulator!.removeCard();
    const operationId = ulid();
    const error = await refused('cashier', 'cards.activate', {
      operationId,
      member: { register: { name: '郑洁', phone: phone(), consent } },
      identityChecked: false,
      card: {
        cardNumber: '8800000000000778',
        uid: '04BEEF00000778',
        medium: 'mifare',
        reader: SIMULATED_READER,
      },
    });
    expect(error).toMatchObject({ code: 'CARD_REMOVED' });
    expect(host.ledger.card(`card-${operationId}`)).toBeUndefined();
    expect(host.members.profile(`member-${operationId}`)).toBeUndefined();
  });

  it('quotes the opening bonus for a new member before any card exists', async () => {
    expect(await ok('cashier', 'cards.previewActivation', { amountFen: 100_000 })).toMatchObject({
      bonusFen: 30_000,
      points: 1_000,
      rule: '充值送',
    });
    expect(await ok('cashier', 'cards.previewActivation', { amountFen: 9_900 })).toMatchObject({
      bonusFen: 0,
    });
  });
});

describe('the card life-cycle', () => {
  it('lets a cashier report a card lost, and only a manager freeze and unfreeze', async () => {
    const { card } = await activate();
    expect(await refused('cashier', 'cards.freeze', { operationId: ulid(), cardId: card.id })).toMatchObject({
      code: 'COMMAND_FORBIDDEN',
    });
    expect(await ok('manager', 'cards.freeze', { operationId: ulid(), cardId: card.id })).toMatchObject({
      state: 'frozen',
    });
    expect(await ok('manager', 'cards.unfreeze', { operationId: ulid(), cardId: card.id })).toMatchObject({
      state: 'active',
    });
    expect(await ok('cashier', 'cards.reportLost', { operationId: ulid(), cardId: card.id })).toMatchObject({
      state: 'lost',
    });
  });

  it('replaces a card only with a manager approving, moving principal, bonus and points', async () => {
    const { card } = await activate({ openingFen: 10_000 });
    const newCard = { cardNumber: `66${Date.now()}`, medium: 'magstripe' };
    const operationId = ulid();
    expect(
      await refused('cashier', 'cards.replace', { operationId, oldCardId: card.id, newCard }),
    ).toMatchObject({
      code: 'APPROVAL_REQUIRED',
    });
    expect(
      await refused('cashier', 'cards.replace', {
        operationId,
        oldCardId: card.id,
        newCard,
        approver: { staffNo: DEMO.staff.cashier.code, pin: DEMO.staff.cashier.pin },
      }),
    ).toMatchObject({ code: 'APPROVER_NOT_MANAGER' });
    const replaced = await ok<{ moved: unknown; newCard: { id: string }; receiptText: string }>(
      'cashier',
      'cards.replace',
      { operationId, oldCardId: card.id, newCard, approver: manager },
    );
    expect(replaced.moved).toEqual({ principalFen: 10_000, bonusFen: 2_000, points: 100 });
    expect(host.ledger.balance(replaced.newCard.id)).toEqual({
      principalFen: 10_000,
      bonusFen: 2_000,
      points: 100,
    });
    expect(host.ledger.card(card.id)?.state).toBe('replaced');
    expect(replaced.receiptText).toContain('换卡凭证');
  });

  it('shows the closing arithmetic first, then pays the principal back, forfeits the bonus and prints the slip', async () => {
    const { card } = await activate();
    // A top-up straight in the ledger, with a bonus and no points, so nothing blocks the close.
    host.ledger.topUp({
      operationId: ulid(),
      cardId: card.id,
      amountFen: 8_850,
      tender: 'cash',
      bonusFen: 1_150,
      points: 0,
      staffId: DEMO.staff.cashier.id,
      terminalId: DEMO.terminalId,
    });
    const quote = await ok('manager', 'cards.quoteClose', { cardId: card.id });
    expect(quote).toEqual({
      cardId: card.id,
      principalFen: 8_850,
      bonusFen: 1_150,
      points: 0,
      refundFen: 8_850,
      forfeitFen: 1_150,
      forfeitPoints: 0,
      blockedBy: null,
    });
    // Quoting moved nothing.
    expect(host.ledger.balance(card.id)).toMatchObject({ principalFen: 8_850, bonusFen: 1_150 });
    const closed = await ok<{ principalRefundedFen: number; bonusForfeitedFen: number; receiptText: string }>(
      'manager',
      'cards.close',
      { operationId: ulid(), cardId: card.id, tender: 'cash' },
    );
    expect(closed).toMatchObject({ principalRefundedFen: 8_850, bonusForfeitedFen: 1_150, tender: 'cash' });
    expect(closed.receiptText).toContain('销卡凭证');
    expect(closed.receiptText).toMatch(/退还本金\s+[¥￥]88\.50/);
    expect(closed.receiptText).toMatch(/作废赠送金\s+[¥￥]11\.50/);
    expect(host.ledger.card(card.id)?.state).toBe('closed');
    expect(host.ledger.balance(card.id)).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
    expect(host.ledger.checkInvariants().ok).toBe(true);
  });

  it('closes a card with points only once the member agrees to forfeit them, and prints the count', async () => {
    const { card } = await activate({ openingFen: 10_000 });
    // The quote names the points the member would lose; they no longer block the close.
    expect(await ok('manager', 'cards.quoteClose', { cardId: card.id })).toMatchObject({
      points: 100,
      forfeitPoints: 100,
      blockedBy: null,
    });
    const before = host.ledger.balance(card.id);
    const operations = host.ledger.operationsOf({ limit: 100_000 }).length;
    // Without the confirmation: refused with the count, so the screen can ask; nothing moved.
    expect(
      await refused('manager', 'cards.close', { operationId: ulid(), cardId: card.id, tender: 'cash' }),
    ).toMatchObject({ code: 'CARD_HAS_POINTS', details: { cardId: card.id, points: 100 } });
    expect(host.ledger.balance(card.id)).toEqual(before);
    expect(host.ledger.operationsOf({ limit: 100_000 }).length).toBe(operations);
    // A cashier may not close a card, confirmation or not.
    expect(
      await refused('cashier', 'cards.close', {
        operationId: ulid(),
        cardId: card.id,
        tender: 'cash',
        forfeitPoints: true,
      }),
    ).toMatchObject({ code: 'COMMAND_FORBIDDEN' });
    // `false` is not a confirmation the schema takes: only `true` or nothing.
    expect(
      await refused('manager', 'cards.close', {
        operationId: ulid(),
        cardId: card.id,
        tender: 'cash',
        forfeitPoints: false,
      }),
    ).toMatchObject({ code: 'INPUT_INVALID' });

    const operationId = ulid();
    const closed = await ok<{ pointsForfeited: number; principalRefundedFen: number; receiptText: string }>(
      'manager',
      'cards.close',
      { operationId, cardId: card.id, tender: 'cash', forfeitPoints: true },
    );
    expect(closed).toMatchObject({ pointsForfeited: 100, principalRefundedFen: before.principalFen });
    expect(closed.receiptText).toMatch(/作废积分\s+100/);
    expect(host.ledger.balance(card.id)).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
    expect(host.ledger.card(card.id)?.state).toBe('closed');
    expect(host.ledger.operation(`${operationId}:p`)).toMatchObject({ kind: 'forfeit', points: -100 });
    expect(host.ledger.checkInvariants().ok).toBe(true);
  });

  it("sets a member password once; changing it needs a manager's PIN", async () => {
    const { memberId } = await activate();
    await ok('cashier', 'members.setPassword', { memberId, password: '258036' });
    expect(await refused('cashier', 'members.setPassword', { memberId, password: '258037' })).toMatchObject({
      code: 'INPUT_INVALID',
    });
    expect(await refused('cashier', 'members.resetPassword', { memberId, password: '369147' })).toMatchObject(
      {
        code: 'APPROVAL_REQUIRED',
      },
    );
    await ok('cashier', 'members.resetPassword', { memberId, password: '369147', approver: manager });
    expect(() =>
      host.members.verifyPassword({ memberId, password: '369147', terminalId: DEMO.terminalId }),
    ).not.toThrow();
  });

  it("reads a card's statement for a period with the running balance", async () => {
    const { card } = await activate({ openingFen: 10_000 });
    const statement = await ok<{
      lines: Array<{ kind: string; balance: { totalFen: number } }>;
      receiptText: string;
    }>('cashier', 'members.statement', { cardId: card.id, from: 0, to: Date.now() + 60_000 });
    expect(statement.lines).toHaveLength(1);
    expect(statement.lines[0]).toMatchObject({ kind: 'top_up', balance: { totalFen: 12_000 } });
    expect(statement.receiptText).toContain('余额对账单');
    const empty = await ok<{ lines: unknown[] }>('cashier', 'members.statement', {
      cardId: card.id,
      from: 0,
      to: 1,
    });
    expect(empty.lines).toEqual([]);
  });

  it('queues the statement on the receipt printer when asked, and only then', async () => {
    const { card } = await activate({ openingFen: 10_000 });
    const statementJobs = () =>
      host.ledger.printJobs.list({ limit: 500 }).filter((job) => job.id.startsWith('statement-'));
    const before = statementJobs().length;
    await ok('cashier', 'members.statement', { cardId: card.id, from: 0, to: Date.now() + 60_000 });
    expect(statementJobs()).toHaveLength(before);
    const printed = await ok<{ receiptText: string }>('cashier', 'members.statement', {
      cardId: card.id,
      from: 0,
      to: Date.now() + 60_000,
      print: true,
    });
    expect(printed.receiptText).toContain('余额对账单');
    const jobs = statementJobs();
    expect(jobs).toHaveLength(before + 1);
    expect(jobs.every((job) => job.kind === 'balance')).toBe(true);
  });
});

describe('manual tier change', () => {
  it('needs a manager and a reason, then shows the new tier and leaves an audit line', async () => {
    const tierId = `tier-${ulid()}`;
    openPromotions(host.ledger).defineTier({
      id: tierId,
      storeId: DEMO.storeId,
      name: '金卡会员',
      rank: 5,
      basis: 'top_up',
      thresholdFen: 10_000_000,
      discountBp: 500,
      staffId: DEMO.staff.manager.id,
    });
    const { memberId } = await activate();
    expect(
      await refused('cashier', 'members.changeTier', { memberId, tierId, reason: '老顾客' }),
    ).toMatchObject({ code: 'COMMAND_FORBIDDEN' });
    expect(await refused('manager', 'members.changeTier', { memberId, tierId, reason: '  ' })).toMatchObject({
      code: 'REASON_REQUIRED',
    });
    expect((await ok<{ tier: string | null }>('manager', 'members.get', { memberId })).tier).toBeNull();
    const profile = await ok<{ tier: string | null }>('manager', 'members.changeTier', {
      memberId,
      tierId,
      reason: '老顾客',
    });
    expect(profile.tier).toBe('金卡会员');
    expect(openPromotions(host.ledger).tierOf(memberId)?.id).toBe(tierId);
    const audited = host.ledger.sqlite
      .prepare(
        "SELECT COUNT(*) AS n FROM audit WHERE action = 'member.tier' AND outcome = 'ok' AND details LIKE ?",
      )
      .get(`%${memberId}%`) as { n: number };
    expect(audited.n).toBeGreaterThan(0);
  });
});
