import { afterAll, describe, expect, it } from 'vitest';
import { openBusinessDays } from '../../../db/reports/index';
import { zReportModel } from '../../../electron/host/handlers/close';
import { type DayCloseReport, type ReceiptContext, receiptBytes } from '../../../electron/receipts/index';
import { PROFILES, receiptLines, textColumns, VirtualPrinter } from '../../../hardware/index';
import { cashier, clock, closeAll, DEMO, demoLedger, manager, terminalId } from '../db/support';

afterAll(closeAll);

const context: ReceiptContext = {
  storeName: '街角咖啡 Corner Café',
  terminalId,
  cashier: DEMO.staff.manager.name,
  at: Date.UTC(2026, 2, 3, 14, 0, 0),
  timeZone: 'Asia/Shanghai',
};

/** A closed day with two people at the counter: top-ups with bonus, charges, a refund, a withdrawal, a void. */
function closedDay() {
  const time = clock(Date.UTC(2026, 2, 3, 1, 0, 0));
  const { ledger } = demoLedger(time);
  const days = openBusinessDays(ledger, { now: time.now });
  const card = DEMO.cards.uid.id;
  const other = DEMO.cards.mifare.id;
  ledger.topUp({
    operationId: 'z-1',
    cardId: card,
    amountFen: 12_345,
    tender: 'alipay',
    bonusFen: 600,
    points: 0,
    staffId: cashier,
    terminalId,
  });
  ledger.topUp({
    operationId: 'z-2',
    cardId: other,
    amountFen: 30_000,
    tender: 'cash',
    bonusFen: 3_000,
    points: 0,
    staffId: manager,
    terminalId,
  });
  ledger.spend({ operationId: 'z-3', cardId: card, amountFen: 2_005, staffId: cashier, terminalId });
  ledger.spend({ operationId: 'z-4', cardId: other, amountFen: 1_500, staffId: manager, terminalId });
  ledger.refund({
    operationId: 'z-5',
    originalOperationId: 'z-3',
    amountFen: 1_000,
    staffId: cashier,
    terminalId,
    approvedBy: manager,
  });
  ledger.withdraw({
    operationId: 'z-6',
    cardId: other,
    amountFen: 2_000,
    tender: 'cash',
    staffId: manager,
    terminalId,
    approvedBy: manager,
  });
  ledger.spend({ operationId: 'z-7', cardId: card, amountFen: 300, staffId: cashier, terminalId });
  ledger.voidOperation({
    operationId: 'z-8',
    targetOperationId: 'z-7',
    staffId: cashier,
    terminalId,
    approvedBy: manager,
  });
  days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-02', managerId: manager });
  return days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-03', managerId: manager });
}

function print(model: DayCloseReport, width: 32 | 48, language: 'zh-CN' | 'en' = 'zh-CN'): string[] {
  const profile = width === 32 ? PROFILES['pos58-203'] : PROFILES['pos80-203'];
  expect(profile.columnsFontA).toBe(width);
  const printer = new VirtualPrinter();
  printer.receive(receiptBytes(model, { ...context, language }, profile));
  expect(printer.unknownBytes).toEqual([]);
  expect(printer.receipts).toHaveLength(1);
  const lines = receiptLines(printer.receipts[0]!);
  for (const line of lines) expect(textColumns(line, profile)).toBeLessThanOrEqual(width);
  return lines;
}

/** The signed amount at the end of a printed line, in fen. */
function fenAtEnd(line: string): number {
  const match = /([+-]?)[￥¥]([\d,]+)\.(\d{2})$/.exec(line.trimEnd());
  if (!match) throw new Error(`no amount on the line: ${line}`);
  const fen = Number(match[2]!.replaceAll(',', '')) * 100 + Number(match[3]);
  return match[1] === '-' ? -fen : fen;
}

/** The lines of one roll-forward section: from its title to its difference line. */
function section(lines: string[], title: string, differenceLabel: string): string[] {
  const start = lines.indexOf(title);
  expect(start).toBeGreaterThan(-1);
  const end = lines.findIndex((line, i) => i > start && line.startsWith(differenceLabel));
  expect(end).toBeGreaterThan(start);
  return lines.slice(start + 1, end + 1);
}

