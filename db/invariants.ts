/**
 * The book's invariants, checked at open and on demand:
 * - every balance row equals the sums of the transfers that debit and credit its account;
 * - per unit (fen, points), posted debits equal posted credits across all accounts, which also catches a
 *   transfer between accounts of different units;
 * - no member account (principal, bonus, points) is below zero;
 * - every account has its balance row.
 * Only failing rows come back from SQLite, so a healthy book of a million operations is checked quickly.
 */
import type { Context } from './context';
import type { InvariantProblem, InvariantReport, Unit } from './types';

export function invariantsModule(ctx: Context) {
  const { db } = ctx;
  const q = {
    mismatched: db.prepare<
      [],
      {
        id: number;
        code: string;
        unit: Unit;
        debits: number;
        credits: number;
        no_overdraft: number;
        transfer_debits: number;
        transfer_credits: number;
      }
    >(
      `WITH posted AS MATERIALIZED (
         SELECT b.account_id AS id, b.debits, b.credits, b.no_overdraft,
           (SELECT COALESCE(SUM(amount), 0) FROM transfers WHERE debit_account_id = b.account_id) AS transfer_debits,
           (SELECT COALESCE(SUM(amount), 0) FROM transfers WHERE credit_account_id = b.account_id) AS transfer_credits
         FROM balances b)
       SELECT p.*, a.code, a.unit FROM posted p JOIN accounts a ON a.id = p.id
       WHERE p.debits != p.transfer_debits OR p.credits != p.transfer_credits
          OR (p.no_overdraft = 1 AND p.credits < p.debits)`,
    ),
    perUnit: db.prepare<[], { unit: Unit; debits: number; credits: number }>(
      `SELECT a.unit, COALESCE(SUM(b.debits), 0) AS debits, COALESCE(SUM(b.credits), 0) AS credits
       FROM balances b JOIN accounts a ON a.id = b.account_id GROUP BY a.unit`,
    ),
    missing: db.prepare<[], { id: number; code: string }>(
      `SELECT a.id, a.code FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM balances b WHERE b.account_id = a.id)`,
    ),
    memberAccountsWithoutFloor: db.prepare<[], { id: number; code: string }>(
      `SELECT a.id, a.code FROM accounts a JOIN balances b ON b.account_id = a.id
       WHERE a.card_id IS NOT NULL AND b.no_overdraft != 1`,
    ),
  };

  return {
    checkInvariants(): InvariantReport {
      const problems: InvariantProblem[] = [];
      db.transaction(() => {
        for (const row of q.mismatched.all()) {
          if (row.debits !== row.transfer_debits || row.credits !== row.transfer_credits) {
            problems.push({
              rule: 'BALANCE_MISMATCH',
              message: `account ${row.code} posts debits ${row.debits} / credits ${row.credits} but its transfers sum to ${row.transfer_debits} / ${row.transfer_credits}`,
              accountId: row.id,
              accountCode: row.code,
              unit: row.unit,
              expected: row.transfer_credits - row.transfer_debits,
              actual: row.credits - row.debits,
            });
          }
          if (row.no_overdraft === 1 && row.credits < row.debits) {
            problems.push({
              rule: 'NEGATIVE_MEMBER_ACCOUNT',
              message: `member account ${row.code} is below zero (${row.credits - row.debits})`,
              accountId: row.id,
              accountCode: row.code,
              unit: row.unit,
              actual: row.credits - row.debits,
            });
          }
        }
        for (const row of q.perUnit.all()) {
          if (row.debits !== row.credits) {
            problems.push({
              rule: 'UNITS_UNBALANCED',
              message: `in ${row.unit}, debits ${row.debits} do not equal credits ${row.credits}`,
              unit: row.unit,
              expected: row.debits,
              actual: row.credits,
            });
          }
        }
        for (const row of q.missing.all()) {
          problems.push({
            rule: 'BALANCE_MISSING',
            message: `account ${row.code} has no balance row`,
            accountId: row.id,
            accountCode: row.code,
          });
        }
        for (const row of q.memberAccountsWithoutFloor.all()) {
          problems.push({
            rule: 'NEGATIVE_MEMBER_ACCOUNT',
            message: `member account ${row.code} is not protected against going below zero`,
            accountId: row.id,
            accountCode: row.code,
          });
        }
      })();
      return { ok: problems.length === 0, problems };
    },
  };
}
