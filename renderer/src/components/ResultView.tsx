import { useId } from 'react';
import type { ReceiptPrint } from '../../../electron/contract/index';
import { describePrintProblem, useT } from '../i18n/use-t';
import { formatFen } from '../money';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { useCounter } from '../store/counter';
import { Balances } from './Balances';
import { ErrorNote } from './ErrorNote';

/**
 * Whether the receipt is on paper. One that is not says so plainly, with the reason and what to check, and
 * offers the reprint: the cashier never hands over "done" while the customer's receipt is missing.
 */
function ReceiptState({ receipt }: { receipt: ReceiptPrint | null }) {
  const t = useT();
  const { reprint, reprinted } = useCounter();
  if (receipt === null) return null;
  const missing = receipt.state === 'held' || receipt.state === 'failed';
  return (
    // A named group: what it says changes under the cashier's eyes (printing, printed, not printed, reprint sent).
    // biome-ignore lint/a11y/useSemanticElements: a state and its button, not form fields a fieldset would hold
    <div
      className={missing ? 'receipt-state missing' : 'receipt-state'}
      role="group"
      aria-label={t('receipt.state')}
    >
      {missing ? (
        <div role="alert">
          <strong>{t('receipt.notPrinted')}</strong>
          <span> {describePrintProblem(t, receipt.code, receipt.link)}</span>
          {reprinted ? <span> {t('receipt.reprintQueued')}</span> : null}
        </div>
      ) : (
        <span role="status">
          {receipt.state === 'printed' ? t('receipt.printed') : t('receipt.printing')}
          {reprinted && receipt.state !== 'printed' ? ` ${t('receipt.reprintQueued')}` : ''}
        </span>
      )}
      <button type="button" className="secondary" onClick={() => void reprint()}>
        {t('receipt.reprint')}
      </button>
    </div>
  );
}

export function ResultView() {
  const t = useT();
  const { result, reset, receipt, error } = useCounter();
  const titleId = useId();
  if (result === null) return null;
  const title =
    result.kind === 'top_up'
      ? 'result.topUp'
      : result.kind === 'void'
        ? 'result.void'
        : result.kind === 'refund'
          ? 'result.refund'
          : result.kind === 'withdraw'
            ? 'result.withdraw'
            : 'result.spend';
  return (
    <section
      className="dialog result"
      aria-labelledby={titleId}
      data-testid="result"
      data-operation-id={result.operationId}
    >
      <div className="result-outcome">
        <h2 className="ok" id={titleId}>
          {t(title)}
        </h2>
        <p className="big-amount">{formatFen(result.amountFen)}</p>
        {result.charge !== undefined &&
        (result.charge.discountFen > 0 || result.charge.pointsRedeemed > 0) ? (
          <p>
            {t('result.charge.list', {
              list: formatFen(result.charge.listPriceFen),
              discount: formatFen(result.charge.discountFen),
              points: String(result.charge.pointsRedeemed),
              value: formatFen(result.charge.pointsValueFen),
            })}
          </p>
        ) : null}
        {result.charge?.rest === undefined ? null : (
          <p>
            {t('split.result', {
              card: formatFen(result.principalFen + result.bonusFen),
              tender: t(`tender.${result.charge.rest.tender}`),
              rest: formatFen(result.charge.rest.amountFen),
            })}
          </p>
        )}
        <Balances balance={result.balance} totalLabel={t('result.balance')} testIdPrefix="result" />
        <ReceiptState receipt={receipt} />
        <ErrorNote failure={error} />
        <div className="actions">
          <button type="button" className="primary" onClick={reset}>
            {t('action.done')}
          </button>
        </div>
      </div>
      <ReceiptPreview text={result.receiptText} testId="receipt" />
    </section>
  );
}
