/**
 * Inside the charge confirmation: the member's tier discount, the points the cashier chooses to take off
 * (up to what the card holds and the charge is worth), what the card pays and the points it earns.
 */
import { useEffect } from 'react';
import { describeFailure, useT } from '../i18n/use-t';
import { formatFen } from '../money';
import { useChargePoints } from '../store/charge-points';

export function PointsRedeem(props: { operationId: string; cardId: string; amountFen: number }) {
  const t = useT();
  const { quote, points, error, quoteFor, operationId: quoted } = useChargePoints();
  const { operationId, cardId, amountFen } = props;
  useEffect(() => {
    void quoteFor({ operationId, cardId, amountFen, points: 0 });
  }, [operationId, cardId, amountFen, quoteFor]);
  // Nothing of an earlier charge's quote: the counter gives the keyboard to the first field it finds.
  if (quoted !== operationId || (quote === null && error === null)) return null;
  const choose = (value: number) => void quoteFor({ operationId, cardId, amountFen, points: value });
  const max = quote?.maxRedeemablePoints ?? 0;
  return (
    <div className="points-redeem" data-testid="points-redeem">
      {quote !== null && quote.discountFen > 0 ? (
        <p data-testid="charge-discount">
          {t('points.discount', { tier: quote.tierName ?? '' })} −{formatFen(quote.discountFen)}
        </p>
      ) : null}
      {quote !== null && quote.pointsHeld > 0 ? (
        <label className="field">
          {t('points.use')} · {t('points.held', { points: String(quote.pointsHeld) })}
          <span className="points-row">
            <input
              inputMode="numeric"
              autoComplete="off"
              value={String(points)}
              onChange={(event) => choose(Number(event.target.value.replace(/\D/g, '').slice(0, 9) || '0'))}
              data-testid="points-input"
            />
            <button type="button" className="secondary" onClick={() => choose(max)} data-testid="points-max">
              {t('points.max')} {max}
            </button>
          </span>
        </label>
      ) : null}
      {error !== null ? (
        <p className="error" role="alert" data-testid="points-error">
          {describeFailure(t, error)}
        </p>
      ) : null}
      {quote !== null ? (
        <dl className="facts">
          {quote.pointsRedeemed > 0 ? (
            <>
              <dt>{t('points.value')}</dt>
              <dd data-testid="points-value">−{formatFen(quote.pointsValueFen)}</dd>
            </>
          ) : null}
          <dt>{t('points.pay')}</dt>
          <dd data-testid="charge-pay">{formatFen(quote.chargedFen)}</dd>
          <dt>{t('points.earned')}</dt>
          <dd data-testid="points-earned">{quote.pointsEarned}</dd>
        </dl>
      ) : null}
    </div>
  );
}
