/**
 * Two stores of one chain, each with its own terminal and ledger, against one HQ: the change feed makes a
 * card's balance and state chain-wide in every book, HQ's bonus rules reach the terminals, and a request
 * replayed to a restarted HQ is still refused.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ledger, openFeedSink, openLedger, openPromotions } from '../../../db';
import {
  enrolTerminal,
  HqHttpClient,
  PROTOCOL_VERSION,
  SyncWorker,
  signRequest,
  type TerminalCredentials,
} from '../../../sync';
import { HqService, type RunningHqServer, startHqServer } from '../../../sync/hq';
import { codeFor } from '../../support/hq-enrolment';
import { type Engine, type HqUnderTest, openHq, serve } from './fixtures';

interface Store {
  ledger: Ledger;
  storeId: string;
  terminalId: string;
  cashier: string;
  manager: string;
  sink: ReturnType<typeof openFeedSink>;
  worker: SyncWorker;
  credentials: TerminalCredentials;
}

function openStore(letter: 'a' | 'b'): Omit<Store, 'worker' | 'credentials'> {
  const ledger = openLedger({ path: ':memory:', checkpointIntervalMs: 0 });
  const storeId = `store-${letter}`;
  const terminalId = `terminal-${letter}1`;
  ledger.createStore({
    id: storeId,
    name: `Store ${letter.toUpperCase()}`,
    timeZone: 'Asia/Shanghai',
    dayCloseHour: 4,
    spendPolicy: 'principal_first',
    singleOperationLimitFen: 1_000_000,
  });
  ledger.createTerminal({ id: terminalId, storeId, name: `Till ${letter}` });
  // Both stores use the same staff codes: the feed must not need them to differ.
  ledger.createStaff({
    id: `cashier-${letter}`,
    storeId,
    code: '1001',
    name: 'Cashier',
    role: 'cashier',
    pin: '123456',
  });
  ledger.createStaff({
    id: `manager-${letter}`,
    storeId,
    code: '2001',
    name: 'Manager',
    role: 'manager',
    pin: '888888',
  });
  return {
    ledger,
    storeId,
    terminalId,
    cashier: `cashier-${letter}`,
    manager: `manager-${letter}`,
    sink: openFeedSink(ledger),
  };
}

async function enrol(
  hq: HqUnderTest,
  server: RunningHqServer,
  store: Omit<Store, 'worker' | 'credentials'>,
): Promise<Store> {
  const code = await codeFor(hq.service, {
    terminalId: store.terminalId,
    storeId: store.storeId,
    now: Date.now(),
  });
  const credentials = await enrolTerminal(server.url, code);
  const worker = new SyncWorker({
    terminalId: store.terminalId,
    outbox: store.ledger.outbox,
    settings: store.ledger.settings,
    transport: new HqHttpClient(server.url, credentials),
    sink: store.sink,
  });
  return { ...store, worker, credentials };
}

async function sync(store: Store): Promise<void> {
  await store.worker.drain({ maxAttempts: 3 });
  await store.worker.pullOnce();
}

/** A request on a connection of its own (a restarted server must not be reached through an old socket). */
function call(
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const engines: Engine[] = ['pglite', 'postgres'];

describe.each(engines)('the chain feed between two stores (HQ on %s)', (engine) => {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  let a: Store;
  let b: Store;
  const cardId = 'card-a-0001';

  beforeAll(async () => {
    hq = await openHq(engine);
    server = await serve(hq.service);
    a = await enrol(hq, server, openStore('a'));
    b = await enrol(hq, server, openStore('b'));
    a.ledger.createMember({
      id: 'member-a-0001',
      storeId: a.storeId,
      name: '陈静',
      staffId: a.cashier,
      terminalId: a.terminalId,
    });
    a.ledger.issueCard({
      id: cardId,
      memberId: 'member-a-0001',
      cardNumber: '8800000000000101',
      uid: '04A1B2C3D4E5F6',
      medium: 'uid',
      staffId: a.cashier,
      terminalId: a.terminalId,
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await hq?.close();
    a?.ledger.close();
    b?.ledger.close();
  });

  it('shows a card issued and topped up in A with its chain-wide balance in B, and B’s charge in A', async () => {
    a.ledger.topUp({
      operationId: '01JCHAINTOPUPA000000000001',
      cardId,
      amountFen: 50_000,
      bonusFen: 12_000,
      points: 500,
      tender: 'cash',
      staffId: a.cashier,
      terminalId: a.terminalId,
    });
    await sync(a);
    await sync(b);

    expect(b.ledger.findCardByNumber('8800000000000101')).toMatchObject({
      id: cardId,
      storeId: a.storeId,
      state: 'active',
      member: { id: 'member-a-0001', name: '陈静' },
    });
    expect(b.ledger.findCardByUid('04A1B2C3D4E5F6')?.id).toBe(cardId);
    expect(b.ledger.balance(cardId)).toEqual({ principalFen: 50_000, bonusFen: 12_000, points: 500 });

    const charge = b.ledger.spend({
      operationId: '01JCHAINSPENDB000000000001',
      cardId,
      amountFen: 55_000,
      staffId: b.cashier,
      terminalId: b.terminalId,
    });
    expect(charge.balanceAfter).toEqual({ principalFen: 0, bonusFen: 7_000, points: 500 });
    await sync(b);
    await sync(a);

    expect(a.ledger.balance(cardId)).toEqual({ principalFen: 0, bonusFen: 7_000, points: 500 });
    expect(await hq.service.card(cardId)).toMatchObject({ balance: 7_000, issuerStoreId: a.storeId });
    for (const store of [a, b]) {
      expect(store.ledger.checkInvariants()).toEqual({ ok: true, problems: [] });
      expect(store.ledger.verifyAuditChain().ok).toBe(true);
      // What came down the feed never goes back up, so nothing waits after the pull.
      expect(store.ledger.outbox.stats().waiting).toBe(0);
    }
    // The other store's operation is that store's: it is not in this terminal's figures.
    expect(a.ledger.operationsOf({ terminalId: a.terminalId }).map((op) => op.operationId)).not.toContain(
      charge.operationId,
    );
    expect(a.ledger.operation(charge.operationId)).toMatchObject({
      kind: 'spend',
      amountFen: 55_000,
      terminalId: b.terminalId,
    });
    expect(b.ledger.operationsOf({ terminalId: b.terminalId, kinds: ['top_up'] })).toEqual([]);
    expect(a.sink.skipped()).toEqual([]);
    expect(b.sink.skipped()).toEqual([]);
  });

  it('applies a page twice without moving a balance twice, and keeps the cursor with the page', async () => {
    const page = await new HqHttpClient(server.url, b.credentials).feed(0, 100);
    expect(page.entries.length).toBeGreaterThan(0);
    const before = b.ledger.balance(cardId);
    const again = b.sink.apply(page.entries, { cursor: page.cursor });
    expect(again).toEqual({ applied: 0, skipped: 0, repeated: page.entries.length });
    expect(b.ledger.balance(cardId)).toEqual(before);
    expect(b.sink.cursor()).toBe(page.cursor);
    expect(b.ledger.checkInvariants().ok).toBe(true);
  });

  it('brings a bonus rule published at HQ to the terminal, where it prices the next top-up', async () => {
    const rule = await hq.service.publishRule({
      storeId: a.storeId,
      by: 'hq-manager',
      terms: {
        name: '充300送60',
        steps: [{ minFen: 30_000, bonusFen: 6_000 }],
        pointsPerYuan: 1,
        validFrom: Date.now() - 60_000,
      },
      now: Date.now(),
    });
    expect(rule).toMatchObject({ version: 1, storeId: a.storeId, retired: false });
    await sync(b);

    const promotions = openPromotions(b.ledger);
    expect(promotions.rules(a.storeId).map((r) => [r.id, r.version, r.name])).toEqual([
      [rule.id, 1, '充300送60'],
    ]);
    expect(promotions.quoteTopUp(cardId, 30_000)).toMatchObject({
      ruleId: rule.id,
      ruleVersion: 1,
      bonusFen: 6_000,
      points: 300,
    });

    const retired = await hq.service.publishRule({
      id: rule.id,
      storeId: a.storeId,
      by: 'hq-manager',
      terms: { name: '充300送60', steps: [{ minFen: 30_000, bonusFen: 6_000 }], validFrom: 0 },
      retired: true,
      now: Date.now(),
    });
    expect(retired.version).toBe(2);
    expect((await hq.service.report(Date.now())).rules).toEqual([
      expect.objectContaining({
        ruleId: rule.id,
        storeId: a.storeId,
        version: 2,
        retired: true,
        by: 'hq-manager',
      }),
    ]);
    await sync(b);
    expect(promotions.quoteTopUp(cardId, 30_000)).toMatchObject({ ruleId: null, bonusFen: 0 });
  });

  it('refuses in B a card reported lost in A once B has pulled', async () => {
    a.ledger.setCardState({
      operationId: '01JCHAINLOSTA0000000000001',
      cardId,
      state: 'lost',
      staffId: a.manager,
      terminalId: a.terminalId,
    });
    await sync(a);
    await sync(b);
    expect(b.ledger.card(cardId)?.state).toBe('lost');
    expect(() =>
      b.ledger.spend({
        operationId: '01JCHAINSPENDB000000000002',
        cardId,
        amountFen: 100,
        staffId: b.cashier,
        terminalId: b.terminalId,
      }),
    ).toThrowError(expect.objectContaining({ code: 'CARD_LOST' }));

    // A card frozen at HQ itself is frozen in both books.
    await hq.service.setCardState({ cardId, state: 'frozen', by: 'hq-manager', now: Date.now() });
    await sync(a);
    await sync(b);
    expect(a.ledger.card(cardId)?.state).toBe('frozen');
    expect(b.ledger.card(cardId)?.state).toBe('frozen');
    expect(b.ledger.checkInvariants().ok).toBe(true);
  });

  it('refuses a feed request and a push replayed to HQ after a restart', async () => {
    const credentials = b.credentials;
    const signed = (method: 'GET' | 'POST', path: string, body: string): Record<string, string> => ({
      ...signRequest({
        key: credentials.key,
        terminalId: credentials.terminalId,
        method,
        path,
        body,
        now: Date.now(),
      }),
    });
    const feedPath = '/v1/feed?after=0&limit=1';
    const feedHeaders = signed('GET', feedPath, '');
    expect((await call(`${server.url}${feedPath}`, feedHeaders)).status).toBe(200);

    b.ledger.createMember({
      id: 'member-b-0001',
      storeId: b.storeId,
      name: '赵敏',
      terminalId: b.terminalId,
    });
    const [row] = b.ledger.outbox.pending(1);
    const push = JSON.stringify({
      version: PROTOCOL_VERSION,
      terminalId: b.terminalId,
      operations: [{ ...row!, terminalId: b.terminalId, sentAt: undefined }],
    });
    const pushHeaders = signed('POST', '/v1/push', push);
    const pushed = await call(`${server.url}/v1/push`, pushHeaders, push);
    expect(pushed).toMatchObject({ status: 200, body: { results: [{ status: 'applied' }] } });
    // Inside the same process the push's nonce is already taken.
    expect(await call(`${server.url}/v1/push`, pushHeaders, push)).toMatchObject({
      status: 409,
      body: { error: { code: 'REPLAYED_REQUEST' } },
    });

    await server.close();
    // A new service and server over the same database: nothing of the first process's memory is left.
    server = await startHqServer({ service: new HqService(hq.database), port: server.port });
    for (const replay of [
      await call(`${server.url}${feedPath}`, feedHeaders),
      await call(`${server.url}/v1/push`, pushHeaders, push),
    ]) {
      expect(replay).toMatchObject({ status: 409, body: { error: { code: 'REPLAYED_REQUEST' } } });
    }
    expect((await hq.service.operationsOf(b.terminalId)).map((op) => op.operationId)).toContain(
      row!.operationId,
    );

    // Fresh requests from the same terminal still pass.
    expect((await call(`${server.url}${feedPath}`, signed('GET', feedPath, ''))).status).toBe(200);
    const again = await call(`${server.url}/v1/push`, signed('POST', '/v1/push', push), push);
    expect(again).toMatchObject({ status: 200, body: { results: [{ status: 'duplicate' }] } });
  });
});
