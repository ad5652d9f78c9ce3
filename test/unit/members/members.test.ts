import { afterAll, describe, expect, it } from 'vitest';
import { DELETED_MEMBER_NAME } from '../../../db/members/index';
import {
  CONSENT,
  cashier,
  closeAll,
  codeOf,
  DEMO,
  ID_NUMBER,
  manager,
  memberLedger,
  terminalId,
} from './support';

afterAll(closeAll);

function register(
  members: ReturnType<typeof memberLedger>['members'],
  overrides: Record<string, unknown> = {},
) {
  return members.register({
    id: 'member-new-1',
    storeId: DEMO.storeId,
    name: '欧阳娜娜',
    phone: '138 1234 5678',
    idNumber: ID_NUMBER,
    notes: '喜欢拿铁',
    consent: CONSENT,
    marketing: { granted: true, purpose: '新品与优惠短信', version: '2026-01' },
    staffId: cashier,
    terminalId,
    ...overrides,
  });
}

describe('registering a member', () => {
  it('stores the normalised phone, the ID number and the birthday read from it, and the ledger member', () => {
    const { ledger, members } = memberLedger();
    const profile = register(members);
    expect(profile).toMatchObject({
      memberId: 'member-new-1',
      name: '欧阳娜娜',
      phone: '13812345678',
      idNumber: ID_NUMBER,
      birthday: '1990-03-07',
      notes: '喜欢拿铁',
      deleted: false,
      hasPassword: false,
    });
    expect(ledger.member('member-new-1')).toMatchObject({ name: '欧阳娜娜', phone: '13812345678' });
  });

  it('records PIPL consent and marketing consent as separate records with purpose, version, staff and time', () => {
    const { members } = memberLedger();
    register(members);
    const consents = members.consents('member-new-1');
    expect(consents.map((c) => [c.kind, c.granted, c.version, c.staffId])).toEqual([
      ['pipl', true, '2026-01', cashier],
      ['marketing', true, '2026-01', cashier],
    ]);
    members.recordConsent({
      memberId: 'member-new-1',
      kind: 'marketing',
      granted: false,
      purpose: '新品与优惠短信',
      version: '2026-01',
      staffId: cashier,
      terminalId,
    });
    expect(members.consentInForce('member-new-1', 'marketing')?.granted).toBe(false);
    expect(members.consentInForce('member-new-1', 'pipl')?.granted).toBe(true);
    expect(members.consents('member-new-1')).toHaveLength(3);
  });

  it('refuses without PIPL consent, and leaves no member behind', () => {
    const { ledger, members } = memberLedger();
    expect(codeOf(() => register(members, { consent: { purpose: '', version: '1' } }))).toBe(
      'CONSENT_REQUIRED',
    );
    expect(ledger.member('member-new-1')).toBeUndefined();
    expect(members.profile('member-new-1')).toBeUndefined();
  });

  it('refuses a bad phone, a bad ID number, a birthday that contradicts the ID, and a taken phone or ID', () => {
    const { members } = memberLedger();
    expect(codeOf(() => register(members, { phone: '12812345678' }))).toBe('PHONE_INVALID');
    expect(codeOf(() => register(members, { idNumber: '110101199003071234' }))).toBe('ID_NUMBER_INVALID');
    expect(codeOf(() => register(members, { birthday: '1990-03-08' }))).toBe('BIRTHDAY_MISMATCH');
    register(members);
    expect(codeOf(() => register(members, { id: 'member-new-2', idNumber: null }))).toBe('PHONE_TAKEN');
    expect(codeOf(() => register(members, { id: 'member-new-2', phone: '13912345678' }))).toBe(
      'ID_NUMBER_TAKEN',
    );
  });

  it('leaves a rejected line on the audit chain for a refused registration', () => {
    const { ledger, members } = memberLedger();
    codeOf(() => register(members, { phone: 'x' }));
    const last = ledger.sqlite
      .prepare('SELECT action, outcome, code FROM audit ORDER BY id DESC LIMIT 1')
      .get() as Record<string, string>;
    expect(last).toEqual({ action: 'member.register', outcome: 'rejected', code: 'PHONE_INVALID' });
    expect(ledger.verifyAuditChain().ok).toBe(true);
  });
});

