/**
 * Refunding a top-up: the manager finds the card's top-ups, picks one, and sees the arithmetic before
 * confirming: principal back in its tender, the bonus forfeited into breakage (unless the manager decides
 * the member keeps it), the balance before and after.
 */

import { useId, useState } from 'react';
import type { TopUpRefundQuoteView } from '../../../electron/contract/index';
import { call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';

export function TopUpRefunds() {
  const t = useT();
  // The panel is a region named by its heading.
  const heading = useId();
  const [cardNumber, setCardNumber] = useState('');
  const [list, setList] = useState<{
    memberName: string;
    topUps: Array<{
      operationId: string;
      amountFen: number;
      bonusFen: number;
      at: number;
      refundable: boolean;
    }>;
  } | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [keepBonus, setKeepBonus] = useState(false);
  const [quote, setQuote] = useState<TopUpRefundQuoteView | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, _setFailure] = useState<PosFailure | null>(null);
  // Each save, run or export: one at a time, its refusal shown under the panel.
  const act = useAction((work: () => Promise<unknown>) => work());
  const find = () =>
    act.run(() =>
      call('refunds.topUps', { cardNumber: cardNumber.trim() }).then((found) => {
        setList(found);
        setChosen(null);
        setQuote(null);
      }),
    );
  const pick = (operationId: string, keep: boolean) => {
    setChosen(operationId);
    setKeepBonus(keep);
    setDone(null);
    void act.run(() =>
      call('refunds.quote', { topUpOperationId: operationId, keepBonus: keep }).then(setQuote),
    );
  };
  const confirm = () => {
    if (quote === null || chosen === null) return;
    void act.run(() =>
      call('refunds.topUp', {
        topUpOperationId: chosen,
        keepBonus,
        expected: { principalRefundFen: quote.principalRefundFen, bonusForfeitFen: quote.bonusForfeitFen },
      }).then((result) => {
        setDone(
          t('refund.done', {
            principal: formatFen(result.principalRefundFen),
            bonus: formatFen(result.bonusForfeitFen),
          }),
        );
        setQuote(null);
        setChosen(null);
        return find();
      }),
    );
  };
  return (
    <section className="close-panel" aria-labelledby={heading} data-testid="refund-panel">
      <h2 id={heading}>{t('refund.title')}</h2>
      <div className="rule-step">
        <label className="field">
          {t('refund.cardNumber')}
          <input
            inputMode="numeric"
            value={cardNumber}
            onChange={(e) => setCardNumber(e.target.value.replace(/\s/g, '').toUpperCase())}
            data-testid="refund-card"
          />
        </label>
        <button type="button" className="secondary" onClick={() => void find()} data-testid="refund-find">
          {t('refund.find')}
        </button>
      </div>
      {list !== null ? (
        <table className="close-table">
          <tbody>
            {list.topUps.map((op) => (
              <tr key={op.operationId} data-testid="refund-top-up">
                <td>{new Date(op.at).toLocaleString()}</td>
                <td className="num">{formatFen(op.amountFen)}</td>
                <td className="num">+{formatFen(op.bonusFen)}</td>
                <td>
                  {op.refundable ? (
                    <button type="button" className="secondary" onClick={() => pick(op.operationId, false)}>
                      {t('refund.choose')}
                    </button>
                  ) : (
                    t('refund.refunded')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {quote !== null ? (
        <div data-testid="refund-quote">
          <dl className="facts">
            <dt>{t('refund.before')}</dt>
            <dd>
              {formatFen(quote.balanceBefore.principalFen)} + {formatFen(quote.balanceBefore.bonusFen)}
            </dd>
            <dt>{t('refund.principal', { tender: t(`tender.${quote.tender}`) })}</dt>
            <dd data-testid="refund-principal">−{formatFen(quote.principalRefundFen)}</dd>
            <dt>{t('refund.bonus')}</dt>
            <dd data-testid="refund-bonus">−{formatFen(quote.bonusForfeitFen)}</dd>
            <dt>{t('refund.after')}</dt>
            <dd data-testid="refund-after">
              {formatFen(quote.balanceAfter.principalFen)} + {formatFen(quote.balanceAfter.bonusFen)}
            </dd>
          </dl>
          <p data-testid="refund-arithmetic">
            {t('refund.arithmetic', {
              before: formatFen(quote.balanceBefore.principalFen + quote.balanceBefore.bonusFen),
              principal: formatFen(quote.principalRefundFen),
              bonus: formatFen(quote.bonusForfeitFen),
              after: formatFen(quote.balanceAfter.principalFen + quote.balanceAfter.bonusFen),
            })}
          </p>
          <label className="check">
            <input
              type="checkbox"
              checked={keepBonus}
              onChange={(e) => chosen !== null && pick(chosen, e.target.checked)}
              data-testid="refund-keep-bonus"
            />
            {t('refund.keepBonus')}
          </label>
          <div className="actions">
            <button type="button" className="primary" onClick={confirm} data-testid="refund-confirm">
              {t('action.confirm')}
            </button>
          </div>
        </div>
      ) : null}
      {done !== null ? (
        <p role="status" data-testid="refund-done">
          {done}
        </p>
      ) : null}
      <ErrorNote failure={failure ?? act.failure} />
    </section>
  );
}
