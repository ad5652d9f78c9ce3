/**
 * The demo data: one café with a terminal, one staff member per role, and four members whose cards cover
 * every medium the counter reads. Used by training mode, a first run without hardware, and the tests.
 */
import type { Ledger } from './types';

export const DEMO = {
  storeId: 'store-demo-cafe',
  terminalId: 'terminal-demo-1',
  staff: {
    cashier: { id: 'staff-1001', code: '1001', pin: '123456', name: '王小明' },
    manager: { id: 'staff-2001', code: '2001', pin: '888888', name: '李经理' },
    technician: { id: 'staff-3001', code: '3001', pin: '666666', name: '张工' },
    admin: { id: 'staff-9001', code: '9001', pin: '999999', name: '管理员' },
  },
  members: {
    uid: { id: 'member-demo-1', name: '陈静', phone: '13800000001' },
    mifare: { id: 'member-demo-2', name: '刘洋', phone: '13800000002' },
    magstripe: { id: 'member-demo-3', name: '赵敏', phone: '13800000003' },
    keyed: { id: 'member-demo-4', name: '孙伟', phone: null },
  },
  cards: {
    uid: { id: 'card-demo-uid', uid: '04A1B2C3D4E5F6', cardNumber: '8800000000000001', medium: 'uid' },
    mifare: { id: 'card-demo-mifare', uid: null, cardNumber: '8800000000000002', medium: 'mifare' },
    magstripe: { id: 'card-demo-magstripe', uid: null, cardNumber: '6200000000000003', medium: 'magstripe' },
    keyed: { id: 'card-demo-keyed', uid: null, cardNumber: '1000000000000004', medium: 'keyed' },
  },
  /** Opening balances, put on the cards as ordinary cash top-ups so the ledger explains them. */
  openingTopUps: {
    uid: { amountFen: 50_000, bonusFen: 10_000, points: 500 },
    mifare: { amountFen: 100_000, bonusFen: 20_000, points: 1_000 },
    magstripe: { amountFen: 20_000, bonusFen: 0, points: 200 },
  },
} as const;

export interface DemoSeed {
  storeId: string;
  terminalId: string;
  cardIds: string[];
}

/**
 * Puts the demo data in an empty ledger. Seeding twice is refused (ID_TAKEN) rather than duplicated.
 * Every row is stamped by the ledger's own clock (openLedger's `now`), so a seeded ledger reads like one a
 * cashier built; `now` is accepted for callers that pass their moment, and is not a second clock.
 */
export function seedDemo(ledger: Ledger, _options: { now?: number } = {}): DemoSeed {
  const store = ledger.createStore({
    id: DEMO.storeId,
    name: '街角咖啡 Corner Café',
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    dayCloseHour: 4,
    spendPolicy: 'principal_first',
    singleOperationLimitFen: 5_000_000,
  });
  const terminal = ledger.createTerminal({ id: DEMO.terminalId, storeId: store.id, name: '前台 1 号机' });
  const roles = ['cashier', 'manager', 'technician', 'admin'] as const;
  for (const role of roles) {
    const person = DEMO.staff[role];
    ledger.createStaff({
      id: person.id,
      storeId: store.id,
      code: person.code,
      name: person.name,
      role,
      pin: person.pin,
    });
  }
  const cashier = DEMO.staff.cashier.id;
  const cardIds: string[] = [];
  for (const kind of ['uid', 'mifare', 'magstripe', 'keyed'] as const) {
    const member = DEMO.members[kind];
    ledger.createMember({
      id: member.id,
      storeId: store.id,
      name: member.name,
      phone: member.phone,
      staffId: cashier,
      terminalId: terminal.id,
    });
    const card = DEMO.cards[kind];
    ledger.issueCard({
      id: card.id,
      memberId: member.id,
      cardNumber: card.cardNumber,
      uid: card.uid,
      medium: card.medium,
      staffId: cashier,
      terminalId: terminal.id,
    });
    cardIds.push(card.id);
  }
  for (const kind of ['uid', 'mifare', 'magstripe'] as const) {
    const opening = DEMO.openingTopUps[kind];
    ledger.topUp({
      operationId: `demo-opening-${kind}`,
      cardId: DEMO.cards[kind].id,
      amountFen: opening.amountFen,
      tender: 'cash',
      bonusFen: opening.bonusFen,
      points: opening.points,
      staffId: cashier,
      terminalId: terminal.id,
    });
  }
  return { storeId: store.id, terminalId: terminal.id, cardIds };
}
