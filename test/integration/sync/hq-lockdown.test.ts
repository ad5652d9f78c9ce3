/**
 * HQ is safe to expose: the cross-site and unauthenticated requests a page in the operator's browser (or anyone
 * on the network) could send are refused with 4xx and change nothing; people sign in with a password and get a
 * session that ends; scripts use bearer tokens from the command line; a revoked terminal is refused with
 * TERMINAL_REVOKED everywhere while its data stays; limits answer 429 with Retry-After.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqHttpClient, SyncError, signRequest } from '../../../sync';
import { AdminAudit, HqAccounts, HqService, type RunningHqServer, startHqServer } from '../../../sync/hq';
import { rows } from '../../../sync/hq/database';
import { codeOf, rawRequest } from '../../support/raw-http';
import {
  adminSession,
  type Engine,
  enrolled,
  type HqUnderTest,
  openHq,
  TestTerminal,
  until,
  wire,
} from './fixtures';

const EVIL = 'https://evil.example';
const RULE = {
  storeId: 'S1',
  by: 'hq-manager',
  terms: { name: '充1分送1000元', steps: [{ minFen: 1, bonusFen: 100_000 }], validFrom: 0 },
};

/** What an attack would change: every table a refused request could have written to. */
async function stateOf(hq: HqUnderTest): Promise<unknown> {
  const [counts] = await rows(
    hq.database.db,
    sql`select (select count(*) from hq_operations) as operations,
               (select count(*) from hq_enrolment_codes) as codes,
               (select count(*) from hq_settings) as settings,
               (select count(*) from hq_terminals where revoked_at is not null) as revoked,
               (select count(*) from hq_sessions) as sessions,
               (select count(*) from hq_admin_audit where outcome = 'done') as changes`,
  );
  return counts;
}

