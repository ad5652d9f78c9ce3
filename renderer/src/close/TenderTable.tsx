/**
 * A Z report's lines by tender (in, out, net), as the day close and the daily report both show them. The table
 * is named by its caption, or by `label` where a heading above it already says what it is.
 */
import type { ZReportView } from '../../../electron/contract/index';
import type { MessageKey } from '../i18n/messages';
import type { T } from '../i18n/use-t';
import { formatFen } from '../money';

export const TENDER_WORDS: Record<string, MessageKey> = {
  cash: 'tender.cash',
  wechat: 'tender.wechat',
  alipay: 'tender.alipay',
  unionpay: 'tender.unionpay',
  bank_transfer: 'tender.bank_transfer',
};

export function TenderTable({
  lines,
  t,
  caption,
  label,
}: {
  lines: ZReportView['store']['byTender'];
  t: T;
  caption?: string;
  label?: string;
}) {
  return (
    <table className="close-table" aria-label={caption === undefined ? label : undefined}>
      {caption === undefined ? null : <caption>{caption}</caption>}
      <thead>
        <tr>
          <th>{t('day.tender')}</th>
          <th className="num">{t('day.count')}</th>
          <th className="num">{t('day.in')}</th>
          <th className="num">{t('day.out')}</th>
          <th className="num">{t('day.net')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.tender}>
            <td>{TENDER_WORDS[line.tender] === undefined ? line.tender : t(TENDER_WORDS[line.tender]!)}</td>
            <td className="num">{line.count}</td>
            <td className="num">{formatFen(line.inFen)}</td>
            <td className="num">{formatFen(line.outFen)}</td>
            <td className="num">{formatFen(line.netFen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
