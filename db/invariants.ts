/**
 * The ledger's invariants, checked at open and on demand:
 * - every balance row equals the sums of the transfers that debit and credit its account;
 * - per unit (fen, points), posted debits equal posted credits across all accounts, which also catches a
 *   transfer between accounts of different units;
 * - no member account (principal, bonus, points) is below zero, and each is protected by the database's
 *   no-overdraft check;
 * - every account that transfers touch has its balance row.
 * The work grows with the transfers and the accounts that ever moved, not with the number of cards: a
 * terminal that knows a million chain-wide cards but moved a few thousand opens quickly.
 */
import type { Context } from './context';
import type { InvariantProblem, InvariantReport, Unit } from './types';

export function invariantsModule(ctx: Context) {
  const { db } = ctx;
  const q = {
    debitSums: db
      .prepare('SELECT debit_account_id, SUM(amount) FROM transfers GROUP BY debit_account_id')
      .raw(),
    creditSums: db
      .prepare('SELECT credit_account_id, SUM(amount) FROM transfers GROUP BY credit_account_id')
      .raw(),
    moved: db
      .prepare(
        `SELECT b.account_id, b.debits, b.credits, b.no_overdraft, a.code, a.unit, a.card_id IS NOT NULL
         FROM balances b JOIN accounts a ON a.id = b.account_id
         WHERE b.debits != 0 OR b.credits != 0`,
      )
      .raw(),
    account: db.prepare<[number], { code: string; unit: Unit; has_balance: number }>(
      `SELECT a.code, a.unit, EXISTS (SELECT 1 FROM balances b WHERE b.account_id = a.id) AS has_balance
       FROM accounts a WHERE a.id = ?`,
    ),
  };

  return {
    checkInvariants(): InvariantReport {
      const problems: InvariantProblem[] = [];
      db.transaction(() => {
        const sums = new Map<number, { debits: number; credits: number }>();
        for (const [id, sum] of q.debitSums.iterate() as Iterable<[number, number]>) {
          sums.set(id, { debits: sum, credits: 0 });
        }
        for (const [id, sum] of q.creditSums.iterate() as Iterable<[number, number]>) {
          const entry = sums.get(id);
          if (entry) entry.credits = sum;
          else sums.set(id, { debits: 0, credits: sum });
        }
        const perUnit = new Map<Unit, { debits: number; credits: number }>();
        for (const row of q.moved.iterate() as Iterable<
          [number, number, number, number, string, Unit, number]
        >) {
          const [id, debits, credits, noOverdraft, code, unit, isMemberAccount] = row;
          const transfers = sums.get(id) ?? { debits: 0, credits: 0 };
          sums.delete(id);
          const totals = perUnit.get(unit) ?? { debits: 0, credits: 0 };
          totals.debits += debits;
          totals.credits += credits;
          perUnit.set(unit, totals);
          if (debits !== transfers.debits || credits !== transfers.credits) {
            problems.push(mismatch(id, code, unit, { debits, credits }, transfers));
          }
          if (isMemberAccount === 1 && credits < debits) {
            problems.push({
              rule: 'NEGATIVE_MEMBER_ACCOUNT',
              message: `member account ${code} is below zero (${credits - debits})`,
              accountId: id,
              accountCode: code,
              unit,
              actual: credits - debits,
            });
          }
          if (isMemberAccount === 1 && noOverdraft !== 1) {
            problems.push({
              rule: 'NEGATIVE_MEMBER_ACCOUNT',
              message: `member account ${code} is not protected against going below zero`,
              accountId: id,
              accountCode: code,
              unit,
            });
          }
        }
        // Accounts that transfers moved but whose balance row shows nothing, or is missing.
        for (const [id, transfers] of sums) {
          const account = q.account.get(id);
          if (!account || account.has_balance === 0) {
            problems.push({
              rule: 'BALANCE_MISSING',
              message: `account ${account?.code ?? id} is moved by transfers but has no balance row`,
              accountId: id,
              ...(account ? { accountCode: account.code, unit: account.unit } : {}),
            });
          } else {
            problems.push(mismatch(id, account.code, account.unit, { debits: 0, credits: 0 }, transfers));
          }
        }
        for (const [unit, totals] of perUnit) {
          if (totals.debits !== totals.credits) {
            problems.push({
              rule: 'UNITS_UNBALANCED',
              message: `in ${unit}, debits ${totals.debits} do not equal credits ${totals.credits}`,
              unit,
              expected: totals.debits,
              actual: totals.credits,
            });
          }
        }
      })();
      return { ok: problems.length === 0, problems };
    },
  };
}

function mismatch(
  id: number,
  code: string,
  unit: Unit,
  posted: { debits: number; credits: number },
  transfers: { debits: number; credits: number },
): InvariantProblem {
  return {
    rule: 'BALANCE_MISMATCH',
    message: `account ${code} posts debits ${posted.debits} / credits ${posted.credits} but its transfers sum to ${transfers.debits} / ${transfers.credits}`,
    accountId: id,
    accountCode: code,
    unit,
    expected: transfers.credits - transfers.debits,
    actual: posted.credits - posted.debits,
  };
}
