/**
 * Cross-report agreement: several business days of a store's operations (top-ups in cash and WeChat with
 * bonus, charges, voids on the day and on a later day, refunds) across two shifts a day, generated from a
 * fixed seed. Every day's figures must agree wherever they appear: what the counter was told operation by
 * operation, the shift slips' cash, the Z report (closed and open days), its CSV export, the operations
 * export, and the reports' queries by day and over a week.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  analytics,
  exportOperationsCsv,
  type Figures,
  openBusinessDays,
  type ZReport,
  zReportCsv,
} from '../../../db/reports/index';
import {
  addTold,
  emptyFigures,
  generateBusinessDays,
  sumFigures,
  toldByDay,
} from '../../support/business-days';
import { clock, closeAll, DEMO, demoLedger } from '../db/support';

afterAll(closeAll);

const SEED = 20_260_303;
const DAYS = 6;
const DAY_MS = 86_400_000;
/** 2026-03-03 09:00 in Shanghai (01:00 UTC), a Tuesday; the demo book was seeded the day before. */
const FIRST = Date.UTC(2026, 2, 3, 1, 0, 0);

/** Parses the CSV the exports write (no field in these exports holds a comma or a quote). */
function csvRows(text: string): string[][] {
  return text
    .replace(/^\ufeff/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

/** The figures of each day recomputed from the operations export alone, by the written definition. */
function figuresFromOperationsExport(text: string): Map<string, Figures> {
  const [header, ...rows] = csvRows(text);
  const col = (name: string) => header!.indexOf(name);
  const byId = new Map(rows.map((r) => [r[col('operation_id')]!, r]));
  const days = new Map<string, Figures>();
  const into = (day: string) => {
    const f = days.get(day) ?? emptyFigures();
    days.set(day, f);
    return f;
  };
  for (const r of rows) {
    const kind = r[col('kind')]!;
    const day = r[col('business_day')]!;
    const amount = Number(r[col('amount_fen')]);
    const bonus = Number(r[col('bonus_fen')]);
    if (kind === 'top_up' || kind === 'spend' || kind === 'refund')
      addTold(into(day), kind, 'gross', amount, bonus);
    if (kind === 'void') {
      const target = byId.get(r[col('target_operation_id')]!)!;
      const targetKind = target[col('kind')]!;
      if (targetKind === 'top_up' || targetKind === 'spend' || targetKind === 'refund') {
        addTold(
          into(day),
          targetKind,
          'voided',
          Number(target[col('amount_fen')]),
          Number(target[col('bonus_fen')]),
        );
      }
    }
  }
  return days;
}

/** The figure rows of a Z report's CSV export, back into figures. */
function figuresFromZCsv(text: string): Figures {
  const figures = emptyFigures();
  const kinds: Record<string, keyof Figures> = { top_up: 'topUps', spend: 'charges', refund: 'refunds' };
  for (const row of csvRows(text)) {
    if (row[0] !== 'store' || row[1] !== 'figure') continue;
    const [kind, part] = row[2]!.split(' ') as [string, 'gross' | 'voided' | 'net'];
    figures[kinds[kind]!][part] = {
      count: Number(row[3]),
      amountFen: Number(row[4]),
      bonusFen: Number(row[6]),
    };
  }
  return figures;
}

describe(`cross-report agreement over ${DAYS} generated business days (seed ${SEED})`, () => {
  const time = clock(FIRST);
  const { ledger } = demoLedger(time);
  const generated = generateBusinessDays(ledger, time, { seed: SEED, days: DAYS, first: FIRST });
  const { days } = generated;
  const reports = analytics(ledger);
  const businessDays = openBusinessDays(ledger, { now: () => FIRST + DAYS * DAY_MS });
  const zOf = (day: string): ZReport =>
    businessDays.isDayClosed(DEMO.storeId, day)
      ? businessDays.storedZReport(DEMO.storeId, day)
      : businessDays.zReport(DEMO.storeId, day);
  const told = toldByDay(generated.told);

  it('generated real days: closed and open, with voids and refunds in them', () => {
    expect(days.slice(0, -1).every((day) => businessDays.isDayClosed(DEMO.storeId, day))).toBe(true);
    expect(businessDays.isDayClosed(DEMO.storeId, days.at(-1)!)).toBe(false);
    const all = sumFigures([...told.values()]);
    expect(all.charges.gross.count).toBeGreaterThan(100);
    expect(all.charges.voided.count).toBeGreaterThan(3);
    expect(all.topUps.voided.count).toBeGreaterThan(1);
    expect(all.refunds.gross.count).toBeGreaterThan(3);
  });

  it("each day's Z report carries the counter's figures, and its by-kind lines are the gross ones", () => {
    for (const day of days) {
      const z = zOf(day);
      expect(z.figures, day).toEqual(told.get(day) ?? emptyFigures());
      const line = (name: string) => z.store.byKind.find((k) => k.line === name)!;
      expect([line('top_up').count, line('top_up').amountFen]).toEqual([
        z.figures!.topUps.gross.count,
        z.figures!.topUps.gross.amountFen,
      ]);
      expect(line('bonus_issued').amountFen).toBe(z.figures!.topUps.gross.bonusFen);
      expect([line('spend').count, line('spend').amountFen]).toEqual([
        z.figures!.charges.gross.count,
        z.figures!.charges.gross.amountFen,
      ]);
      expect([line('refund').count, line('refund').amountFen]).toEqual([
        z.figures!.refunds.gross.count,
        z.figures!.refunds.gross.amountFen,
      ]);
      // The Z report's void line counts every void of the day; here all of them cancelled one of these kinds.
      const f = z.figures!;
      expect(line('void').count).toBe(
        f.topUps.voided.count + f.charges.voided.count + f.refunds.voided.count,
      );
    }
  });

  it("the shift slips' cash from sales adds up to the Z report's cash tender", () => {
    for (const day of days) {
      const z = zOf(day);
      const cash = z.store.byTender.find((t) => t.tender === 'cash')!;
      expect(generated.shiftCash.get(day), day).toBe(cash.netFen - (z.outsideShifts?.netFen ?? 0));
      expect(z.outsideShifts?.operations ?? [], day).toEqual([]);
    }
  });

  it("the reports' daily trend and a week's totals are the Z reports' figures", () => {
    const daily = reports.trends({
      storeId: DEMO.storeId,
      fromDay: days[0]!,
      toDay: days.at(-1)!,
      granularity: 'day',
    });
    expect(daily.map((p) => p.period)).toEqual(days);
    for (const point of daily) {
      const z = zOf(point.period);
      expect(point.figures, point.period).toEqual(z.figures);
      expect([point.chargeCount, point.chargeFen]).toEqual([
        z.figures!.charges.net.count,
        z.figures!.charges.net.amountFen,
      ]);
      expect([point.topUpCount, point.topUpFen, point.bonusFen]).toEqual([
        z.figures!.topUps.net.count,
        z.figures!.topUps.net.amountFen,
        z.figures!.topUps.net.bonusFen,
      ]);
    }
    const week = days.slice(0, 5);
    const page = reports.page({
      storeId: DEMO.storeId,
      at: FIRST + DAYS * DAY_MS,
      fromDay: week[0]!,
      toDay: week.at(-1)!,
    });
    expect(page.totals).toEqual(sumFigures(week.map((day) => zOf(day).figures!)));
    expect(page.daily.map((p) => p.period)).toEqual(week);
  });

  it("the Z report's CSV export carries the same figures", () => {
    for (const day of days) {
      const z = zOf(day);
      expect(figuresFromZCsv(zReportCsv(z)), day).toEqual(z.figures);
    }
  });

  it('the operations export, summed by the written definition, gives the same figures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cross-report-'));
    try {
      const path = join(dir, 'operations.csv');
      // From the seed day: a void may cancel an operation of an earlier day, and the export must hold both.
      const seeded = ledger.businessDayOf(DEMO.storeId, FIRST - DAY_MS);
      await exportOperationsCsv(ledger, {
        storeId: DEMO.storeId,
        fromDay: seeded,
        toDay: days.at(-1)!,
        path,
      });
      const exported = figuresFromOperationsExport(readFileSync(path, 'utf8'));
      for (const day of days) expect(exported.get(day) ?? emptyFigures(), day).toEqual(zOf(day).figures);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
