/** Shifts (交接班): the float, cash in and out, the blind count, the manager's sign-off and the handover. */
export { type DrawerOperationKind, SHIFT_BOOKKEEPING_KINDS } from './cash-book';
export { type CashCount, countTotal, DENOMINATIONS_FEN, normalizeCount } from './denominations';
export {
  type CashMovement,
  type ExpectedCash,
  type Shift,
  type ShiftBook,
  type ShiftBookOptions,
  type ShiftState,
  shiftBook,
} from './shift-book';
