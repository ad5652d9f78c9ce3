import { afterAll, describe, expect, it } from 'vitest';
import { businessDay, businessDayMemo } from '../../../db/business-day';
import { cashier, closeAll, codeOf, DEMO, demoLedger, manager, terminalId } from './support';

afterAll(closeAll);

const uidCard = DEMO.cards.uid.id;
const at = { staffId: cashier, terminalId };

describe('business day', () => {
  it('belongs to the previous local date before the day-close hour (Shanghai, close at 04:00)', () => {
    // 2026-03-02 03:59 Shanghai = 2026-03-01 19:59 UTC
    expect(businessDay(Date.UTC(2026, 2, 1, 19, 59), 'Asia/Shanghai', 4)).toBe('2026-03-01');
    // 2026-03-02 04:00 Shanghai
    expect(businessDay(Date.UTC(2026, 2, 1, 20, 0), 'Asia/Shanghai', 4)).toBe('2026-03-02');
    // Year boundary: 2027-01-01 01:00 Shanghai still belongs to 2026-12-31.
    expect(businessDay(Date.UTC(2026, 11, 31, 17, 0), 'Asia/Shanghai', 4)).toBe('2026-12-31');
    // Midnight close is the calendar date.
    expect(businessDay(Date.UTC(2026, 2, 1, 16, 0), 'Asia/Shanghai', 0)).toBe('2026-03-02');
  });

  it('follows daylight-saving zones by their local clock', () => {
    // New York, 2026-03-08 is the spring-forward day; 01:30 local (EST) with close at 03:00 is still 03-07.
    expect(businessDay(Date.UTC(2026, 2, 8, 6, 30), 'America/New_York', 3)).toBe('2026-03-07');
    // 03:30 local (EDT) is the new day.
    expect(businessDay(Date.UTC(2026, 2, 8, 7, 30), 'America/New_York', 3)).toBe('2026-03-08');
  });

  it('is stored on each operation, so a late-night sale is counted in the day it belongs to', () => {
    const { ledger, time } = demoLedger();
    time.set(Date.UTC(2026, 2, 2, 18, 30)); // 02:30 on 03-03 in Shanghai
    const late = ledger.spend({ operationId: 'op-late', cardId: uidCard, amountFen: 100, ...at });
    time.set(Date.UTC(2026, 2, 2, 20, 30)); // 04:30 on 03-03
    const early = ledger.spend({ operationId: 'op-early', cardId: uidCard, amountFen: 100, ...at });
    expect([late.businessDay, early.businessDay]).toEqual(['2026-03-02', '2026-03-03']);
    expect(
      ledger.operationsOf({ businessDay: '2026-03-02', kinds: ['spend'] }).map((o) => o.operationId),
    ).toEqual(['op-late']);
    expect(ledger.businessDayOf(DEMO.storeId, Date.UTC(2026, 2, 2, 18, 30))).toBe('2026-03-02');
  });
});

