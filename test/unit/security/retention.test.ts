/**
 * The retention job: once a manager has set the store's retention period, members with no activity for that
 * long are anonymised (fields erased, name replaced, empty cards closed) while the ledger stays whole; a
 * member whose card still holds money is kept and reported; every decision is on the audit chain.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyring } from '../../../db';
import { DELETED_MEMBER_NAME, openMemberRegistry } from '../../../db/members/index';
import { startRetention } from '../../../electron/host/retention';
import { cashier, clock, closeAll, DEMO, demoLedger, manager, START, terminalId } from '../db/support';

afterAll(closeAll);

const DAY = 86_400_000;
const CONSENT = { purpose: '会员服务与储值卡管理', version: '2026-01' };

function setup() {
  const time = clock(START + 60_000);
  const { ledger } = demoLedger(time);
  const registry = openMemberRegistry(ledger, {
    now: time.now,
    fieldKeys: createKeyring([{ id: 'k1', key: randomBytes(32) }]),
  });
  const register = (id: string, phone: string) =>
    registry.register({
      id,
      storeId: DEMO.storeId,
      name: `会员${id}`,
      phone,
      consent: CONSENT,
      staffId: cashier,
      terminalId,
    });
  const card = (id: string, memberId: string, number: string) =>
    ledger.issueCard({ id, memberId, cardNumber: number, medium: 'keyed' });
  const money = { staffId: cashier, terminalId };
  return { ledger, registry, time, register, card, money };
}

const auditOf = (ledger: ReturnType<typeof setup>['ledger'], action: string) =>
  ledger.sqlite
    .prepare<
      [string],
      { outcome: string; code: string | null; staff_id: string | null; details: string | null }
    >('SELECT outcome, code, staff_id, details FROM audit WHERE action = ? ORDER BY id')
    .all(action)
    .map((row) => ({ ...row, details: row.details === null ? null : JSON.parse(row.details) }));

describe('member retention', () => {
  it('anonymises nobody until a manager sets the period, and records who set it', () => {
    const { ledger, registry, time, register } = setup();
    register('m-r-0', '13711110000');
    time.advance(5000 * DAY);
    expect(registry.runRetention({ terminalId })).toMatchObject({ retentionDays: null, anonymised: [] });
    expect(registry.profile('m-r-0')?.name).toBe('会员m-r-0');

    expect(() => registry.setRetentionDays({ days: 365, staffId: cashier, terminalId })).toThrow(
      expect.objectContaining({ code: 'APPROVER_NOT_MANAGER' }),
    );
    expect(() => registry.setRetentionDays({ days: 3, staffId: manager, terminalId })).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID' }),
    );
    registry.setRetentionDays({ days: 365, staffId: manager, terminalId });
    expect(registry.retentionPolicy()).toMatchObject({ days: 365, staffId: manager });
    expect(auditOf(ledger, 'settings.change').filter((line) => line.outcome === 'ok')).toEqual([
      {
        outcome: 'ok',
        code: null,
        staff_id: manager,
        details: { key: 'members.retention', from: null, to: 365 },
      },
    ]);
  });

  it('anonymises the inactive, keeps the active and those owed money, and leaves the ledger whole', () => {
    const { ledger, registry, time, register, card, money } = setup();
    registry.setRetentionDays({ days: 365, staffId: manager, terminalId });
    register('m-idle', '13711110001');
    register('m-empty', '13711110002');
    card('c-empty', 'm-empty', '5500000000000002');
    ledger.topUp({
      ...money,
      operationId: 'op-e-1',
      cardId: 'c-empty',
      amountFen: 1000,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
    });
    ledger.spend({ ...money, operationId: 'op-e-2', cardId: 'c-empty', amountFen: 1000 });
    register('m-owed', '13711110003');
    card('c-owed', 'm-owed', '5500000000000003');
    ledger.topUp({
      ...money,
      operationId: 'op-o-1',
      cardId: 'c-owed',
      amountFen: 500,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
    });
    register('m-busy', '13711110004');
    card('c-busy', 'm-busy', '5500000000000004');
    ledger.topUp({
      ...money,
      operationId: 'op-b-1',
      cardId: 'c-busy',
      amountFen: 500,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
    });

    time.advance(300 * DAY);
    ledger.spend({ ...money, operationId: 'op-b-2', cardId: 'c-busy', amountFen: 100 });
    registry.edit({ memberId: 'm-idle', changes: {}, staffId: manager, terminalId }); // no change: not activity
    time.advance(100 * DAY);

    const operationsBefore = ledger.operationsOf({ limit: 100_000 });
    const run = registry.runRetention({ terminalId });
    expect(run.retentionDays).toBe(365);
    expect(run.anonymised).toEqual(expect.arrayContaining(['m-idle', 'm-empty']));
    expect(run.anonymised).not.toContain('m-busy');
    expect(run.anonymised).not.toContain('m-owed');
    expect(run.keptForBalance).toContain('m-owed');

    for (const id of ['m-idle', 'm-empty']) {
      expect(registry.profile(id)).toMatchObject({ name: DELETED_MEMBER_NAME, phone: null, deleted: true });
    }
    expect(registry.profile('m-owed')).toMatchObject({ phone: '13711110003', deleted: false });
    expect(registry.profile('m-busy')).toMatchObject({ phone: '13711110004', deleted: false });
    expect(
      registry
        .searchMembers({ text: '1371111', by: 'phone' })
        .map((hit) => hit.memberId)
        .sort(),
    ).toEqual(['m-busy', 'm-owed']);
    expect(ledger.card('c-empty')?.state).toBe('closed');
    expect(ledger.card('c-owed')?.state).toBe('active');

    // The ledger kept every operation as it was; the only new ones close empty cards.
    const operationsAfter = ledger.operationsOf({ limit: 100_000 });
    expect(operationsAfter.slice(0, operationsBefore.length)).toEqual(operationsBefore);
    expect(operationsAfter.slice(operationsBefore.length).every((op) => op.kind === 'card_state')).toBe(true);
    expect(ledger.checkInvariants()).toMatchObject({ ok: true });
    expect(ledger.verifyAuditChain()).toMatchObject({ ok: true });

    const lines = auditOf(ledger, 'member.retention');
    expect(lines.filter((line) => line.outcome === 'ok').map((line) => line.details.memberId)).toEqual(
      expect.arrayContaining(['m-idle', 'm-empty']),
    );
    expect(lines.find((line) => line.details.memberId === 'm-owed')).toMatchObject({
      outcome: 'rejected',
      code: 'MEMBER_HAS_BALANCE',
      staff_id: manager,
    });
    expect(JSON.stringify(lines)).not.toContain('1371111');
    expect(auditOf(ledger, 'member.retention.run').at(-1)?.details).toMatchObject({
      retentionDays: 365,
      anonymised: run.anonymised.length,
    });

    // A second run finds nothing new.
    expect(registry.runRetention({ terminalId }).anonymised).toEqual([]);
  });

  it('stops at its limit and says there is more', () => {
    const { registry, time, register } = setup();
    registry.setRetentionDays({ days: 30, staffId: manager, terminalId });
    for (let i = 0; i < 3; i += 1) register(`m-l-${i}`, `1372222000${i}`);
    time.advance(40 * DAY);
    const first = registry.runRetention({ terminalId, limit: 1 });
    expect(first.anonymised).toHaveLength(1);
    expect(first.more).toBe(true);
  });

  it('runs on the host timer shortly after start, in batches, until no expired member is left', async () => {
    const { registry, time, register } = setup();
    registry.setRetentionDays({ days: 30, staffId: manager, terminalId });
    for (let i = 0; i < 5; i += 1) register(`m-t-${i}`, `1373333000${i}`);
    time.advance(40 * DAY);
    const job = startRetention({
      members: registry,
      terminalId,
      logger: pino({ level: 'silent' }),
      firstRunMs: 5,
    });
    try {
      for (let i = 0; i < 200 && registry.profile('m-t-4')?.deleted !== true; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      for (let i = 0; i < 5; i += 1) expect(registry.profile(`m-t-${i}`)?.deleted, `m-t-${i}`).toBe(true);
      expect(await job.runNow()).toEqual({ anonymised: 0, keptForBalance: expect.any(Number) });
    } finally {
      await job.stop();
    }
  });
});
