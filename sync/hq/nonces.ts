/**
 * Request nonces kept in HQ's database, so a request replayed inside the signature window is refused even by
 * an HQ that restarted (or by another HQ process on the same PostgreSQL) since it first saw it.
 *
 * A claim inserts the nonce, or takes over a row whose time ran out; no row back means the nonce is live and
 * the request a replay. A push claims its nonce inside the ingest transaction that applies it (no commit of
 * its own); other signed requests claim theirs in one statement. Expired rows are swept now and then.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type NonceGuard, SIGNATURE_WINDOW_MS } from '../signing';
import { type HqDatabase, type HqDb, type HqTx, rows } from './database';

export interface NonceClaim {
  terminalId: string;
  nonce: string;
  expiresAt: number;
}

/** How long a nonce is kept: it must outlive every timestamp that could still pass the window check. */
export function nonceExpiry(now: number, windowMs = SIGNATURE_WINDOW_MS): number {
  return now + 2 * windowMs;
}

/**
 * The statement that claims distinct nonces, returning `terminal_id, nonce` of those that were free; a
 * push's group runs it as part of a larger statement.
 */
export function nonceClaimStatement(claims: readonly NonceClaim[], now: number): SQL {
  return sql`insert into hq_nonces (terminal_id, nonce, expires_at)
        select * from unnest(
          ${sql.param(claims.map((claim) => claim.terminalId))}::text[],
          ${sql.param(claims.map((claim) => claim.nonce))}::text[],
          ${sql.param(claims.map((claim) => claim.expiresAt))}::bigint[])
        on conflict (terminal_id, nonce) do update set expires_at = excluded.expires_at
          where hq_nonces.expires_at <= ${now}::bigint
        returning terminal_id, nonce`;
}

/** `nonceClaimStatement`, or a statement of the same columns that claims nothing when there is nothing to claim. */
export function nonceClaimOrNothing(claims: readonly NonceClaim[], now: number): SQL {
  return claims.length > 0
    ? nonceClaimStatement(claims, now)
    : sql`select null::text as terminal_id, null::text as nonce where false`;
}

/** Claims distinct nonces in one statement; returns the keys (`terminal\0nonce`) that were free. */
export async function claimNonces(
  db: HqDb | HqTx,
  claims: readonly NonceClaim[],
  now: number,
): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const claimed = await rows<{ terminal_id: string; nonce: string }>(db, nonceClaimStatement(claims, now));
  return new Set(claimed.map((row) => nonceKey(row.terminal_id, row.nonce)));
}

export function nonceKey(terminalId: string, nonce: string): string {
  return `${terminalId}\u0000${nonce}`;
}

const SWEEP_EVERY_MS = 60_000;
let nextSweepAt = 0;

/**
 * Whether this process should sweep expired nonces now: at most once a minute, from whichever kind of request
 * (a push's group, a feed page) comes first.
 */
export function nonceSweepDue(now: number): boolean {
  if (now < nextSweepAt) return false;
  nextSweepAt = now + SWEEP_EVERY_MS;
  return true;
}

export async function sweepNonces(db: HqDb | HqTx, now: number): Promise<void> {
  await db.execute(sql`delete from hq_nonces where expires_at <= ${now}::bigint`);
}

export class DatabaseNonceStore implements NonceGuard {
  private nextSweepAt = 0;

  constructor(
    private readonly database: HqDatabase,
    private readonly windowMs = SIGNATURE_WINDOW_MS,
  ) {}

  async claim(terminalId: string, nonce: string, now: number): Promise<boolean> {
    const claim = { terminalId, nonce, expiresAt: nonceExpiry(now, this.windowMs) };
    const sweep = now >= this.nextSweepAt;
    if (sweep) this.nextSweepAt = now + this.windowMs / 4;
    const claimed = await this.database.exclusive(async () => {
      if (sweep) await sweepNonces(this.database.db, now);
      return claimNonces(this.database.db, [claim], now);
    });
    return claimed.size > 0;
  }
}
