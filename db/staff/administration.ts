/**
 * Who works in the store: staff members added (at set-up, or by an admin), listed, deactivated and
 * reactivated, given a new PIN or another role. Every change but the set-up's is an admin's.
 */
import { type Context, guarded, requireText } from '../context';
import { LedgerError } from '../errors';
import { hashPin, isWellFormedPin, pepperOf } from '../pin';
import { type StaffRow, toStaff } from '../rows';
import type { Stores } from '../stores';
import { type CreateStaffInput, STAFF_ROLES, type Staff, type StaffRole } from '../types';
import type { StaffRecords } from './records';

export function staffAdministration(ctx: Context, records: StaffRecords, stores: Stores) {
  const { db } = ctx;
  const { staffRow, adminActor, keepAnAdmin } = records;
  const q = {
    insertStaff: db.prepare<
      [
        Omit<
          StaffRow,
          | 'failed_pin_attempts'
          | 'locked_at'
          | 'deactivated_at'
          | 'approver_failures'
          | 'approver_paused_until'
        >,
      ]
    >(
      `INSERT INTO staff (id, store_id, code, name, role, pin_hash, created_at)
       VALUES (@id, @store_id, @code, @name, @role, @pin_hash, @created_at)`,
    ),
    allStaff: db.prepare<[], StaffRow>('SELECT * FROM staff ORDER BY code, id'),
    setDeactivated: db.prepare('UPDATE staff SET deactivated_at = ? WHERE id = ?'),
    setPin: db.prepare(
      'UPDATE staff SET pin_hash = ?, failed_pin_attempts = 0, locked_at = NULL WHERE id = ?',
    ),
    setRole: db.prepare('UPDATE staff SET role = ? WHERE id = ?'),
  };

  /** A PIN is hashed before the write lock is taken: scrypt is slow on purpose, and other writers must not wait. */
  function hashIfWellFormed(pin: unknown): string | null {
    return isWellFormedPin(pin) ? hashPin(pin, pepperOf(ctx.db)) : null;
  }

  /** Checks a new staff member's facts and writes the row (at the time it returns); the caller audits it. */
  function insertNew(input: CreateStaffInput, pinHash: string | null) {
    const id = requireText(input.id, 'id');
    const code = requireText(input.code, 'code', 32);
    const name = requireText(input.name, 'name');
    if (!STAFF_ROLES.includes(input.role)) {
      throw new LedgerError('INPUT_INVALID', 'unknown staff role', { details: { role: input.role } });
    }
    if (pinHash === null) throw new LedgerError('PIN_INVALID', 'a PIN is 4 to 12 digits');
    stores.storeRow(input.storeId);
    if (records.byId(id))
      throw new LedgerError('ID_TAKEN', 'a staff member with this id exists', { details: { id } });
    if (records.byCode(code)) {
      throw new LedgerError('STAFF_CODE_TAKEN', 'another staff member has this code', {
        details: { code },
      });
    }
    const at = ctx.now();
    q.insertStaff.run({
      id,
      store_id: input.storeId,
      code,
      name,
      role: input.role,
      pin_hash: pinHash,
      created_at: at,
    });
    return { id, code, at };
  }

  return {
    createStaff(input: CreateStaffInput): Staff {
      const pinHash = hashIfWellFormed(input.pin);
      return guarded(ctx, 'staff.create', { staffId: input.id }, () => {
        const { id, at } = insertNew(input, pinHash);
        ctx.audit({ at, action: 'staff.create', outcome: 'ok', staffId: id, details: { role: input.role } });
        return toStaff(staffRow(id));
      });
    },

    staff(staffId: string): Staff | undefined {
      const row = records.byId(staffId);
      return row ? toStaff(row) : undefined;
    },

    /** Every staff member of the ledger, active or not, by staff number. */
    listStaff(): Staff[] {
      return q.allStaff.all().map(toStaff);
    },

    /** An admin adds a staff member with an initial PIN. */
    addStaff(input: CreateStaffInput & { byStaffId: string }): Staff {
      const pinHash = hashIfWellFormed(input.pin);
      return guarded(ctx, 'staff.add', { staffId: input.byStaffId }, () => {
        const admin = adminActor(input.byStaffId);
        const { id, code, at } = insertNew(input, pinHash);
        ctx.audit({
          at,
          action: 'staff.add',
          outcome: 'ok',
          staffId: admin.id,
          details: { target: id, code, role: input.role },
        });
        return toStaff(staffRow(id));
      });
    },

    /** An admin deactivates a staff member: no login and no acting until reactivated. */
    deactivateStaff(input: { staffId: string; byStaffId: string }): Staff {
      return guarded(ctx, 'staff.deactivate', { staffId: input.byStaffId }, () => {
        const admin = adminActor(input.byStaffId);
        const target = staffRow(input.staffId);
        if (target.deactivated_at === null) {
          keepAnAdmin(target);
          q.setDeactivated.run(ctx.now(), target.id);
        }
        ctx.audit({
          at: ctx.now(),
          action: 'staff.deactivate',
          outcome: 'ok',
          staffId: admin.id,
          details: { target: target.id },
        });
        return toStaff(staffRow(target.id));
      });
    },

    /** An admin lets a deactivated staff member log in again. */
    reactivateStaff(input: { staffId: string; byStaffId: string }): Staff {
      return guarded(ctx, 'staff.reactivate', { staffId: input.byStaffId }, () => {
        const admin = adminActor(input.byStaffId);
        const target = staffRow(input.staffId);
        q.setDeactivated.run(null, target.id);
        ctx.audit({
          at: ctx.now(),
          action: 'staff.reactivate',
          outcome: 'ok',
          staffId: admin.id,
          details: { target: target.id },
        });
        return toStaff(staffRow(target.id));
      });
    },

    /** An admin sets a new PIN; the wrong-PIN count and any lockout are cleared with it. */
    resetStaffPin(input: { staffId: string; pin: string; byStaffId: string }): Staff {
      const pinHash = hashIfWellFormed(input.pin);
      return guarded(ctx, 'staff.resetPin', { staffId: input.byStaffId }, () => {
        const admin = adminActor(input.byStaffId);
        const target = staffRow(input.staffId);
        if (pinHash === null) throw new LedgerError('PIN_INVALID', 'a PIN is 4 to 12 digits');
        q.setPin.run(pinHash, target.id);
        ctx.audit({
          at: ctx.now(),
          action: 'staff.resetPin',
          outcome: 'ok',
          staffId: admin.id,
          details: { target: target.id },
        });
        return toStaff(staffRow(target.id));
      });
    },

    /** An admin changes a staff member's role; the last active admin keeps theirs. */
    changeStaffRole(input: { staffId: string; role: StaffRole; byStaffId: string }): Staff {
      return guarded(ctx, 'staff.changeRole', { staffId: input.byStaffId }, () => {
        const admin = adminActor(input.byStaffId);
        const target = staffRow(input.staffId);
        if (!STAFF_ROLES.includes(input.role)) {
          throw new LedgerError('INPUT_INVALID', 'unknown staff role', { details: { role: input.role } });
        }
        if (input.role !== 'admin') keepAnAdmin(target);
        q.setRole.run(input.role, target.id);
        ctx.audit({
          at: ctx.now(),
          action: 'staff.changeRole',
          outcome: 'ok',
          staffId: admin.id,
          details: { target: target.id, from: target.role, to: input.role },
        });
        return toStaff(staffRow(target.id));
      });
    },
  };
}
