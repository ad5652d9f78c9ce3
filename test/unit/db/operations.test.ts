import { afterAll, describe, expect, it } from 'vitest';
import { cashier, closeAll, codeOf, DEMO, demoLedger, manager, terminalId } from './support';

afterAll(closeAll);

const uidCard = DEMO.cards.uid.id; // opening: principal 50,000 / bonus 10,000 / points 500
const keyedCard = DEMO.cards.keyed.id; // empty
const at = { staffId: cashier, terminalId };

function auditCount(ledger: ReturnType<typeof demoLedger>['ledger']): number {
  return (ledger.sqlite.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n;
}

function ledgerCounts(ledger: ReturnType<typeof demoLedger>['ledger']) {
  const count = (table: string) =>
    (ledger.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { operations: count('operations'), transfers: count('transfers'), outbox: count('outbox') };
}

describe('top-up', () => {
  it('credits principal, bonus and points, debiting the tender, bonus expense and points issued', () => {
    const { ledger } = demoLedger();
    const result = ledger.topUp({
      operationId: 'op-topup-1',
      cardId: keyedCard,
      amountFen: 10_000,
      tender: 'wechat',
      tenderReference: 'WX-4200001',
      bonusFen: 2_000,
      points: 100,
      ...at,
    });
    expect(result).toMatchObject({
      kind: 'top_up',
      amountFen: 10_000,
      principalFen: 10_000,
      bonusFen: 2_000,
      points: 100,
      balanceAfter: { principalFen: 10_000, bonusFen: 2_000, points: 100 },
      replayed: false,
    });
    expect(ledger.balance(keyedCard)).toEqual({ principalFen: 10_000, bonusFen: 2_000, points: 100 });
    const legs = ledger.sqlite
      .prepare(
        `SELECT d.code AS debit, c.code AS credit, t.amount FROM transfers t
         JOIN operations o ON o.seq = t.operation_seq JOIN accounts d ON d.id = t.debit_account_id
         JOIN accounts c ON c.id = t.credit_account_id WHERE o.id = ? ORDER BY t.id`,
      )
      .all('op-topup-1');
    expect(legs).toEqual([
      {
        debit: `store:${DEMO.storeId}:clearing_wechat`,
        credit: `card:${keyedCard}:principal`,
        amount: 10_000,
      },
      { debit: `store:${DEMO.storeId}:bonus_expense`, credit: `card:${keyedCard}:bonus`, amount: 2_000 },
      { debit: `store:${DEMO.storeId}:points_issued`, credit: `card:${keyedCard}:points`, amount: 100 },
    ]);
    expect(ledger.checkInvariants()).toEqual({ ok: true, problems: [] });
  });

  it('puts cash straight into the cash drawer and writes no zero transfers', () => {
    const { ledger } = demoLedger();
    ledger.topUp({
      operationId: 'op-cash',
      cardId: keyedCard,
      amountFen: 500,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
      ...at,
    });
    const legs = ledger.sqlite
      .prepare(
        `SELECT d.code AS debit, t.amount FROM transfers t JOIN operations o ON o.seq = t.operation_seq
         JOIN accounts d ON d.id = t.debit_account_id WHERE o.id = 'op-cash'`,
      )
      .all();
    expect(legs).toEqual([{ debit: `store:${DEMO.storeId}:cash_drawer`, amount: 500 }]);
  });

  it('writes the operation, its transfers, an audit line and an outbox row together', () => {
    const { ledger } = demoLedger();
    const before = ledgerCounts(ledger);
    ledger.topUp({
      operationId: 'op-x',
      cardId: keyedCard,
      amountFen: 100,
      tender: 'alipay',
      bonusFen: 10,
      points: 1,
      ...at,
    });
    expect(ledgerCounts(ledger)).toEqual({
      operations: before.operations + 1,
      transfers: before.transfers + 3,
      outbox: before.outbox + 1,
    });
    const row = ledger.outbox.pending(1000).find((r) => r.operationId === 'op-x');
    expect(row).toMatchObject({ kind: 'top_up', terminalId, storeId: DEMO.storeId, sentAt: null });
    expect(row?.payload).toMatchObject({
      card: { id: keyedCard, cardNumber: DEMO.cards.keyed.cardNumber },
      staff: { id: cashier, code: '1001' },
      tender: 'alipay',
      transfers: [
        {
          debit: `store:${DEMO.storeId}:clearing_alipay`,
          credit: `card:${keyedCard}:principal`,
          amount: 100,
          unit: 'fen',
        },
        {
          debit: `store:${DEMO.storeId}:bonus_expense`,
          credit: `card:${keyedCard}:bonus`,
          amount: 10,
          unit: 'fen',
        },
        {
          debit: `store:${DEMO.storeId}:points_issued`,
          credit: `card:${keyedCard}:points`,
          amount: 1,
          unit: 'points',
        },
      ],
    });
  });

  it.each([
    ['zero', 0],
    ['negative', -100],
    ['fractional fen', 10.5],
    ['over the single-operation limit (¥50,000)', 5_000_001],
    ['not a number', '100' as unknown as number],
  ])(
    'refuses an amount that is %s with AMOUNT_INVALID and writes only a rejected audit line',
    (_, amountFen) => {
      const { ledger } = demoLedger();
      const before = ledgerCounts(ledger);
      const audits = auditCount(ledger);
      expect(
        codeOf(() =>
          ledger.topUp({
            operationId: 'op-bad',
            cardId: keyedCard,
            amountFen,
            tender: 'cash',
            bonusFen: 0,
            points: 0,
            ...at,
          }),
        ),
      ).toBe('AMOUNT_INVALID');
      expect(ledgerCounts(ledger)).toEqual(before);
      expect(auditCount(ledger)).toBe(audits + 1);
      expect(
        ledger.sqlite.prepare('SELECT outcome, code, operation_id FROM audit ORDER BY id DESC LIMIT 1').get(),
      ).toEqual({
        outcome: 'rejected',
        code: 'AMOUNT_INVALID',
        operation_id: 'op-bad',
      });
    },
  );

  it('accepts exactly the single-operation limit', () => {
    const { ledger } = demoLedger();
    const result = ledger.topUp({
      operationId: 'op-max',
      cardId: keyedCard,
      amountFen: 5_000_000,
      tender: 'bank_transfer',
      bonusFen: 0,
      points: 0,
      ...at,
    });
    expect(result.balanceAfter.principalFen).toBe(5_000_000);
  });

  it('refuses a negative bonus or fractional points, and an unknown tender', () => {
    const { ledger } = demoLedger();
    const base = { operationId: 'op-b', cardId: keyedCard, amountFen: 100, tender: 'cash' as const, ...at };
    expect(codeOf(() => ledger.topUp({ ...base, bonusFen: -1, points: 0 }))).toBe('AMOUNT_INVALID');
    expect(codeOf(() => ledger.topUp({ ...base, bonusFen: 0, points: 1.5 }))).toBe('AMOUNT_INVALID');
    expect(codeOf(() => ledger.topUp({ ...base, bonusFen: 0, points: 0, tender: 'paypal' as never }))).toBe(
      'TENDER_INVALID',
    );
  });

  it('refuses unknown cards, staff and terminals', () => {
    const { ledger } = demoLedger();
    const base = { operationId: 'op-u', amountFen: 100, tender: 'cash' as const, bonusFen: 0, points: 0 };
    expect(codeOf(() => ledger.topUp({ ...base, cardId: 'nope', ...at }))).toBe('CARD_UNKNOWN');
    expect(codeOf(() => ledger.topUp({ ...base, cardId: keyedCard, staffId: 'nobody', terminalId }))).toBe(
      'STAFF_UNKNOWN',
    );
    expect(
      codeOf(() => ledger.topUp({ ...base, cardId: keyedCard, staffId: cashier, terminalId: 'x' })),
    ).toBe('TERMINAL_UNKNOWN');
  });
});

describe('idempotency', () => {
  it('returns the first result when the same operation id is replayed with the same content', () => {
    const { ledger } = demoLedger();
    const input = { operationId: 'op-r', cardId: uidCard, amountFen: 1_000, ...at };
    const first = ledger.spend(input);
    const before = ledgerCounts(ledger);
    const again = ledger.spend(input);
    expect(again).toEqual({ ...first, replayed: true });
    expect(ledgerCounts(ledger)).toEqual(before);
    expect(ledger.balance(uidCard).principalFen).toBe(49_000);
  });

  it('refuses the same id with different content as IDEMPOTENCY_CONFLICT', () => {
    const { ledger } = demoLedger();
    ledger.spend({ operationId: 'op-c', cardId: uidCard, amountFen: 1_000, ...at });
    expect(
      codeOf(() => ledger.spend({ operationId: 'op-c', cardId: uidCard, amountFen: 1_001, ...at })),
    ).toBe('IDEMPOTENCY_CONFLICT');
    expect(
      codeOf(() =>
        ledger.topUp({
          operationId: 'op-c',
          cardId: uidCard,
          amountFen: 1_000,
          tender: 'cash',
          bonusFen: 0,
          points: 0,
          ...at,
        }),
      ),
    ).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('lets a refused id be used again once the request can succeed', () => {
    const { ledger } = demoLedger();
    expect(
      codeOf(() => ledger.spend({ operationId: 'op-later', cardId: keyedCard, amountFen: 100, ...at })),
    ).toBe('BALANCE_INSUFFICIENT');
    ledger.topUp({
      operationId: 'op-fund',
      cardId: keyedCard,
      amountFen: 100,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
      ...at,
    });
    expect(ledger.spend({ operationId: 'op-later', cardId: keyedCard, amountFen: 100, ...at }).replayed).toBe(
      false,
    );
  });
});

describe('spend', () => {
  it('takes principal first under the demo store policy, then bonus, and records the split', () => {
    const { ledger } = demoLedger();
    const result = ledger.spend({
      operationId: 'op-s',
      cardId: uidCard,
      amountFen: 55_000,
      memo: '拿铁 ×2',
      ...at,
    });
    expect(result).toMatchObject({
      principalFen: 50_000,
      bonusFen: 5_000,
      balanceAfter: { principalFen: 0, bonusFen: 5_000 },
    });
    expect(ledger.operation('op-s')).toMatchObject({
      principalFen: 50_000,
      bonusFen: 5_000,
      memo: '拿铁 ×2',
    });
  });

  it('refuses more than principal plus bonus with BALANCE_INSUFFICIENT and leaves the card as it was', () => {
    const { ledger } = demoLedger();
    expect(
      codeOf(() => ledger.spend({ operationId: 'op-big', cardId: uidCard, amountFen: 60_001, ...at })),
    ).toBe('BALANCE_INSUFFICIENT');
    expect(ledger.balance(uidCard)).toEqual({ principalFen: 50_000, bonusFen: 10_000, points: 500 });
    expect(ledger.operation('op-big')).toBeUndefined();
  });

  it('follows bonus_first and proportional policies of other stores', () => {
    const { ledger } = demoLedger();
    for (const [id, policy] of [
      ['store-bonus', 'bonus_first'],
      ['store-prop', 'proportional'],
    ] as const) {
      ledger.createStore({
        id,
        name: id,
        timeZone: 'Asia/Shanghai',
        dayCloseHour: 4,
        spendPolicy: policy,
        singleOperationLimitFen: 1_000_000,
      });
      ledger.createTerminal({ id: `${id}-t`, storeId: id, name: 'till' });
    }
    // The uid card holds 50,000 principal and 10,000 bonus (5:1).
    const bonusFirst = ledger.spend({
      operationId: 'op-bf',
      cardId: uidCard,
      amountFen: 12_000,
      staffId: cashier,
      terminalId: 'store-bonus-t',
    });
    expect(bonusFirst).toMatchObject({ principalFen: 2_000, bonusFen: 10_000 });
    // Now 48,000 / 0 on uid; use the mifare card (100,000 / 20,000) for proportional: bonus share floor(1001 × 1/6) = 166.
    const proportional = ledger.spend({
      operationId: 'op-pr',
      cardId: DEMO.cards.mifare.id,
      amountFen: 1_001,
      staffId: cashier,
      terminalId: 'store-prop-t',
    });
    expect(proportional).toMatchObject({ principalFen: 835, bonusFen: 166 });
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it.each([
    ['frozen', 'CARD_FROZEN'],
    ['lost', 'CARD_LOST'],
  ] as const)('refuses a %s card with %s', (state, code) => {
    const { ledger } = demoLedger();
    ledger.setCardState({ operationId: `op-state-${state}`, cardId: uidCard, state, ...at });
    expect(codeOf(() => ledger.spend({ operationId: 'op-s2', cardId: uidCard, amountFen: 1, ...at }))).toBe(
      code,
    );
  });
});

describe('refund of a spend', () => {
  it('needs an approving manager', () => {
    const { ledger } = demoLedger();
    ledger.spend({ operationId: 'op-s', cardId: uidCard, amountFen: 6_000, ...at });
    const refund = { operationId: 'op-rf', originalOperationId: 'op-s', amountFen: 6_000, ...at };
    expect(codeOf(() => ledger.refund(refund))).toBe('APPROVAL_REQUIRED');
    expect(codeOf(() => ledger.refund({ ...refund, approvedBy: cashier }))).toBe('APPROVER_NOT_MANAGER');
    expect(ledger.refund({ ...refund, approvedBy: manager }).replayed).toBe(false);
    expect(ledger.operation('op-rf')?.approvedBy).toBe(manager);
  });

  it('gives back principal and bonus in the proportion the spend took them, exactly over several parts', () => {
    const { ledger } = demoLedger();
    // principal-first: 55,001 takes 50,000 principal and 5,001 bonus.
    ledger.spend({ operationId: 'op-s', cardId: uidCard, amountFen: 55_001, ...at });
    const parts = [10_000, 20_000, 25_001];
    let principal = 0;
    let bonus = 0;
    parts.forEach((amountFen, index) => {
      const r = ledger.refund({
        operationId: `op-rf-${index}`,
        originalOperationId: 'op-s',
        amountFen,
        approvedBy: manager,
        ...at,
      });
      expect(r.principalFen + r.bonusFen).toBe(amountFen);
      principal += r.principalFen;
      bonus += r.bonusFen;
    });
    expect({ principal, bonus }).toEqual({ principal: 50_000, bonus: 5_001 });
    expect(ledger.balance(uidCard)).toEqual({ principalFen: 50_000, bonusFen: 10_000, points: 500 });
  });

  it('refuses more than what is left of the spend, and refunds of anything but a spend', () => {
    const { ledger } = demoLedger();
    ledger.spend({ operationId: 'op-s', cardId: uidCard, amountFen: 1_000, ...at });
    ledger.refund({
      operationId: 'op-rf1',
      originalOperationId: 'op-s',
      amountFen: 600,
      approvedBy: manager,
      ...at,
    });
    const more = {
      operationId: 'op-rf2',
      originalOperationId: 'op-s',
      amountFen: 401,
      approvedBy: manager,
      ...at,
    };
    expect(codeOf(() => ledger.refund(more))).toBe('REFUND_EXCEEDS_ORIGINAL');
    expect(
      codeOf(() => ledger.refund({ ...more, originalOperationId: 'demo-opening-uid', amountFen: 1 })),
    ).toBe('OPERATION_NOT_REFUNDABLE');
    expect(codeOf(() => ledger.refund({ ...more, originalOperationId: 'nothing' }))).toBe(
      'OPERATION_UNKNOWN',
    );
  });
});

describe('withdrawal of principal (提现)', () => {
  it('pays out principal only, through the chosen tender, with a manager approving', () => {
    const { ledger } = demoLedger();
    const input = { operationId: 'op-w', cardId: uidCard, amountFen: 50_000, tender: 'cash' as const, ...at };
    expect(codeOf(() => ledger.withdraw(input))).toBe('APPROVAL_REQUIRED');
    const result = ledger.withdraw({ ...input, approvedBy: manager });
    expect(result.balanceAfter).toEqual({ principalFen: 0, bonusFen: 10_000, points: 500 });
  });

  it('never pays out bonus: more than principal is BALANCE_INSUFFICIENT', () => {
    const { ledger } = demoLedger();
    expect(
      codeOf(() =>
        ledger.withdraw({
          operationId: 'op-w',
          cardId: uidCard,
          amountFen: 50_001,
          tender: 'cash',
          approvedBy: manager,
          ...at,
        }),
      ),
    ).toBe('BALANCE_INSUFFICIENT');
  });
});

describe('void', () => {
  it('reverses the last operation on a card with mirrored transfers', () => {
    const { ledger } = demoLedger();
    ledger.topUp({
      operationId: 'op-t',
      cardId: uidCard,
      amountFen: 1_000,
      tender: 'unionpay',
      bonusFen: 100,
      points: 10,
      ...at,
    });
    const result = ledger.voidOperation({
      operationId: 'op-v',
      targetOperationId: 'op-t',
      approvedBy: manager,
      ...at,
    });
    expect(result.balanceAfter).toEqual({ principalFen: 50_000, bonusFen: 10_000, points: 500 });
    const unionpay = ledger.sqlite
      .prepare(
        `SELECT b.debits, b.credits FROM balances b JOIN accounts a ON a.id = b.account_id WHERE a.code = ?`,
      )
      .get(`store:${DEMO.storeId}:clearing_unionpay`);
    expect(unionpay).toEqual({ debits: 1_000, credits: 1_000 });
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('refuses anything but the last operation, a second void, and voiding a void', () => {
    const { ledger } = demoLedger();
    ledger.spend({ operationId: 'op-1', cardId: uidCard, amountFen: 100, ...at });
    ledger.spend({ operationId: 'op-2', cardId: uidCard, amountFen: 100, ...at });
    const v = { approvedBy: manager, ...at };
    expect(
      codeOf(() => ledger.voidOperation({ operationId: 'op-v1', targetOperationId: 'op-1', ...v })),
    ).toBe('VOID_NOT_LAST');
    ledger.voidOperation({ operationId: 'op-v2', targetOperationId: 'op-2', ...v });
    expect(
      codeOf(() => ledger.voidOperation({ operationId: 'op-v3', targetOperationId: 'op-2', ...v })),
    ).toBe('OPERATION_ALREADY_VOIDED');
    expect(
      codeOf(() => ledger.voidOperation({ operationId: 'op-v4', targetOperationId: 'op-v2', ...v })),
    ).toBe('VOID_NOT_ALLOWED');
    expect(
      codeOf(() => ledger.voidOperation({ operationId: 'op-v5', targetOperationId: 'op-2', ...at })),
    ).toBe('APPROVAL_REQUIRED');
  });

  it('makes a voided spend unrefundable', () => {
    const { ledger } = demoLedger();
    ledger.spend({ operationId: 'op-s', cardId: uidCard, amountFen: 100, ...at });
    ledger.voidOperation({ operationId: 'op-v', targetOperationId: 'op-s', approvedBy: manager, ...at });
    expect(
      codeOf(() =>
        ledger.refund({
          operationId: 'op-r',
          originalOperationId: 'op-s',
          amountFen: 100,
          approvedBy: manager,
          ...at,
        }),
      ),
    ).toBe('OPERATION_NOT_REFUNDABLE');
  });
});

describe('card-to-card transfer (replacing a lost card)', () => {
  it('moves principal, bonus and points to the new card and marks the old one replaced', () => {
    const { ledger } = demoLedger();
    ledger.setCardState({
      operationId: 'op-lost',
      cardId: uidCard,
      state: 'lost',
      reason: 'member reported it',
      ...at,
    });
    ledger.issueCard({
      id: 'card-new',
      memberId: DEMO.members.uid.id,
      cardNumber: '8800000000000099',
      medium: 'mifare',
      ...at,
    });
    const result = ledger.transferCard({
      operationId: 'op-tr',
      fromCardId: uidCard,
      toCardId: 'card-new',
      approvedBy: manager,
      ...at,
    });
    expect(result).toMatchObject({
      cardId: 'card-new',
      principalFen: 50_000,
      bonusFen: 10_000,
      points: 500,
      balanceAfter: { principalFen: 50_000, bonusFen: 10_000, points: 500 },
    });
    expect(ledger.balance(uidCard)).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
    expect(ledger.card(uidCard)?.state).toBe('replaced');
    expect(codeOf(() => ledger.spend({ operationId: 'op-old', cardId: uidCard, amountFen: 1, ...at }))).toBe(
      'CARD_REPLACED',
    );
    expect(
      codeOf(() =>
        ledger.voidOperation({
          operationId: 'op-vt',
          targetOperationId: 'op-tr',
          approvedBy: manager,
          ...at,
        }),
      ),
    ).toBe('VOID_NOT_ALLOWED');
  });

  it("refuses a transfer to another member's card", () => {
    const { ledger } = demoLedger();
    expect(
      codeOf(() =>
        ledger.transferCard({
          operationId: 'op-tr',
          fromCardId: uidCard,
          toCardId: keyedCard,
          approvedBy: manager,
          ...at,
        }),
      ),
    ).toBe('CARD_MEMBER_MISMATCH');
  });
});

describe('card states', () => {
  it('allows freezing and unfreezing, refuses closing a card that still holds value', () => {
    const { ledger } = demoLedger();
    expect(ledger.setCardState({ operationId: 'op-f', cardId: uidCard, state: 'frozen', ...at }).state).toBe(
      'frozen',
    );
    expect(ledger.setCardState({ operationId: 'op-a', cardId: uidCard, state: 'active', ...at }).state).toBe(
      'active',
    );
    expect(
      codeOf(() => ledger.setCardState({ operationId: 'op-c', cardId: uidCard, state: 'closed', ...at })),
    ).toBe('CARD_HAS_BALANCE');
    expect(
      ledger.setCardState({ operationId: 'op-k', cardId: keyedCard, state: 'closed', ...at }).state,
    ).toBe('closed');
    expect(
      codeOf(() => ledger.setCardState({ operationId: 'op-k2', cardId: keyedCard, state: 'active', ...at })),
    ).toBe('CARD_STATE_INVALID');
    expect(ledger.outbox.pending(1000).filter((row) => row.kind === 'card_state')).toHaveLength(3);
  });
});

describe('history is append-only', () => {
  it('refuses to update or delete transfers and operations', () => {
    const { ledger } = demoLedger();
    expect(() => ledger.sqlite.prepare('UPDATE transfers SET amount = amount + 1').run()).toThrow(
      /LEDGER_IMMUTABLE/,
    );
    expect(() => ledger.sqlite.prepare('DELETE FROM transfers').run()).toThrow(/LEDGER_IMMUTABLE/);
    expect(() =>
      ledger.sqlite.prepare("UPDATE operations SET amount_fen = 1 WHERE kind = 'top_up'").run(),
    ).toThrow(/LEDGER_IMMUTABLE/);
    expect(() => ledger.sqlite.prepare('DELETE FROM operations').run()).toThrow(/LEDGER_IMMUTABLE/);
    expect(() => ledger.sqlite.prepare('DELETE FROM audit').run()).toThrow(/LEDGER_IMMUTABLE/);
  });
});
