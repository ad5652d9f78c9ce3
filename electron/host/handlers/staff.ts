/**
 * Staff administration for the admin's screen. Every change is made by the ledger in one transaction with
 * an audit line naming the admin logged in here; the ledger refuses anyone but an active admin, and keeps
 * the last active admin.
 */
import { ulid } from 'ulid';
import type { Ledger, Staff } from '../../../db';
import type { CommandName, StaffEntry } from '../../contract';
import type { Handlers } from '../api';
import type { Session } from '../session';
import { staffOf } from './logged-in';

export type StaffHandlerNames = Extract<CommandName, `staff.${string}`>;

function entry(staff: Staff): StaffEntry {
  return {
    id: staff.id,
    staffNo: staff.code,
    name: staff.name,
    role: staff.role,
    active: staff.active,
    locked: staff.locked,
    createdAt: staff.createdAt,
  };
}

/** The admin making the change (the ledger checks the role). */
const admin = (session: Session): string => staffOf(session).id;

export function staffHandlers(deps: {
  ledger: Ledger;
  identity: { storeId: string; terminalId: string };
}): Pick<Handlers, StaffHandlerNames> {
  const { ledger } = deps;
  return {
    'staff.list': () => ledger.listStaff().map(entry),
    'staff.add': ({ staffNo, name, role, pin }, { session }) =>
      entry(
        ledger.addStaff({
          id: `staff-${ulid()}`,
          storeId: deps.identity.storeId,
          code: staffNo,
          name,
          role,
          pin,
          byStaffId: admin(session),
        }),
      ),
    'staff.deactivate': ({ id }, { session }) =>
      entry(ledger.deactivateStaff({ staffId: id, byStaffId: admin(session) })),
    'staff.reactivate': ({ id }, { session }) =>
      entry(ledger.reactivateStaff({ staffId: id, byStaffId: admin(session) })),
    'staff.resetPin': ({ id, pin }, { session }) =>
      entry(ledger.resetStaffPin({ staffId: id, pin, byStaffId: admin(session) })),
    'staff.unlock': ({ id }, { session }) =>
      entry(ledger.unlockStaff({ staffId: id, byStaffId: admin(session) })),
    'staff.changeRole': ({ id, role }, { session }) =>
      entry(ledger.changeStaffRole({ staffId: id, role, byStaffId: admin(session) })),
    'staff.unlockWithApprover': ({ staffNo, approver }) => {
      const unlocked = ledger.unlockByApprover({
        staffNo,
        approver: { code: approver.staffNo, pin: approver.pin },
        terminalId: deps.identity.terminalId,
      });
      return { staffNo: unlocked.code, name: unlocked.name };
    },
    'staff.recover': ({ recoveryCode, staffNo, pin }) => {
      const admin = ledger.recoverAdmin({
        code: recoveryCode,
        staffNo,
        pin,
        terminalId: deps.identity.terminalId,
      });
      return { staffNo: admin.code, name: admin.name };
    },
    'staff.recoverySheet': () => {
      const sheet = ledger.recoverySheet();
      if (sheet === null) return null;
      return { issuedAt: sheet.issuedAt, issuedBy: ledger.staff(sheet.issuedBy)?.name ?? sheet.issuedBy };
    },
    'staff.issueRecoverySheet': (_input, { session }) =>
      ledger.issueRecoverySheet({ byStaffId: admin(session) }),
  };
}
