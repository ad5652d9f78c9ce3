/**
 * Inter-store settlement for a period of business days, split into principal and bonus.
 *
 * A period is named by business days (`YYYY-MM-DD`, both ends included), the days each till stamped on its own
 * operations, so a store's totals here are the totals of its tills' own Z reports for the same days. Every
 * stored-value operation counts at the store that did it (the acting store); where the card was issued by
 * another store, the issuer holds the member's money and owes the acting store the principal redeemed there,
 * less the principal loaded there (which the acting store took in). Bonus is shown beside it: it was never paid
 * for, and how a chain shares its cost is the chain's own rule.
 */
import { sql } from 'drizzle-orm';
import { SyncError } from '../../errors';
import { type HqDatabase, rows } from '../database';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface Period {
  from: string;
  to: string;
}

/** One store's stored-value operations of one kind in the period; principal and bonus signed as the card moved. */
export interface StoreKindLine {
  storeId: string;
  kind: string;
  count: number;
  principalFen: number;
  bonusFen: number;
}

/** What one store did on another store's cards in the period. */
export interface InterStoreLine {
  issuerStoreId: string;
  actingStoreId: string;
  redeemedPrincipalFen: number;
  redeemedBonusFen: number;
  loadedPrincipalFen: number;
  loadedBonusFen: number;
  /** Principal the issuer owes the acting store: redeemed there less loaded there. */
  issuerOwesFen: number;
}

export interface Settlement {
  period: Period;
  stores: StoreKindLine[];
  interStore: InterStoreLine[];
}

export function periodOf(from: string | null, to: string | null): Period {
  if (!from || !to || !DAY.test(from) || !DAY.test(to) || from > to) {
    throw new SyncError(
      'PERIOD_INVALID',
      'A period is two business days YYYY-MM-DD, the first not after the last.',
      {
        details: { from, to },
      },
    );
  }
  return { from, to };
}

/**
 * Per operation, how it moved its card's principal and bonus accounts (`card:<id>:principal|bonus`), from the
 * transfers the till recorded. Card-to-card moves and lapsed bonus have no acting-store sale in them and are
 * left out, as the ingest's card_delta already says.
 */
const MOVES = (period: Period) => sql`
  select o.operation_id, o.store_id as acting, c.issuer_store_id as issuer, o.kind,
         coalesce(sum(case when t->>'credit' = 'card:' || o.card_id || ':principal' then (t->>'amount')::bigint
                           when t->>'debit' = 'card:' || o.card_id || ':principal' then -(t->>'amount')::bigint
                           else 0 end), 0) as principal,
         coalesce(sum(case when t->>'credit' = 'card:' || o.card_id || ':bonus' then (t->>'amount')::bigint
                           when t->>'debit' = 'card:' || o.card_id || ':bonus' then -(t->>'amount')::bigint
                           else 0 end), 0) as bonus
    from hq_operations o
    join hq_cards c on c.card_id = o.card_id
    cross join lateral jsonb_array_elements(
      case when jsonb_typeof(o.payload->'transfers') = 'array' then o.payload->'transfers' else '[]'::jsonb end) t
   where o.card_delta is not null and o.card_delta <> 0
     and o.payload->'operation'->>'businessDay' between ${period.from} and ${period.to}
   group by o.operation_id, o.store_id, c.issuer_store_id, o.kind`;

export async function settlementOf(database: HqDatabase, period: Period): Promise<Settlement> {
  return database.exclusive(async () => {
    const byKind = await rows<{ acting: string; kind: string; n: string; principal: string; bonus: string }>(
      database.db,
      sql`select acting, kind, count(*) as n, sum(principal) as principal, sum(bonus) as bonus
            from (${MOVES(period)}) m group by acting, kind order by acting, kind`,
    );
    const pairs = await rows<{
      issuer: string;
      acting: string;
      rp: string;
      rb: string;
      lp: string;
      lb: string;
    }>(
      database.db,
      sql`select issuer, acting,
                 sum(case when principal < 0 then -principal else 0 end) as rp,
                 sum(case when bonus < 0 then -bonus else 0 end) as rb,
                 sum(case when principal > 0 then principal else 0 end) as lp,
                 sum(case when bonus > 0 then bonus else 0 end) as lb
            from (${MOVES(period)}) m where issuer <> acting
           group by issuer, acting order by issuer, acting`,
    );
    return {
      period,
      stores: byKind.map((row) => ({
        storeId: row.acting,
        kind: row.kind,
        count: Number(row.n),
        principalFen: Number(row.principal),
        bonusFen: Number(row.bonus),
      })),
      interStore: pairs.map((row) => ({
        issuerStoreId: row.issuer,
        actingStoreId: row.acting,
        redeemedPrincipalFen: Number(row.rp),
        redeemedBonusFen: Number(row.rb),
        loadedPrincipalFen: Number(row.lp),
        loadedBonusFen: Number(row.lb),
        issuerOwesFen: Number(row.rp) - Number(row.lp),
      })),
    };
  });
}
