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
import { type Ledger, shiftBook } from '../../../db/index';
import {
  analytics,
  dayBook,
  exportOperationsCsv,
  type Figures,
  type ZReport,
  zReportCsv,
} from '../../../db/reports/index';
import { cashier, clock, closeAll, DEMO, demoLedger, manager, seededRandom, terminalId } from '../db/support';

afterAll(closeAll);

const SEED = 20_260_303;
const DAYS = 6;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** 2026-03-03 09:00 in Shanghai (01:00 UTC), a Tuesday; the demo book was seeded the day before. */
const FIRST = Date.UTC(2026, 2, 3, 1, 0, 0);
const CARDS = [DEMO.cards.uid.id, DEMO.cards.mifare.id, DEMO.cards.magstripe.id, DEMO.cards.keyed.id];
const admin = DEMO.staff.admin.id;
const FACES = [10_000, 5_000, 2_000, 1_000, 500, 100, 50, 20, 10, 5, 2, 1];

/** A cash amount as pieces by face value, largest first. */
function piecesOf(amountFen: number): Record<string, number> {
  const count: Record<string, number> = {};
  let left = amountFen;
  for (const face of FACES) {
    const n = Math.floor(left / face);
    if (n > 0) count[String(face)] = n;
    left -= n * face;
  }
  return count;
}

type Kind = 'top_up' | 'spend' | 'refund';
const FIELD = { top_up: 'topUps', spend: 'charges', refund: 'refunds' } as const;

/** What the counter was told, operation by operation: the oracle the reports must match. */
interface Told {
  day: string;
  kind: Kind;
  part: 'gross' | 'voided';
  amountFen: number;
  bonusFen: number;
}

function emptyFigures(): Figures {
  const tally = () => ({ count: 0, amountFen: 0, bonusFen: 0 });
  const figure = () => ({ gross: tally(), voided: tally(), net: tally() });
  return { topUps: figure(), charges: figure(), refunds: figure() };
}

function add(figures: Figures, kind: Kind, part: 'gross' | 'voided', amountFen: number, bonusFen: number) {
  const figure = figures[FIELD[kind]];
  const sign = part === 'gross' ? 1 : -1;
  figure[part].count += 1;
  figure[part].amountFen += amountFen;
  figure[part].bonusFen += bonusFen;
  figure.net.count += sign;
  figure.net.amountFen += sign * amountFen;
  figure.net.bonusFen += sign * bonusFen;
}

function sum(all: Figures[]): Figures {
  const total = emptyFigures();
  for (const f of all) {
    for (const field of ['topUps', 'charges', 'refunds'] as const) {
      for (const part of ['gross', 'voided', 'net'] as const) {
        total[field][part].count += f[field][part].count;
        total[field][part].amountFen += f[field][part].amountFen;
        total[field][part].bonusFen += f[field][part].bonusFen;
      }
    }
  }
  return total;
}

interface Book {
  ledger: Ledger;
  days: string[];
  told: Told[];
  /** Per day: each signed-off shift's cash from sales (top-ups, withdrawals, voids) by its slip. */
  shiftCash: Map<string, number>;
}

/**
 * Six days, two shifts a day (the cashier, then the manager, each approved by another person); about 40 operations a shift. Every day but the
 * last is closed at 23:00, so closed days (stored figures) and an open one (live figures) are both read.
 */
