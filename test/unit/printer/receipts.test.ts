import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/errors';
import {
  documentPreview,
  formatFen,
  formatTime,
  type ReceiptModel,
  receiptBytes,
  receiptDocument,
} from '../../../electron/receipts/index';
import { PROFILES, receiptLines, renderText, textColumns, VirtualPrinter } from '../../../hardware/index';
import { context, models } from './fixtures';

describe('amounts from integer fen', () => {
  it('groups thousands and always shows two decimals', () => {
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(123_450)).toBe('¥1,234.50');
    expect(formatFen(100_000_000)).toBe('¥1,000,000.00');
    expect(formatFen(-50)).toBe('-¥0.50');
  });

  it('is exact for the largest safe integer', () => {
    expect(formatFen(Number.MAX_SAFE_INTEGER)).toBe('¥90,071,992,547,409.91');
    expect(formatFen(-Number.MAX_SAFE_INTEGER)).toBe('-¥90,071,992,547,409.91');
  });

  it('uses the fullwidth ￥ for Chinese receipts and a sign on movements', () => {
    expect(formatFen(2_000, { fullwidth: true })).toBe('￥20.00');
    expect(formatFen(2_000, { signed: true })).toBe('+¥20.00');
    expect(formatFen(-2_000, { signed: true, fullwidth: true })).toBe('-￥20.00');
  });

  it('refuses floats and unsafe numbers with a stable code', () => {
    expect(() => formatFen(1.5)).toThrow(ApiError);
    expect(() => formatFen(Number.NaN)).toThrow(/whole number of fen/);
    const caught = (() => {
      try {
        formatFen(2 ** 53);
      } catch (error) {
        return error;
      }
    })();
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe('RECEIPT_AMOUNT_INVALID');
  });
});

describe('times are shown in the store zone', () => {
  it('formats UTC milliseconds as local wall time', () => {
    expect(formatTime(Date.UTC(2026, 0, 1, 16, 5, 9))).toBe('2026-01-02 00:05:09');
    expect(formatTime(Date.UTC(2026, 0, 1, 16, 5, 9), 'UTC')).toBe('2026-01-01 16:05:09');
  });
});

const kinds = Object.keys(models) as ReceiptModel['kind'][];
const profiles = ['pos58-203', 'pos80-180', 'pos80-203'] as const;

describe.each(profiles)('every template round-trips through the virtual printer on %s', (profileId) => {
  const profile = PROFILES[profileId];

  it.each(kinds)('%s (zh-CN)', (kind) => {
    const model = models[kind];
    const printer = new VirtualPrinter();
    printer.receive(receiptBytes(model, context, profile));
    expect(printer.unknownBytes).toEqual([]);
    expect(printer.receipts).toHaveLength(1);
    const receipt = printer.receipts[0]!;
    expect(receipt.cut).toBe('partial');
    const lines = receiptLines(receipt);
    for (const line of lines) expect(textColumns(line, profile)).toBeLessThanOrEqual(profile.columnsFontA);
    const text = lines.join('\n');
    // Store, terminal, cashier, local time, operation id as text and as a QR payload, and the footer.
    expect(text).toContain('悦享咖啡');
    expect(text).toContain('POS-01');
    expect(text).toContain('李娜');
    expect(text).toContain('2026-11-22 14:30:15');
    expect(text.replace(/\s+/g, '')).toContain(model.operationId);
    expect(receipt.items).toContainEqual(expect.objectContaining({ type: 'qr', data: model.operationId }));
    expect(text).toContain('客服热线 400-800-1234');
    expect(receipt.items[0]).toMatchObject({ type: 'image', image: { width: 96, height: 48 } });
    expect((receipt.items[0] as { image: { data: Uint8Array } }).image.data).toEqual(context.logo!.data);
    // Every rendered line fits the paper too.
    for (const line of renderText(receipt, profile).split('\n')) {
      expect(textColumns(line, profile)).toBeLessThanOrEqual(profile.columnsFontA);
    }
  });
});

