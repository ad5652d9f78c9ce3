/**
 * An approval is a second person's word. A manager's PIN on their own shift count, or on a void they rang up
 * themselves, approves nothing, so the host refuses it with APPROVAL_BY_SELF. A small store with one manager on
 * duty may allow it (a manager or admin changes the store setting); the approval then stands, and the shift
 * slip and the Z report say it was the manager's own.
 */
import type { Ledger } from '../../db';
import { ApiError } from '../errors';

export const LONE_MANAGER_SETTING = 'approvals.loneManager';

export interface ApprovalPolicy {
  loneManagerAllowed(): boolean;
  setLoneManagerAllowed(allowed: boolean): void;
  /**
   * Refuses an approval by the person it approves, unless the store allows a lone manager; answers whether
   * the approval is the approver's own (to be flagged).
   */
  requireSecondPerson(input: { approverId: string; actorId: string; what: string }): boolean;
}

export function approvalPolicy(ledger: Ledger): ApprovalPolicy {
  const loneManagerAllowed = () => ledger.settings.get<boolean>(LONE_MANAGER_SETTING) === true;
  return {
    loneManagerAllowed,
    setLoneManagerAllowed(allowed) {
      ledger.settings.set(LONE_MANAGER_SETTING, allowed);
    },
    requireSecondPerson({ approverId, actorId, what }) {
      if (approverId !== actorId) return false;
      if (loneManagerAllowed()) return true;
      throw new ApiError('APPROVAL_BY_SELF', `The ${what} needs a second person's approval`, {
        details: { approverId, what },
      });
    },
  };
}
