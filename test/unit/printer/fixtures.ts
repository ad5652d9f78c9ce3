/** Receipt models for tests and benchmarks: one of each template, with realistic Chinese store data. */

import type { ReceiptContext, ReceiptModel } from '../../../electron/receipts/index';
import { monoImage } from '../../../hardware/index';

export const logo = monoImage(96, 48, (x, y) => {
  const dx = x - 48;
  const dy = y - 24;
  const r = dx * dx + dy * dy;
  return r < 22 * 22 && r > 14 * 14;
});

export const context: ReceiptContext = {
  storeName: '悦享咖啡 中关村店',
  logo,
  terminalId: 'POS-01',
  cashier: '李娜',
  at: Date.UTC(2026, 10, 22, 6, 30, 15),
  timeZone: 'Asia/Shanghai',
  footer: ['客服热线 400-800-1234', '储值卡不记名，请妥善保管'],
};

const member = { maskedCard: '8801 **** 4321', maskedName: '王*' };
const balanceAfter = { principal: 123_450, bonus: 20_000, points: 1_280 };

export const models: Record<ReceiptModel['kind'], ReceiptModel> = {
  topup: {
    kind: 'topup',
    operationId: '01JD7ZK3Q8N2TOPUP0000000001',
    member,
    amount: 100_000,
    bonus: 20_000,
    tender: 'wechat',
    promotion: '充1000送200',
    balanceAfter,
  },
  charge: {
    kind: 'charge',
    operationId: '01JD7ZK3Q8N2CHARGE000000002',
    member,
    items: [
      { name: '拿铁 Latte (大杯)', quantity: 2, amount: 6_400 },
      { name: 'Crème brûlée 焦糖布丁', quantity: 1, amount: 3_800 },
    ],
    total: 10_200,
    fromPrincipal: 8_500,
    fromBonus: 1_700,
    pointsEarned: 102,
    balanceAfter,
  },
  refund: {
    kind: 'refund',
    mode: 'refund',
    operationId: '01JD7ZK3Q8N2REFUND000000003',
    originalOperationId: '01JD7ZK3Q8N2TOPUP0000000001',
    member,
    principal: 50_000,
    bonus: 10_000,
    tender: 'cash',
    reason: '顾客搬家',
    approvedBy: '店长 陈刚',
    balanceAfter: { principal: 73_450, bonus: 10_000 },
  },
  card_issue: {
    kind: 'card_issue',
    operationId: '01JD7ZK3Q8N2CARD00000000004',
    member,
    cardType: '金卡 Gold',
    fee: 1_000,
    deposit: 0,
    tender: 'alipay',
    replaces: '8801 **** 9999',
    balanceAfter: { principal: 0, bonus: 0, points: 0 },
  },
  card_close: {
    kind: 'card_close',
    operationId: '01JD7ZK3Q8N2CLOSE000000006',
    member,
    before: { principal: 73_450, bonus: 10_000, points: 0 },
    refunded: 73_450,
    forfeited: 10_000,
    tender: 'cash',
    reason: '顾客搬家',
    approvedBy: '店长 陈刚',
  },
  balance: {
    kind: 'balance',
    operationId: '01JD7ZK3Q8N2BALANCE00000005',
    member,
    balance: balanceAfter,
    movements: [
      { at: Date.UTC(2026, 10, 20, 2, 0, 0), label: '充值 Top-up', amount: 120_000 },
      { at: Date.UTC(2026, 10, 21, 3, 15, 0), label: '消费 拿铁', amount: -3_200 },
    ],
  },
  shift: {
    kind: 'shift',
    operationId: 'S-20261122-1',
    shiftId: 'S-20261122-1',
    openedAt: Date.UTC(2026, 10, 22, 0, 0, 0),
    closedAt: Date.UTC(2026, 10, 22, 8, 0, 0),
    shiftCashier: '王小明',
    approvedBy: '店长 陈刚',
    float: 50_000,
    cashTopUps: 300_000,
    cashWithdrawals: -10_000,
    cashRefunds: -5_000,
    cashIn: 20_000,
    cashOut: -5_000,
    other: 0,
    expected: 350_000,
    counted: 349_950,
    countedPieces: [
      { face: 10_000, pieces: 34 },
      { face: 5_000, pieces: 1 },
      { face: 1_000, pieces: 4 },
      { face: 50, pieces: 1 },
      { face: 20, pieces: 20 },
    ],
    variance: -50,
    varianceReason: '找零失误',
    handedOver: 50_000,
  },
  day_close: {
    kind: 'day_close',
    operationId: '01JD7ZK3Q8N2DAYCLOSE0000007',
    businessDay: '2026-11-22',
    shifts: 2,
    topUps: { count: 20, amount: 2_000_000, bonus: 300_000 },
    charges: { count: 160, amount: 901_234 },
    refunds: { count: 1, amount: 50_000 },
    cardsIssued: 6,
    tenders: [
      { tender: 'cash', count: 8, amount: 500_000 },
      { tender: 'wechat', count: 10, amount: 1_300_000 },
      { tender: 'unionpay', count: 2, amount: 200_000 },
    ],
    expectedCash: 550_000,
    countedCash: 550_000,
    liability: { principal: 98_765_432, bonus: 12_345_600 },
  },
};
