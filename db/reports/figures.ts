/**
 * The one definition of the money figures every report shows (the counter's history, the shift slip, the Z
 * report, the reports screen and every export read them from here or agree with them):
 *
 * - gross: the operations of that kind recorded on the business day (count, amount, and the bonus part);
 * - voided: the voids recorded on that business day, counted by the kind of operation they cancelled and
 *   carrying the cancelled amounts (a void counts on the day it was recorded, never on the day it cancelled);
 * - net: gross − voided.
 *
 * Top-ups carry the bonus given with them in `bonusFen`; charges and refunds carry the part of their amount
 * that moved bonus. Refunds give stored value back to a card for a charge; they are not netted from charges.
 */
import type { Database } from '../types';

export const FIGURE_KINDS = ['top_up', 'spend', 'refund'] as const;
export type FigureKind = (typeof FIGURE_KINDS)[number];

export interface Tally {
  count: number;
  amountFen: number;
  bonusFen: number;
}

export interface Figure {
  gross: Tally;
  voided: Tally;
  net: Tally;
}

export interface Figures {
  topUps: Figure;
  charges: Figure;
  refunds: Figure;
}

const FIELD: Record<FigureKind, keyof Figures> = { top_up: 'topUps', spend: 'charges', refund: 'refunds' };

export function emptyTally(): Tally {
  return { count: 0, amountFen: 0, bonusFen: 0 };
}

export function emptyFigures(): Figures {
  const figure = (): Figure => ({ gross: emptyTally(), voided: emptyTally(), net: emptyTally() });
  return { topUps: figure(), charges: figure(), refunds: figure() };
}

function addTally(into: Tally, from: Tally, sign = 1): void {
  into.count += sign * from.count;
  into.amountFen += sign * from.amountFen;
  into.bonusFen += sign * from.bonusFen;
}

/** Adds one part (gross or voided) of one kind; net follows. */
export function addPart(figures: Figures, kind: FigureKind, part: 'gross' | 'voided', tally: Tally): void {
  const figure = figures[FIELD[kind]];
  addTally(figure[part], tally);
  addTally(figure.net, tally, part === 'gross' ? 1 : -1);
}

/** Sums figures (days into a week, a month or a range). */
export function addFigures(into: Figures, from: Figures): void {
  for (const field of ['topUps', 'charges', 'refunds'] as const) {
    for (const part of ['gross', 'voided', 'net'] as const) addTally(into[field][part], from[field][part]);
  }
}

interface KindRow {
  day: string;
  kind: FigureKind;
  n: number;
  amount: number;
  bonus: number;
}

const tallyOf = (row: KindRow): Tally => ({ count: row.n, amountFen: row.amount, bonusFen: row.bonus });
const IN_KINDS = FIGURE_KINDS.map((kind) => `'${kind}'`).join(', ');

/** Reads the figures of a store's business days from its operations. */
export function figureQueries(db: Database) {
  const q = {
    gross: db.prepare<[string, string, string], KindRow>(
      `SELECT business_day AS day, kind, COUNT(*) AS n, SUM(amount_fen) AS amount, SUM(bonus_fen) AS bonus
       FROM operations WHERE business_day >= ? AND business_day <= ? AND store_id = ? AND kind IN (${IN_KINDS})
       GROUP BY business_day, kind`,
    ),
    // Voids and refunds are the operations that point at another one; the partial index on the target holds
    // only them, so reading a year of voids and refunds never walks the charges.
    voided: db.prepare<[string, string, string], KindRow>(
      `SELECT v.business_day AS day, t.kind AS kind, COUNT(*) AS n, SUM(t.amount_fen) AS amount,
              SUM(t.bonus_fen) AS bonus
       FROM operations v INDEXED BY operations_target JOIN operations t ON t.id = v.target_operation_id
       WHERE v.target_operation_id IS NOT NULL AND v.kind = 'void'
         AND v.business_day >= ? AND v.business_day <= ? AND v.store_id = ? AND t.kind IN (${IN_KINDS})
       GROUP BY v.business_day, t.kind`,
    ),
    refunds: db.prepare<[string, string, string], KindRow>(
      `SELECT business_day AS day, 'refund' AS kind, COUNT(*) AS n, SUM(amount_fen) AS amount,
              SUM(bonus_fen) AS bonus
       FROM operations INDEXED BY operations_target
       WHERE target_operation_id IS NOT NULL AND kind = 'refund'
         AND business_day >= ? AND business_day <= ? AND store_id = ?
       GROUP BY business_day`,
    ),
  };

  const into = (days: Map<string, Figures>, day: string): Figures => {
    let figures = days.get(day);
    if (figures === undefined) {
      figures = emptyFigures();
      days.set(day, figures);
    }
    return figures;
  };

  return {
    /** Every figure of each day in the range, from the operations: day → figures. */
    days(storeId: string, fromDay: string, toDay: string): Map<string, Figures> {
      const days = new Map<string, Figures>();
      if (fromDay > toDay) return days;
      for (const row of q.gross.all(fromDay, toDay, storeId))
        addPart(into(days, row.day), row.kind, 'gross', tallyOf(row));
      for (const row of q.voided.all(fromDay, toDay, storeId))
        addPart(into(days, row.day), row.kind, 'voided', tallyOf(row));
      return days;
    },

    /**
     * The parts of each day that closed days do not store: the voids by the kind they cancelled, and the
     * refunds. Both come off the target index, so this is cheap over a year.
     */
    voidsAndRefunds(
      storeId: string,
      fromDay: string,
      toDay: string,
    ): { voided: KindRow[]; refunds: KindRow[] } {
      if (fromDay > toDay) return { voided: [], refunds: [] };
      return {
        voided: q.voided.all(fromDay, toDay, storeId),
        refunds: q.refunds.all(fromDay, toDay, storeId),
      };
    },
  };
}

export { tallyOf };
