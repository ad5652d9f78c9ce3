import { afterAll, describe, expect, it } from 'vitest';
import { openNotices, openWinBack } from '../../../db/notices/index';
import { cashier, closeAll, DEMO, manager, terminalId } from '../db/support';
import { CONSENT, memberLedger } from '../members/support';

afterAll(closeAll);

const actor = { staffId: cashier, terminalId };
const MARKETING = { purpose: '会员活动短信', version: 'marketing-2026-01' };
const DAY_MS = 86_400_000;

function noticesOnDemo() {
  const base = memberLedger();
  const notices = openNotices(base.ledger, { now: base.time.now });
  notices.skipToEnd();
  const winBack = openWinBack(base.ledger, { now: base.time.now });
  const register = (n: number, marketing: boolean | null) => {
    const id = `member-w${n}`;
    base.members.register({
      id,
      storeId: DEMO.storeId,
      name: `顾客${n}`,
      phone: `137${String(n).padStart(8, '0')}`,
      consent: CONSENT,
      ...(marketing === null ? {} : { marketing: { ...MARKETING, granted: marketing } }),
      ...actor,
    });
    base.ledger.issueCard({
      id: `card-w${n}`,
      memberId: id,
      cardNumber: `66${String(n).padStart(14, '0')}`,
      medium: 'keyed',
    });
    base.ledger.topUp({
      ...actor,
      operationId: `t-w${n}`,
      cardId: `card-w${n}`,
      amountFen: 5_000,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
    });
    return id;
  };
  return { ...base, notices, winBack, register };
}

describe('win-back notices', () => {
  it('go only to members who consented to marketing; the others are counted as skipped, and a resend sends nothing more', () => {
    const { notices, winBack, register, members } = noticesOnDemo();
    const yes = register(1, true);
    const no = register(2, false);
    const never = register(3, null);
    const withdrew = register(4, true);
    members.recordConsent({ memberId: withdrew, kind: 'marketing', granted: false, ...MARKETING, ...actor });
    const sent = winBack.send({
      campaignId: 'wb-1',
      storeId: DEMO.storeId,
      staffId: manager,
      memberIds: [yes, no, never, withdrew, 'member-nobody'],
      message: '好久不见，本周回店消费送拿铁一杯',
    });
    expect(sent).toEqual({ campaignId: 'wb-1', sent: 1, skippedNoConsent: 3, skippedDeleted: 1 });
    const due = notices.due(100).filter((n) => n.kind === 'win_back');
    expect(due.map((n) => [n.topic, n.memberId])).toEqual([['member', yes]]);
    expect(due[0]?.payload).toMatchObject({
      message: '好久不见，本周回店消费送拿铁一杯',
      storeName: expect.any(String),
    });
    // The same press sent again answers as the first did and queues nothing more.
    expect(
      winBack.send({
        campaignId: 'wb-1',
        storeId: DEMO.storeId,
        staffId: manager,
        memberIds: [yes],
        message: 'again',
      }),
    ).toEqual(sent);
    expect(notices.due(100).filter((n) => n.kind === 'win_back')).toHaveLength(1);
    expect(() =>
      winBack.send({
        campaignId: 'wb-2',
        storeId: DEMO.storeId,
        staffId: manager,
        memberIds: [],
        message: 'x',
      }),
    ).toThrow(/1 to 500/);
  });

  it('report who came back: a member charged after the notice', () => {
    const { ledger, winBack, register, time } = noticesOnDemo();
    const back = register(1, true);
    const away = register(2, true);
    ledger.spend({ ...actor, operationId: 's-before', cardId: 'card-w2', amountFen: 100 });
    winBack.send({
      campaignId: 'wb-1',
      storeId: DEMO.storeId,
      staffId: manager,
      memberIds: [back, away],
      message: '回来看看',
    });
    time.advance(3 * DAY_MS);
    const visit = ledger.spend({ ...actor, operationId: 's-after', cardId: 'card-w1', amountFen: 1_200 });
    const [campaign] = winBack.campaigns();
    expect(campaign).toMatchObject({ campaignId: 'wb-1', sent: 2, skippedNoConsent: 0, staffId: manager });
    expect(campaign?.returned).toEqual([{ memberId: back, name: '顾客1', visitAt: visit.createdAt }]);
  });
});

describe('CRM events and marketing consent', () => {
  it('name the member only when the member consented to marketing', () => {
    const { notices, register } = noticesOnDemo();
    const yes = register(1, true);
    const no = register(2, false);
    notices.collect({ crm: true });
    const created = notices
      .due(100)
      .filter((n) => n.kind === 'member.created')
      .map((n) => n.payload as { memberId: string; data: { member: Record<string, unknown> } });
    const about = (id: string) => created.find((e) => e.memberId === id)?.data.member;
    expect(about(yes)).toMatchObject({ id: yes, name: '顾客1' });
    expect(about(no)).toMatchObject({ id: no });
    expect(about(no)).not.toHaveProperty('name');
    expect(about(no)).not.toHaveProperty('phone');
    expect(JSON.stringify(created.find((e) => e.memberId === no))).not.toContain('顾客2');
  });
});
