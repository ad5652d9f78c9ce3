/** Shifts (交接班): the float, cash in and out, the blind count, the manager's sign-off and the handover. */

export { type CashCount, countTotal, DENOMINATIONS_FEN, normalizeCount } from './denominations';
export { type DrawerOperationKind, SHIFT_OWN_ENTRY_KINDS } from './drawer-movements';
export {
  type CashMovement,
  type ExpectedCash,
  openShifts,
  type Shift,
  type ShiftState,
  type Shifts,
  type ShiftsOptions,
} from './shifts';