function generate(seed: number): Book {
  const rand = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const time = clock(FIRST);
  const { ledger } = demoLedger(time);
  const shifts = shiftBook(ledger, { now: time.now });
  const dayBookOf = dayBook(ledger, { now: time.now });
  const told: Told[] = [];
  const shiftCash = new Map<string, number>();
  const days: string[] = [];
  let ids = 0;
  const id = (what: string) => `x-${what}-${String(++ids).padStart(6, '0')}`;
  /** The last money operation on each card (only it may be voided) and whether it is voided. */
  const last = new Map<
    string,
    { id: string; kind: Kind; amountFen: number; bonusFen: number; cash: boolean }
  >();
  const refundable = new Map<string, number>();

  const voidLast = (cardId: string, staffId: string, approver: string) => {
    const target = last.get(cardId);
    if (target === undefined) return 0;
    const result = ledger.voidOperation({
      operationId: id('void'),
      targetOperationId: target.id,
      staffId,
      terminalId,
      approvedBy: approver,
    });
    told.push({
      day: result.businessDay,
      kind: target.kind,
      part: 'voided',
      amountFen: target.amountFen,
      bonusFen: target.bonusFen,
    });
    last.delete(cardId);
    refundable.delete(target.id);
    return target.cash ? -target.amountFen : 0;
  };

  for (let d = 0; d < DAYS; d += 1) {
    const morning = FIRST + d * DAY_MS;
    days.push(ledger.businessDayOf(DEMO.storeId, morning));
    for (const [s, staffId, approver] of [
      [0, cashier, manager],
      [1, manager, admin],
    ] as const) {
      time.set(morning + s * 6 * HOUR_MS);
      const shiftId = id('shift');
      const float = 20_000;
      shifts.open({
        shiftId,
        operationId: id('float'),
        terminalId,
        cashierId: staffId,
        floatCount: piecesOf(float),
      });
      let cash = 0;
      // A shift may begin by voiding the last operation of a card from an earlier shift or day.
      if (rand() < 0.5) cash += voidLast(pick(CARDS), staffId, approver);
      for (let n = 0; n < 40; n += 1) {
        time.advance(4 * 60_000);
        const cardId = pick(CARDS);
        const roll = rand();
        if (roll < 0.3) {
          const amountFen = pick([5_000, 10_000, 20_000, 30_000]);
          const bonusFen = amountFen >= 20_000 ? amountFen / 10 : 0;
          const tender = rand() < 0.6 ? 'cash' : 'wechat';
          const result = ledger.topUp({
            operationId: id('top'),
            cardId,
            amountFen,
            tender,
            tenderReference: tender === 'cash' ? null : `wx-${ids}`,
            bonusFen,
            points: 0,
            staffId,
            terminalId,
          });
          told.push({ day: result.businessDay, kind: 'top_up', part: 'gross', amountFen, bonusFen });
          last.set(cardId, {
            id: result.operationId,
            kind: 'top_up',
            amountFen,
            bonusFen,
            cash: tender === 'cash',
          });
          if (tender === 'cash') cash += amountFen;
        } else if (roll < 0.8) {
          const balance = ledger.balance(cardId);
          const amountFen = Math.min(
            balance.principalFen + balance.bonusFen,
            500 + Math.floor(rand() * 60) * 50,
          );
          if (amountFen <= 0) continue;
          const result = ledger.spend({ operationId: id('spend'), cardId, amountFen, staffId, terminalId });
          told.push({
            day: result.businessDay,
            kind: 'spend',
            part: 'gross',
            amountFen,
            bonusFen: result.bonusFen,
          });
          last.set(cardId, {
            id: result.operationId,
            kind: 'spend',
            amountFen,
            bonusFen: result.bonusFen,
            cash: false,
          });
          refundable.set(result.operationId, amountFen);
        } else if (roll < 0.9) {
          cash += voidLast(cardId, staffId, approver);
        } else {
          const target = [...refundable].find(([, left]) => left >= 200);
          if (target === undefined) continue;
          const [originalOperationId, left] = target;
          const amountFen = Math.max(100, Math.floor(left / 2));
          const result = ledger.refund({
            operationId: id('refund'),
            originalOperationId,
            amountFen,
            staffId,
            terminalId,
            approvedBy: approver,
          });
          told.push({
            day: result.businessDay,
            kind: 'refund',
            part: 'gross',
            amountFen,
            bonusFen: result.bonusFen,
          });
          refundable.set(originalOperationId, left - amountFen);
          last.set(result.cardId, {
            id: result.operationId,
            kind: 'refund',
            amountFen,
            bonusFen: result.bonusFen,
            cash: false,
          });
        }
      }
      time.advance(10 * 60_000);
      // The count is what the counter says the drawer took: the slip must show no variance.
      const counted = shifts.count({ shiftId, count: piecesOf(float + cash), staffId });
      expect(counted.varianceFen, `shift ${shiftId} of day ${d}`).toBe(0);
      const e = counted.expected;
      shiftCash.set(
        days[d]!,
        (shiftCash.get(days[d]!) ?? 0) + e.topUpsFen + e.withdrawalsFen + e.voidsFen + e.otherFen,
      );
      shifts.signOff({
        shiftId,
        managerId: approver,
        dropOperationId: id('drop'),
        overShortOperationId: id('overshort'),
      });
    }
    if (d < DAYS - 1) {
      time.set(morning + 14 * HOUR_MS);
      dayBookOf.closeDay({ storeId: DEMO.storeId, businessDay: days[d]!, managerId: manager });
    }
  }
  return { ledger, days, told, shiftCash };
}

/** The figures of each day as the counter was told them. */
function toldByDay(told: Told[]): Map<string, Figures> {
  const days = new Map<string, Figures>();
  for (const t of told) {
    const f = days.get(t.day) ?? emptyFigures();
    add(f, t.kind, t.part, t.amountFen, t.bonusFen);
    days.set(t.day, f);
  }
  return days;
}

/** Parses the CSV the exports write (no field in these books holds a comma or a quote). */
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
      add(into(day), kind, 'gross', amount, bonus);
    if (kind === 'void') {
      const target = byId.get(r[col('target_operation_id')]!)!;
      const targetKind = target[col('kind')]!;
      if (targetKind === 'top_up' || targetKind === 'spend' || targetKind === 'refund') {
        add(
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
  const book = generate(SEED);
  const { ledger, days } = book;
  const reports = analytics(ledger);
  const dayBookOf = dayBook(ledger, { now: () => FIRST + DAYS * DAY_MS });
  const zOf = (day: string): ZReport =>
    dayBookOf.isDayClosed(DEMO.storeId, day)
      ? dayBookOf.storedZReport(DEMO.storeId, day)
      : dayBookOf.zReport(DEMO.storeId, day);
  const told = toldByDay(book.told);

  it('generated real days: closed and open, with voids and refunds in them', () => {
    expect(days.slice(0, -1).every((day) => dayBookOf.isDayClosed(DEMO.storeId, day))).toBe(true);
    expect(dayBookOf.isDayClosed(DEMO.storeId, days.at(-1)!)).toBe(false);
    const all = sum([...told.values()]);
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
      expect(book.shiftCash.get(day), day).toBe(cash.netFen - (z.outsideShifts?.netFen ?? 0));
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
    expect(page.totals).toEqual(sum(week.map((day) => zOf(day).figures!)));
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
