/**
 * Chain-wide stored-value liability by issuing store, rolled forward over a period of business days for
 * principal and bonus apart: the opening (every movement before the period), the period's movements by kind,
 * the closing. As a check, the closing plus every movement after the period must equal what the chain's card
 * balances hold today for that store's cards; a difference means HQ's card balances and its journal disagree,
 * and it is shown as found, never adjusted.
 */
import { sql } from 'drizzle-orm';
import { type HqDatabase, rows } from '../database';
import type { Period } from './settlement';

export interface PartRoll {
  openingFen: number;
  /** The period's movements by operation kind, signed as they changed the liability. */
  movements: Record<string, number>;
  closingFen: number;
}

export interface StoreLiability {
  storeId: string;
  cards: number;
  principal: PartRoll;
  bonus: PartRoll;
  /** What the store's cards hold at HQ now (principal and bonus together). */
  balanceNowFen: number;
  /** closing + movements after the period − balance now; anything but 0 is a broken chain ledger. */
  differenceFen: number;
}

function emptyRoll(): PartRoll {
  return { openingFen: 0, movements: {}, closingFen: 0 };
}

export async function liabilityOf(database: HqDatabase, period: Period): Promise<StoreLiability[]> {
  return database.exclusive(async () => {
    const legs = await rows<{ store: string; part: string; kind: string; slot: string; fen: string }>(
      database.db,
      sql`with t as (
            select o.kind, coalesce(o.payload->'operation'->>'businessDay', '') as day, e
              from hq_operations o
              cross join lateral jsonb_array_elements(
                case when jsonb_typeof(o.payload->'transfers') = 'array' then o.payload->'transfers' else '[]'::jsonb end) e
             where o.card_id is not null),
          legs as (
            select kind, day, e->>'credit' as account, (e->>'amount')::bigint as amount from t
            union all
            select kind, day, e->>'debit' as account, -(e->>'amount')::bigint as amount from t)
          select c.issuer_store_id as store, substring(l.account from ':(principal|bonus)$') as part, l.kind,
                 case when l.day < ${period.from} then 'before' when l.day > ${period.to} then 'after' else 'within' end as slot,
                 sum(l.amount) as fen
            from legs l
            join hq_cards c on c.card_id = substring(l.account from '^card:(.*):(?:principal|bonus)$')
           where l.account ~ '^card:.*:(principal|bonus)$'
           group by 1, 2, 3, 4`,
    );
    const held = await rows<{ store: string; n: string; balance: string }>(
      database.db,
      sql`select issuer_store_id as store, count(*) as n, coalesce(sum(balance), 0) as balance
            from hq_cards group by issuer_store_id`,
    );
    const stores = new Map<string, StoreLiability & { laterFen: number }>();
    const storeOf = (storeId: string) => {
      let entry = stores.get(storeId);
      if (!entry) {
        entry = {
          storeId,
          cards: 0,
          principal: emptyRoll(),
          bonus: emptyRoll(),
          balanceNowFen: 0,
          differenceFen: 0,
          laterFen: 0,
        };
        stores.set(storeId, entry);
      }
      return entry;
    };
    for (const row of held) {
      const entry = storeOf(row.store);
      entry.cards = Number(row.n);
      entry.balanceNowFen = Number(row.balance);
    }
    for (const leg of legs) {
      const entry = storeOf(leg.store);
      const roll = leg.part === 'principal' ? entry.principal : entry.bonus;
      const fen = Number(leg.fen);
      if (leg.slot === 'before') roll.openingFen += fen;
      else if (leg.slot === 'after') entry.laterFen += fen;
      else roll.movements[leg.kind] = (roll.movements[leg.kind] ?? 0) + fen;
    }
    return [...stores.values()]
      .sort((a, b) => a.storeId.localeCompare(b.storeId))
      .map(({ laterFen, ...entry }) => {
        for (const roll of [entry.principal, entry.bonus]) {
          roll.closingFen = Object.values(roll.movements).reduce((sum, fen) => sum + fen, roll.openingFen);
        }
        const closing = entry.principal.closingFen + entry.bonus.closingFen;
        return { ...entry, differenceFen: closing + laterFen - entry.balanceNowFen };
      });
  });
}
