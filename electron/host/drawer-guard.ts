/**
 * Cash moves only inside a shift. A cash top-up, cash taken at a card's issue, a cash refund or a card closed
 * with its principal paid out in cash changes what the drawer holds; if no shift is open on this terminal,
 * nobody counts that cash at night and the Z report shows money no shift expected. The host refuses such an
 * operation with SHIFT_NOT_OPEN, and the counter offers to open a shift on the spot. A replay of an operation
 * already recorded is never refused: it moves no cash a second time.
 */
import { type Ledger, openShifts } from '../../db';
import { ApiError } from '../errors';

export type DrawerGuard = (request: { tender: string | null | undefined; operationId: string }) => void;

export function drawerGuard(ledger: Ledger, terminalId: string): DrawerGuard {
  const shifts = openShifts(ledger);
  return ({ tender, operationId }) => {
    if (tender !== 'cash') return;
    if (ledger.operation(operationId) !== undefined) return;
    if (shifts.hasOpenShift(terminalId)) return;
    throw new ApiError(
      'SHIFT_NOT_OPEN',
      'Cash moves only inside a shift: open a shift on this terminal first',
      {
        details: { terminalId, operationId },
      },
    );
  };
}
