/**
 * The manager's reports: top-up and charge trends by day, week or month; busy hours as weekday × hour; tiers;
 * value and behaviour segments; the churn-warning list; top members; bonus cost per promotion rule. Each chart
 * has its table beside it and an export of that table as CSV.
 */
import { type ReactNode, useEffect, useState } from 'react';
import type { AnalyticsView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { BarChart, HeatMap, LineChart } from '../close/charts';
import { downloadCsv, yuan } from '../close/download';
import { ErrorNote } from '../components/ErrorNote';
import type { MessageKey } from '../i18n/messages';
import { type T, useT } from '../i18n/use-t';
import { formatFen } from '../money';

type Granularity = 'daily' | 'weekly' | 'monthly';
type Row = ReadonlyArray<string | number | null>;

function Report({
  id,
  title,
  chart,
  header,
  rows,
  t,
  fileName,
  csvRows,
  definition,
}: {
  id: string;
  title: string;
  /** What the figures mean, shown under the title, so two screens' figures are never read as one. */
  definition?: string;
  chart: ReactNode;
  header: readonly string[];
  rows: readonly Row[];
  t: T;
  fileName: string;
  /** The exported figures: amounts as yuan with two decimals rather than as shown. */
  csvRows: readonly Row[];
}) {
  return (
    <section className="close-panel report" data-testid={`report-${id}`}>
      <header className="report-head">
        <h2>{title}</h2>
        <button
          type="button"
          data-testid={`report-${id}-export`}
          onClick={() => {
            downloadCsv(fileName, header, csvRows);
            // Every export is on the audit log; a failed note must not take the file away from the manager.
            call('reports.exported', { report: id, rows: csvRows.length }).catch(() => {});
          }}
        >
          {t('reports.export')}
        </button>
      </header>
      {definition === undefined ? null : (
        <p className="muted" data-testid={`report-${id}-definition`}>
          {definition}
        </p>
      )}
      <div className="report-body">
        <div className="report-chart">
          {rows.length === 0 ? <p className="muted">{t('reports.empty')}</p> : chart}
        </div>
        <div className="report-table">
          <table className="close-table">
            <thead>
              <tr>
                {header.map((h) => (
                  <th key={h}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, r) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are recomputed whole; their order is their identity
                <tr key={`${id}-${String(row[0])}-${r}`}>
                  {row.map((cell, c) => (
                    <td key={header[c]} className={typeof cell === 'number' ? 'num' : ''}>
                      {cell ?? ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

function date(at: number | null): string {
  return at === null ? '' : new Date(at).toISOString().slice(0, 10);
}

export function ReportsScreen() {
  const t = useT();
  const [data, setData] = useState<AnalyticsView | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [granularity, setGranularity] = useState<Granularity>('daily');

  useEffect(() => {
    call('reports.analytics', {})
      .then(setData)
      .catch((error) => setFailure(asFailure(error)));
  }, []);

  if (data === null) {
    return (
      <section className="close-screen" data-testid="reports-screen">
        <ErrorNote failure={failure} />
        {failure === null && <p className="muted">{t('reports.loading')}</p>}
      </section>
    );
  }

  const trend = data[granularity];
  const fen = (value: number) => formatFen(value);
  const valueWords: Record<string, MessageKey> = {
    high: 'reports.segment.high',
    middle: 'reports.segment.middle',
    low: 'reports.segment.low',
    active: 'reports.segment.active',
    potential: 'reports.segment.potential',
    lapsing: 'reports.segment.lapsing',
    lost: 'reports.segment.lost',
  };
  const segments = [
    ...Object.entries(data.segments.value).map(
      ([k, n]) => [t('reports.segment.value'), t(valueWords[k]!), n] as const,
    ),
    ...Object.entries(data.segments.behaviour).map(
      ([k, n]) => [t('reports.segment.behaviour'), t(valueWords[k]!), n] as const,
    ),
  ];
  const weekdayWords = data.busyHours.weekdays.map((d) => t(`reports.weekday.${d}` as MessageKey));

  return (
    <section className="close-screen" data-testid="reports-screen">
      <ErrorNote failure={failure} />
      <p className="muted">{t('reports.asOf', { day: data.asOf })}</p>

      <Report
        id="trends"
        t={t}
        title={t('reports.trends')}
        definition={t('reports.trendsDefinition')}
        fileName={`trends-${granularity}-${data.asOf}.csv`}
        header={[
          t('reports.period'),
          t('reports.topUps'),
          t('reports.topUpAmount'),
          t('reports.bonus'),
          t('reports.charges'),
          t('reports.chargeAmount'),
        ]}
        rows={trend.map((p) => [
          p.period,
          p.topUpCount,
          fen(p.topUpFen),
          fen(p.bonusFen),
          p.chargeCount,
          fen(p.chargeFen),
        ])}
        csvRows={trend.map((p) => [
          p.period,
          p.topUpCount,
          yuan(p.topUpFen),
          yuan(p.bonusFen),
          p.chargeCount,
          yuan(p.chargeFen),
        ])}
        chart={
          <>
            <div className="segmented">
              {(['daily', 'weekly', 'monthly'] as const).map((g) => (
                <button
                  key={g}
                  type="button"
                  aria-pressed={granularity === g}
                  className={granularity === g ? 'selected' : ''}
                  data-testid={`trend-${g}`}
                  onClick={() => setGranularity(g)}
                >
                  {t(`reports.${g}` as MessageKey)}
                </button>
              ))}
            </div>
            <LineChart
              title={t('reports.trends')}
              labels={trend.map((p) => p.period)}
              format={fen}
              series={[
                { name: t('reports.topUpAmount'), values: trend.map((p) => p.topUpFen), tone: 'a' },
                { name: t('reports.chargeAmount'), values: trend.map((p) => p.chargeFen), tone: 'b' },
              ]}
            />
          </>
        }
      />

      <Report
        id="heatmap"
        t={t}
        title={t('reports.busyHours')}
        fileName={`busy-hours-${data.asOf}.csv`}
        header={[t('reports.weekday'), ...Array.from({ length: 24 }, (_, h) => String(h))]}
        rows={weekdayWords.map((d, r) => [d, ...(data.busyHours.counts[r] ?? [])])}
        csvRows={weekdayWords.map((d, r) => [d, ...(data.busyHours.counts[r] ?? [])])}
        chart={<HeatMap title={t('reports.busyHours')} rows={weekdayWords} counts={data.busyHours.counts} />}
      />

      <Report
        id="tiers"
        t={t}
        title={t('reports.tiers')}
        fileName={`tiers-${data.asOf}.csv`}
        header={[t('reports.tier'), t('reports.members')]}
        rows={data.tiers.map((tier) => [tier.tierId === null ? t('tier.none') : tier.name, tier.members])}
        csvRows={data.tiers.map((tier) => [tier.tierId === null ? t('tier.none') : tier.name, tier.members])}
        chart={
          <BarChart
            title={t('reports.tiers')}
            items={data.tiers.map((tier) => ({
              label: tier.tierId === null ? t('tier.none') : tier.name,
              value: tier.members,
            }))}
            format={String}
          />
        }
      />

      <Report
        id="segments"
        t={t}
        title={t('reports.segments')}
        fileName={`segments-${data.asOf}.csv`}
        header={[t('reports.segmentKind'), t('reports.segment'), t('reports.members')]}
        rows={segments}
        csvRows={segments}
        chart={
          <BarChart
            title={t('reports.segments')}
            items={segments.map(([kind, label, n]) => ({ label: `${kind}·${label}`, value: n }))}
            format={String}
          />
        }
      />

      <Report
        id="churn"
        t={t}
        title={t('reports.churn')}
        fileName={`churn-${data.asOf}.csv`}
        header={[
          t('reports.member'),
          t('reports.lastVisit'),
          t('reports.rhythmDays'),
          t('reports.recencyDays'),
          t('reports.overdue'),
        ]}
        rows={data.churn.map((c) => [
          c.name,
          date(c.lastVisitAt),
          c.rhythmDays.toFixed(1),
          c.recencyDays.toFixed(0),
          `×${c.overdueRatio.toFixed(1)}`,
        ])}
        csvRows={data.churn.map((c) => [
          c.name,
          date(c.lastVisitAt),
          c.rhythmDays.toFixed(1),
          c.recencyDays.toFixed(0),
          c.overdueRatio.toFixed(2),
        ])}
        chart={
          <BarChart
            title={t('reports.churn')}
            items={data.churn
              .slice(0, 15)
              .map((c) => ({ label: c.name, value: Math.round(c.overdueRatio * 10) / 10 }))}
            format={(v) => `×${v}`}
          />
        }
      />

      <Report
        id="top"
        t={t}
        title={t('reports.top')}
        fileName={`top-members-${data.asOf}.csv`}
        header={[
          t('reports.member'),
          t('reports.visits'),
          t('reports.chargeAmount'),
          t('reports.topUpAmount'),
          t('reports.lastVisit'),
        ]}
        rows={data.top.map((m) => [m.name, m.visits, fen(m.chargeFen), fen(m.topUpFen), date(m.lastVisitAt)])}
        csvRows={data.top.map((m) => [
          m.name,
          m.visits,
          yuan(m.chargeFen),
          yuan(m.topUpFen),
          date(m.lastVisitAt),
        ])}
        chart={
          <BarChart
            title={t('reports.top')}
            items={data.top.map((m) => ({ label: m.name, value: m.chargeFen }))}
            format={fen}
          />
        }
      />

      <Report
        id="bonus"
        t={t}
        title={t('reports.bonusCost')}
        fileName={`bonus-cost-${data.asOf}.csv`}
        header={[t('reports.rule'), t('reports.topUps'), t('reports.bonus')]}
        rows={data.bonusCost.map((r) => [r.name, r.topUps, fen(r.bonusFen)])}
        csvRows={data.bonusCost.map((r) => [r.name, r.topUps, yuan(r.bonusFen)])}
        chart={
          <BarChart
            title={t('reports.bonusCost')}
            items={data.bonusCost.map((r) => ({ label: r.name, value: r.bonusFen }))}
            format={fen}
          />
        }
      />
    </section>
  );
}
