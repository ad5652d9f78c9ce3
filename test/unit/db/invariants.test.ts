import { afterAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../../db/index';
import { closeAll, demoLedger } from './support';

afterAll(closeAll);

/** Simulates damage done behind the ledger's back (a bad restore, a hand edit), bypassing its API. */
function tamper(ledger: ReturnType<typeof demoLedger>['ledger'], sql: string, ...params: unknown[]): void {
  ledger.sqlite.prepare(sql).run(...params);
}

describe('invariant check', () => {
  it('passes on a healthy ledger', () => {
    const { ledger } = demoLedger();
    expect(ledger.checkInvariants()).toEqual({ ok: true, problems: [] });
  });

  it('reports a balance row that differs from its transfers, naming the account', () => {
    const { ledger } = demoLedger();
    tamper(
      ledger,
      `UPDATE balances SET credits = credits + 1 WHERE account_id = (SELECT id FROM accounts WHERE code = ?)`,
      'card:card-demo-uid:principal',
    );
    const report = ledger.checkInvariants();
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        rule: 'BALANCE_MISMATCH',
        accountCode: 'card:card-demo-uid:principal',
        expected: 50_000,
        actual: 50_001,
      }),
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({ rule: 'UNITS_UNBALANCED', unit: 'fen' }),
    );
  });

  it('reports a transfer that crosses units', () => {
    const { ledger } = demoLedger();
    // A points account credited from a money account: each side's balance follows its transfers, but the
    // units no longer balance.
    ledger.sqlite.transaction(() => {
      const id = (code: string) =>
        (ledger.sqlite.prepare('SELECT id FROM accounts WHERE code = ?').get(code) as { id: number }).id;
      const cash = id('store:store-demo-cafe:cash_drawer');
      const points = id('card:card-demo-keyed:points');
      tamper(
        ledger,
        'INSERT INTO transfers (operation_seq, debit_account_id, credit_account_id, amount) VALUES (1, ?, ?, 7)',
        cash,
        points,
      );
      tamper(ledger, 'UPDATE balances SET debits = debits + 7 WHERE account_id = ?', cash);
      tamper(ledger, 'UPDATE balances SET credits = credits + 7 WHERE account_id = ?', points);
    })();
    const rules = ledger.checkInvariants().problems.map((p) => `${p.rule}:${p.unit}`);
    expect(rules).toEqual(expect.arrayContaining(['UNITS_UNBALANCED:fen', 'UNITS_UNBALANCED:points']));
  });

  it('reports a member account below zero', () => {
    const { ledger } = demoLedger();
    tamper(
      ledger,
      `UPDATE balances SET no_overdraft = 0, debits = debits + 60000
       WHERE account_id = (SELECT id FROM accounts WHERE code = 'card:card-demo-uid:principal')`,
    );
    const codes = ledger.checkInvariants().problems.map((p) => p.rule);
    expect(codes).toContain('BALANCE_MISMATCH');
    expect(codes).toContain('NEGATIVE_MEMBER_ACCOUNT');
  });

  it('reports an account moved by transfers whose balance row is missing', () => {
    const { ledger } = demoLedger();
    ledger.sqlite.pragma('foreign_keys = OFF');
    tamper(
      ledger,
      `DELETE FROM balances WHERE account_id = (SELECT id FROM accounts WHERE code = 'card:card-demo-uid:bonus')`,
    );
    const problems = ledger.checkInvariants().problems;
    expect(problems).toContainEqual(
      expect.objectContaining({ rule: 'BALANCE_MISSING', accountCode: 'card:card-demo-uid:bonus' }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'UNITS_UNBALANCED', unit: 'fen' }));
  });

  it('runs at open and refuses a damaged ledger with INVARIANT_BROKEN', () => {
    const { ledger, path } = demoLedger();
    tamper(ledger, `UPDATE balances SET debits = debits + 5 WHERE account_id = 1`);
    ledger.close();
    let code = '';
    try {
      openLedger({ path, checkpointIntervalMs: 0 });
    } catch (error) {
      code = (error as { code: string }).code;
    }
    expect(code).toBe('INVARIANT_BROKEN');
  });
});
