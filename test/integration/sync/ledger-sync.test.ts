import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type Ledger, openLedger, seedDemo } from '../../../db';
import { enrolTerminal, HqHttpClient, SyncWorker } from '../../../sync';
import type { RunningHqServer } from '../../../sync/hq';
import { codeFor } from '../../support/hq-enrolment';
import { type HqUnderTest, openHq, RecordingSink, serve } from './fixtures';

describe("the real ledger's outbox synced to HQ on PostgreSQL", () => {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  let ledger: Ledger;

  beforeAll(async () => {
    hq = await openHq('postgres');
    server = await serve(hq.service);
    ledger = openLedger({ path: ':memory:', checkpointIntervalMs: 0 });
    seedDemo(ledger, { now: Date.now() });
  });

  afterAll(async () => {
    ledger?.close();
    await server?.close();
    await hq?.close();
  });

  it('applies every outbox row once and gives HQ the same card balances as the terminal', async () => {
    const { cashier } = DEMO.staff;
    const mifare = DEMO.cards.mifare.id;
    ledger.spend({
      operationId: '01JDEMOSPEND000000000000001',
      cardId: mifare,
      amountFen: 12_345,
      staffId: cashier.id,
      terminalId: DEMO.terminalId,
    });
    ledger.topUp({
      operationId: '01JDEMOTOPUP000000000000001',
      cardId: DEMO.cards.keyed.id,
      amountFen: 5_000,
      bonusFen: 500,
      points: 50,
      tender: 'cash',
      staffId: cashier.id,
      terminalId: DEMO.terminalId,
    });
    const written = ledger.outbox.pending(10_000);
    expect(written.length).toBeGreaterThan(5);

    const code = await codeFor(hq.service, {
      terminalId: DEMO.terminalId,
      storeId: DEMO.storeId,
      now: Date.now(),
    });
    const credentials = { ...(await enrolTerminal(server.url, code)), hqUrl: server.url };
    expect(credentials).toMatchObject({ terminalId: DEMO.terminalId, storeId: DEMO.storeId });
    const worker = new SyncWorker({
      terminalId: DEMO.terminalId,
      outbox: ledger.outbox,
      settings: ledger.settings,
      transport: new HqHttpClient(credentials.hqUrl, credentials),
      sink: new RecordingSink(),
      batchSize: 4,
    });
    await worker.drain({ maxAttempts: 3 });
    await worker.pullOnce();

    expect(ledger.outbox.stats().waiting).toBe(0);
    expect(worker.syncErrors()).toEqual([]);
    const atHq = await hq.service.operationsOf(DEMO.terminalId);
    expect(atHq.map((row) => row.operationId)).toEqual(written.map((row) => row.operationId));
    for (const card of Object.values(DEMO.cards)) {
      const local = ledger.balance(card.id);
      const chain = await hq.service.card(card.id);
      expect(chain, card.id).toMatchObject({
        issuerStoreId: DEMO.storeId,
        balance: local.principalFen + local.bonusFen,
      });
    }
    expect(worker.status()).toMatchObject({ online: true, waiting: 0, openSyncErrors: 0 });
  });
});
