/**
 * A host with data keys (as every terminal runs) shows members' names in clear wherever the screens showed
 * them, though its ledger keeps only the mask: the card a cashier taps, the simulator's card list, a top-up
 * refund, member search and the member list, and the manager's member export; a receipt masks as before.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, DEMO } from '../../../db';
import { createHost, type Host } from '../../../electron/host/compose';
import { apiCaller } from './api-caller';

let dataDir: string;
let host: Host;
const { ok } = apiCaller(() => host);
const name = DEMO.members.uid.name;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-member-names-'));
  host = createHost({
    book: 'demo',
    dataDir,
    keyring: createKeyring([{ id: 'k1', key: randomBytes(32) }]),
  });
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('member names on an encrypted host', () => {
  it('keeps the mask in the ledger and the envelope in the profile', () => {
    expect(host.ledger.member(DEMO.members.uid.id)?.name).toBe(`${name.slice(0, 1)}*`);
    const stored = host.ledger.sqlite
      .prepare<[string], { name: string }>('SELECT name FROM member_profiles WHERE member_id = ?')
      .get(DEMO.members.uid.id);
    expect(stored?.name).toMatch(/^v1:k1:/);
  });

  it('shows the clear name on the tapped card, the simulator list, a refund and the member screens', async () => {
    const card = await ok<{ member: { name: string } }>('cashier', 'card.lookup', {
      cardNumber: DEMO.cards.uid.cardNumber,
    });
    expect(card.member.name).toBe(name);
    const simulated = await ok<Array<{ cardNumber: string; label: string }>>(
      'cashier',
      'simulator.cards',
      {},
    );
    expect(simulated.find((c) => c.cardNumber === DEMO.cards.uid.cardNumber)?.label).toBe(name);
    const refunds = await ok<{ memberName: string }>('manager', 'refunds.topUps', {
      cardNumber: DEMO.cards.uid.cardNumber,
    });
    expect(refunds.memberName).toBe(name);
    const hits = await ok<Array<{ name: string }>>('cashier', 'members.search', { text: name, by: 'name' });
    expect(hits.map((hit) => hit.name)).toEqual([name]);
    const list = await ok<{ rows: Array<{ memberId: string; name: string }> }>('cashier', 'members.list', {
      filter: {},
    });
    expect(list.rows.find((row) => row.memberId === DEMO.members.uid.id)?.name).toBe(name);
  });

  it('writes clear names into the manager’s member export', async () => {
    const done = await ok<{ path: string }>('manager', 'export.members', { format: 'csv' });
    const csv = readFileSync(done.path, 'utf8');
    expect(csv).toContain(`${DEMO.members.uid.id},${name},`);
  });
});
