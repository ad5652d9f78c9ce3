/**
 * Well-formed and malformed calls of the staff administration commands, for the contract test. `prepare`
 * adds one staff member the calls work on, so the demo staff the other cases log in as are never touched.
 */
import { DEMO } from '../../../db';
import type { StaffCommandName } from '../../../electron/contract/names';
import type { Host } from '../../../electron/host/compose';

const TARGET = 'staff-contract';

export function staffCalls(host: () => Host) {
  let added = 0;
  const valid: Record<StaffCommandName, () => unknown> = {
    'staff.list': () => ({}),
    'staff.add': () => {
      added += 1;
      return { staffNo: String(70_000 + added), name: '新员工', role: 'cashier', pin: '123456' };
    },
    'staff.deactivate': () => ({ id: TARGET }),
    'staff.reactivate': () => ({ id: TARGET }),
    'staff.resetPin': () => ({ id: TARGET, pin: '2468' }),
    'staff.unlock': () => ({ id: TARGET }),
    'staff.changeRole': () => ({ id: TARGET, role: 'manager' }),
    'staff.unlockWithApprover': () => ({
      staffNo: '60001',
      approver: { staffNo: DEMO.staff.admin.code, pin: DEMO.staff.admin.pin },
    }),
    'staff.recover': () => {
      // A fresh sheet each time; the admin gets the PIN they already had, so other cases still log in.
      const { code } = host().ledger.issueRecoverySheet({ byStaffId: DEMO.staff.admin.id });
      return { recoveryCode: code, staffNo: DEMO.staff.admin.code, pin: DEMO.staff.admin.pin };
    },
    'staff.recoverySheet': () => ({}),
    'staff.issueRecoverySheet': () => ({}),
  };

  const malformed: Record<StaffCommandName, unknown[]> = {
    'staff.list': [],
    'staff.add': [
      {},
      { staffNo: '12', name: 'x', role: 'cashier', pin: '123456' },
      { staffNo: '1234', name: '', role: 'cashier', pin: '123456' },
      { staffNo: '1234', name: 'x', role: 'owner', pin: '123456' },
      { staffNo: '1234', name: 'x', role: 'cashier', pin: '12a4' },
      { staffNo: '1234', name: 'x', role: 'cashier', pin: 123456 },
    ],
    'staff.deactivate': [{}, { id: '' }, { id: 42 }],
    'staff.reactivate': [{}, { id: '' }],
    'staff.resetPin': [{ id: TARGET }, { id: TARGET, pin: '123' }, { id: TARGET, pin: '123456789' }],
    'staff.unlock': [{}, { id: 7 }],
    'staff.changeRole': [{ id: TARGET }, { id: TARGET, role: 'owner' }],
    'staff.unlockWithApprover': [{ staffNo: '60001' }, { staffNo: '60001', approver: { staffNo: '100' } }],
    'staff.recover': [
      { recoveryCode: 'short', staffNo: '100', pin: '1234' },
      { staffNo: '100', pin: '1234' },
    ],
    'staff.recoverySheet': [],
    'staff.issueRecoverySheet': [],
  };

  return {
    valid,
    malformed,
    prepare(): void {
      host().ledger.addStaff({
        id: TARGET,
        storeId: DEMO.storeId,
        code: '60001',
        name: '合约员工',
        role: 'cashier',
        pin: '135790',
        byStaffId: DEMO.staff.admin.id,
      });
    },
  };
}
