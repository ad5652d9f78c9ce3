/**
 * Names reach HQ in clear though the till keeps them encrypted: the ledger's outbox line holds only the mask
 * (王**), and the host's sync worker puts the member registry's name back into the line it sends over the signed
 * channel, so the chain console finds a card by its member's name. Phone numbers travel as the mask, as before.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, DEMO, openLedger } from '../../../db';
import { createHost, LEDGER_FILE } from '../../../electron/host/compose';
import { HQ_SETTING } from '../../../electron/host/devices/sync';
import type { RunningHqServer } from '../../../sync/hq';
import { searchCards } from '../../../sync/hq/console/queries';
import { enrolDemoTerminal, type HqUnderTest, openHq, serve, until } from './fixtures';

describe('member names on their way to HQ', () => {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  let dir: string;

  beforeAll(async () => {
    hq = await openHq('pglite');
    server = await serve(hq.service);
    dir = mkdtempSync(join(tmpdir(), 'pos-names-hq-'));
  });

  afterAll(async () => {
    await server?.close();
    await hq?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets the chain console find a card by its member’s name while the till’s own lines hold the mask', async () => {
    const keyring = createKeyring([{ id: 'k1', key: randomBytes(32) }]);
    await (await createHost({ book: 'demo', dataDir: dir, keyring })).close();
    const { link, secrets } = await enrolDemoTerminal(hq.service, server.url);
    const ledger = openLedger({ path: join(dir, LEDGER_FILE), checkpointIntervalMs: 0 });
    ledger.settings.set(HQ_SETTING, link);
    ledger.close();

    const host = createHost({ book: 'demo', dataDir: dir, keyring, secrets });
    try {
      host.members.register({
        id: 'member-hq-1',
        storeId: DEMO.storeId,
        name: '欧阳晓晓',
        phone: '13922223333',
        consent: { purpose: '会员服务', version: '2026-01' },
        staffId: DEMO.staff.cashier.id,
        terminalId: DEMO.terminalId,
      });
      host.ledger.issueCard({
        id: 'card-hq-1',
        memberId: 'member-hq-1',
        cardNumber: '8800000000009001',
        medium: 'keyed',
        terminalId: DEMO.terminalId,
      });
      const lines = JSON.stringify(host.ledger.outbox.pending(10_000));
      expect(lines).toContain('欧***');
      expect(lines).not.toContain('欧阳晓晓');

      await until(async () => (await searchCards(hq.database, '欧阳晓晓')).length > 0);
      expect(await searchCards(hq.database, '晓晓')).toEqual([
        expect.objectContaining({ cardId: 'card-hq-1', memberName: '欧阳晓晓', phoneTail: '3333' }),
      ]);
      // The demo café's members, written before the keys and masked since, went up by name as well.
      expect(await searchCards(hq.database, DEMO.members.uid.name)).toEqual([
        expect.objectContaining({ cardId: DEMO.cards.uid.id, memberName: DEMO.members.uid.name }),
      ]);
    } finally {
      await host.close();
    }
  });
});