describe('what each template says', () => {
  const profile = PROFILES['pos80-203'];
  const print = (model: ReceiptModel, language: 'zh-CN' | 'en' = 'zh-CN'): string[] => {
    const printer = new VirtualPrinter();
    printer.receive(receiptBytes(model, { ...context, language }, profile));
    return receiptLines(printer.receipts[0]!);
  };
  const line = (lines: string[], label: string): string => lines.find((l) => l.startsWith(label)) ?? '';

  it('top-up: amount, bonus, tender, balance after principal and bonus, masked member', () => {
    const lines = print(models.topup);
    expect(lines).toContain('充值凭证');
    expect(line(lines, '充值金额')).toMatch(/ ￥1,000\.00$/);
    expect(line(lines, '赠送金额')).toMatch(/ ￥200\.00$/);
    expect(line(lines, '支付方式')).toMatch(/微信支付$/);
    expect(line(lines, '本金余额')).toMatch(/￥1,234\.50$/);
    expect(line(lines, '赠送余额')).toMatch(/￥200\.00$/);
    expect(line(lines, '卡号')).toMatch(/8801 \*\*\*\* 4321$/);
  });

  it('charge: items, total split into principal and bonus, points, signature line', () => {
    const lines = print(models.charge);
    expect(line(lines, '拿铁 Latte (大杯) x2')).toMatch(/￥64\.00$/);
    expect(line(lines, '消费金额')).toMatch(/￥102\.00$/);
    expect(line(lines, '本金支付')).toMatch(/￥85\.00$/);
    expect(line(lines, '赠送金支付')).toMatch(/￥17\.00$/);
    expect(lines).toContain('顾客签名:');
  });

  it('refund and void carry the original operation and the approver', () => {
    const refund = print(models.refund);
    expect(refund).toContain('退款凭证');
    expect(line(refund, '原流水号')).toMatch(/01JD7ZK3Q8N2TOPUP0000000001$/);
    expect(line(refund, '授权人')).toMatch(/店长 陈刚$/);
    const voided = print({ ...(models.refund as Extract<ReceiptModel, { kind: 'refund' }>), mode: 'void' });
    expect(voided).toContain('撤销凭证');
  });

  it('a card-close slip shows the points forfeited only when there were any', () => {
    const close = models.card_close as Extract<ReceiptModel, { kind: 'card_close' }>;
    expect(line(print(close), '作废积分')).toBe('');
    expect(line(print({ ...close, pointsForfeited: 1_250 }), '作废积分')).toMatch(/1,250$/);
  });

  it('shift and day-close reports show tenders, cash difference and liability', () => {
    const shift = print(models.shift);
    expect(line(shift, '长短款')).toMatch(/-￥0\.50$/);
    expect(line(shift, '原因')).toMatch(/找零失误$/);
    expect(line(shift, '备用金')).toMatch(/￥500\.00$/);
    expect(line(shift, '应有现金')).toMatch(/￥3,500\.00$/);
    expect(line(shift, '  ￥100.00 × 34')).toMatch(/￥3,400\.00$/);
    expect(line(shift, '授权人')).toMatch(/店长 陈刚$/);
    const day = print(models.day_close);
    expect(line(day, '差额')).toMatch(/￥0\.00$/);
    expect(day).toContain('储值负债');
    expect(line(day, '本金余额')).toMatch(/￥987,654\.32$/);
  });

  it('English receipts use English labels and the halfwidth ¥', () => {
    const lines = print(models.topup, 'en');
    expect(lines).toContain('TOP-UP');
    expect(line(lines, 'Top-up')).toMatch(/ ¥1,000\.00$/);
    expect(line(lines, 'Paid by')).toMatch(/WeChat Pay$/);
  });

  it('a reprint is marked as such', () => {
    const document = receiptDocument(models.topup, { ...context, reprint: true });
    expect(document.blocks).toContainEqual(expect.objectContaining({ type: 'text', text: '** 重打 **' }));
  });

  it('refuses an amount that is not integer fen', () => {
    expect(() =>
      receiptDocument(
        { ...(models.topup as Extract<ReceiptModel, { kind: 'topup' }>), amount: 10.5 },
        context,
      ),
    ).toThrow(ApiError);
  });

  it('opens the cash drawer when cash moves, and not for other tenders', () => {
    const drawerPulses = (model: ReceiptModel): number => {
      const printer = new VirtualPrinter();
      printer.receive(receiptBytes(model, context, profile));
      return printer.drawerPulses.length;
    };
    expect(drawerPulses(models.refund)).toBe(1); // refunded in cash
    expect(drawerPulses(models.topup)).toBe(0); // WeChat Pay
    expect(
      drawerPulses({ ...(models.topup as Extract<ReceiptModel, { kind: 'topup' }>), tender: 'cash' }),
    ).toBe(1);
    expect(drawerPulses(models.charge)).toBe(0);
  });

  it('previews a receipt as the printer prints it, through the virtual printer', () => {
    const preview = documentPreview(receiptDocument(models.topup, context), PROFILES['pos58-203']);
    expect(preview.split('\n')).toContain('充值金额              ￥1,000.00');
    expect(preview).toContain('充值凭证');
  });
});