describe('viewing a member', () => {
  it('masks phone and ID number for a cashier and shows them in full to a manager', () => {
    const { members } = memberLedger();
    register(members);
    const seenByCashier = members.view('member-new-1', cashier);
    expect(seenByCashier).toMatchObject({
      phone: '138****5678',
      idNumber: '110***********1233',
      masked: true,
    });
    const seenByManager = members.view('member-new-1', manager);
    expect(seenByManager).toMatchObject({ phone: '13812345678', idNumber: ID_NUMBER, masked: false });
  });

  it('gives members created through the ledger alone a profile so they can be found', () => {
    const { ledger, members } = memberLedger();
    expect(members.profile(DEMO.members.uid.id)).toMatchObject({ name: '陈静', phone: '13800000001' });
    expect(members.profile(DEMO.members.keyed.id)?.phone).toBeNull();
    ledger.createMember({ id: 'm-later', storeId: DEMO.storeId, name: '后来者', phone: '13600000000' });
    expect(members.adoptLedgerMembers()).toBe(1);
    expect(members.adoptLedgerMembers()).toBe(0);
    expect(members.searchMembers({ text: '后来' }).map((h) => h.memberId)).toEqual(['m-later']);
  });
});

describe('editing a member', () => {
  it('changes the fields, keeps the ledger member in step, and writes an audit line naming the fields only', () => {
    const { ledger, members } = memberLedger();
    register(members);
    const edited = members.edit({
      memberId: 'member-new-1',
      changes: { name: '欧阳娜', phone: '13912345678' },
      staffId: cashier,
      terminalId,
    });
    expect(edited).toMatchObject({ name: '欧阳娜', phone: '13912345678', birthday: '1990-03-07' });
    expect(ledger.member('member-new-1')).toMatchObject({ name: '欧阳娜', phone: '13912345678' });
    const line = ledger.sqlite
      .prepare(`SELECT staff_id, details FROM audit WHERE action = 'member.edit' ORDER BY id DESC LIMIT 1`)
      .get() as { staff_id: string; details: string };
    expect(line.staff_id).toBe(cashier);
    expect(JSON.parse(line.details)).toEqual({ memberId: 'member-new-1', fields: ['name', 'phone'] });
    expect(line.details).not.toContain('13912345678');
    expect(ledger.verifyAuditChain().ok).toBe(true);
  });

  it('moves name search to the new name', () => {
    const { members } = memberLedger();
    register(members);
    members.edit({ memberId: 'member-new-1', changes: { name: '林青霞' }, staffId: cashier, terminalId });
    expect(members.searchMembers({ text: '娜娜' })).toEqual([]);
    expect(members.searchMembers({ text: '青霞' }).map((h) => h.memberId)).toEqual(['member-new-1']);
  });

  it('takes the birthday from a new ID number, and keeps the birthday when the ID number is removed', () => {
    const { members } = memberLedger();
    register(members, { idNumber: null, birthday: '1985-06-01' });
    const withId = members.edit({
      memberId: 'member-new-1',
      changes: { idNumber: ID_NUMBER },
      staffId: cashier,
      terminalId,
    });
    expect(withId.birthday).toBe('1990-03-07');
    const withoutId = members.edit({
      memberId: 'member-new-1',
      changes: { idNumber: null },
      staffId: cashier,
      terminalId,
    });
    expect(withoutId).toMatchObject({ idNumber: null, birthday: '1990-03-07' });
  });

  it('refuses invalid values and changes nothing', () => {
    const { members } = memberLedger();
    register(members);
    expect(
      codeOf(() =>
        members.edit({
          memberId: 'member-new-1',
          changes: { name: 'x', phone: '123' },
          staffId: cashier,
          terminalId,
        }),
      ),
    ).toBe('PHONE_INVALID');
    expect(members.profile('member-new-1')?.name).toBe('欧阳娜娜');
  });
});

