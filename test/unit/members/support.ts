/** A demo book with the member registry opened on it, sharing the test's clock. */
import { openMemberRegistry } from '../../../db/members/index';
import { type Clock, clock, demoLedger, START } from '../db/support';

export { cashier, closeAll, codeOf, DEMO, manager, terminalId } from '../db/support';

export function memberLedger(time: Clock = clock(START + 60_000)) {
  const { ledger } = demoLedger(time);
  const members = openMemberRegistry(ledger, { now: time.now });
  return { ledger, members, time };
}

export const CONSENT = { purpose: '会员服务与储值卡管理', version: '2026-01' };

/** A valid resident ID for a member born on 1990-03-07. */
export const ID_NUMBER = '110101199003071233';
