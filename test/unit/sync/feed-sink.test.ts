/**
 * The ledger's feed sink on its own: one ledger's outbox rows, as HQ's feed would carry them, applied to
 * another store's ledger. Covers what the two-store test against HQ cannot arrange on purpose: two stores
 * spending one balance offline, a replaced card, entries the ledger cannot take, and a page that fails whole.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type FeedEntryInput,
  type Ledger,
  nextDay,
  openBusinessDays,
  openFeedSink,
  openLedger,
} from '../../../db';

function storeLedger(letter: 'a' | 'b'): Ledger {
  const ledger = openLedger({ path: ':memory:', checkpointIntervalMs: 0 });
  ledger.createStore({
    id: `store-${letter}`,
    name: `Store ${letter}`,
    timeZone: 'Asia/Shanghai',
    dayCloseHour: 4,
    spendPolicy: 'principal_first',
    singleOperationLimitFen: 1_000_000,
  });
  ledger.createTerminal({ id: `till-${letter}`, storeId: `store-${letter}`, name: 'Till' });
  ledger.createStaff({
    id: `cashier-${letter}`,
    storeId: `store-${letter}`,
    code: '1001',
    name: 'Cashier',
    role: 'cashier',
    pin: '123456',
  });
  ledger.createStaff({
    id: `manager-${letter}`,
    storeId: `store-${letter}`,
    code: '2001',
    name: 'Manager',
    role: 'manager',
    pin: '888888',
  });
  return ledger;
}

let position = 0;

/** What HQ's feed would carry of this ledger's unsent outbox rows; the rows count as sent afterwards. */
function feedOf(ledger: Ledger): FeedEntryInput[] {
  const rows = ledger.outbox.pending(10_000);
  ledger.outbox.markSent(
    rows.map((row) => row.seq),
    Date.now(),
  );
  return rows.map((row) => ({
    position: ++position,
    operationId: row.operationId,
    terminalId: row.terminalId,
    storeId: row.storeId,
    kind: row.kind,
    payload: row.payload,
    createdAt: row.createdAt,
  }));
}

