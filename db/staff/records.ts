/**
 * Staff rows and the checks every act by a staff member passes: known, not deactivated, not locked out,
 * and in the role the act needs.
 */
import type { Context } from '../context';
import { LedgerError } from '../errors';
import type { StaffRow } from '../rows';

export function staffRecords(ctx: Context) {
  const { db } = ctx;
  const q = {
    staff: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE id = ?'),
    staffByCode: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE code = ?'),
    activeAdmins: db.prepare<[], { n: number }>(
      `SELECT COUNT(*) AS n FROM staff WHERE role = 'admin' AND deactivated_at IS NULL`,
    ),
  };

  function staffRow(staffId: unknown): StaffRow {
    const row = typeof staffId === 'string' ? q.staff.get(staffId) : undefined;
    if (!row) throw new LedgerError('STAFF_UNKNOWN', 'no such staff member', { details: { staffId } });
    return row;
  }
  /** A staff member who may act now: known, not deactivated and not locked out. */
  function activeStaff(staffId: unknown): StaffRow {
    const row = staffRow(staffId);
    if (row.deactivated_at !== null) {
      throw new LedgerError('STAFF_DEACTIVATED', 'this staff member has been deactivated', {
        details: { staffId },
      });
    }
    if (row.locked_at !== null) {
      throw new LedgerError('STAFF_LOCKED', 'this staff member is locked out', { details: { staffId } });
    }
    return row;
  }
  /** Refunds, withdrawals, voids and card transfers name an approving manager (or admin). */
  function approver(approvedBy: unknown): StaffRow {
    if (approvedBy === undefined || approvedBy === null || approvedBy === '') {
      throw new LedgerError('APPROVAL_REQUIRED', 'a manager must approve this operation');
    }
    const row = activeStaff(approvedBy);
    if (row.role !== 'manager' && row.role !== 'admin') {
      throw new LedgerError('APPROVER_NOT_MANAGER', 'the approver must be a manager', {
        details: { approvedBy, role: row.role },
      });
    }
    return row;
  }
  /** Staff administration is an admin's: active, not locked out, and in the admin role. */
  function adminActor(byStaffId: unknown): StaffRow {
    const row = activeStaff(byStaffId);
    if (row.role !== 'admin') {
      throw new LedgerError('ADMIN_REQUIRED', 'only an admin manages staff', {
        details: { byStaffId, role: row.role },
      });
    }
    return row;
  }
  /** Refuses to take away the ledger's last active admin (by deactivation or by a role change). */
  function keepAnAdmin(target: StaffRow): void {
    if (target.role !== 'admin' || target.deactivated_at !== null) return;
    if ((q.activeAdmins.get()?.n ?? 0) <= 1) {
      throw new LedgerError(
        'ADMIN_IS_LAST',
        'the last active admin cannot be deactivated or given another role',
        {
          details: { staffId: target.id },
        },
      );
    }
  }

  return {
    /** The staff member with this id, if any. */
    byId: (staffId: string): StaffRow | undefined => q.staff.get(staffId),
    /** The staff member with this staff number, if any (anything but text finds no one). */
    byCode: (code: unknown): StaffRow | undefined =>
      typeof code === 'string' ? q.staffByCode.get(code) : undefined,
    staffRow,
    activeStaff,
    approver,
    adminActor,
    keepAnAdmin,
  };
}

export type StaffRecords = ReturnType<typeof staffRecords>;
