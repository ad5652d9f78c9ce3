import { useT } from '../i18n/use-t';
import { formatFen } from '../money';
import { useCounter } from '../store/counter';

export function ResultView() {
  const t = useT();
  const { result, reset } = useCounter();
  if (result === null) return null;
  const title =
    result.kind === 'top_up' ? 'result.topUp' : result.kind === 'void' ? 'result.void' : 'result.spend';
  return (
    <section className="dialog result" data-testid="result" data-operation-id={result.operationId}>
      <h2 className="ok">{t(title)}</h2>
      <p className="big-amount">{formatFen(result.amountFen)}</p>
      {result.charge !== undefined && (result.charge.discountFen > 0 || result.charge.pointsRedeemed > 0) ? (
        <p data-testid="result-charge">
          {t('result.charge.list', {
            list: formatFen(result.charge.listPriceFen),
            discount: formatFen(result.charge.discountFen),
            points: String(result.charge.pointsRedeemed),
            value: formatFen(result.charge.pointsValueFen),
          })}
        </p>
      ) : null}
      <dl className="balances">
        <div className="total">
          <dt>{t('result.balance')}</dt>
          <dd data-testid="result-total">{formatFen(result.balance.totalFen)}</dd>
        </div>
        <div>
          <dt>{t('member.principal')}</dt>
          <dd data-testid="result-principal">{formatFen(result.balance.principalFen)}</dd>
        </div>
        <div>
          <dt>{t('member.bonus')}</dt>
          <dd data-testid="result-bonus">{formatFen(result.balance.bonusFen)}</dd>
        </div>
        <div>
          <dt>{t('member.points')}</dt>
          <dd data-testid="result-points">{result.balance.points}</dd>
        </div>
      </dl>
      <h3>{t('result.receipt')}</h3>
      <pre className="receipt" data-testid="receipt">
        {result.receiptText}
      </pre>
      <div className="actions">
        <button type="button" className="primary" onClick={reset} data-testid="done">
          {t('action.done')}
        </button>
      </div>
    </section>
  );
}
