/**
 * The chain's amount limits on the Rules screen: anyone at the counter may read them, admins change them.
 * A change is audited like every settings change (`audited-setting.ts`) and applies to the next operation.
 */
import { type Ledger, ledgerAudit } from '../../../db';
import type { LimitCommandName } from '../../contract/names';
import { AMOUNT_LIMITS_SETTING, readAmountLimits } from '../amount-limits';
import type { Handlers } from '../api';
import { changeSetting } from '../audited-setting';
import { staffOf } from './logged-in';

export function limitHandlers(deps: {
  ledger: Ledger;
  identity: { terminalId: string };
  now: () => number;
}): Pick<Handlers, LimitCommandName> {
  const { ledger } = deps;
  const audit = ledgerAudit(ledger, deps.now);
  return {
    'limits.get': () => readAmountLimits(ledger.settings),
    'limits.set': (change, { session }) => {
      const staff = staffOf(session);
      return changeSetting({
        audit,
        settings: ledger.settings,
        key: AMOUNT_LIMITS_SETTING,
        who: { staffId: staff.id, terminalId: deps.identity.terminalId },
        at: deps.now,
        read: () => readAmountLimits(ledger.settings),
        change,
      });
    },
  };
}
