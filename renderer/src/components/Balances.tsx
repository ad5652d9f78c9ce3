/**
 * What a card holds, as named facts: the total first and large, then principal, bonus and points. The same four
 * wherever a card's balance is shown (the counter, a result, a member's cards), so a test reads each by its name.
 */
import type { ReactNode } from 'react';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';
import { Fact } from './Fact';

export function Balances(props: {
  balance: { totalFen: number; principalFen: number; bonusFen: number; points: number };
  /** The total's words where "available" is not the right one (a result says "balance now"). */
  totalLabel?: ReactNode;
  /** `balance` gives `balance-total`, `balance-principal`, … for the tests that still read them so. */
  testIdPrefix: string;
}) {
  const t = useT();
  const { balance, testIdPrefix } = props;
  return (
    <dl className="balances">
      <Fact
        label={props.totalLabel ?? t('member.total')}
        groupClassName="total"
        testId={`${testIdPrefix}-total`}
      >
        {formatFen(balance.totalFen)}
      </Fact>
      <Fact label={t('member.principal')} testId={`${testIdPrefix}-principal`}>
        {formatFen(balance.principalFen)}
      </Fact>
      <Fact label={t('member.bonus')} testId={`${testIdPrefix}-bonus`}>
        {formatFen(balance.bonusFen)}
      </Fact>
      <Fact label={t('member.points')} testId={`${testIdPrefix}-points`}>
        {balance.points}
      </Fact>
    </dl>
  );
}
