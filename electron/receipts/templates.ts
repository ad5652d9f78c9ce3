/**
 * Receipt templates: each turns a receipt model into a printer document (blocks the ESC/POS encoder lays
 * out for the printer's width). Every receipt carries the store, terminal, cashier, time, the operation id
 * as text and as a QR code (so a reprint or a refund can find the operation by scanning), and the footer.
 */
import type { Block, PrintDocument } from '../../hardware/index';
import { ApiError } from '../errors';
import { type Labels, labelsFor } from './labels';
import type {
  BalanceAfter,
  BalanceStatement,
  CardCloseReceipt,
  CardIssueReceipt,
  ChargeReceipt,
  DayCloseReport,
  MemberOnReceipt,
  ReceiptContext,
  ReceiptModel,
  RefundReceipt,
  SettlementFigures,
  ShiftReport,
  Tender,
  TopUpReceipt,
  ZCashier,
  ZKindLine,
  ZRollForward,
} from './model';
import { assertFen, formatFen, formatPoints } from './money';

const DEFAULT_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building a DateTimeFormat costs far more than using one, so there is one per zone. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** `YYYY-MM-DD HH:mm:ss` in the store's zone. */
export function formatTime(at: number, timeZone = DEFAULT_ZONE): string {
  if (!Number.isSafeInteger(at))
    throw new ApiError('RECEIPT_TIME_INVALID', 'time must be UTC epoch milliseconds', { details: { at } });
  const parts = formatterFor(timeZone).formatToParts(new Date(at));
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

class ReceiptWriter {
  readonly blocks: Block[] = [];
  readonly labels: Labels;
  private readonly fullwidth: boolean;

  constructor(readonly context: ReceiptContext) {
    const language = context.language ?? 'zh-CN';
    this.labels = labelsFor(language);
    this.fullwidth = language === 'zh-CN';
  }

  money(fen: number, signed = false): string {
    return formatFen(fen, { fullwidth: this.fullwidth, signed });
  }

  pair(left: string, right: string, bold = false): void {
    this.blocks.push({ type: 'pair', left, right, ...(bold ? { style: { bold: true } } : {}) });
  }

  amount(label: string, fen: number, bold = false): void {
    this.pair(label, this.money(assertFen(fen, label)), bold);
  }

  rule(): void {
    this.blocks.push({ type: 'rule' });
  }

  header(title: string): void {
    const { context, labels } = this;
    if (context.logo) this.blocks.push({ type: 'image', image: context.logo, align: 'center' });
    this.blocks.push({
      type: 'text',
      text: context.storeName,
      align: 'center',
      // Double height only: a double-width store name rarely fits 32 columns.
      style: { bold: true, doubleHeight: true },
    });
    this.blocks.push({ type: 'text', text: title, align: 'center', style: { bold: true } });
    if (context.practice !== undefined) {
      this.blocks.push({ type: 'text', text: labels.practice[context.practice], align: 'center' });
    }
    if (context.reprint) this.blocks.push({ type: 'text', text: labels.reprint, align: 'center' });
    this.rule();
    this.pair(labels.terminal, context.terminalId);
    this.pair(labels.cashier, context.cashier);
    this.pair(labels.time, formatTime(context.at, context.timeZone));
  }

  member(member: MemberOnReceipt): void {
    this.pair(this.labels.card, member.maskedCard);
    if (member.maskedName) this.pair(this.labels.member, member.maskedName);
  }

  balanceAfter(balance: BalanceAfter): void {
    const { labels } = this;
    this.rule();
    this.blocks.push({ type: 'text', text: labels.balanceAfter, style: { bold: true } });
    this.amount(labels.principal, balance.principal);
    this.amount(labels.bonusBalance, balance.bonus);
    if (balance.points !== undefined) this.pair(labels.points, formatPoints(balance.points));
  }

  settlement(figures: SettlementFigures): void {
    const { labels } = this;
    this.rule();
    this.pair(
      `${labels.topUps} ${labels.count(figures.topUps.count)}`,
      this.money(assertFen(figures.topUps.amount)),
    );
    this.amount(`  ${labels.bonus}`, figures.topUps.bonus);
    this.pair(
      `${labels.charges} ${labels.count(figures.charges.count)}`,
      this.money(assertFen(figures.charges.amount)),
    );
    this.pair(
      `${labels.refunds} ${labels.count(figures.refunds.count)}`,
      this.money(assertFen(figures.refunds.amount)),
    );
    this.pair(labels.cardsIssued, String(figures.cardsIssued));
    this.rule();
    this.blocks.push({ type: 'text', text: labels.byTender, style: { bold: true } });
    for (const tender of figures.tenders) {
      this.pair(
        `${labels.tenders[tender.tender]} ${labels.count(tender.count)}`,
        this.money(assertFen(tender.amount)),
      );
    }
    this.rule();
    this.amount(labels.expectedCash, figures.expectedCash);
    this.amount(labels.countedCash, figures.countedCash);
    const difference = assertFen(figures.countedCash) - assertFen(figures.expectedCash);
    this.pair(labels.difference, this.money(difference, true), difference !== 0);
  }

  title(text: string): void {
    this.blocks.push({ type: 'text', text, style: { bold: true } });
  }

  kindLabel(line: string): string {
    return this.labels.z.kinds[line] ?? line;
  }

  /** Kind lines with a count; charges, refunds and voids split into principal and bonus. */
  kindLines(lines: ZKindLine[], indent: string): void {
    const { labels } = this;
    for (const line of lines) {
      if (line.count === 0 && line.amount === 0) continue;
      this.pair(
        `${indent}${this.kindLabel(line.line)} ${labels.count(line.count)}`,
        this.money(assertFen(line.amount, line.line)),
      );
      if (line.line === 'spend' || line.line === 'refund' || line.line === 'void') {
        this.amount(`${indent}${labels.z.principalPart}`, line.principal);
        this.amount(`${indent}${labels.z.bonusPart}`, line.bonus);
      }
    }
  }

  cashier(cashier: ZCashier): void {
    const { labels } = this;
    this.pair(cashier.name, labels.z.operations(cashier.operations), true);
    this.kindLines(cashier.byKind, '  ');
    for (const tender of cashier.tenders) {
      if (tender.count === 0 && tender.amount === 0) continue;
      this.pair(
        `  ${labels.tenders[tender.tender]} ${labels.count(tender.count)}`,
        this.money(assertFen(tender.amount)),
      );
    }
  }

  /** opening, each movement signed, the journal's closing, the ledger's, and the difference printed plainly. */
  rollForward(title: string, roll: ZRollForward, primary: 'topUps' | 'bonusIssued'): void {
    const { labels } = this;
    const k = labels.z.kinds;
    this.rule();
    this.title(title);
    this.amount(labels.z.opening, roll.opening);
    const movements: Array<[string, number, boolean]> = [
      [k.top_up ?? 'top_up', roll.topUps, primary === 'topUps'],
      [k.bonus_issued ?? 'bonus_issued', roll.bonusIssued, primary === 'bonusIssued'],
      [k.spend ?? 'spend', roll.charges, true],
      [k.refund ?? 'refund', roll.refunds, true],
      [k.withdraw ?? 'withdraw', roll.withdrawals, true],
      [k.void ?? 'void', roll.voids, false],
      [k.transfer ?? 'transfer', roll.transfers, false],
      [k.card_fee ?? 'card_fee', roll.cardFees, false],
      [k.expiry ?? 'expiry', roll.expiry, true],
      [k.other ?? 'other', roll.other, false],
    ];
    for (const [label, fen, always] of movements) {
      if (always || fen !== 0) this.pair(label, this.money(assertFen(fen, label), true));
    }
    this.amount(labels.z.closing, roll.closing, true);
    this.amount(labels.z.ledgerClosing, roll.ledgerClosing);
    const difference = assertFen(roll.difference);
    this.pair(labels.z.difference, this.money(difference, true), difference !== 0);
    if (difference !== 0) this.blocks.push({ type: 'text', text: labels.z.mismatch, style: { bold: true } });
  }

  /** Cash moved through the drawer: pulse it open (pin 2, where drawers are usually wired). */
  openDrawerFor(tender: Tender): void {
    if (tender === 'cash') this.blocks.push({ type: 'drawer', pin: 2 });
  }

  /** The QR a customer scans to rate the visit on HQ's page. */
  ratingQr(url: string): void {
    this.rule();
    this.blocks.push({ type: 'text', text: this.labels.rateVisit, align: 'center' });
    this.blocks.push({ type: 'qr', data: url, moduleSize: 4, level: 'M', align: 'center' });
  }

  finish(operationId: string, signature?: string): PrintDocument {
    const { context, labels } = this;
    this.rule();
    this.pair(labels.operation, operationId);
    this.blocks.push({ type: 'qr', data: operationId, moduleSize: 5, level: 'M', align: 'center' });
    if (signature) {
      this.blocks.push({ type: 'feed', lines: 1 });
      this.blocks.push({ type: 'text', text: signature });
      this.blocks.push({ type: 'feed', lines: 1 });
    }
    for (const line of context.footer ?? []) this.blocks.push({ type: 'text', text: line, align: 'center' });
    this.blocks.push({ type: 'feed', lines: 2 });
    this.blocks.push({ type: 'cut', partial: true, feed: 0 });
    return { blocks: this.blocks };
  }
}

export function topUpReceipt(receipt: TopUpReceipt, context: ReceiptContext): PrintDocument {
  const w = new ReceiptWriter(context);
  const l = w.labels;
  w.openDrawerFor(receipt.tender);
  w.header(l.title.topup);
  w.member(receipt.member);
  w.rule();
  w.amount(l.amount, receipt.amount, true);
  if (receipt.bonus !== 0) w.amount(l.bonus, receipt.bonus);
  if (receipt.promotion) w.pair(l.promotion, receipt.promotion);
  w.pair(l.tender, l.tenders[receipt.tender]);
  if (receipt.reference) w.pair(l.reference, receipt.reference);
  w.balanceAfter(receipt.balanceAfter);
  return w.finish(receipt.operationId);
}

export function chargeReceipt(receipt: ChargeReceipt, context: ReceiptContext): PrintDocument {
  const w = new ReceiptWriter(context);
  const l = w.labels;
  if (receipt.otherTender) w.openDrawerFor(receipt.otherTender.tender);
  w.header(l.title.charge);
  w.member(receipt.member);
  if (receipt.items && receipt.items.length > 0) {
    w.rule();
    for (const item of receipt.items) {
      w.pair(`${item.name} ${l.quantity(item.quantity)}`, w.money(assertFen(item.amount, item.name)));
    }
  }
  w.rule();
  w.amount(l.total, receipt.total, true);
  w.amount(l.fromPrincipal, receipt.fromPrincipal);
  if (receipt.fromBonus !== 0) w.amount(l.fromBonus, receipt.fromBonus);
  // Split payment: each leg on its own line, the other tender's reference under it.
  if (receipt.otherTender) {
    w.amount(l.tenders[receipt.otherTender.tender], receipt.otherTender.amount);
    if (receipt.otherTender.reference) w.pair(l.reference, receipt.otherTender.reference);
  }
  if (receipt.pointsEarned) w.pair(l.pointsEarned, formatPoints(receipt.pointsEarned));
  if (receipt.keyedEntry) {
    w.rule();
    w.pair(l.keyedEntry, `${l.approvedBy}: ${receipt.keyedEntry.approvedBy}`);
    w.pair(l.reason, receipt.keyedEntry.reason);
  }
  w.balanceAfter(receipt.balanceAfter);
  if (receipt.ratingUrl) w.ratingQr(receipt.ratingUrl);
  return w.finish(receipt.operationId, l.signature);
}

export function refundReceipt(receipt: RefundReceipt, context: ReceiptContext): PrintDocument {
  const w = new ReceiptWriter(context);
  const l = w.labels;
  w.openDrawerFor(receipt.tender);
  w.header(l.title[receipt.mode]);
  w.member(receipt.member);
  if (receipt.originalOperationId !== '') w.pair(l.original, receipt.originalOperationId);
  w.rule();
  if (receipt.mode === 'withdraw') {
    w.amount(l.withdrawn, receipt.principal, true);
  } else if (receipt.mode === 'charge_refund') {
    // A charge refund puts the purchase back on the card, principal and bonus as the charge took them.
    w.amount(l.returnedPrincipal, receipt.principal, true);
    if (receipt.bonus !== 0) w.amount(l.returnedBonus, receipt.bonus);
  } else {
    w.amount(l.refundPrincipal, receipt.principal, true);
    if (receipt.bonus !== 0) w.amount(l.refundBonus, receipt.bonus);
  }
  w.pair(l.tender, l.tenders[receipt.tender]);
  if (receipt.reason) w.pair(l.reason, receipt.reason);
  if (receipt.approvedBy) w.pair(l.approvedBy, receipt.approvedBy);
  w.balanceAfter(receipt.balanceAfter);
  return w.finish(receipt.operationId, l.signature);
}

export function cardIssueReceipt(receipt: CardIssueReceipt, context: ReceiptContext): PrintDocument {
  const w = new ReceiptWriter(context);
  const l = w.labels;
  const opening = receipt.openingTopUp;
  w.openDrawerFor(opening?.tender === 'cash' ? 'cash' : receipt.tender);
  w.header(receipt.replaces ? l.title.card_replace : l.title.card_issue);
  w.member(receipt.member);
  w.pair(l.cardType, receipt.cardType);
  if (receipt.replaces) w.pair(l.replaces, receipt.replaces);
  if (receipt.passwordSet) w.blocks.push({ type: 'text', text: l.passwordSet });
  w.rule();
  w.amount(l.fee, receipt.fee);
  w.amount(l.deposit, receipt.deposit);
  if (receipt.moved) {
    w.rule();
    w.blocks.push({ type: 'text', text: l.moved, style: { bold: true } });
    w.amount(l.principal, receipt.moved.principal);
    w.amount(l.bonusBalance, receipt.moved.bonus);
    w.pair(l.points, formatPoints(receipt.moved.points));
  }
  if (opening) {
    w.rule();
    w.blocks.push({ type: 'text', text: l.openingTopUp, style: { bold: true } });
    w.amount(l.amount, opening.amount, true);
    if (opening.bonus !== 0) w.amount(l.bonus, opening.bonus);
    if (opening.promotion) w.pair(l.promotion, opening.promotion);
    w.pair(l.tender, l.tenders[opening.tender]);
  } else {
    w.pair(l.tender, l.tenders[receipt.tender]);
  }
  w.balanceAfter(receipt.balanceAfter);
  return w.finish(receipt.operationId);
}

/** Closing a card: what was on it, the principal paid back, the bonus forfeited; signed by the member. */
export function cardCloseReceipt(receipt: CardCloseReceipt, context: ReceiptContext): PrintDocument {
  const w = new ReceiptWriter(context);
  const l = w.labels;
  w.openDrawerFor(receipt.tender);
  w.header(l.title.card_close);
  w.member(receipt.member);
  w.rule();
  w.blocks.push({ type: 'text', text: l.balanceBefore, style: { bold: true } });
  w.amount(l.principal, receipt.before.principal);
  w.amount(l.bonusBalance, receipt.before.bonus);
  if (receipt.before.points !== undefined) w.pair(l.points, formatPoints(receipt.before.points));
  w.rule();
  w.amount(l.refundedPrincipal, receipt.refunded, true);
  w.amount(l.forfeitedBonus, receipt.forfeited);
  if (receipt.pointsForfeited) w.pair(l.forfeitedPoints, formatPoints(receipt.pointsForfeited));
  w.pair(l.tender, l.tenders[receipt.tender]);
  if (receipt.reason) w.pair(l.reason, receipt.reason);
  if (receipt.approvedBy) w.pair(l.approvedBy, receipt.approvedBy);
  w.balanceAfter({ principal: 0, bonus: 0, points: 0 });
  return w.finish(receipt.operationId, l.signature);
}

export function balanceStatement(receipt: BalanceStatement, context: ReceiptContext): PrintDocument {
  const w = new ReceiptWriter(context);
  const l = w.labels;
  w.header(l.title.balance);
  w.member(receipt.member);
  w.rule();
  w.amount(l.principal, receipt.balance.principal);
  w.amount(l.bonusBalance, receipt.balance.bonus);
  w.amount(l.balance, receipt.balance.principal + receipt.balance.bonus, true);
  if (receipt.balance.points !== undefined) w.pair(l.points, formatPoints(receipt.balance.points));
  if (receipt.movements.length > 0) {
    w.rule();
    w.blocks.push({ type: 'text', text: l.recent, style: { bold: true } });
    for (const movement of receipt.movements) {
      w.pair(
        formatTime(movement.at, context.timeZone).slice(0, 16),
        w.money(assertFen(movement.amount), true),
      );
      w.blocks.push({ type: 'text', text: `  ${movement.label}` });
    }
  }
  return w.finish(receipt.operationId);
}

export function shiftReport(report: ShiftReport, context: ReceiptContext): PrintDocument {
  const w = new ReceiptWriter(context);
  const l = w.labels;
  const d = l.drawer;
  w.header(l.title.shift);
  w.pair(l.shift, report.shiftId);
  w.pair(l.cashier, report.shiftCashier);
  w.pair(l.opened, formatTime(report.openedAt, context.timeZone));
  w.pair(l.closed, formatTime(report.closedAt, context.timeZone));
  w.rule();
  w.amount(d.float, report.float);
  w.pair(d.cashTopUps, w.money(assertFen(report.cashTopUps), true));
  w.pair(d.cashWithdrawals, w.money(assertFen(report.cashWithdrawals), true));
  w.pair(d.cashRefunds, w.money(assertFen(report.cashRefunds), true));
  w.pair(d.cashIn, w.money(assertFen(report.cashIn), true));
  w.pair(d.cashOut, w.money(assertFen(report.cashOut), true));
  // Movements the drawer saw that none of the lines above name; printed only when there are any.
  if (report.other !== 0) w.pair(d.other, w.money(assertFen(report.other), true));
  w.amount(l.expectedCash, report.expected, true);
  w.rule();
  w.title(d.countedPieces);
  for (const { face, pieces } of report.countedPieces) {
    w.pair(`  ${w.money(face)} × ${pieces}`, w.money(assertFen(face * pieces)));
  }
  w.amount(l.countedCash, report.counted, true);
  w.rule();
  w.pair(d.variance, w.money(assertFen(report.variance), true), report.variance !== 0);
  if (report.varianceReason) w.pair(l.reason, report.varianceReason);
  w.amount(d.handedOver, report.handedOver);
  w.pair(l.approvedBy, report.approvedBy);
  if (report.selfApproved === true) w.title(l.z.selfApproved);
  return w.finish(report.operationId, l.staffSignature);
}

export function dayCloseReport(report: DayCloseReport, context: ReceiptContext): PrintDocument {
  const w = new ReceiptWriter(context);
  const l = w.labels;
  w.header(l.title.day_close);
  w.pair(l.businessDay, report.businessDay);
  w.pair(l.shifts, String(report.shifts));
  w.settlement(report);
  if (report.outsideShifts !== undefined && report.outsideShifts.count > 0) {
    const { count, net } = report.outsideShifts;
    w.pair(`${l.z.outsideShifts} ${l.z.operations(count)}`, w.money(assertFen(net), true), true);
  }
  if (report.selfApprovedShifts !== undefined && report.selfApprovedShifts > 0) {
    w.pair(l.z.selfApproved, String(report.selfApprovedShifts));
  }
  if (report.figures) {
    w.rule();
    w.title(l.z.figures);
    for (const kind of ['top_up', 'spend', 'refund'] as const) {
      const figure = report.figures[kind];
      if (figure.gross.count === 0 && figure.voided.count === 0) continue;
      for (const part of ['gross', 'voided', 'net'] as const) {
        w.pair(
          `${w.kindLabel(kind)}${l.z[part]} ${l.count(figure[part].count)}`,
          w.money(assertFen(figure[part].amount, kind)),
        );
      }
    }
  }
  if (report.byKind) {
    w.rule();
    w.title(l.z.byKind);
    w.kindLines(report.byKind, '');
  }
  if (report.cashiers && report.cashiers.length > 0) {
    w.rule();
    w.title(l.z.byCashier);
    for (const cashier of report.cashiers) w.cashier(cashier);
  }
  w.rule();
  w.blocks.push({ type: 'text', text: l.liability, style: { bold: true } });
  w.amount(l.principal, report.liability.principal);
  w.amount(l.bonusBalance, report.liability.bonus);
  if (report.rollForward) {
    w.rollForward(l.z.rollPrincipal, report.rollForward.principal, 'topUps');
    w.rollForward(l.z.rollBonus, report.rollForward.bonus, 'bonusIssued');
  }
  return w.finish(report.operationId, l.staffSignature);
}

/** Picks the template for a model. */
export function receiptDocument(model: ReceiptModel, context: ReceiptContext): PrintDocument {
  switch (model.kind) {
    case 'topup':
      return topUpReceipt(model, context);
    case 'charge':
      return chargeReceipt(model, context);
    case 'refund':
      return refundReceipt(model, context);
    case 'card_issue':
      return cardIssueReceipt(model, context);
    case 'card_close':
      return cardCloseReceipt(model, context);
    case 'balance':
      return balanceStatement(model, context);
    case 'shift':
      return shiftReport(model, context);
    case 'day_close':
      return dayCloseReport(model, context);
  }
}
