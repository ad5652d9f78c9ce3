/**
 * Request nonces kept in HQ's database, so a request replayed inside the signature window is refused even by
 * an HQ that restarted (or by another HQ process on the same PostgreSQL) since it first saw it.
 *
 * A claim is one statement: insert the nonce, or take over a row whose time ran out; no row back means the
 * nonce is live and the request a replay. Expired rows are swept now and then, in the claim's own statement.
 */
import { sql } from 'drizzle-orm';
import { type NonceGuard, SIGNATURE_WINDOW_MS } from '../signing';
import { type HqDatabase, rows } from './database';

export class DatabaseNonceStore implements NonceGuard {
  private nextSweepAt = 0;

  constructor(
    private readonly database: HqDatabase,
    private readonly windowMs = SIGNATURE_WINDOW_MS,
  ) {}

  async claim(terminalId: string, nonce: string, now: number): Promise<boolean> {
    // A nonce must outlive every timestamp that could still pass the window check: twice the window.
    const expiresAt = now + 2 * this.windowMs;
    const sweep = now >= this.nextSweepAt;
    if (sweep) this.nextSweepAt = now + this.windowMs / 4;
    const claimed = await this.database.exclusive(() =>
      rows<{ claimed: number }>(
        this.database.db,
        sweep
          ? sql`with swept as (delete from hq_nonces where expires_at <= ${now}::bigint and not (terminal_id = ${terminalId} and nonce = ${nonce}))
                insert into hq_nonces (terminal_id, nonce, expires_at) values (${terminalId}, ${nonce}, ${expiresAt}::bigint)
                on conflict (terminal_id, nonce) do update set expires_at = excluded.expires_at
                  where hq_nonces.expires_at <= ${now}::bigint
                returning 1 as claimed`
          : sql`insert into hq_nonces (terminal_id, nonce, expires_at) values (${terminalId}, ${nonce}, ${expiresAt}::bigint)
                on conflict (terminal_id, nonce) do update set expires_at = excluded.expires_at
                  where hq_nonces.expires_at <= ${now}::bigint
                returning 1 as claimed`,
      ),
    );
    return claimed.length > 0;
  }
}
