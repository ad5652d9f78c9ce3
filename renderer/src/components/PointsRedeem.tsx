/**
 * Inside the charge confirmation: the member's tier discount, the points the cashier chooses to take off
 * (up to what the card holds and the charge is worth), what the card pays and the points it earns.
 */
import { useEffect, useId } from 'react';
import { describeFailure, useT } from '../i18n/use-t';
import { formatFen } from '../money';
import { useChargePoints } from '../store/charge-points';
import { Fact } from './Fact';

export function PointsRedeem(props: { operationId: string; cardId: string; amountFen: number }) {
  const t = useT();
  const { quote, points, error, quoteFor, operationId: quoted } = useChargePoints();
  const { operationId, cardId, amountFen } = props;
  const pointsField = useId();
  useEffect(() => {
    void quoteFor({ operationId, cardId, amountFen, points: 0 });
  }, [operationId, cardId, amountFen, quoteFor]);
  // Nothing of an earlier charge's quote: the counter gives the keyboard to the first field it finds.
  if (quoted !== operationId || (quote === null && error === null)) return null;
  const choose = (value: number) => void quoteFor({ operationId, cardId, amountFen, points: value });
  const max = quote?.maxRedeemablePoints ?? 0;
  return (
    <div className="points-redeem">
      {quote !== null && quote.discountFen > 0 ? (
        <p>
          {t('points.discount', { tier: quote.tierName ?? '' })} −{formatFen(quote.discountFen)}
        </p>
      ) : null}
      {quote !== null && quote.pointsHeld > 0 ? (
        // The label names the field alone, not the button beside it, so the field is read as its words say.
        <div className="field">
          <label htmlFor={pointsField}>
            {t('points.use')} · {t('points.held', { points: String(quote.pointsHeld) })}
          </label>
          <span className="points-row">
            <input
              id={pointsField}
              inputMode="numeric"
              autoComplete="off"
              value={String(points)}
              onChange={(event) => choose(Number(event.target.value.replace(/\D/g, '').slice(0, 9) || '0'))}
            />
            <button type="button" className="secondary" onClick={() => choose(max)}>
              {t('points.max')} {max}
            </button>
          </span>
        </div>
      ) : null}
      {error !== null ? (
        <p className="error" role="alert">
          {describeFailure(t, error)}
        </p>
      ) : null}
      {quote !== null ? (
        <dl className="facts">
          {quote.pointsRedeemed > 0 ? (
            <Fact label={t('points.value')}>−{formatFen(quote.pointsValueFen)}</Fact>
          ) : null}
          <Fact label={t('points.pay')}>{formatFen(quote.chargedFen)}</Fact>
          <Fact label={t('points.earned')}>{quote.pointsEarned}</Fact>
        </dl>
      ) : null}
    </div>
  );
}