describe('statement', () => {
  it('lists each operation in the period with its signed change and the running balance', () => {
    const { ledger, time } = demoLedger();
    const from = time.now();
    ledger.spend({ operationId: 'op-1', cardId: uidCard, amountFen: 52_000, ...at });
    ledger.topUp({
      operationId: 'op-2',
      cardId: uidCard,
      amountFen: 10_000,
      tender: 'cash',
      bonusFen: 1_000,
      points: 50,
      ...at,
    });
    ledger.refund({
      operationId: 'op-3',
      originalOperationId: 'op-1',
      amountFen: 2_000,
      approvedBy: manager,
      ...at,
    });
    const lines = ledger.statement(uidCard, { from, to: time.now() + 1 });
    expect(
      lines.map((l) => [l.operationId, l.principalDeltaFen, l.bonusDeltaFen, l.pointsDelta, l.balanceAfter]),
    ).toEqual([
      ['op-1', -50_000, -2_000, 0, { principalFen: 0, bonusFen: 8_000, points: 500 }],
      ['op-2', 10_000, 1_000, 50, { principalFen: 10_000, bonusFen: 9_000, points: 550 }],
      // The spend took 50,000:2,000 (25:1); 2,000 back is floor(2,000 × 2,000 / 52,000) = 76 bonus.
      ['op-3', 1_924, 76, 0, { principalFen: 11_924, bonusFen: 9_076, points: 550 }],
    ]);
    expect(lines.at(-1)?.balanceAfter).toEqual(ledger.balance(uidCard));
  });

  it('carries the balance from before the period into its first line', () => {
    const { ledger, time } = demoLedger();
    ledger.spend({ operationId: 'op-before', cardId: uidCard, amountFen: 1_000, ...at });
    time.advance(60_000);
    const from = time.now();
    ledger.spend({ operationId: 'op-in', cardId: uidCard, amountFen: 1_000, ...at });
    const lines = ledger.statement(uidCard, { from, to: from + 60_000 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.balanceAfter.principalFen).toBe(48_000);
  });

  it('shows a card transfer on both cards', () => {
    const { ledger } = demoLedger();
    ledger.issueCard({
      id: 'card-2',
      memberId: DEMO.members.uid.id,
      cardNumber: '8800000000000077',
      medium: 'keyed',
      ...at,
    });
    ledger.transferCard({
      operationId: 'op-tr',
      fromCardId: uidCard,
      toCardId: 'card-2',
      approvedBy: manager,
      ...at,
    });
    const period = { from: 0, to: Number.MAX_SAFE_INTEGER };
    expect(ledger.statement(uidCard, period).at(-1)).toMatchObject({
      operationId: 'op-tr',
      principalDeltaFen: -50_000,
      balanceAfter: { principalFen: 0, bonusFen: 0, points: 0 },
    });
    expect(ledger.statement('card-2', period).at(-1)).toMatchObject({
      operationId: 'op-tr',
      principalDeltaFen: 50_000,
    });
  });
});

describe('operations of a shift or day', () => {
  it('filters by staff, terminal, card, kind and time window, in commit order', () => {
    const { ledger, time } = demoLedger();
    const shiftStart = time.now();
    ledger.spend({ operationId: 'op-a', cardId: uidCard, amountFen: 100, ...at });
    ledger.spend({
      operationId: 'op-b',
      cardId: DEMO.cards.mifare.id,
      amountFen: 100,
      staffId: manager,
      terminalId,
    });
    const shiftEnd = time.now();
    ledger.spend({ operationId: 'op-c', cardId: uidCard, amountFen: 100, ...at });
    expect(
      ledger.operationsOf({ staffId: cashier, from: shiftStart, to: shiftEnd }).map((o) => o.operationId),
    ).toEqual(['op-a']);
    expect(ledger.operationsOf({ cardId: uidCard, kinds: ['spend'] }).map((o) => o.operationId)).toEqual([
      'op-a',
      'op-c',
    ]);
    expect(ledger.operationsOf({ terminalId, kinds: ['spend'], limit: 2 })).toHaveLength(2);
    expect(codeOf(() => ledger.operationsOf({ limit: 0 }))).toBe('INPUT_INVALID');
  });

  it('gives the latest operations newest first, and says which were voided and by what', () => {
    const { ledger } = demoLedger();
    ledger.spend({ operationId: 'op-1', cardId: uidCard, amountFen: 100, ...at });
    ledger.spend({ operationId: 'op-2', cardId: uidCard, amountFen: 100, ...at });
    ledger.voidOperation({ operationId: 'op-v', targetOperationId: 'op-2', approvedBy: manager, ...at });
    const latest = ledger.operationsOf({ cardId: uidCard, order: 'newest_first', limit: 3 });
    expect(latest.map((o) => [o.operationId, o.voidedBy])).toEqual([
      ['op-v', null],
      ['op-2', 'op-v'],
      ['op-1', null],
    ]);
    expect(ledger.operation('op-2')?.voidedBy).toBe('op-v');
  });
});

describe('card lookup', () => {
  it('finds a card by UID in any hex spelling, with its member and balance', () => {
    const { ledger } = demoLedger();
    const found = ledger.findCardByUid('04 a1 b2 c3 d4 e5 f6');
    expect(found).toMatchObject({
      id: uidCard,
      uid: '04A1B2C3D4E5F6',
      member: { id: DEMO.members.uid.id, name: DEMO.members.uid.name },
      balance: { principalFen: 50_000, bonusFen: 10_000, points: 500 },
    });
    expect(ledger.findCardByUid('04A1B2C3D4E5F7')).toBeUndefined();
    expect(codeOf(() => ledger.findCardByUid('zz'))).toBe('INPUT_INVALID');
  });

  it('finds a card by its number', () => {
    const { ledger } = demoLedger();
    expect(ledger.findCardByNumber('6200000000000003')?.medium).toBe('magstripe');
    expect(ledger.findCardByNumber('0000')).toBeUndefined();
  });

  it('refuses a second card with the same number or UID', () => {
    const { ledger } = demoLedger();
    const card = { memberId: DEMO.members.keyed.id, medium: 'uid' as const, ...at };
    expect(codeOf(() => ledger.issueCard({ ...card, id: 'c1', cardNumber: '8800000000000002' }))).toBe(
      'CARD_NUMBER_TAKEN',
    );
    expect(
      codeOf(() => ledger.issueCard({ ...card, id: 'c2', cardNumber: '1', uid: '04a1b2c3d4e5f6' })),
    ).toBe('CARD_UID_TAKEN');
  });
});

describe('business day memo', () => {
  it('agrees with the direct computation across day-close boundaries in 15-minute zones', () => {
    for (const [zone, close] of [
      ['Asia/Shanghai', 4],
      ['Asia/Kathmandu', 3],
      ['America/New_York', 2],
    ] as const) {
      const memo = businessDayMemo(zone, close);
      for (let at = Date.UTC(2026, 2, 7, 0, 0); at < Date.UTC(2026, 2, 10, 0, 0); at += 7 * 60_000 + 13_000) {
        expect(memo(at)).toBe(businessDay(at, zone, close));
      }
    }
  });
});
