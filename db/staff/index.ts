/** The people who work the tills: their records, their PIN login and approvals, and their administration. */
import type { Context } from '../context';
import type { Stores } from '../stores';
import { staffAdministration } from './administration';
import { staffRecords } from './records';
import { staffSignIn } from './sign-in';

export function staffModule(ctx: Context, stores: Stores) {
  const records = staffRecords(ctx);
  return {
    staffRow: records.staffRow,
    activeStaff: records.activeStaff,
    approver: records.approver,
    ...staffSignIn(ctx, records),
    ...staffAdministration(ctx, records, stores),
  };
}

export type StaffModule = ReturnType<typeof staffModule>;