describe('the feed sink', () => {
  let a: Ledger;
  let b: Ledger;
  const cardId = 'card-a-1';

  beforeEach(() => {
    a = storeLedger('a');
    b = storeLedger('b');
    a.createMember({ id: 'member-a-1', storeId: 'store-a', name: '刘洋', terminalId: 'till-a' });
    a.issueCard({
      id: cardId,
      memberId: 'member-a-1',
      cardNumber: '1000000000000104',
      medium: 'keyed',
      terminalId: 'till-a',
      staffId: 'cashier-a',
    });
    a.topUp({
      operationId: 'top-up-a-1',
      cardId,
      amountFen: 10_000,
      bonusFen: 1_000,
      points: 100,
      tender: 'wechat',
      staffId: 'cashier-a',
      terminalId: 'till-a',
    });
    b.outbox.markSent(
      b.outbox.pending(100).map((row) => row.seq),
      Date.now(),
    );
  });

  it('keeps every member account at or above zero when two stores spent one balance offline', () => {
    const sink = openFeedSink(b);
    expect(sink.apply(feedOf(a), { cursor: position })).toEqual({ applied: 3, skipped: 0, repeated: 0 });
    expect(b.balance(cardId)).toEqual({ principalFen: 10_000, bonusFen: 1_000, points: 100 });

    // Both stores charge the card without hearing from each other.
    a.spend({
      operationId: 'spend-a-1',
      cardId,
      amountFen: 8_000,
      staffId: 'cashier-a',
      terminalId: 'till-a',
    });
    b.spend({
      operationId: 'spend-b-1',
      cardId,
      amountFen: 9_000,
      staffId: 'cashier-b',
      terminalId: 'till-b',
    });
    expect(b.balance(cardId)).toEqual({ principalFen: 1_000, bonusFen: 1_000, points: 100 });

    expect(sink.apply(feedOf(a), { cursor: position })).toEqual({ applied: 1, skipped: 0, repeated: 0 });
    // A's 8,000 found 1,000 of principal here; the other 7,000 stands against store A's shortfall account.
    expect(b.balance(cardId)).toEqual({ principalFen: 0, bonusFen: 1_000, points: 100 });
    const shortfall = b.sqlite
      .prepare<[string], { shortfall_fen: number }>(
        'SELECT shortfall_fen FROM feed_applied WHERE operation_id = ?',
      )
      .get('spend-a-1');
    expect(shortfall?.shortfall_fen).toBe(7_000);
    const account = b.sqlite
      .prepare<[string], { debits: number; credits: number }>(
        'SELECT b.debits, b.credits FROM accounts a JOIN balances b ON b.account_id = a.id WHERE a.code = ?',
      )
      .get('store:store-a:feed_shortfall');
    expect(account).toEqual({ debits: 7_000, credits: 0 });
    expect(b.checkInvariants()).toEqual({ ok: true, problems: [] });
    expect(b.operation('spend-a-1')).toMatchObject({ kind: 'spend', amountFen: 8_000, terminalId: 'till-a' });
    // Nothing that came down the feed is queued to go back up: only B's own charge waits.
    expect(b.outbox.pending(100).map((row) => row.operationId)).toEqual(['spend-b-1']);
    expect(b.operationsOf({ terminalId: 'till-b' }).map((op) => op.operationId)).toEqual(['spend-b-1']);
  });

  it('moves a replaced card’s balance to the new card and marks the old one replaced', () => {
    const sink = openFeedSink(b);
    a.issueCard({
      id: 'card-a-2',
      memberId: 'member-a-1',
      cardNumber: '1000000000000105',
      medium: 'keyed',
      terminalId: 'till-a',
      staffId: 'cashier-a',
    });
    a.transferCard({
      operationId: 'transfer-a-1',
      fromCardId: cardId,
      toCardId: 'card-a-2',
      staffId: 'cashier-a',
      approvedBy: 'manager-a',
      terminalId: 'till-a',
    });
    sink.apply(feedOf(a), { cursor: position });
    expect(b.card(cardId)?.state).toBe('replaced');
    expect(b.balance(cardId)).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
    expect(b.balance('card-a-2')).toEqual(a.balance('card-a-2'));
    expect(b.checkInvariants().ok).toBe(true);
  });

  it('takes lapsed bonus and redeemed points off the card as the origin did', () => {
    const sink = openFeedSink(b);
    a.forfeitBonus({
      operationId: 'expiry-a-1',
      kind: 'expiry',
      cardId,
      amountFen: 400,
      staffId: 'manager-a',
      terminalId: 'till-a',
    });
    a.redeemPoints({
      operationId: 'points-a-1',
      cardId,
      points: 60,
      staffId: 'cashier-a',
      terminalId: 'till-a',
    });
    expect(sink.apply(feedOf(a), { cursor: position })).toMatchObject({ applied: 5, skipped: 0 });
    expect(b.balance(cardId)).toEqual(a.balance(cardId));
    expect(b.balance(cardId)).toEqual({ principalFen: 10_000, bonusFen: 600, points: 40 });
    expect(b.checkInvariants().ok).toBe(true);
  });

  it('dates another store’s charge into the next open day when this store already closed its day', () => {
    const sinkAtA = openFeedSink(a);
    const sinkAtB = openFeedSink(b);
    b.createMember({ id: 'member-b-1', storeId: 'store-b', name: '孙伟', terminalId: 'till-b' });
    b.issueCard({
      id: 'card-b-1',
      memberId: 'member-b-1',
      cardNumber: '1000000000000204',
      medium: 'keyed',
      terminalId: 'till-b',
      staffId: 'cashier-b',
    });
    b.topUp({
      operationId: 'top-up-b-1',
      cardId: 'card-b-1',
      amountFen: 5_000,
      bonusFen: 0,
      points: 0,
      tender: 'cash',
      staffId: 'cashier-b',
      terminalId: 'till-b',
    });
    sinkAtA.apply(feedOf(b), { cursor: position });
    a.spend({
      operationId: 'spend-a-b1',
      cardId: 'card-b-1',
      amountFen: 1_000,
      staffId: 'cashier-a',
      terminalId: 'till-a',
    });

    const days = openBusinessDays(b);
    const today = b.businessDayOf('store-b', Date.now());
    expect(days.closeDay({ storeId: 'store-b', businessDay: today, managerId: 'manager-b' }).balanced).toBe(
      true,
    );
    sinkAtB.apply(feedOf(a), { cursor: position });

    expect(b.operation('spend-a-b1')?.businessDay).toBe(nextDay(today));
    expect(b.balance('card-b-1').principalFen).toBe(4_000);
    expect(days.zReport('store-b', nextDay(today)).balanced).toBe(true);
    expect(days.storedZReport('store-b', today).balanced).toBe(true);
  });

  it('sets aside what it cannot take, applies the rest, and takes nothing twice', () => {
    const sink = openFeedSink(b);
    const page: FeedEntryInput[] = [
      {
        position: ++position,
        operationId: 'hq-state-unknown',
        terminalId: 'hq',
        storeId: 'store-a',
        kind: 'card_state_changed',
        payload: { card: { id: 'card-nobody-issued' }, state: 'lost', by: 'hq' },
        createdAt: Date.now(),
      },
      ...feedOf(a),
      {
        position: ++position,
        operationId: 'future-kind',
        terminalId: 'till-a',
        storeId: 'store-a',
        kind: 'gift_card_minted',
        payload: {},
        createdAt: Date.now(),
      },
    ];
    expect(sink.apply(page, { cursor: position })).toEqual({ applied: 3, skipped: 2, repeated: 0 });
    expect(sink.skipped().map((entry) => [entry.operationId, entry.code])).toEqual([
      ['hq-state-unknown', 'CARD_UNKNOWN'],
      ['future-kind', 'UNKNOWN_KIND'],
    ]);
    expect(sink.apply(page, { cursor: position })).toEqual({ applied: 0, skipped: 0, repeated: 5 });
    expect(b.balance(cardId)).toEqual({ principalFen: 10_000, bonusFen: 1_000, points: 100 });
    expect(sink.cursor()).toBe(position);
    expect(b.verifyAuditChain().ok).toBe(true);
  });

  it('applies nothing of a page, cursor included, when one entry breaks the write', () => {
    const sink = openFeedSink(b);
    const entries = feedOf(a);
    const broken = { ...entries[2]!, operationId: undefined as unknown as string, position: ++position };
    expect(() => sink.apply([...entries, broken], { cursor: position })).toThrow();
    expect(b.card(cardId)).toBeUndefined();
    expect(sink.cursor()).toBe(0);
    expect(sink.apply(entries, { cursor: entries[2]!.position })).toMatchObject({ applied: 3 });
    expect(b.balance(cardId).principalFen).toBe(10_000);
  });
});
