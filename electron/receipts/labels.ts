/** Receipt wording in each language. Chinese is the default; English for stores that ask for it. */
import type { Language, Tender } from './model';

export interface Labels {
  title: Record<
    | 'topup'
    | 'charge'
    | 'refund'
    | 'void'
    | 'charge_refund'
    | 'withdraw'
    | 'card_issue'
    | 'card_replace'
    | 'card_close'
    | 'balance'
    | 'shift'
    | 'day_close',
    string
  >;
  reprint: string;
  /** Printed under the title of every receipt from the demo café or the training book. */
  practice: Record<'demo' | 'training', string>;
  terminal: string;
  cashier: string;
  time: string;
  card: string;
  member: string;
  operation: string;
  amount: string;
  bonus: string;
  promotion: string;
  tender: string;
  /** The payment's reference (payment code, slip number). */
  reference: string;
  total: string;
  fromPrincipal: string;
  fromBonus: string;
  pointsEarned: string;
  balanceAfter: string;
  principal: string;
  bonusBalance: string;
  points: string;
  original: string;
  reason: string;
  approvedBy: string;
  /** A charge whose card number was typed, not read. */
  keyedEntry: string;
  refundPrincipal: string;
  refundBonus: string;
  returnedPrincipal: string;
  returnedBonus: string;
  withdrawn: string;
  cardType: string;
  fee: string;
  deposit: string;
  replaces: string;
  moved: string;
  openingTopUp: string;
  passwordSet: string;
  balanceBefore: string;
  refundedPrincipal: string;
  forfeitedBonus: string;
  forfeitedPoints: string;
  balance: string;
  recent: string;
  shift: string;
  opened: string;
  closed: string;
  drawer: {
    float: string;
    cashTopUps: string;
    cashWithdrawals: string;
    cashRefunds: string;
    cashIn: string;
    cashOut: string;
    other: string;
    countedPieces: string;
    variance: string;
    handedOver: string;
  };
  businessDay: string;
  shifts: string;
  topUps: string;
  charges: string;
  refunds: string;
  cardsIssued: string;
  byTender: string;
  expectedCash: string;
  countedCash: string;
  difference: string;
  liability: string;
  count: (n: number) => string;
  quantity: (n: number) => string;
  signature: string;
  /** Over the QR a customer scans to rate the visit at HQ. */
  rateVisit: string;
  staffSignature: string;
  tenders: Record<Tender, string>;
  z: {
    byKind: string;
    byCashier: string;
    rollPrincipal: string;
    rollBonus: string;
    opening: string;
    closing: string;
    ledgerClosing: string;
    difference: string;
    mismatch: string;
    /** Cash no shift counted: recorded while no shift was open on its terminal. */
    outsideShifts: string;
    /** Shift counts signed off by their own cashier (a lone manager). */
    selfApproved: string;
    principalPart: string;
    bonusPart: string;
    operations: (n: number) => string;
    /** The day's figures: gross, voided (by the voids recorded that day) and net. */
    figures: string;
    gross: string;
    voided: string;
    net: string;
    /** Operation kinds and roll-forward movements; unknown kinds print as they are. */
    kinds: Record<string, string>;
  };
}

