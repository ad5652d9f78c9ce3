/**
 * Split payment on the charge dialog: the card does not hold the whole charge, so it pays all it has and the
 * rest is taken by another tender the cashier picks. Cash shows the change due; a bank card asks for its slip
 * number; WeChat Pay and Alipay take the payment code from the barcode scanner (or typed).
 */

import type { CardView, Tender } from '../../../electron/contract/index';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';
import { type Draft, useCounter } from '../store/counter';
import { CashChange } from './PayingFacts';
import { TenderPicker } from './TenderPicker';

/** The tenders a counter takes for the rest of a charge. */
export const REST_TENDERS: readonly Tender[] = ['cash', 'unionpay', 'wechat', 'alipay'];

export function SplitRest(props: {
  draft: Draft;
  card: CardView;
  restFen: number;
  onTender: (tender: Tender | null) => void;
}) {
  const t = useT();
  const { draft } = props;
  const setReference = useCounter((state) => state.setReference);
  const setCashReceived = useCounter((state) => state.setCashReceived);
  const chosen = draft.restTender;
  return (
    <TenderPicker
      className="split"
      testId="split-rest"
      legend={t('split.offer', {
        available: formatFen(props.card.balance.totalFen),
        rest: formatFen(props.restFen),
      })}
      tenders={REST_TENDERS}
      value={chosen}
      onChange={props.onTender}
      onClear={() => props.onTender(null)}
    >
      <PayCodeScanned />
      {chosen === 'cash' ? (
        <CashChange dueFen={props.restFen} received={draft.cashReceived} onChange={setCashReceived} />
      ) : null}
      {chosen === 'wechat' || chosen === 'alipay' || chosen === 'unionpay' ? (
        <label className="field">
          {chosen === 'unionpay' ? t('split.slip') : t('payCode.label')}
          <input
            autoComplete="off"
            value={draft.reference}
            onChange={(event) => setReference(event.target.value.trim())}
            placeholder={chosen === 'unionpay' ? '' : t('payCode.hint')}
            maxLength={64}
            data-testid="rest-reference"
          />
        </label>
      ) : null}
    </TenderPicker>
  );
}

/** Says which wallet's payment code the scanner read, so the cashier sees the tender was picked for them. */
export function PayCodeScanned() {
  const t = useT();
  const scanned = useCounter((state) => state.scanned);
  if (scanned === null) return null;
  return (
    <p role="status" data-testid="pay-code-scanned">
      {t('payCode.scanned', { tender: t(`tender.${scanned}`) })}
    </p>
  );
}
