import { useId } from 'react';
import type { CardView } from '../../../electron/contract/index';
import { useT } from '../i18n/use-t';
import { Balances } from './Balances';
import { Fact } from './Fact';

export function MemberPanel({ view }: { view: CardView }) {
  const t = useT();
  const { card, member, balance } = view;
  const nameId = useId();
  return (
    <section
      className="member-panel"
      aria-labelledby={nameId}
      data-testid="member-panel"
      data-card-id={card.id}
    >
      <h2 className="member-name">
        <span id={nameId} data-testid="member-name">
          {member.name}
        </span>
        <span className={member.tier === null ? 'tier' : 'tier tier-named'} data-testid="member-tier">
          {member.tier ?? t('tier.none')}
        </span>
      </h2>
      <dl className="facts">
        <Fact label={t('member.phone')}>{member.phoneMasked ?? '—'}</Fact>
        <Fact label={t('member.card')}>{card.cardNumber}</Fact>
        <Fact label={t('member.state')} className={`state state-${card.state}`} testId="card-state">
          {t(`state.${card.state}`)}
        </Fact>
      </dl>
      <Balances balance={balance} testIdPrefix="balance" />
      {card.state !== 'active' ? (
        <p className="error-note" role="alert">
          {t('state.inquiryOnly')}
        </p>
      ) : null}
    </section>
  );
}
