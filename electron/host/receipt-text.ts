/**
 * The plain-text receipt shown on screen after an operation and sent to the printer. Columns are counted in
 * display cells (a CJK character takes two), so the layout holds on a 32-column 58 mm printer.
 */
export interface ReceiptFacts {
  storeName: string;
  terminalId: string;
  staffName: string;
  operationId: string;
  kind: 'top_up' | 'spend' | 'void' | string;
  at: number;
  timeZone: string;
  cardNumber: string;
  memberName: string;
  amountFen: number;
  principalFen: number;
  bonusFen: number;
  points: number;
  tender: string | null;
  balance: { principalFen: number; bonusFen: number; points: number };
}

export const RECEIPT_WIDTH = 32;

const TITLES: Record<string, string> = { top_up: '充值凭证', spend: '消费凭证', void: '撤销凭证' };
const TENDER_WORDS: Record<string, string> = {
  cash: '现金',
  wechat: '微信支付',
  alipay: '支付宝',
  unionpay: '银联卡',
  bank_transfer: '银行转账',
};

export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function cells(text: string): number {
  let width = 0;
  for (const char of text) width += (char.codePointAt(0) ?? 0) > 0x2e7f ? 2 : 1;
  return width;
}

function row(label: string, value: string): string {
  const gap = Math.max(1, RECEIPT_WIDTH - cells(label) - cells(value));
  return `${label}${' '.repeat(gap)}${value}`;
}

function centre(text: string): string {
  const pad = Math.max(0, Math.floor((RECEIPT_WIDTH - cells(text)) / 2));
  return `${' '.repeat(pad)}${text}`;
}

function localTime(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

function maskCardNumber(cardNumber: string): string {
  return cardNumber.length <= 8 ? cardNumber : `${cardNumber.slice(0, 4)}****${cardNumber.slice(-4)}`;
}

export function receiptText(facts: ReceiptFacts): string {
  const rule = '-'.repeat(RECEIPT_WIDTH);
  const lines = [
    centre(facts.storeName),
    centre(TITLES[facts.kind] ?? '交易凭证'),
    rule,
    row('时间', localTime(facts.at, facts.timeZone)),
    row('终端', facts.terminalId),
    row('收银员', facts.staffName),
    row('卡号', maskCardNumber(facts.cardNumber)),
    row('会员', facts.memberName),
    rule,
  ];
  if (facts.kind === 'top_up') {
    lines.push(row('充值金额', yuan(facts.amountFen)));
    if (facts.tender !== null) lines.push(row('支付方式', TENDER_WORDS[facts.tender] ?? facts.tender));
    lines.push(row('赠送金额', yuan(facts.bonusFen)));
    if (facts.points !== 0) lines.push(row('积分', `+${facts.points}`));
  } else if (facts.kind === 'spend') {
    lines.push(row('消费金额', yuan(facts.amountFen)));
    lines.push(row('本金支付', yuan(facts.principalFen)));
    lines.push(row('赠送金支付', yuan(facts.bonusFen)));
  } else {
    lines.push(row('撤销金额', yuan(facts.amountFen)));
  }
  lines.push(
    rule,
    row('本金余额', yuan(facts.balance.principalFen)),
    row('赠送金余额', yuan(facts.balance.bonusFen)),
    row('可用余额', yuan(facts.balance.principalFen + facts.balance.bonusFen)),
    row('积分余额', String(facts.balance.points)),
    rule,
    `单号 ${facts.operationId}`,
    centre('谢谢惠顾'),
  );
  return lines.join('\n');
}
