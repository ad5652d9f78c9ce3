/**
 * Shifts (交接班): one cashier's stint at one terminal's cash drawer, from the counted float to the blind
 * count and the manager's sign-off. Money is integer fen, times are UTC epoch milliseconds. The cash that
 * moves in and out of the drawer is recorded in the ledger's own operations and transfers; these tables hold
 * what only a shift knows: who counted what, what was expected, and who signed it off.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { staff, stores, terminals } from '../schema';
import type { ShiftState } from './shifts';

export const shifts = sqliteTable(
  'shifts',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    terminalId: text('terminal_id')
      .notNull()
      .references(() => terminals.id),
    cashierId: text('cashier_id')
      .notNull()
      .references(() => staff.id),
    /** open → counted (blind count taken, expected fixed) → closed (manager signed off). */
    state: text('state').$type<ShiftState>().notNull(),
    openedAt: integer('opened_at').notNull(),
    floatFen: integer('float_fen').notNull(),
    /** The float's count by denomination, JSON {"10000": 2, …}. */
    floatCount: text('float_count').notNull(),
    previousShiftId: text('previous_shift_id'),
    countedAt: integer('counted_at'),
    countedFen: integer('counted_fen'),
    /** The closing count by denomination, JSON. */
    closingCount: text('closing_count'),
    expectedFen: integer('expected_fen'),
    varianceFen: integer('variance_fen'),
    varianceReason: text('variance_reason'),
    signedOffBy: text('signed_off_by').references(() => staff.id),
    closedAt: integer('closed_at'),
    /** Cash left in the drawer for the next cashier; the rest is dropped to the safe. */
    handedOverFen: integer('handed_over_fen'),
  },
  (table) => [
    index('shifts_terminal').on(table.terminalId, table.openedAt),
    index('shifts_store_state').on(table.storeId, table.state),
  ],
);

/** Cash put into or taken out of the drawer outside a sale, each with its reason and its ledger operation. */
export const shiftCashMovements = sqliteTable(
  'shift_cash_movements',
  {
    operationId: text('operation_id').primaryKey(),
    shiftId: text('shift_id')
      .notNull()
      .references(() => shifts.id),
    /** float, cash_in, cash_out, drop (to the safe at close), over_short (the variance recorded). */
    kind: text('kind').notNull(),
    amountFen: integer('amount_fen').notNull(),
    reason: text('reason').notNull(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    at: integer('at').notNull(),
  },
  (table) => [index('shift_cash_movements_shift').on(table.shiftId, table.at)],
);
