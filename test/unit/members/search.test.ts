import { afterAll, describe, expect, it } from 'vitest';
import { CONSENT, cashier, closeAll, codeOf, DEMO, memberLedger, terminalId } from './support';

afterAll(closeAll);

const PEOPLE = [
  { id: 'm-1', name: '王小明', phone: '13900000001' },
  { id: 'm-2', name: '王芳', phone: '13900000002' },
  { id: 'm-3', name: '李小明', phone: '13911110003' },
  { id: 'm-4', name: '欧阳小明', phone: '15000000004' },
  { id: 'm-5', name: 'Anna Wang', phone: '18600000005' },
];

function seeded() {
  const setup = memberLedger();
  for (const person of PEOPLE) {
    setup.members.register({
      ...person,
      storeId: DEMO.storeId,
      consent: CONSENT,
      staffId: cashier,
      terminalId,
    });
  }
  return setup;
}

const ids = (hits: Array<{ memberId: string }>) => hits.map((h) => h.memberId).sort();

describe('member search', () => {
  it('finds members by phone prefix, in phone order, with the phone masked', () => {
    const { members } = seeded();
    const hits = members.searchMembers({ text: '1390000' });
    expect(hits.map((h) => h.memberId)).toEqual(['m-1', 'm-2']);
    expect(hits[0]).toMatchObject({ phoneMasked: '139****0001', matchedBy: 'phone', name: '王小明' });
    expect(ids(members.searchMembers({ text: '139' }))).toEqual(['m-1', 'm-2', 'm-3']);
    expect(ids(members.searchMembers({ text: '+86 150' }))).toEqual(['m-4']);
  });

  it('finds members by name prefix first, then by names that contain the text', () => {
    const { members } = seeded();
    expect(members.searchMembers({ text: '王' }).map((h) => h.memberId)).toEqual(['m-1', 'm-2']);
    const xiaoming = members.searchMembers({ text: '小明' });
    expect(ids(xiaoming)).toEqual(['m-1', 'm-3', 'm-4']);
    expect(ids(members.searchMembers({ text: '阳小明' }))).toEqual(['m-4']);
    expect(ids(members.searchMembers({ text: 'wang' }))).toEqual(['m-5']);
    expect(members.searchMembers({ text: '张' })).toEqual([]);
  });

  it('lists name-prefix matches before contains matches', () => {
    const { members } = seeded();
    members.register({
      id: 'm-6',
      name: '小明',
      phone: '13700000006',
      storeId: DEMO.storeId,
      consent: CONSENT,
      staffId: cashier,
      terminalId,
    });
    expect(members.searchMembers({ text: '小明' })[0]?.memberId).toBe('m-6');
  });

  it('finds a member by card number, before any phone match, and says which card', () => {
    const { ledger, members } = seeded();
    ledger.issueCard({ id: 'c-1', memberId: 'm-3', cardNumber: '13900000001', medium: 'keyed' });
    const hits = members.searchMembers({ text: '13900000001' });
    expect(hits.map((h) => [h.memberId, h.matchedBy, h.cardNumber])).toEqual([
      ['m-3', 'card', '13900000001'],
      ['m-1', 'phone', null],
    ]);
    expect(members.searchMembers({ text: DEMO.cards.keyed.cardNumber, by: 'card' })[0]?.memberId).toBe(
      DEMO.members.keyed.id,
    );
  });

  it('finds a member by the UID a tap reads, with or without separators', () => {
    const { members } = seeded();
    expect(members.searchMembers({ text: '04:a1:b2:c3:d4:e5:f6' })[0]).toMatchObject({
      memberId: DEMO.members.uid.id,
      matchedBy: 'card',
      cardNumber: DEMO.cards.uid.cardNumber,
    });
    expect(members.searchMembers({ text: DEMO.cards.uid.uid, by: 'card' })[0]?.memberId).toBe(
      DEMO.members.uid.id,
    );
  });

  it('honours the limit and refuses an out-of-range one', () => {
    const { members } = seeded();
    expect(members.searchMembers({ text: '1', limit: 2 })).toHaveLength(2);
    expect(codeOf(() => members.searchMembers({ text: '1', limit: 0 }))).toBe('INPUT_INVALID');
    expect(codeOf(() => members.searchMembers({ text: 'x'.repeat(101) }))).toBe('INPUT_INVALID');
  });

  it('searches through the indexes, never a scan of the member table', () => {
    const { ledger } = seeded();
    const plan = (sql: string, ...args: unknown[]) =>
      (ledger.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join(' | ');
    expect(
      plan(
        `SELECT member_id FROM member_profiles WHERE phone >= ? AND phone < ? AND phone IS NOT NULL ORDER BY phone LIMIT 20`,
        '139',
        '139\u{10FFFF}',
      ),
    ).toContain('member_profiles_phone');
    expect(
      plan(
        `SELECT member_id FROM member_profiles WHERE name >= ? AND name < ? AND deleted_at IS NULL ORDER BY name LIMIT 20`,
        '王',
        '王\u{10FFFF}',
      ),
    ).toContain('member_profiles_name');
  });
});