describe('export and deletion (PIPL access and deletion rights)', () => {
  it('exports one member: profile, consents, cards with balances and every operation, as JSON', () => {
    const { ledger, members } = memberLedger();
    register(members);
    ledger.issueCard({
      id: 'card-x',
      memberId: 'member-new-1',
      cardNumber: '9900000000000001',
      medium: 'keyed',
    });
    ledger.topUp({
      operationId: 'op-x-1',
      cardId: 'card-x',
      amountFen: 10_000,
      tender: 'cash',
      bonusFen: 1_000,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    const data = members.exportData({ memberId: 'member-new-1', staffId: manager, terminalId });
    const roundTrip = JSON.parse(JSON.stringify(data));
    expect(roundTrip.profile.phone).toBe('13812345678');
    expect(roundTrip.consents).toHaveLength(2);
    expect(roundTrip.cards[0].balance).toEqual({ principalFen: 10_000, bonusFen: 1_000, points: 0 });
    expect(roundTrip.cards[0].operations.map((o: { operationId: string }) => o.operationId)).toContain(
      'op-x-1',
    );
  });

  it('deletes by anonymising: personal fields gone, name replaced, cards closed, ledger and audit chain whole', () => {
    const { ledger, members } = memberLedger();
    register(members);
    ledger.issueCard({
      id: 'card-x',
      memberId: 'member-new-1',
      cardNumber: '9900000000000001',
      medium: 'keyed',
    });
    ledger.topUp({
      operationId: 'op-x-1',
      cardId: 'card-x',
      amountFen: 500,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    ledger.spend({ operationId: 'op-x-2', cardId: 'card-x', amountFen: 500, staffId: cashier, terminalId });
    const gone = members.deleteMember({
      memberId: 'member-new-1',
      staffId: cashier,
      terminalId,
      approvedBy: manager,
    });
    expect(gone).toMatchObject({
      name: DELETED_MEMBER_NAME,
      phone: null,
      idNumber: null,
      birthday: null,
      notes: null,
      deleted: true,
    });
    expect(ledger.member('member-new-1')).toMatchObject({ name: DELETED_MEMBER_NAME, phone: null });
    expect(ledger.card('card-x')?.state).toBe('closed');
    expect(ledger.operationsOf({ cardId: 'card-x' }).map((o) => o.operationId)).toContain('op-x-2');
    expect(members.searchMembers({ text: '138' }).some((h) => h.memberId === 'member-new-1')).toBe(false);
    expect(members.searchMembers({ text: '娜娜' })).toEqual([]);
    expect(ledger.checkInvariants().ok).toBe(true);
    expect(ledger.verifyAuditChain().ok).toBe(true);
    expect(
      codeOf(() => members.edit({ memberId: 'member-new-1', changes: {}, staffId: cashier, terminalId })),
    ).toBe('MEMBER_DELETED');
  });

  it('refuses to delete a member whose card still holds money, or without a manager', () => {
    const { ledger, members } = memberLedger();
    register(members);
    ledger.issueCard({
      id: 'card-x',
      memberId: 'member-new-1',
      cardNumber: '9900000000000001',
      medium: 'keyed',
    });
    const input = { memberId: 'member-new-1', staffId: cashier, terminalId };
    expect(codeOf(() => members.deleteMember({ ...input, approvedBy: cashier }))).toBe(
      'APPROVER_NOT_MANAGER',
    );
    ledger.topUp({
      operationId: 'op-x-1',
      cardId: 'card-x',
      amountFen: 500,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    expect(codeOf(() => members.deleteMember({ ...input, approvedBy: manager }))).toBe('MEMBER_HAS_BALANCE');
    expect(members.profile('member-new-1')?.deleted).toBe(false);
  });
});