describe('the printed Z report', () => {
  const report = closedDay();
  const model = zReportModel(report);

  it('is built from a balanced day with both cashiers in it', () => {
    expect(report.balanced).toBe(true);
    expect(model.cashiers?.map((c) => c.name).sort()).toEqual(
      [DEMO.staff.cashier.name, DEMO.staff.manager.name].sort(),
    );
  });

  describe.each([32, 48] as const)('at %i columns', (width) => {
    const lines = print(model, width);

    it('prints every operation kind with charges split into principal and bonus', () => {
      const from = lines.indexOf('按业务类型');
      expect(from).toBeGreaterThan(-1);
      const byKind = lines.slice(from + 1, lines.indexOf('按收银员'));
      const spend = report.store.byKind.find((k) => k.line === 'spend')!;
      const at = byKind.findIndex((line) => line.startsWith(`消费 ${spend.count}笔`));
      expect(fenAtEnd(byKind[at]!)).toBe(spend.amountFen);
      expect(byKind[at + 1]!.startsWith('  其中本金')).toBe(true);
      expect(fenAtEnd(byKind[at + 1]!)).toBe(spend.principalFen);
      expect(byKind[at + 2]!.startsWith('  其中赠送金')).toBe(true);
      expect(fenAtEnd(byKind[at + 2]!)).toBe(spend.bonusFen);
      expect(spend.principalFen + spend.bonusFen).toBe(spend.amountFen);
      for (const label of ['充值 2笔', '赠送 2笔', '退款 1笔', '提现 1笔', '撤销 1笔']) {
        expect(byKind.filter((line) => line.startsWith(label))).toHaveLength(1);
      }
    });

    it('prints the totals gross, voided and net as the screens show them', () => {
      const from = lines.findIndex((line) => line.startsWith('汇总'));
      expect(from).toBeGreaterThan(-1);
      const totals = lines.slice(from + 1, lines.indexOf('按业务类型'));
      const figures = report.figures!;
      for (const [kind, field] of [
        ['充值', 'topUps'],
        ['消费', 'charges'],
      ] as const) {
        for (const [word, part] of [
          ['原始', 'gross'],
          ['撤销', 'voided'],
          ['净额', 'net'],
        ] as const) {
          const tally = figures[field][part];
          const line = totals.find((l) => l.startsWith(`${kind}${word} ${tally.count}笔`));
          expect(line, `${kind}${word}`).toBeDefined();
          expect(fenAtEnd(line!)).toBe(tally.amountFen);
        }
      }
      expect(figures.charges.voided.count + figures.topUps.voided.count).toBe(1);
    });

    it('prints a section per cashier with the operations each of them did', () => {
      expect(lines).toContain('按收银员');
      for (const person of report.byCashier) {
        const heading = lines.findIndex((line) => line.startsWith(person.name));
        expect(heading).toBeGreaterThan(lines.indexOf('按收银员'));
        expect(lines[heading]).toMatch(new RegExp(`${person.operationCount}笔$`));
        const topUp = person.byKind.find((k) => k.line === 'top_up')!;
        expect(topUp.count).toBe(1);
        expect(fenAtEnd(lines[heading + 1]!)).toBe(topUp.amountFen);
        expect(lines[heading + 1]!.startsWith('  充值 1笔')).toBe(true);
      }
      const wangIndex = lines.findIndex((line) => line.startsWith(DEMO.staff.cashier.name));
      const cashierLines = lines.slice(wangIndex, wangIndex + 20).join('\n');
      expect(cashierLines).toContain('支付宝 1笔');
    });

    it.each([
      ['本金滚存', 'principal'],
      ['赠送金滚存', 'bonus'],
    ] as const)(
      'rolls %s forward: opening plus movements is the closing, equal to the ledger',
      (title, account) => {
        const roll = report.liability[account];
        const rows = section(lines, title, '差额');
        const opening = fenAtEnd(rows.find((line) => line.startsWith('期初'))!);
        const closingAt = rows.findIndex((line) => line.startsWith('期末(流水)'));
        const movements = rows.slice(1, closingAt).map(fenAtEnd);
        const closing = fenAtEnd(rows[closingAt]!);
        const ledgerClosing = fenAtEnd(rows.find((line) => line.startsWith('期末(账户)'))!);
        expect(opening).toBe(roll.openingFen);
        expect(opening + movements.reduce((a, b) => a + b, 0)).toBe(closing);
        expect(closing).toBe(roll.closingFen);
        expect(ledgerClosing).toBe(roll.ledgerClosingFen);
        expect(fenAtEnd(rows.at(-1)!)).toBe(0);
        // The brief's movements are always there, even at zero.
        for (const label of ['消费', '退款', '提现', '过期']) {
          expect(rows.some((line) => line.startsWith(label))).toBe(true);
        }
        expect(rows.some((line) => line.startsWith(account === 'principal' ? '充值' : '赠送'))).toBe(true);
        expect(lines).not.toContain('** 不平: 流水与账户余额不符 **');
      },
    );

    it('prints a difference between journal and ledger plainly', () => {
      const roll = model.rollForward!.bonus;
      const broken: DayCloseReport = {
        ...model,
        rollForward: {
          principal: model.rollForward!.principal,
          bonus: { ...roll, ledgerClosing: roll.closing - 123, difference: 123 },
        },
      };
      const printed = print(broken, width);
      const rows = section(printed, '赠送金滚存', '差额');
      expect(fenAtEnd(rows.at(-1)!)).toBe(123);
      expect(rows.at(-1)).toMatch(/\+￥1\.23$/);
      expect(printed).toContain('** 不平: 流水与账户余额不符 **');
      expect(fenAtEnd(section(printed, '本金滚存', '差额').at(-1)!)).toBe(0);
    });

    it('fits in English too', () => {
      const english = print(model, width, 'en');
      expect(english).toContain('By cashier');
      expect(english).toContain('Principal roll-forward');
      expect(english).toContain('Bonus roll-forward');
    });
  });
});
