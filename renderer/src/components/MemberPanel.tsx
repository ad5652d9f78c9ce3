import type { CardView } from '../../../electron/contract/index';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';

export function MemberPanel({ view }: { view: CardView }) {
  const t = useT();
  const { card, member, balance } = view;
  return (
    <section className="member-panel" data-testid="member-panel" data-card-id={card.id}>
      <h2 className="member-name">
        <span data-testid="member-name">{member.name}</span>
        <span className={member.tier === null ? 'tier' : 'tier tier-named'} data-testid="member-tier">
          {member.tier ?? t('tier.none')}
        </span>
      </h2>
      <dl className="facts">
        <dt>{t('member.phone')}</dt>
        <dd>{member.phoneMasked ?? '—'}</dd>
        <dt>{t('member.card')}</dt>
        <dd>{card.cardNumber}</dd>
        <dt>{t('member.state')}</dt>
        <dd className={`state state-${card.state}`} data-testid="card-state">
          {t(`state.${card.state}`)}
        </dd>
      </dl>
      <dl className="balances">
        <div className="total">
          <dt>{t('member.total')}</dt>
          <dd data-testid="balance-total">{formatFen(balance.totalFen)}</dd>
        </div>
        <div>
          <dt>{t('member.principal')}</dt>
          <dd data-testid="balance-principal">{formatFen(balance.principalFen)}</dd>
        </div>
        <div>
          <dt>{t('member.bonus')}</dt>
          <dd data-testid="balance-bonus">{formatFen(balance.bonusFen)}</dd>
        </div>
        <div>
          <dt>{t('member.points')}</dt>
          <dd data-testid="balance-points">{balance.points}</dd>
        </div>
      </dl>
      {card.state !== 'active' ? (
        <p className="error-note" role="alert" data-testid="inquiry-only">
          {t('state.inquiryOnly')}
        </p>
      ) : null}
    </section>
  );
}
