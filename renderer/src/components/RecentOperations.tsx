import type { OperationLine } from '../../../electron/contract/index';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';
import { useApp } from '../store/app';

/** Kinds the counter prints a receipt for (and can print again). */
const RECEIPTED: readonly OperationLine['kind'][] = [
  'top_up',
  'spend',
  'points_redeem',
  'void',
  'refund',
  'withdraw',
];

function time(at: number, locale: string): string {
  return new Date(at).toLocaleString(locale, {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The card's last operations; each can have its receipt printed again, a charge can be refunded. */
export function RecentOperations({
  lines,
  onReprint,
  onRefund,
}: {
  lines: OperationLine[];
  onReprint?: (line: OperationLine) => void;
  onRefund?: (line: OperationLine) => void;
}) {
  const t = useT();
  const locale = useApp((state) => state.locale);
  return (
    <section className="recent" aria-label={t('recent.title')} data-testid="recent-operations">
      <h3>{t('recent.title')}</h3>
      {lines.length === 0 ? <p className="muted">{t('recent.none')}</p> : null}
      <ul>
        {lines.map((line) => (
          <li key={line.operationId} className={line.voided ? 'voided' : ''} data-kind={line.kind}>
            <span>{time(line.at, locale)}</span>
            <span>{t(`kind.${line.kind}`)}</span>
            <span className="amount">{formatFen(line.amountFen)}</span>
            {line.voided ? <span className="muted">{t('recent.voided')}</span> : null}
            {onReprint !== undefined && RECEIPTED.includes(line.kind) ? (
              <button type="button" className="link" onClick={() => onReprint(line)}>
                {t('recent.reprint')}
              </button>
            ) : null}
            {onRefund !== undefined && line.kind === 'spend' && !line.voided ? (
              <button type="button" className="link" onClick={() => onRefund(line)}>
                {t('recent.refund')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
