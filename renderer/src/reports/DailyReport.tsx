/**
 * The daily report as a page of its own, laid out for A4: the day's totals gross, voided and net, its tenders
 * from the day close report, and its operations hour by hour, with times in the store's zone. 打印 opens the
 * browser's print dialog, where Chromium also saves it as PDF; the print stylesheet leaves the navigation and
 * buttons off the paper.
 */
import { useEffect, useId, useState } from 'react';
import type { CommandOutput, ReportFiguresView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { TenderTable } from '../close/TenderTable';
import { ErrorNote } from '../components/ErrorNote';
import type { T } from '../i18n/use-t';
import { formatTime } from '../time';
import { FiguresTable } from './FiguresTable';
import { hourLabel } from './ranges';

export function DailyReport({ day, t, onClose }: { day: string; t: T; onClose: () => void }) {
  const [data, setData] = useState<ReportFiguresView | null>(null);
  const [z, setZ] = useState<CommandOutput<'day.report'> | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [generatedAt] = useState(() => Date.now());
  const title = useId();

  useEffect(() => {
    call('reports.figures', { fromDay: day, toDay: day })
      .then(setData)
      .catch((error) => setFailure(asFailure(error)));
    // The tenders come from the day close report; a role that may read reports but not close days goes without.
    call('day.report', { businessDay: day })
      .then(setZ)
      .catch(() => setZ(null));
  }, [day]);

  const hours =
    data === null
      ? []
      : Array.from({ length: 24 }, (_, hour) =>
          data.busyHours.counts.reduce((sum, row) => sum + (row[hour] ?? 0), 0),
        );

  return (
    <section className="close-screen daily-report" aria-label={t('nav.reports')}>
      <div className="close-toolbar no-print">
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('reports.daily.print')}
        </button>
        <button type="button" onClick={onClose}>
          {t('reports.daily.close')}
        </button>
      </div>
      <ErrorNote failure={failure} />
      {data !== null && (
        <article className="printable" aria-labelledby={title}>
          <h1 id={title}>{t('reports.daily.title', { day })}</h1>
          <p>
            {t('reports.daily.store', { store: z?.report.storeName ?? '', zone: data.timeZone })}
            {z !== null &&
              ` · ${t(z.closed ? 'reports.daily.dayState.closed' : 'reports.daily.dayState.open')}`}
          </p>
          <p className="muted">
            {t('reports.daily.generated', { time: formatTime(generatedAt, data.timeZone) })}
          </p>
          <h2>{t('figures.title')}</h2>
          <FiguresTable figures={data.totals} t={t} label={t('figures.title')} />
          <p className="muted">{t('figures.definition')}</p>
          {z !== null && (
            <>
              <h2>{t('reports.daily.tenders')}</h2>
              <TenderTable lines={z.report.store.byTender} t={t} label={t('reports.daily.tenders')} />
            </>
          )}
          <h2>{t('reports.daily.hours')}</h2>
          <table className="close-table daily-hours" aria-label={t('reports.daily.hours')}>
            <thead>
              <tr>
                <th>{t('reports.daily.hour')}</th>
                <th className="num">{t('reports.daily.operations')}</th>
              </tr>
            </thead>
            <tbody>
              {hours.map((n, hour) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the hour of the day is the row's identity
                <tr key={hour}>
                  <td>{hourLabel(hour)}</td>
                  <td className="num">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      )}
    </section>
  );
}
