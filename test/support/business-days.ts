/**
 * Business days of a store's operations generated from a fixed seed, as the counter would record them: two
 * shifts a day (the cashier, then the manager, each approved by another person), top-ups in cash and WeChat
 * with bonus, charges, voids (some of an earlier shift's or day's operation), refunds; each shift counted to
 * exactly what the counter took and signed off; every day but the last closed (or every day). What the counter was told
 * operation by operation is kept, so a test can compare every report with it.
 */
import { DEMO, type Figures, type Ledger, openBusinessDays, openShifts } from '../../db/index';

export interface GeneratorClock {
  now: () => number;
  set(at: number): void;
  advance(ms: number): void;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CARDS = [DEMO.cards.uid.id, DEMO.cards.mifare.id, DEMO.cards.magstripe.id, DEMO.cards.keyed.id];
const cashier = DEMO.staff.cashier.id;
const manager = DEMO.staff.manager.id;
const admin = DEMO.staff.admin.id;
const terminalId = DEMO.terminalId;
const FACES = [10_000, 5_000, 2_000, 1_000, 500, 100, 50, 20, 10, 5, 2, 1];

/** A cash amount as pieces by face value, largest first. */
export function piecesOf(amountFen: number): Record<string, number> {
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
export interface Told {
  day: string;
  kind: Kind;
  part: 'gross' | 'voided';
  amountFen: number;
  bonusFen: number;
}

export function emptyFigures(): Figures {
  const tally = () => ({ count: 0, amountFen: 0, bonusFen: 0 });
  const figure = () => ({ gross: tally(), voided: tally(), net: tally() });
  return { topUps: figure(), charges: figure(), refunds: figure() };
}

export function addTold(
  figures: Figures,
  kind: Kind,
  part: 'gross' | 'voided',
  amountFen: number,
  bonusFen: number,
) {
  const figure = figures[FIELD[kind]];
  const sign = part === 'gross' ? 1 : -1;
  figure[part].count += 1;
  figure[part].amountFen += amountFen;
  figure[part].bonusFen += bonusFen;
  figure.net.count += sign;
  figure.net.amountFen += sign * amountFen;
  figure.net.bonusFen += sign * bonusFen;
}

export function sumFigures(all: Figures[]): Figures {
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

export interface GeneratedDays {
  days: string[];
  told: Told[];
  /** Per day: each signed-off shift's cash from sales (top-ups, withdrawals, voids) by its slip. */
  shiftCash: Map<string, number>;
}

/**
 * Six days, two shifts a day (the cashier, then the manager, each approved by another person); about 40 operations a shift. Every day but the
 * last is closed at 23:00, so closed days (stored figures) and an open one (live figures) are both read.
 */
export function generateBusinessDays(
  ledger: Ledger,
  time: GeneratorClock,
  options: {
    seed: number;
    days: number;
    /** 09:00 of the first day, UTC ms. */
    first: number;
    /** Close the last day too (by default it is left open, an X report). */
    closeLast?: boolean;
  },
): GeneratedDays {
  const { seed, first } = options;
  const DAYS = options.days;
  const FIRST = first;
  const rand = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const shifts = openShifts(ledger, { now: time.now });
  const businessDays = openBusinessDays(ledger, { now: time.now });
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
      if (counted.varianceFen !== 0)
        throw new Error(`shift ${shiftId} of day ${d}: variance ${counted.varianceFen}`);
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
    if (d < DAYS - 1 || options.closeLast === true) {
      time.set(morning + 14 * HOUR_MS);
      businessDays.closeDay({ storeId: DEMO.storeId, businessDay: days[d]!, managerId: manager });
    }
  }
  return { days, told, shiftCash };
}

/** The figures of each day as the counter was told them. */
export function toldByDay(told: Told[]): Map<string, Figures> {
  const days = new Map<string, Figures>();
  for (const t of told) {
    const f = days.get(t.day) ?? emptyFigures();
    addTold(f, t.kind, t.part, t.amountFen, t.bonusFen);
    days.set(t.day, f);
  }
  return days;
}

/** mulberry32: a small seeded PRNG, so generated ledgers are the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
