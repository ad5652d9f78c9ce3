/**
 * A manager's word at the counter, for the steps a cashier may not take alone (a void, a refund, a
 * withdrawal, a freeze, a replacement, a close, a member's deletion): a manager's (or admin's) staff number
 * and PIN typed at the counter, or the logged-in manager's own.
 */
import type { Ledger, Staff } from '../../../db';
import { APPROVER_ROLES } from '../../contract';
import { ApiError } from '../../errors';
import { approvalPolicy } from '../approvals';
import type { Session } from '../session';
import { staffOf } from './logged-in';

export interface ManagerApprovals {
  /** The manager whose staff number and PIN were typed; APPROVER_NOT_MANAGER for anyone else. */
  typedManager: (typed: { staffNo: string; pin: string }) => Staff;
  /**
   * Who approves a manager's step: the manager whose PIN was typed (never the caller's own PIN), else the
   * logged-in staff member when a manager, else APPROVAL_REQUIRED.
   */
  approverOf: (session: Session, typed?: { staffNo: string; pin: string }) => { id: string; name: string };
}

export function managerApprovals(deps: { ledger: Ledger; terminalId: string }): ManagerApprovals {
  const { ledger, terminalId } = deps;
  const approvals = approvalPolicy(ledger);

  const typedManager = (typed: { staffNo: string; pin: string }) => {
    const approver = ledger.authenticateApprover({ code: typed.staffNo, pin: typed.pin, terminalId });
    if (!APPROVER_ROLES.includes(approver.role)) {
      throw new ApiError('APPROVER_NOT_MANAGER', 'This needs a manager to approve it', {
        details: { approverRole: approver.role },
      });
    }
    return approver;
  };

  const approverOf = (session: Session, typed?: { staffNo: string; pin: string }) => {
    if (typed !== undefined) {
      const approver = typedManager(typed);
      // A PIN typed to approve is a second person's word, never the caller's own.
      approvals.requireSecondPerson({
        approverId: approver.id,
        actorId: staffOf(session).id,
        what: 'approval',
      });
      return { id: approver.id, name: approver.name };
    }
    const staff = staffOf(session);
    if (APPROVER_ROLES.includes(staff.role)) return { id: staff.id, name: staff.name };
    throw new ApiError('APPROVAL_REQUIRED', "This needs a manager's staff number and PIN");
  };

  return { typedManager, approverOf };
}