const zh: Labels = {
  title: {
    topup: '充值凭证',
    charge: '消费凭证',
    refund: '退款凭证',
    void: '撤销凭证',
    charge_refund: '消费退款凭证',
    withdraw: '提现凭证',
    card_issue: '开卡凭证',
    card_replace: '换卡凭证',
    card_close: '销卡凭证',
    balance: '余额对账单',
    shift: '交班报表',
    day_close: '日结报表(Z)',
  },
  reprint: '** 重打 **',
  practice: { demo: '** 演示 DEMO 非真实交易 **', training: '** 培训 TRAINING 非真实交易 **' },
  terminal: '终端',
  cashier: '收银员',
  time: '时间',
  card: '卡号',
  member: '会员',
  operation: '流水号',
  amount: '充值金额',
  bonus: '赠送金额',
  promotion: '活动',
  tender: '支付方式',
  reference: '支付单号',
  total: '消费金额',
  fromPrincipal: '本金支付',
  fromBonus: '赠送金支付',
  pointsEarned: '本次积分',
  balanceAfter: '交易后余额',
  principal: '本金余额',
  bonusBalance: '赠送余额',
  points: '积分',
  original: '原流水号',
  reason: '原因',
  approvedBy: '授权人',
  keyedEntry: '手工输入卡号',
  refundPrincipal: '退本金',
  refundBonus: '扣赠送金',
  returnedPrincipal: '退回本金',
  returnedBonus: '退回赠送金',
  withdrawn: '提现金额',
  cardType: '卡类型',
  fee: '工本费',
  deposit: '押金',
  replaces: '替换旧卡',
  moved: '转入余额',
  openingTopUp: '开卡充值',
  passwordSet: '会员密码: 已设置',
  balanceBefore: '销卡前余额',
  refundedPrincipal: '退还本金',
  forfeitedBonus: '作废赠送金',
  forfeitedPoints: '作废积分',
  balance: '当前余额',
  recent: '最近交易',
  shift: '班次',
  opened: '开班',
  closed: '交班',
  drawer: {
    float: '备用金',
    cashTopUps: '现金充值',
    cashWithdrawals: '现金取款',
    cashRefunds: '现金退款',
    cashIn: '存入现金',
    cashOut: '取出现金',
    other: '其他现金',
    countedPieces: '点钞明细',
    variance: '长短款',
    handedOver: '留给下一班',
  },
  businessDay: '营业日',
  shifts: '班次数',
  topUps: '充值',
  charges: '消费',
  refunds: '退款',
  cardsIssued: '开卡数',
  byTender: '按支付方式',
  expectedCash: '应有现金',
  countedCash: '实点现金',
  difference: '差额',
  liability: '储值负债',
  count: (n) => `${n}笔`,
  quantity: (n) => `x${n}`,
  signature: '顾客签名:',
  rateVisit: '扫码为本次服务评分',
  staffSignature: '收银员/店长签字:',
  tenders: {
    cash: '现金',
    wechat: '微信支付',
    alipay: '支付宝',
    unionpay: '银联卡',
    bank_transfer: '银行转账',
    stored_value: '储值卡',
  },
  z: {
    byKind: '按业务类型',
    byCashier: '按收银员',
    rollPrincipal: '本金滚存',
    rollBonus: '赠送金滚存',
    opening: '期初',
    closing: '期末(流水)',
    ledgerClosing: '期末(账户)',
    difference: '差额',
    mismatch: '** 不平: 流水与账户余额不符 **',
    outsideShifts: '班次外现金',
    selfApproved: '** 店长独自审批 **',
    principalPart: '  其中本金',
    bonusPart: '  其中赠送金',
    operations: (n) => `${n}笔`,
    figures: '汇总(原始/撤销/净额)',
    gross: '原始',
    voided: '撤销',
    net: '净额',
    kinds: {
      top_up: '充值',
      bonus_issued: '赠送',
      spend: '消费',
      refund: '退款',
      withdraw: '提现',
      void: '撤销',
      card_fee: '卡费',
      expiry: '过期',
      transfer: '转卡',
      other: '其他',
    },
  },
};

