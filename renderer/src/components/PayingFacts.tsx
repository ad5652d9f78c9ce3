/**
 * What every money confirmation shows besides the amount: who pays (the name masked as on the receipt, the
 * phone masked) and what the card will hold once it is done; and, for cash, the change due.
 */
import type { CardView } from '../../../electron/contract/index';
import { useT } from '../i18n/use-t';
import { maskedName } from '../members/masked-name';
import { changeDue, formatFen } from '../money';
import { Fact } from './Fact';

export function WhoAndAfter(props: { card: CardView; afterFen: number | null; afterLabel?: string }) {
  const t = useT();
  const { member } = props.card;
  return (
    <dl className="facts">
      <Fact label={t('confirm.member')}>
        {maskedName(member.name)}
        {member.phoneMasked === null ? '' : ` · ${member.phoneMasked}`}
      </Fact>
      <Fact label={t('charge.available')}>{formatFen(props.card.balance.totalFen)}</Fact>
      {props.afterFen === null || props.afterFen < 0 ? null : (
        <Fact label={props.afterLabel ?? t('topUp.after')}>{formatFen(props.afterFen)}</Fact>
      )}
    </dl>
  );
}

/** Cash received for `dueFen`: the cashier types what was handed over and reads the change to give back. */
export function CashChange(props: {
  dueFen: number;
  received: string;
  onChange: (text: string) => void;
  onEnter?: () => void;
}) {
  const t = useT();
  const change = changeDue(props.received, props.dueFen);
  return (
    <div className="cash-change">
      <label className="field">
        {t('cash.tendered')}
        <input
          inputMode="decimal"
          autoComplete="off"
          value={props.received}
          onChange={(event) => props.onChange(event.target.value.replace(/[^0-9.]/g, ''))}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && props.onEnter !== undefined) {
              event.preventDefault();
              props.onEnter();
            }
          }}
          data-no-autofocus
        />
      </label>
      {change === null ? null : change >= 0 ? (
        <p className="change-due" role="status">
          {t('cash.change')} {formatFen(change)}
        </p>
      ) : (
        <p className="error-note" role="alert">
          {t('cash.short', { due: formatFen(props.dueFen) })}
        </p>
      )}
    </div>
  );
}
