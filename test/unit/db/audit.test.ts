import { afterAll, describe, expect, it } from 'vitest';
import { cashier, closeAll, codeOf, DEMO, demoLedger, terminalId } from './support';

afterAll(closeAll);

const at = { staffId: cashier, terminalId };

describe('audit log', () => {
  it('records accepted and refused requests, each line chained to the one before', () => {
    const { ledger } = demoLedger();
    ledger.spend({ operationId: 'op-1', cardId: DEMO.cards.uid.id, amountFen: 100, ...at });
    codeOf(() => ledger.spend({ operationId: 'op-2', cardId: DEMO.cards.keyed.id, amountFen: 100, ...at }));
    const tail = ledger.sqlite
      .prepare(
        'SELECT action, outcome, code, operation_id, length(hash) AS hash_length FROM audit ORDER BY id DESC LIMIT 2',
      )
      .all();
    expect(tail).toEqual([
      {
        action: 'operation.spend',
        outcome: 'rejected',
        code: 'BALANCE_INSUFFICIENT',
        operation_id: 'op-2',
        hash_length: 64,
      },
      { action: 'operation.spend', outcome: 'ok', code: null, operation_id: 'op-1', hash_length: 64 },
    ]);
    const report = ledger.verifyAuditChain();
    expect(report).toMatchObject({ ok: true, brokenAt: null });
    expect(report.lines).toBeGreaterThan(10);
  });

  it('shows an edited line, even when the edit bypasses the append-only triggers', () => {
    const { ledger } = demoLedger();
    ledger.spend({ operationId: 'op-1', cardId: DEMO.cards.uid.id, amountFen: 100, ...at });
    const target = ledger.sqlite.prepare(`SELECT id FROM audit WHERE operation_id = 'op-1'`).get() as {
      id: number;
    };
    ledger.sqlite.exec('DROP TRIGGER audit_no_update');
    ledger.sqlite.prepare(`UPDATE audit SET staff_id = 'staff-2001' WHERE id = ?`).run(target.id);
    expect(ledger.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: target.id });
  });

  it('shows a removed line at the line after it', () => {
    const { ledger } = demoLedger();
    ledger.spend({ operationId: 'op-1', cardId: DEMO.cards.uid.id, amountFen: 100, ...at });
    ledger.spend({ operationId: 'op-2', cardId: DEMO.cards.uid.id, amountFen: 100, ...at });
    const ids = ledger.sqlite
      .prepare(`SELECT id FROM audit WHERE operation_id IN ('op-1', 'op-2') ORDER BY id`)
      .all() as Array<{
      id: number;
    }>;
    ledger.sqlite.exec('DROP TRIGGER audit_no_delete');
    ledger.sqlite.prepare('DELETE FROM audit WHERE id = ?').run(ids[0]!.id);
    expect(ledger.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: ids[1]!.id });
  });
});
