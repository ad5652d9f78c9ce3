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