async function checks(engine: Engine, keyOnly: boolean) {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  let admin: Record<string, string>;
  let username: string;

  beforeAll(async () => {
    hq = await openHq(engine);
    server = await startHqServer({
      service: hq.service,
      limits: { signIn: { ratePerSecond: 0.01, burst: 2, concurrent: 2 } },
    });
    ({ headers: admin, username } = await adminSession(hq.database, 'chain_admin'));
  });

  afterAll(async () => {
    await server?.close();
    await hq?.close();
  });

  it('refuses cross-site, unauthenticated, misdirected, oversized and malformed requests and changes nothing', async () => {
    const before = await stateOf(hq);
    const host = new URL(server.url).host;
    const refusals = [
      // A page elsewhere posting a rule as text/plain (no preflight needed), with and without the operator's cookie.
      await rawRequest(`${server.url}/admin/rules`, {
        method: 'POST',
        headers: { origin: EVIL, 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
        body: JSON.stringify(RULE),
      }),
      await rawRequest(`${server.url}/admin/rules`, {
        method: 'POST',
        headers: { origin: EVIL, 'content-type': 'text/plain', cookie: 'hq_session=stolen-or-not' },
        body: JSON.stringify(RULE),
      }),
      await rawRequest(`${server.url}/admin/rules`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(RULE),
      }),
      await rawRequest(`${server.url}/admin/enrolment-codes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ terminalId: 'EVIL1', storeId: 'S1' }),
      }),
      await rawRequest(`${server.url}/admin/audit?terminal=T1`),
      await rawRequest(`${server.url}/api/report`),
      // Signed in, but through a name that is not HQ's (DNS rebinding), from another origin, or not as JSON.
      await rawRequest(`${server.url}/admin/rules`, {
        method: 'POST',
        headers: { ...admin, host: 'evil.example' },
        body: JSON.stringify(RULE),
      }),
      await rawRequest(`${server.url}/admin/audit?terminal=T1`, {
        headers: { ...admin, host: 'evil.example' },
      }),
      await rawRequest(`${server.url}/admin/rules`, {
        method: 'POST',
        headers: { ...admin, origin: EVIL },
        body: JSON.stringify(RULE),
      }),
      await rawRequest(`${server.url}/admin/rules`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'text/plain' },
        body: JSON.stringify(RULE),
      }),
      // Too big (refused on the declared length, before the body is sent) and not JSON.
      await rawRequest(`${server.url}/admin/rules`, {
        method: 'POST',
        headers: admin,
        body: '{',
        declaredLength: 1024 * 1024,
      }),
      await rawRequest(`${server.url}/admin/rules`, { method: 'POST', headers: admin, body: '{"storeId":' }),
      await rawRequest(`${server.url}/admin/caps`, { method: 'PUT', headers: admin, body: 'null' }),
    ];
    expect(refusals.map((answer) => [answer.status, codeOf(answer)])).toEqual([
      [403, 'ORIGIN_NOT_ALLOWED'],
      [403, 'ORIGIN_NOT_ALLOWED'],
      [401, 'LOGIN_REQUIRED'],
      [401, 'LOGIN_REQUIRED'],
      [401, 'LOGIN_REQUIRED'],
      [401, 'LOGIN_REQUIRED'],
      [421, 'HOST_NOT_ALLOWED'],
      [421, 'HOST_NOT_ALLOWED'],
      [403, 'ORIGIN_NOT_ALLOWED'],
      [415, 'MEDIA_TYPE_UNSUPPORTED'],
      [413, 'BODY_TOO_LARGE'],
      [400, 'REQUEST_MALFORMED'],
      [400, 'REQUEST_MALFORMED'],
    ]);
    expect(await stateOf(hq)).toEqual(before);
    // The same route taken the right way works: the refusals were about the request, not the route.
    const published = await rawRequest(`${server.url}/admin/rules`, {
      method: 'POST',
      headers: { ...admin, host, origin: server.url },
      body: JSON.stringify(RULE),
    });
    expect(published.status).toBe(200);
    const [entry] = await new AdminAudit(hq.database).list(1);
    expect(entry).toMatchObject({ actor: username, action: 'rule.publish', outcome: 'done' });
  });

  it('checks a signed request’s headers before reading its body', async () => {
    const credentials = await enrolled(hq.service, 'GATE1', 'S1');
    const huge = 64 * 1024 * 1024;
    const unknown = await rawRequest(`${server.url}/v1/push`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signRequest({
          key: credentials.key,
          terminalId: 'NOBODY',
          method: 'POST',
          path: '/v1/push',
          body: '',
          now: Date.now(),
        }),
      },
      body: '{',
      declaredLength: huge,
    });
    expect([unknown.status, codeOf(unknown)]).toEqual([401, 'UNKNOWN_TERMINAL']);
    const unsigned = await rawRequest(`${server.url}/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
      declaredLength: huge,
    });
    expect([unsigned.status, codeOf(unsigned)]).toEqual([401, 'REQUEST_UNSIGNED']);
    const tooBig = await rawRequest(`${server.url}/v1/push`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signRequest({ ...credentials, method: 'POST', path: '/v1/push', body: '', now: Date.now() }),
      },
      body: '{',
      declaredLength: huge,
    });
    expect([tooBig.status, codeOf(tooBig)]).toEqual([413, 'BODY_TOO_LARGE']);
  });

  it('revokes a terminal: its next request is refused with TERMINAL_REVOKED, its data stays, the revoke is audited', async () => {
    const credentials = await enrolled(hq.service, 'REV1', 'S1');
    const terminal = new TestTerminal('REV1', 'S1');
    const ids = terminal.writeMany(4);
    const client = new HqHttpClient(server.url, credentials);
    await client.push('REV1', wire(terminal));
    // Another HQ process on the same database, which has the key cached already.
    const other = new HqService(hq.database, { keyTtlMs: 300 });
    const otherServer = await startHqServer({ service: other });
    try {
      const otherClient = new HqHttpClient(otherServer.url, credentials);
      await otherClient.feed(0, 10);
      const revoked = await rawRequest(`${server.url}/admin/terminals/REV1/revoke`, {
        method: 'POST',
        headers: admin,
      });
      expect(revoked.status).toBe(200);
      const refusal = await client.feed(0, 10).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(SyncError);
      expect(refusal).toMatchObject({ code: 'TERMINAL_REVOKED', details: { status: 403, retryable: false } });
      await until(async () => {
        const answer = await otherClient.feed(0, 10).catch((error: unknown) => error);
        return answer instanceof SyncError && answer.code === 'TERMINAL_REVOKED';
      });
      expect((await hq.service.operationsOf('REV1')).map((row) => row.operationId)).toEqual(ids);
      const report = await hq.service.report(Date.now());
      expect(report.terminals.find((row) => row.terminalId === 'REV1')?.revokedAt).toEqual(
        expect.any(Number),
      );
      const [entry] = await new AdminAudit(hq.database).list(1);
      expect(entry).toMatchObject({
        actor: username,
        action: 'terminal.revoke',
        target: 'REV1',
        outcome: 'done',
      });
    } finally {
      await otherServer.close();
      terminal.close();
    }
  });

  it.skipIf(keyOnly)(
    'signs people in with a password, in a cookie the browser keeps to HQ, until it expires',
    async () => {
      let clock = Date.now();
      const timed = await startHqServer({ service: hq.service, now: () => clock });
      try {
        await new HqAccounts(hq.database).addUser({
          username: 'li.na',
          role: 'finance',
          password: 'correct horse battery',
          now: clock,
        });
        const signIn = (password: string, origin = timed.url) =>
          rawRequest(`${timed.url}/admin/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin },
            body: JSON.stringify({ username: 'li.na', password }),
          });
        const wrong = await signIn('wrong horse battery');
        expect([wrong.status, codeOf(wrong)]).toEqual([401, 'LOGIN_FAILED']);
        const page = await rawRequest(`${timed.url}/`);
        expect(page.text).toContain('id="login"');
        expect(page.text).not.toContain('Chain sync');
        const fromElsewhere = await signIn('correct horse battery', EVIL);
        expect(fromElsewhere.status).toBe(403);
        const signed = await signIn('correct horse battery');
        expect(signed.status).toBe(200);
        const setCookie = String(signed.headers['set-cookie']);
        expect(setCookie).toMatch(/^hq_session=[A-Za-z0-9_-]{40,};/);
        expect(setCookie).toContain('HttpOnly');
        expect(setCookie).toContain('SameSite=Strict');
        const cookie = setCookie.split(';')[0]!;
        const inside = await rawRequest(`${timed.url}/`, { headers: { cookie } });
        expect(inside.text).toContain('Chain sync');
        expect(inside.text).toContain('li.na');
        // Finance may resolve an overdraft but not publish a rule; a cookie change must name HQ's origin.
        const noOrigin = await rawRequest(`${timed.url}/admin/overdrafts/999/resolve`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
        });
        expect([noOrigin.status, codeOf(noOrigin)]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
        const resolved = await rawRequest(`${timed.url}/admin/overdrafts/999/resolve`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json', origin: timed.url },
        });
        expect([resolved.status, resolved.body]).toEqual([200, { resolved: false }]);
        const rule = await rawRequest(`${timed.url}/admin/rules`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json', origin: timed.url },
          body: JSON.stringify(RULE),
        });
        expect([rule.status, codeOf(rule)]).toEqual([403, 'ROLE_NOT_ALLOWED']);
        clock += 8 * 60 * 60 * 1000 + 1;
        const expired = await rawRequest(`${timed.url}/api/report`, { headers: { cookie } });
        expect([expired.status, codeOf(expired)]).toEqual([401, 'LOGIN_REQUIRED']);
        const entries = await new AdminAudit(hq.database).list(10);
        expect(
          entries.filter((entry) => entry.action === 'session.sign_in').map((entry) => entry.outcome),
        ).toEqual(['done', 'refused']);
      } finally {
        await timed.close();
      }
    },
    60_000,
  );

  it.skipIf(keyOnly)(
    'slows password guessing and busy terminals down with 429 and Retry-After',
    async () => {
      const guesses = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        guesses.push(
          await rawRequest(`${server.url}/admin/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: username, password: `guess number ${attempt}` }),
          }),
        );
      }
      expect(guesses.map((answer) => answer.status)).toEqual([401, 401, 429, 429]);
      expect(Number(guesses.at(-1)!.headers['retry-after'])).toBeGreaterThan(0);

      const busy = await startHqServer({
        service: hq.service,
        limits: { terminal: { ratePerSecond: 0.5, burst: 2, concurrent: 2 } },
      });
      try {
        const credentials = await enrolled(hq.service, 'BUSY1', 'S1');
        const client = new HqHttpClient(busy.url, credentials);
        await client.feed(0, 1);
        await client.feed(0, 1);
        const limited = await client.feed(0, 1).catch((error: unknown) => error);
        expect(limited).toMatchObject({ code: 'RATE_LIMITED', details: { status: 429, retryable: true } });
        expect((limited as SyncError).details?.retryAfterMs).toBeGreaterThanOrEqual(1_000);
      } finally {
        await busy.close();
      }
    },
    60_000,
  );

  it.skipIf(keyOnly)('answers the page only with its security headers and a sign-in form', async () => {
    const page = await rawRequest(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.text).toContain('/login.js');
    const script = await rawRequest(`${server.url}/login.js`);
    expect(script.text).toContain("'content-type': 'application/json'");
  });
}

describe('HQ locked down on pglite', () => checks('pglite', false));
describe('HQ locked down on postgres (the key refusals)', () => checks('postgres', true));
