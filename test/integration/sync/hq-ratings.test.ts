/**
 * Customers rate a visit at HQ from the QR on their receipt (HQ on PGlite, over HTTP): the page shows five
 * star buttons and no script, a visit is rated once and a second rating is refused in words, forged, altered,
 * malformed and oversized requests are refused and record nothing, and the managers see ratings per store,
 * cashier and ISO week (in the store's zone) with the low ones listed for follow-up.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHqServer, startHqServer } from '../../../sync/hq';
import { rows } from '../../../sync/hq/database';
import { isoWeek } from '../../../sync/hq/ratings';
import { makeRatingToken, type RatingClaims } from '../../../sync/rating-token';
import { newSigningKeyPair } from '../../../sync/terminal-keys';
import { codeOf, rawRequest } from '../../support/raw-http';
import { adminSession, enrolled, type HqUnderTest, openHq } from './fixtures';

/** Saturday 5 December 2026, noon in Shanghai: ISO week 49. */
const SATURDAY = Date.UTC(2026, 11, 5, 4, 0, 0);
/** Sunday 17:00 UTC is already Monday in Shanghai: week 50 there. */
const MONDAY_IN_SHANGHAI = Date.UTC(2026, 11, 6, 17, 0, 0);

let hq: HqUnderTest;
let server: RunningHqServer;
let admin: Record<string, string>;
let s01: { terminalId: string; storeId: string; key: string };
let s02: { terminalId: string; storeId: string; key: string };
let visits = 0;

function token(
  terminal: { terminalId: string; storeId: string; key: string },
  visit: Partial<RatingClaims> = {},
): string {
  visits += 1;
  return makeRatingToken(
    {
      terminalId: terminal.terminalId,
      storeId: terminal.storeId,
      operationId: `op-${visits}`,
      staffId: 'staff-1',
      staffName: '王芳',
      at: Date.now() - 60_000,
      ...visit,
    },
    terminal.key,
  );
}

function open(rating: string, query = '') {
  return rawRequest(`${server.url}/rate/${rating}${query}`);
}

