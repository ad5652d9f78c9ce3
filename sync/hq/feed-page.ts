/**
 * One page of the change feed, read in one statement and sent as PostgreSQL wrote it.
 *
 * Every till pulls a page after its pushes, so HQ serves several feed entries for every operation it takes in.
 * The entries are therefore never parsed in HQ: PostgreSQL writes each one as JSON text (its stored payload as it
 * is) and joins them, and the response body is that text between the page's other fields. The same statement
 * claims the request's nonce and reads the chain settings every page carries, so a pull costs one round trip.
 */
import { type SQL, sql } from 'drizzle-orm';
import { PROTOCOL_VERSION } from '../wire';
import { type HqDb, rows } from './database';
import { type NonceClaim, nonceClaimOrNothing, nonceSweepDue, sweepNonces } from './nonces';

export interface StoredFeedPage {
  /** The page's entries, each a JSON object (`FeedEntry`), joined by commas; empty for an empty page. */
  entriesJson: string;
  /** The last entry's position, or undefined for an empty page. */
  lastPosition: number | undefined;
  hasMore: boolean;
  /** False when the request's nonce was live already (a replay); always true without a nonce to claim. */
  claimed: boolean;
  /** The stored values of `settingKeys` that are set. */
  settings: Map<string, unknown>;
}

/**
 * Other terminals' operations after `after`, in position (commit) order, at most `limit`; a customer's rating
 * goes to the tills of the store rated and to no other store. Claims `nonce` in the same statement.
 */
export async function readFeedPage(
  db: HqDb,
  input: {
    terminalId: string;
    after: number;
    limit: number;
    nonce: NonceClaim | undefined;
    settingKeys: readonly string[];
    now: number;
  },
): Promise<StoredFeedPage> {
  const { terminalId, after, limit, nonce, now } = input;
  // Tills that only pull still have their spent nonces swept, now and then.
  if (nonce && nonceSweepDue(now)) await sweepNonces(db, now);
  const [row] = await rows<{
    claimed: number;
    found: number;
    shown: number;
    last: string | number | null;
    entries: string;
    settings: unknown;
  }>(db, pageStatement(terminalId, after, limit, nonceClaimOrNothing(nonce ? [nonce] : [], now), input));
  const stored = typeof row!.settings === 'string' ? JSON.parse(row!.settings) : row!.settings;
  return {
    entriesJson: row!.entries,
    lastPosition: row!.last === null ? undefined : Number(row!.last),
    hasMore: Number(row!.found) > Number(row!.shown),
    claimed: nonce === undefined || Number(row!.claimed) > 0,
    settings: new Map(Object.entries((stored ?? {}) as Record<string, unknown>)),
  };
}

function pageStatement(
  terminalId: string,
  after: number,
  limit: number,
  claim: SQL,
  input: { settingKeys: readonly string[] },
): SQL {
  // Each entry is written field by field (strings through to_json, so they are escaped as JSON strings), in the
  // shape of `feedEntrySchema`; the payload is the stored jsonb's own text.
  return sql`with claimed as (${claim}),
       page as (
         select position,
                '{"position":' || position
                  || ',"operationId":' || to_json(operation_id)::text
                  || ',"terminalId":' || to_json(terminal_id)::text
                  || ',"storeId":' || to_json(store_id)::text
                  || ',"kind":' || to_json(kind)::text
                  || ',"payload":' || payload::text
                  || ',"createdAt":' || created_at || '}' as entry
           from hq_operations
          where position > ${after}::bigint
            and terminal_id <> ${terminalId}
            and (kind <> 'rating'
                 or store_id = (select store_id from hq_terminals where terminal_id = ${terminalId}))
          order by position
          limit ${limit + 1}::bigint
       ),
       shown as (select position, entry from page order by position limit ${limit}::bigint)
  select (select count(*) from claimed)::int as claimed,
         (select count(*) from page)::int as found,
         (select count(*) from shown)::int as shown,
         (select max(position) from shown) as last,
         (select coalesce(string_agg(entry, ',' order by position), '') from shown) as entries,
         (select json_object_agg(key, value) from hq_settings
           where key = any(${sql.param([...input.settingKeys])}::text[])) as settings`;
}

/**
 * The feed response's body: `feedResponseSchema` with the stored entries placed as they are. `rest` holds the
 * page's other fields; it must not be empty.
 */
export function feedBody(entriesJson: string, rest: Record<string, unknown>): string {
  return `{"version":${PROTOCOL_VERSION},"entries":[${entriesJson}],${JSON.stringify(rest).slice(1)}`;
}
