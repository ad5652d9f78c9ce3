/**
 * The shift-close slip: a signed-off shift, its expected-cash breakdown and its closing count, in the shape the
 * shift receipt template takes. Printed once at sign-off and again on request; both read the stored shift, so
 * a reprint says exactly what the first print said.
 */
import type { ExpectedCash, Shift } from '../../db/index';
import { ApiError } from '../errors';
import type { ShiftReport } from '../receipts/index';

export interface ShiftSlipNames {
  cashier: string;
  approver: string;
}

/** Face values with pieces, largest first; empty faces are left off the paper. */
function countedPieces(count: Record<string, number>): ShiftReport['countedPieces'] {
  return Object.entries(count)
    .map(([face, pieces]) => ({ face: Number(face), pieces }))
    .filter((line) => line.pieces > 0)
    .sort((a, b) => b.face - a.face);
}

export function shiftSlipModel(shift: Shift, expected: ExpectedCash, names: ShiftSlipNames): ShiftReport {
  if (shift.state !== 'closed' || shift.closedAt === null || shift.countedFen === null) {
    throw new ApiError('SHIFT_NOT_CLOSED', 'A shift slip is printed once the shift is signed off', {
      details: { shiftId: shift.id, state: shift.state },
    });
  }
  return {
    kind: 'shift',
    // The shift id is what the slip's QR code finds the shift by.
    operationId: shift.id,
    shiftId: shift.id,
    openedAt: shift.openedAt,
    closedAt: shift.closedAt,
    shiftCashier: names.cashier,
    approvedBy: names.approver,
    float: expected.floatFen,
    cashTopUps: expected.topUpsFen,
    cashWithdrawals: expected.withdrawalsFen,
    cashRefunds: expected.voidsFen,
    cashIn: expected.cashInFen,
    cashOut: expected.cashOutFen,
    other: expected.otherFen,
    expected: shift.expectedFen ?? expected.expectedFen,
    counted: shift.countedFen,
    countedPieces: countedPieces(shift.closingCount ?? {}),
    variance: shift.varianceFen ?? shift.countedFen - (shift.expectedFen ?? expected.expectedFen),
    ...(shift.varianceReason ? { varianceReason: shift.varianceReason } : {}),
    handedOver: shift.handedOverFen ?? 0,
    ...(shift.signedOffBy === shift.cashierId ? { selfApproved: true } : {}),
  };
}