function rate(rating: string, body: string, headers: Record<string, string> = {}) {
  return rawRequest(`${server.url}/rate/${rating}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

async function recorded(): Promise<number> {
  const [row] = await rows<{ count: string | number }>(
    hq.database.db,
    sql`select count(*) as count from hq_ratings`,
  );
  return Number(row!.count);
}

beforeAll(async () => {
  hq = await openHq('pglite');
  server = await startHqServer({ service: hq.service });
  ({ headers: admin } = await adminSession(hq.database, 'support'));
  s01 = await enrolled(hq.service, 'S01-T1', 'S01');
  s02 = await enrolled(hq.service, 'S02-T1', 'S02');
});

afterAll(async () => {
  await server?.close();
  await hq?.close();
});

describe('the rating page a receipt QR opens', () => {
  it('asks for 1 to 5 stars in Chinese, with plain form buttons and no script allowed', async () => {
    const rating = token(s01);
    const page = await open(rating);
    expect(page.status).toBe(200);
    expect(page.text).toContain('为本次服务评分');
    expect(page.text).toContain('Store S01');
    expect(page.text).toContain('王芳');
    expect(page.text).toContain(`<form class="stars" method="post" action="/rate/${rating}">`);
    expect(page.text.match(/<button type="submit" name="stars" value="[1-5]">/g)).toHaveLength(5);
    expect(page.text).not.toContain('<script');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).not.toContain('script-src');
    const english = await open(rating, '?lang=en');
    expect(english.text).toContain('Rate your visit');
    expect(english.text).toContain(`action="/rate/${rating}?lang=en"`);
  });

  it('records a rating once; a second one is refused in words and the first stands', async () => {
    const rating = token(s01);
    const first = await rate(rating, 'stars=4');
    expect(first.status).toBe(200);
    expect(first.text).toContain('谢谢您的评价');
    const again = await rate(rating, 'stars=1');
    expect(again.status).toBe(409);
    expect(again.text).toContain('这次消费已经评过分了');
    expect(again.text).toContain('data-code="RATING_ALREADY_GIVEN"');
    const page = await open(rating, '?lang=en');
    expect(page.text).toContain('already rated (4 stars)');
    expect(page.text).not.toContain('<form');
  });

  it('refuses forged, altered, malformed and oversized ratings and records none of them', async () => {
    const before = await recorded();
    const genuine = token(s01);
    const [body, signature] = genuine.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as RatingClaims;
    const altered = `${Buffer.from(JSON.stringify({ ...claims, operationId: 'op-other' })).toString('base64url')}.${signature}`;
    const forged = makeRatingToken({ ...claims, operationId: 'op-forged' }, newSigningKeyPair().privateKey);

    for (const bad of [altered, forged, 'not-a-token', `${body}.${signature.slice(4)}`]) {
      const answer = await rate(bad, 'stars=5');
      expect(answer.status).toBe(404);
      expect(answer.text).toContain('这个评价链接无效');
      expect((await open(bad)).status).toBe(404);
    }
    for (const stars of ['stars=0', 'stars=6', 'stars=4.5', 'stars=', 'other=5', 'stars=%35%35']) {
      const answer = await rate(genuine, stars);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('请选择 1 到 5 星');
    }
    const json = await rate(token(s01), '{"stars":5}', { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    const large = await rate(token(s01), `stars=5&pad=${'x'.repeat(3000)}`);
    expect(large.status).toBe(413);
    const elsewhere = await rawRequest(`${server.url}/rate/${token(s01)}`, {
      headers: { host: 'evil.example' },
    });
    expect(codeOf(elsewhere)).toBe('HOST_NOT_ALLOWED');
    const expired = token(s01, { at: Date.now() - 31 * 24 * 60 * 60 * 1000 });
    expect((await rate(expired, 'stars=5')).status).toBe(410);
    expect(await recorded()).toBe(before);
  });

  it('refuses the ratings of a till HQ revoked', async () => {
    const t3 = await enrolled(hq.service, 'S01-T3', 'S01');
    const rating = token(t3);
    await hq.service.revokeTerminal('S01-T3', 'hq-support', Date.now());
    const answer = await rate(rating, 'stars=5');
    expect(answer.status).toBe(404);
  });

  it('limits rating posts per address', async () => {
    const limited = await startHqServer({
      service: hq.service,
      limits: { rating: { ratePerSecond: 0.01, burst: 2, concurrent: 2 } },
    });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 3; index += 1) {
        const answer = await rawRequest(`${limited.url}/rate/not-a-token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'stars=5',
        });
        statuses.push(answer.status);
        if (answer.status === 429) expect(answer.headers['retry-after']).toBeDefined();
      }
      expect(statuses).toEqual([404, 404, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('the managers’ ratings', () => {
  it('counts ISO weeks in the store’s zone, Monday first, across the turn of the year', () => {
    expect(isoWeek(SATURDAY, 'Asia/Shanghai')).toBe('2026-W49');
    expect(isoWeek(MONDAY_IN_SHANGHAI, 'Asia/Shanghai')).toBe('2026-W50');
    expect(isoWeek(MONDAY_IN_SHANGHAI, 'UTC')).toBe('2026-W49');
    expect(isoWeek(Date.UTC(2027, 0, 1, 4), 'Asia/Shanghai')).toBe('2026-W53');
    expect(isoWeek(Date.UTC(2027, 0, 4, 4), 'Asia/Shanghai')).toBe('2027-W01');
  });

  it('lists ratings per store, cashier and week, and the low ones for follow-up', async () => {
    const lowToken = token(s02, { at: SATURDAY, staffId: 'staff-9', staffName: '李强' });
    const given: Array<[string, number]> = [
      [token(s02, { at: SATURDAY, staffId: 'staff-9', staffName: '李强' }), 5],
      [lowToken, 1],
      [token(s02, { at: SATURDAY, staffId: 'staff-8', staffName: '赵敏' }), 3],
      [token(s02, { at: MONDAY_IN_SHANGHAI, staffId: 'staff-9', staffName: '李强' }), 2],
    ];
    for (const [rating, stars] of given) expect((await rate(rating, `stars=${stars}`)).status).toBe(200);

    const answer = await rawRequest(`${server.url}/admin/ratings`, { headers: admin });
    expect(answer.status).toBe(200);
    const report = answer.body as {
      groups: Array<{
        storeId: string;
        staffName: string;
        week: string;
        count: number;
        average: number;
        low: number;
      }>;
      low: Array<{ operationId: string; storeId: string; staffName: string; stars: number }>;
    };
    const s02Groups = report.groups
      .filter((group) => group.storeId === 'S02')
      .map(({ staffName, week, count, average, low }) => ({ staffName, week, count, average, low }));
    expect(s02Groups).toEqual([
      { staffName: '李强', week: '2026-W50', count: 1, average: 2, low: 1 },
      { staffName: '李强', week: '2026-W49', count: 2, average: 3, low: 1 },
      { staffName: '赵敏', week: '2026-W49', count: 1, average: 3, low: 0 },
    ]);
    const lowOfS02 = report.low.filter((row) => row.storeId === 'S02');
    expect(lowOfS02.map((row) => [row.staffName, row.stars])).toEqual([
      ['李强', 2],
      ['李强', 1],
    ]);
    const lowClaims = JSON.parse(Buffer.from(lowToken.split('.')[0]!, 'base64url').toString('utf8'));
    expect(lowOfS02.map((row) => row.operationId)).toContain(lowClaims.operationId);
    expect(report.low.every((row) => row.stars <= 2)).toBe(true);

    const page = await rawRequest(`${server.url}/ratings`, { headers: admin });
    expect(page.status).toBe(200);
    expect(page.text).toContain('低分待跟进 / Low ratings to follow up');
    expect(page.text).toContain(
      '<td>2026-W50</td><td>Store S02</td><td>李强</td><td>1</td><td>2.00</td><td>1</td>',
    );
    const hqPage = await rawRequest(`${server.url}/`, { headers: admin });
    expect(hqPage.text).toContain('href="/ratings"');
  });

  it('shows ratings only to people signed in to HQ', async () => {
    expect(codeOf(await rawRequest(`${server.url}/admin/ratings`))).toBe('LOGIN_REQUIRED');
    expect(codeOf(await rawRequest(`${server.url}/ratings`))).toBe('LOGIN_REQUIRED');
  });
});
