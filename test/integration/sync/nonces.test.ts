/** HQ's nonce store in its database (PGlite): a nonce is refused inside its time, free after, and swept. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../sync/hq/database';
import { DatabaseNonceStore } from '../../../sync/hq/nonces';
import { type HqUnderTest, openHq } from './fixtures';

describe('nonces kept in HQ’s database', () => {
  let hq: HqUnderTest;

  beforeAll(async () => {
    hq = await openHq('pglite');
  });

  afterAll(async () => {
    await hq?.close();
  });

  const stored = async () =>
    (await rows<{ n: string | number }>(hq.database.db, sql`select count(*) as n from hq_nonces`)).map(
      (row) => Number(row.n),
    )[0];

  it('refuses a nonce inside twice the window, takes it again after, and sweeps the expired', async () => {
    const window = 1_000;
    const t0 = 1_800_000_000_000;
    const first = new DatabaseNonceStore(hq.database, window);
    expect(await first.claim('T1', 'nonce-aaaaaaaa', t0)).toBe(true);
    expect(await first.claim('T2', 'nonce-aaaaaaaa', t0)).toBe(true);
    // Another process (or the same one restarted) over the same database.
    const second = new DatabaseNonceStore(hq.database, window);
    expect(await second.claim('T1', 'nonce-aaaaaaaa', t0 + 2 * window - 1)).toBe(false);
    expect(await second.claim('T1', 'nonce-bbbbbbbb', t0 + 2 * window - 1)).toBe(true);
    expect(await stored()).toBe(3);

    const later = t0 + 2 * window + 1;
    expect(await second.claim('T1', 'nonce-aaaaaaaa', later)).toBe(true);
    const third = new DatabaseNonceStore(hq.database, window);
    expect(await third.claim('T3', 'nonce-cccccccc', t0 + 10 * window)).toBe(true);
    // Everything but the newest claim had run out, and went with the sweep.
    expect(await stored()).toBe(1);
  });
});
