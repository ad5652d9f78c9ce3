/**
 * The running terminal's sync worker pulls HQ's feed into its ledger: a charge another store made on one of
 * this store's cards, and a member and card that store registered, reach the host's book (and its member
 * search) on the first pull after start. The host holds data keys, as every terminal does: the member who came
 * down the feed is sealed like one registered here, and found by name through the blind index.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, DEMO, type Ledger, openFeedSink, openLedger } from '../../../db';
import { createHost, LEDGER_FILE } from '../../../electron/host/compose';
import { HQ_SETTING } from '../../../electron/host/devices/sync';
import { enrolTerminal, HqHttpClient, SyncWorker } from '../../../sync';
import type { RunningHqServer } from '../../../sync/hq';
import { codeFor } from '../../support/hq-enrolment';
import { enrolDemoTerminal, type HqUnderTest, openHq, serve, until } from './fixtures';

describe('the host pulling the chain feed into its ledger', () => {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  let dir: string;
  let other: Ledger;

  beforeAll(async () => {
    hq = await openHq('pglite');
    server = await serve(hq.service);
    dir = mkdtempSync(join(tmpdir(), 'pos-host-feed-'));
    other = openLedger({ path: ':memory:', checkpointIntervalMs: 0 });
  });

  afterAll(async () => {
    other?.close();
    await server?.close();
    await hq?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows another store’s charge and new member in the host’s book after its first pull', async () => {
    // The demo terminal, enrolled, has already sent its book to HQ once.
    await (await createHost({ book: 'demo', dataDir: dir })).close();
    const ledger = openLedger({ path: join(dir, LEDGER_FILE), checkpointIntervalMs: 0 });
    const { link, secrets, credentials } = await enrolDemoTerminal(hq.service, server.url);
    await new SyncWorker({
      terminalId: DEMO.terminalId,
      outbox: ledger.outbox,
      settings: ledger.settings,
      transport: new HqHttpClient(server.url, credentials),
    }).drain({ maxAttempts: 3 });
    ledger.settings.set(HQ_SETTING, link);
    ledger.close();

    // Another store learns the chain from the feed, charges a demo card and registers a member of its own.
    other.createStore({
      id: 'store-east',
      name: 'East',
      timeZone: 'Asia/Shanghai',
      dayCloseHour: 4,
      spendPolicy: 'principal_first',
      singleOperationLimitFen: 1_000_000,
    });
    other.createTerminal({ id: 'till-east', storeId: 'store-east', name: 'Till' });
    other.createStaff({
      id: 'east-1001',
      storeId: 'store-east',
      code: '1001',
      name: 'Cashier',
      role: 'cashier',
      pin: '123456',
    });
    const east = await enrolTerminal(
      server.url,
      await codeFor(hq.service, { terminalId: 'till-east', storeId: 'store-east', now: Date.now() }),
    );
    const worker = new SyncWorker({
      terminalId: 'till-east',
      outbox: other.outbox,
      settings: other.settings,
      transport: new HqHttpClient(server.url, east),
      sink: openFeedSink(other),
    });
    await worker.pullOnce();
    const uidCard = DEMO.cards.uid.id;
    expect(other.balance(uidCard)).toEqual({ principalFen: 50_000, bonusFen: 10_000, points: 500 });
    other.spend({
      operationId: '01JHOSTFEEDSPEND0000000001',
      cardId: uidCard,
      amountFen: 12_300,
      staffId: 'east-1001',
      terminalId: 'till-east',
    });
    other.createMember({ id: 'member-east-1', storeId: 'store-east', name: '周婷', terminalId: 'till-east' });
    other.issueCard({
      id: 'card-east-1',
      memberId: 'member-east-1',
      cardNumber: '7700000000000001',
      medium: 'keyed',
      terminalId: 'till-east',
    });
    await worker.drain({ maxAttempts: 3 });

    const keyring = createKeyring([{ id: 'k1', key: randomBytes(32) }]);
    const host = createHost({ book: 'demo', dataDir: dir, secrets, keyring });
    try {
      await until(() => host.ledger.card('card-east-1') !== undefined);
      expect(host.ledger.balance(uidCard)).toEqual({ principalFen: 37_700, bonusFen: 10_000, points: 500 });
      expect(host.ledger.operation('01JHOSTFEEDSPEND0000000001')).toMatchObject({
        kind: 'spend',
        terminalId: 'till-east',
      });
      await until(() => host.ledger.member('member-east-1')?.name === '周*');
      expect(host.members.searchMembers({ text: '周婷' }).map((hit) => hit.memberId)).toEqual([
        'member-east-1',
      ]);
      expect(host.members.profile('member-east-1')?.name).toBe('周婷');
      expect(host.ledger.outbox.stats().waiting).toBe(0);
      expect(host.ledger.checkInvariants().ok).toBe(true);
    } finally {
      await host.close();
    }
  });
});
