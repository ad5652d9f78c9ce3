import { afterAll, describe, expect, it } from 'vitest';
import { csvField, openBusinessDays, zReportReceipt } from '../../../db/reports/index';
import { cashier, clock, closeAll, DEMO, demoLedger, manager, terminalId } from '../db/support';

afterAll(closeAll);

describe('CSV fields', () => {
  it('quote separators, quotes and line breaks, and defuse formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(-1250)).toBe('-1250');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('-2')).toBe("'-2");
  });
});

describe('the Z report receipt', () => {
  it('fits the paper width and shows amounts in yuan with the liability roll-forward', () => {
    const time = clock(Date.UTC(2026, 2, 3, 1, 0, 0));
    const { ledger } = demoLedger(time);
    const days = openBusinessDays(ledger, { now: time.now });
    ledger.topUp({
      operationId: 'r-1',
      cardId: DEMO.cards.uid.id,
      amountFen: 12_345,
      tender: 'alipay',
      bonusFen: 600,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    ledger.spend({
      operationId: 'r-2',
      cardId: DEMO.cards.uid.id,
      amountFen: 2_005,
      staffId: cashier,
      terminalId,
    });
    days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-02', managerId: manager });
    const report = days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-03', managerId: manager });
    for (const width of [32, 48]) {
      const lines = zReportReceipt(report, width);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
      expect(lines[0]).toBe('Z REPORT');
      expect(lines).toContain(`${'top_up x1'.padEnd(width - 6)}123.45`);
      expect(lines).toContain(`${'alipay x1'.padEnd(width - 6)}123.45`);
      expect(lines).toContain(`${'charges'.padEnd(width - 6)}-20.05`);
      expect(lines.at(-1)).toBe('BALANCED');
    }
  });
});
