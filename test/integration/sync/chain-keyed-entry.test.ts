/**
 * The chain's rule for typed card numbers comes from HQ: a chain admin sets it there (admin route or
 * `npm run hq -- keyed-entry`), audited at HQ like every admin change; a till receives it at enrolment and on
 * every pull and charges by it; the till's own setting stays a standalone store's rule, and a till of a chain
 * refuses a local change.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { DEFAULT_KEYED_ENTRY_POLICY } from '../../../electron/contract';
import { exchangeEnrolmentCode } from '../../../electron/host/enrolment/join';
import { HQ_SETTING } from '../../../electron/host/enrolment/link';
import { KEYED_ENTRY_SETTING } from '../../../electron/host/keyed-entry';
import { DEFAULT_CHAIN_KEYED_ENTRY, SETTINGS_KEYS } from '../../../sync';
import { AdminAudit, type RunningHqServer } from '../../../sync/hq';
import { runCli } from '../../../sync/hq/cli';
import { type BookUnderTest, openBook, sessionOf } from '../../support/books';
import { codeFor } from '../../support/hq-enrolment';
import { adminSession, enrolDemoTerminal, type HqUnderTest, openHq, serve, until } from './fixtures';

let hq: HqUnderTest;
let server: RunningHqServer;
let admin: Record<string, string>;
let support: Record<string, string>;

const patch = (headers: Record<string, string>, body: unknown) =>
  fetch(`${server.url}/admin/keyed-entry`, { method: 'PATCH', headers, body: JSON.stringify(body) });

beforeAll(async () => {
  hq = await openHq('pglite');
  server = await serve(hq.service);
  admin = (await adminSession(hq.database, 'chain_admin')).headers;
  support = (await adminSession(hq.database, 'support')).headers;
});

afterAll(async () => {
  await server?.close();
  await hq?.close();
});

describe("the chain's rule for typed card numbers at HQ", () => {
  it('starts as the rule a standalone till starts with', async () => {
    expect(DEFAULT_CHAIN_KEYED_ENTRY).toEqual(DEFAULT_KEYED_ENTRY_POLICY);
    expect(await hq.service.keyedEntryPolicy()).toEqual(DEFAULT_CHAIN_KEYED_ENTRY);
  });

  it('is changed by a chain admin only, a kind at a time, and each try is in HQ’s audit', async () => {
    const changed = await patch(admin, { uid: 'approval' });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ ...DEFAULT_CHAIN_KEYED_ENTRY, uid: 'approval' });

    const bySupport = await patch(support, { uid: 'allowed' });
    expect(bySupport.status).toBe(403);
    expect(await bySupport.json()).toMatchObject({ error: { code: 'ROLE_NOT_ALLOWED' } });
    for (const wrong of [{ secured: 'allowed' }, { uid: 'sometimes' }, {}, { colour: 'red' }]) {
      const refused = await patch(admin, wrong);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { code: 'KEYED_ENTRY_POLICY_INVALID' } });
    }
    expect(await hq.service.keyedEntryPolicy()).toEqual({ ...DEFAULT_CHAIN_KEYED_ENTRY, uid: 'approval' });

    const lines = (await new AdminAudit(hq.database).list(20)).filter(
      (line) => line.action === 'keyed_entry.set',
    );
    expect(lines.map((line) => [line.outcome, line.code])).toEqual([
      ...Array(4).fill(['refused', 'KEYED_ENTRY_POLICY_INVALID']),
      ['refused', 'ROLE_NOT_ALLOWED'],
      ['done', null],
    ]);
  });

  it('is shown and changed from HQ’s command line, audited under the actor cli', async () => {
    expect(await runCli(hq.service, 'keyed-entry', [])).toBe(
      'secured:\tapproval\nuid:\tapproval\nmagstripe:\tapproval\nkeyed:\tallowed',
    );
    expect(await runCli(hq.service, 'keyed-entry', ['--keyed', 'refused'])).toContain('keyed:\trefused');
    await expect(runCli(hq.service, 'keyed-entry', ['--secured', 'allowed'])).rejects.toMatchObject({
      code: 'KEYED_ENTRY_POLICY_INVALID',
    });
    await expect(runCli(hq.service, 'keyed-entry', ['--colour', 'red'])).rejects.toMatchObject({
      code: 'CLI_ARGUMENTS_INVALID',
    });
    const [last] = await new AdminAudit(hq.database).list(1);
    expect(last).toMatchObject({ actor: 'cli', action: 'keyed_entry.set', outcome: 'refused' });
    expect(await hq.service.keyedEntryPolicy()).toEqual({
      ...DEFAULT_CHAIN_KEYED_ENTRY,
      uid: 'approval',
      keyed: 'refused',
    });
  });
});

describe("a till of the chain follows HQ's rule", () => {
  let book: BookUnderTest | undefined;

  afterAll(async () => {
    await book?.close();
  });

  it('receives it with its enrolment', async () => {
    const code = await codeFor(hq.service, { terminalId: 'till-new', storeId: 'store-new', now: Date.now() });
    const answer = await exchangeEnrolmentCode({ hqUrl: server.url, code });
    expect(answer.keyedEntry).toEqual(await hq.service.keyedEntryPolicy());
  });

  it('charges by it after its next pull, whatever the store set for itself, and refuses a local change', async () => {
    const { link, secrets } = await enrolDemoTerminal(hq.service, server.url);
    // The store's own rule would let every typed number through; the chain's says otherwise.
    const lenient = { secured: 'approval', uid: 'allowed', magstripe: 'allowed', keyed: 'allowed' };
    book = await openBook('live', {
      secrets,
      settings: { [HQ_SETTING]: link, [KEYED_ENTRY_SETTING]: lenient },
    });
    const host = book.host;
    await until(() => host.ledger.settings.get(SETTINGS_KEYS.keyedEntry) !== undefined);

    const adminAtTill = await sessionOf(host, 'admin');
    expect(await host.api.call(adminAtTill, 'cardFormat.keyedEntry', {})).toEqual({
      ok: true,
      value: { secured: 'approval', uid: 'approval', magstripe: 'approval', keyed: 'refused', setBy: 'hq' },
    });
    const cashier = await sessionOf(host, 'cashier');
    const charge = (card: { id: string }) =>
      host.api.call(cashier, 'wallet.charge', { operationId: ulid(), cardId: card.id, amountFen: 100 });
    expect(await charge(DEMO.cards.uid)).toMatchObject({
      ok: false,
      error: { code: 'KEYED_ENTRY_NEEDS_APPROVAL', details: { medium: 'uid' } },
    });
    expect(await charge(DEMO.cards.keyed)).toMatchObject({
      ok: false,
      error: { code: 'KEYED_ENTRY_REFUSED', details: { medium: 'keyed' } },
    });

    expect(await host.api.call(adminAtTill, 'cardFormat.setKeyedEntry', { keyed: 'allowed' })).toMatchObject({
      ok: false,
      error: { code: 'KEYED_ENTRY_SET_BY_HQ' },
    });
    const refusedLine = host.ledger.auditLog
      .after(0, 1_000_000)
      .filter((line) => line.action === 'settings.change')
      .at(-1);
    expect(refusedLine).toMatchObject({ outcome: 'rejected', code: 'KEYED_ENTRY_SET_BY_HQ' });
    expect(host.ledger.settings.get(KEYED_ENTRY_SETTING)).toEqual(lenient);
  });
});
