/**
 * The member registry on a real ledger file, as the terminal runs it: two connections to one WAL file (the
 * counter and a second window or the sync worker), and a restart in between.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO,
  type Ledger,
  openLedger,
  openMemberRegistry,
  openPromotions,
  seedDemo,
} from '../../../db/index';

const dir = mkdtempSync(join(tmpdir(), 'members-file-'));
const path = join(dir, 'ledger.sqlite');
const staff = { staffId: DEMO.staff.cashier.id, terminalId: DEMO.terminalId };
const manager = DEMO.staff.manager.id;
const opened: Ledger[] = [];

function open(): Ledger {
  const ledger = openLedger({ path, checkpointIntervalMs: 0 });
  opened.push(ledger);
  return ledger;
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  throw new Error('expected a refusal');
}

beforeAll(() => {
  const ledger = openLedger({ path, checkpointIntervalMs: 0 });
  seedDemo(ledger, { now: Date.now() - 60_000 });
  ledger.close();
});

afterAll(() => {
  for (const ledger of opened) ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the member registry on a ledger file', () => {
  it('a card reported lost on one connection is refused at once on another', () => {
    const counter = open();
    const other = open();
    openMemberRegistry(counter).reportCardLost({
      ...staff,
      operationId: 'lost-1',
      cardId: DEMO.cards.mifare.id,
    });
    expect(
      refusal(() =>
        other.spend({ ...staff, operationId: 'spend-1', cardId: DEMO.cards.mifare.id, amountFen: 100 }),
      ),
    ).toBe('CARD_LOST');
  });

  it('a registration, a rule-applied top-up and a password lockout survive a restart', () => {
    const first = open();
    const members = openMemberRegistry(first);
    members.register({
      id: 'm-file-1',
      storeId: DEMO.storeId,
      name: '周杰',
      phone: '13700001111',
      consent: { purpose: '会员服务', version: '2026-01' },
      ...staff,
    });
    first.issueCard({
      id: 'c-file-1',
      memberId: 'm-file-1',
      cardNumber: '5500000000000001',
      medium: 'keyed',
    });
    const promotions = openPromotions(first);
    promotions.createRule({
      id: 'r-file',
      storeId: DEMO.storeId,
      terms: { name: '充100送10', steps: [{ minFen: 10_000, bonusFen: 1_000 }], validFrom: 0 },
      staffId: manager,
    });
    promotions.topUpWithRules({
      ...staff,
      operationId: 'top-file-1',
      cardId: 'c-file-1',
      amountFen: 10_000,
      tender: 'wechat',
    });
    members.setPassword({ ...staff, memberId: 'm-file-1', password: '480261' });
    for (let i = 0; i < 5; i += 1)
      refusal(() => members.verifyPassword({ memberId: 'm-file-1', password: '000000' }));
    first.close();
    opened.splice(opened.indexOf(first), 1);

    const again = open();
    const reopened = openMemberRegistry(again);
    expect(reopened.searchMembers({ text: '1370000' }).map((h) => h.memberId)).toEqual(['m-file-1']);
    expect(openPromotions(again).applicationOf('top-file-1')).toMatchObject({
      ruleId: 'r-file',
      bonusFen: 1_000,
    });
    expect(again.balance('c-file-1')).toEqual({ principalFen: 10_000, bonusFen: 1_000, points: 0 });
    expect(refusal(() => reopened.verifyPassword({ memberId: 'm-file-1', password: '480261' }))).toBe(
      'PASSWORD_LOCKED',
    );
    expect(again.checkInvariants().ok).toBe(true);
    expect(again.verifyAuditChain().ok).toBe(true);
  });
});
