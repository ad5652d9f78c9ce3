/**
 * Well-formed and malformed calls of the member and card commands, for the contract test. Each well-formed
 * call that changes something gets a member or card of its own, made straight in the ledger (registering a
 * member or issuing a card writes no ledger operation, so the "nothing moved" counts stay put).
 */
import { ulid } from 'ulid';
import { DEMO } from '../../../db';
import type { MemberCommandName, MemberListCommandName } from '../../../electron/contract/names';
import type { Host } from '../../../electron/host/compose';

const manager = { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin };
const consent = { purpose: '会员服务', version: 'v1' };

let sequence = 0;
/** A mobile number and a card number no other call uses. */
function fresh(): { phone: string; cardNumber: string } {
  sequence += 1;
  const tail = String(sequence).padStart(4, '0');
  const run = String(Date.now() % 10_000).padStart(4, '0');
  return { phone: `137${run}${tail}`, cardNumber: `77${run}${tail}000000` };
}

export function memberCalls(host: () => Host) {
  const who = { staffId: DEMO.staff.cashier.id, terminalId: DEMO.terminalId };
  const freshMember = (): string => {
    const id = ulid();
    host().members.register({
      id,
      storeId: DEMO.storeId,
      name: '测试会员',
      phone: fresh().phone,
      consent,
      ...who,
    });
    return id;
  };
  const freshCard = (): string => {
    const id = `card-${ulid()}`;
    host().ledger.issueCard({
      id,
      memberId: freshMember(),
      cardNumber: fresh().cardNumber,
      medium: 'keyed',
      ...who,
    });
    return id;
  };
  let frozen: string | null = null;

  const valid: Record<MemberCommandName | MemberListCommandName, () => unknown> = {
    'members.search': () => ({ text: DEMO.members.uid.name.slice(0, 1) }),
    'members.get': () => ({ memberId: DEMO.members.uid.id }),
    'members.register': () => ({ name: '新会员', phone: fresh().phone, consent }),
    'members.edit': () => ({ memberId: DEMO.members.keyed.id, changes: { notes: '常点拿铁' } }),
    'members.export': () => ({ memberId: DEMO.members.uid.id }),
    'members.delete': () => ({ memberId: freshMember(), approver: manager }),
    'members.setPassword': () => ({ memberId: freshMember(), password: '246813' }),
    'members.resetPassword': () => ({ memberId: freshMember(), password: '135792', approver: manager }),
    'members.statement': () => ({ cardId: DEMO.cards.uid.id, from: 0, to: Date.now() + 86_400_000 }),
    'members.changeTier': () => ({ memberId: freshMember(), tierId: null, reason: '店长调整' }),
    'members.list': () => ({ filter: { segment: 'lapsing', minBalanceFen: 0 }, limit: 20 }),
    'members.winBack': () => ({ campaignId: ulid(), memberIds: [freshMember()], message: '好久不见' }),
    'members.winBackCampaigns': () => ({}),
    'cards.previewActivation': () => ({ amountFen: 10_000 }),
    'cards.activate': () => ({
      operationId: ulid(),
      member: { register: { name: '开卡会员', phone: fresh().phone, consent } },
      identityChecked: false,
      card: { cardNumber: fresh().cardNumber, medium: 'keyed' },
    }),
    'cards.freeze': () => ({ operationId: ulid(), cardId: freshCard() }),
    'cards.unfreeze': () => ({ operationId: ulid(), cardId: frozen ?? freshCard() }),
    'cards.reportLost': () => ({ operationId: ulid(), cardId: freshCard() }),
    'cards.replace': () => ({
      operationId: ulid(),
      oldCardId: freshCard(),
      newCard: { cardNumber: fresh().cardNumber, medium: 'keyed' },
      approver: manager,
    }),
    'cards.quoteClose': () => ({ cardId: DEMO.cards.uid.id }),
    'cards.close': () => ({ operationId: ulid(), cardId: freshCard(), tender: 'wechat', reference: 'WX-2' }),
  };

  const op = ulid();
  const malformed: Record<MemberCommandName | MemberListCommandName, unknown[]> = {
    'members.search': [{}, { text: '' }, { text: 'x'.repeat(51) }, { text: '陈', by: 'email' }],
    'members.get': [{}, { memberId: '' }],
    'members.list': [
      { limit: 0 },
      { limit: 101 },
      { filter: { segment: 'vip' } },
      { filter: { minBalanceFen: -1 } },
      { filter: { minBalanceFen: 1.5 } },
      { order: 'name' },
    ],
    'members.winBack': [
      { campaignId: 'c', memberIds: [], message: 'x' },
      { campaignId: 'c', memberIds: ['m'], message: ' ' },
      { campaignId: 'c', memberIds: ['m'], message: 'x'.repeat(201) },
    ],
    'members.winBackCampaigns': [],
    'members.register': [
      { name: '无同意', phone: '13900000000' },
      { name: '空同意', phone: '13900000000', consent: { purpose: '', version: 'v1' } },
      { phone: '13900000000', consent },
    ],
    'members.edit': [{ memberId: 'm' }, { memberId: 'm', changes: { email: 'x' } }],
    'members.export': [{}],
    'members.delete': [{}, { memberId: 'm', approver: { staffNo: '2001' } }],
    'members.setPassword': [
      { memberId: 'm', password: '12345' },
      { memberId: 'm', password: 'abcdef' },
    ],
    'members.resetPassword': [{ memberId: 'm', password: '1234567' }],
    'members.statement': [
      { cardId: 'c' },
      { cardId: 'c', from: 10, to: 5 },
      { cardId: 'c', from: -1, to: 5 },
      { cardId: 'c', from: 0, to: 5, print: 'yes' },
    ],
    'members.changeTier': [
      { memberId: 'm', tierId: null },
      { memberId: 'm', reason: '调整' },
      { memberId: 'm', tierId: '', reason: '调整' },
    ],
    'cards.previewActivation': [{}, { amountFen: 0 }, { amountFen: 1.5 }],
    'cards.activate': [
      { operationId: op, member: { memberId: 'm' }, identityChecked: true, card: { cardNumber: '123456' } },
      {
        operationId: op,
        member: { memberId: 'm' },
        identityChecked: true,
        card: { cardNumber: '123456', medium: 'keyed' },
        password: '12345',
      },
      {
        operationId: op,
        member: { memberId: 'm' },
        identityChecked: true,
        card: { cardNumber: '123456', medium: 'keyed' },
        openingTopUp: { amountFen: 100, tender: 'wechat' },
      },
      {
        operationId: 'x',
        member: { memberId: 'm' },
        identityChecked: true,
        card: { cardNumber: '123456', medium: 'keyed' },
      },
    ],
    'cards.freeze': [{ cardId: 'c' }, { operationId: 'x', cardId: 'c' }],
    'cards.unfreeze': [{ cardId: 'c' }],
    'cards.reportLost': [{ operationId: op }],
    'cards.replace': [
      { operationId: op, oldCardId: 'c' },
      { operationId: op, oldCardId: 'c', newCard: { cardNumber: '12 34', medium: 'keyed' } },
      { operationId: op, oldCardId: 'c', newCard: { cardNumber: '123456', medium: 'paper' } },
    ],
    'cards.quoteClose': [{}],
    'cards.close': [
      { operationId: op, cardId: 'c' },
      { operationId: op, cardId: 'c', tender: 'wechat' },
    ],
  };

  return {
    valid,
    malformed,
    /** A frozen card for the unfreeze call, made before any test counts operations. */
    prepare(): void {
      const cardId = freshCard();
      host().members.freezeCard({
        operationId: ulid(),
        cardId,
        staffId: DEMO.staff.manager.id,
        terminalId: DEMO.terminalId,
        approvedBy: DEMO.staff.manager.id,
      });
      frozen = cardId;
    },
  };
}