const en: Labels = {
  title: {
    topup: 'TOP-UP',
    charge: 'PURCHASE',
    refund: 'REFUND',
    void: 'VOID',
    charge_refund: 'CHARGE REFUND',
    withdraw: 'WITHDRAWAL',
    card_issue: 'CARD ISSUED',
    card_replace: 'CARD REPLACED',
    card_close: 'CARD CLOSED',
    balance: 'BALANCE STATEMENT',
    shift: 'SHIFT REPORT',
    day_close: 'DAY CLOSE (Z)',
  },
  reprint: '** REPRINT **',
  practice: { demo: '** DEMO - NOT A REAL SALE **', training: '** TRAINING - NOT A REAL SALE **' },
  terminal: 'Terminal',
  cashier: 'Cashier',
  time: 'Time',
  card: 'Card',
  member: 'Member',
  operation: 'Ref',
  amount: 'Top-up',
  bonus: 'Bonus',
  promotion: 'Promotion',
  tender: 'Paid by',
  reference: 'Payment ref.',
  total: 'Total',
  fromPrincipal: 'From balance',
  fromBonus: 'From bonus',
  pointsEarned: 'Points earned',
  balanceAfter: 'Balance after',
  principal: 'Principal',
  bonusBalance: 'Bonus',
  points: 'Points',
  original: 'Original ref',
  reason: 'Reason',
  approvedBy: 'Approved by',
  keyedEntry: 'Card number keyed',
  refundPrincipal: 'Principal refunded',
  refundBonus: 'Bonus removed',
  returnedPrincipal: 'Principal back on card',
  returnedBonus: 'Bonus back on card',
  withdrawn: 'Withdrawn',
  cardType: 'Card type',
  fee: 'Card fee',
  deposit: 'Deposit',
  replaces: 'Replaces card',
  moved: 'Balance moved over',
  openingTopUp: 'Opening top-up',
  passwordSet: 'Member password: set',
  balanceBefore: 'Balance before closing',
  refundedPrincipal: 'Principal paid back',
  forfeitedBonus: 'Bonus forfeited',
  forfeitedPoints: 'Points forfeited',
  balance: 'Balance',
  recent: 'Recent activity',
  shift: 'Shift',
  opened: 'Opened',
  closed: 'Closed',
  drawer: {
    float: 'Float',
    cashTopUps: 'Cash top-ups',
    cashWithdrawals: 'Cash withdrawals',
    cashRefunds: 'Cash refunds',
    cashIn: 'Cash in',
    cashOut: 'Cash out',
    other: 'Other cash',
    countedPieces: 'Counted by denomination',
    variance: 'Over / short',
    handedOver: 'Left for next shift',
  },
  businessDay: 'Business day',
  shifts: 'Shifts',
  topUps: 'Top-ups',
  charges: 'Purchases',
  refunds: 'Refunds',
  cardsIssued: 'Cards issued',
  byTender: 'By tender',
  expectedCash: 'Expected cash',
  countedCash: 'Counted cash',
  difference: 'Difference',
  liability: 'Stored-value liability',
  count: (n) => `${n}x`,
  quantity: (n) => `x${n}`,
  signature: 'Signature:',
  rateVisit: 'Scan to rate your visit',
  staffSignature: 'Cashier / manager:',
  tenders: {
    cash: 'Cash',
    wechat: 'WeChat Pay',
    alipay: 'Alipay',
    unionpay: 'UnionPay card',
    bank_transfer: 'Bank transfer',
    stored_value: 'Member card',
  },
  z: {
    byKind: 'By operation',
    byCashier: 'By cashier',
    rollPrincipal: 'Principal roll-forward',
    rollBonus: 'Bonus roll-forward',
    opening: 'Opening',
    closing: 'Closing (journal)',
    ledgerClosing: 'Closing (ledger)',
    difference: 'Difference',
    mismatch: '** OUT OF BALANCE: journal and ledger differ **',
    outsideShifts: 'Cash outside shifts',
    selfApproved: '** Self-approved (lone manager) **',
    principalPart: '  of which principal',
    bonusPart: '  of which bonus',
    operations: (n) => `${n} ops`,
    figures: 'Totals (gross/voided/net)',
    gross: 'gross',
    voided: 'voided',
    net: 'net',
    kinds: {
      top_up: 'Top-ups',
      bonus_issued: 'Bonus issued',
      spend: 'Charges',
      refund: 'Refunds',
      withdraw: 'Withdrawals',
      void: 'Voids',
      card_fee: 'Card fees',
      expiry: 'Expiry',
      transfer: 'Transfers',
      other: 'Other',
    },
  },
};

export const labelsFor = (language: Language): Labels => (language === 'en' ? en : zh);
