/**
 * The manager's reports for a date range (today, this week, this month, custom): the totals gross, voided and
 * net; top-up and charge trends by day, week or month; busy hours as weekday × hour in the store's zone; top
 * members and bonus cost per promotion rule; as of the range's end, tiers, value and behaviour segments and
 * the churn-warning list; customers' ratings per week and cashier with the low ones to follow up. Each chart
 * (Apache ECharts, loaded with this screen only) sits beside its table and its CSV export; the daily report
 * opens as a page to print or save as PDF.
 */
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { FiguresView, ReportFiguresView, ReportMembersView } from '../../../electron/contract/index';
import { call } from '../api/client';
import { downloadCsv, yuan } from '../close/download';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../hooks/use-command';
import type { MessageKey } from '../i18n/messages';
import { type T, useT } from '../i18n/use-t';
import { formatFen } from '../money';
import { Chart, firstChartDrawn, preloadCharts } from '../reports/Chart';
import { DailyReport } from '../reports/DailyReport';
import { FIGURE_PARTS, FIGURE_ROWS, FiguresTable, figureCell, figureHeader } from '../reports/FiguresTable';
import { barOption, heatmapOption, lineOption } from '../reports/options';
import { RangePicker } from '../reports/RangePicker';
import { RatingsReports } from '../reports/Ratings';
import { Report, type Row } from '../reports/Report';
import { type DayRange, hourLabel } from '../reports/ranges';
import { formatDay } from '../time';

type Granularity = 'daily' | 'weekly' | 'monthly';
/** How long the member sections wait for the first chart before they are asked for anyway. */
const FIRST_CHART_PATIENCE_MS = 1_500;
type TrendPoint = ReportFiguresView['daily'][number];

/** A count and an amount in one cell: `¥64.30（2 笔）`. */
function cell(t: T, count: number, amountFen: number): string {
  return t('reports.cell', { amount: formatFen(amountFen), n: String(count) });
}

/** The totals of the range as CSV rows: each item's gross, voided and net count and amount in yuan. */
function figureCsvRows(t: T, figures: FiguresView): Row[] {
  return FIGURE_ROWS.map(([row, word]) => [
    t(word),
    ...FIGURE_PARTS.flatMap((part) => {
      const c = figureCell(figures, row, part);
      return [c.count, yuan(c.amountFen)];
    }),
  ]);
}

function trendHeader(t: T): string[] {
  const parts = ['gross', 'voided', 'net'] as const;
  return [
    t('reports.period'),
    ...parts.map((part) => `${t('figures.topUps')}·${t(`figures.${part}`)}`),
    `${t('figures.bonus')}·${t('figures.net')}`,
    ...parts.map((part) => `${t('figures.charges')}·${t(`figures.${part}`)}`),
  ];
}

function trendCsvHeader(t: T): string[] {
  const parts = ['gross', 'voided', 'net'] as const;
  const both = (item: string, part: (typeof parts)[number]) => [
    `${item}·${t('figures.countOf', { part: t(`figures.${part}`) })}`,
    `${item}·${t('figures.amountOf', { part: t(`figures.${part}`) })}`,
  ];
  return [
    t('reports.period'),
    ...parts.flatMap((part) => both(t('figures.topUps'), part)),
    `${t('figures.bonus')}·${t('figures.net')}`,
    ...parts.flatMap((part) => both(t('figures.charges'), part)),
  ];
}

export function ReportsScreen() {
  const t = useT();
  const [data, setData] = useState<ReportFiguresView | null>(null);
  const [members, setMembers] = useState<ReportMembersView | null>(null);
  const [daily, setDaily] = useState<string | null>(null);

  const loading = useAction(async (range: DayRange | null) => {
    setMembers(null);
    // The figures come first and draw the first charts; the member sections, which read a year on the host,
    // are asked for once the first chart is on screen, so that year never holds up the first chart.
    const figures = await call('reports.figures', range ?? {});
    const drawn = firstChartDrawn(FIRST_CHART_PATIENCE_MS);
    setData(figures);
    await drawn;
    setMembers(await call('reports.members', { fromDay: figures.fromDay, toDay: figures.toDay }));
  });
  const { failure, pending: busy } = loading;
  const load = (range: DayRange | null) => void loading.run(range);

  // The first answer brings the store's open day and this month's range (the host's default). The charts'
  // library loads meanwhile, not after it.
  useEffect(() => {
    preloadCharts();
    void loading.run(null);
  }, [loading.run]);

  const fromDay = data?.fromDay;
  const toDay = data?.toDay;
  const shown = useMemo(() => ({ fromDay: fromDay ?? '', toDay: toDay ?? '' }), [fromDay, toDay]);

  if (daily !== null) return <DailyReport day={daily} t={t} onClose={() => setDaily(null)} />;

  if (data === null) {
    return (
      <section className="close-screen" aria-label={t('nav.reports')}>
        <ErrorNote failure={failure} />
        {failure === null && <p className="muted">{t('reports.loading')}</p>}
      </section>
    );
  }

  return (
    <section className="close-screen" aria-label={t('nav.reports')}>
      <RangePicker
        today={data.asOf}
        range={{ fromDay: data.fromDay, toDay: data.toDay }}
        onChange={load}
        t={t}
        disabled={busy}
      />
      <ErrorNote failure={failure} />
      <div className="close-panel close-toolbar no-print">
        <p className="muted" role="status">
          {t('reports.rangeShown', { from: data.fromDay, to: data.toDay, zone: data.timeZone })}
        </p>
        <button type="button" onClick={() => setDaily(data.toDay)}>
          {t('reports.printDaily')}
        </button>
      </div>
      <ReportsBody data={data} members={members} t={t} />
      <RatingsReports range={shown} timeZone={data.timeZone} t={t} />
    </section>
  );
}

const VALUE_WORDS: Record<string, MessageKey> = {
  high: 'reports.segment.high',
  middle: 'reports.segment.middle',
  low: 'reports.segment.low',
  active: 'reports.segment.active',
  potential: 'reports.segment.potential',
  lapsing: 'reports.segment.lapsing',
  lost: 'reports.segment.lost',
};

function ReportsBody({
  data,
  members,
  t,
}: {
  data: ReportFiguresView;
  /** Null while the member sections are still being read. */
  members: ReportMembersView | null;
  t: T;
}) {
  const [granularity, setGranularity] = useState<Granularity>('daily');
  const totalsHeading = useId();
  const trend: TrendPoint[] = data[granularity];
  const fen = formatFen;
  const span = `${data.fromDay}_${data.toDay}`;
  const date = (at: number | null) => (at === null ? '' : formatDay(at, data.timeZone));
  const segments = useMemo(
    () => [
      ...Object.entries(members?.segments.value ?? {}).map(
        ([k, n]) => [t('reports.segment.value'), t(VALUE_WORDS[k]!), n] as const,
      ),
      ...Object.entries(members?.segments.behaviour ?? {}).map(
        ([k, n]) => [t('reports.segment.behaviour'), t(VALUE_WORDS[k]!), n] as const,
      ),
    ],
    [members, t],
  );
  const weekdayWords = useMemo(
    () => data.busyHours.weekdays.map((d) => t(`reports.weekday.${d}` as MessageKey)),
    [data, t],
  );
  // One row per hour of the day, all 24 of them, a column per weekday.
  const hourRows = useMemo(
    () =>
      Array.from({ length: 24 }, (_, hour) => [
        hourLabel(hour),
        ...data.busyHours.counts.map((row) => row[hour] ?? 0),
      ]),
    [data],
  );
  const tierName = useCallback(
    (tier: ReportMembersView['tiers'][number]) => (tier.tierId === null ? t('tier.none') : tier.name),
    [t],
  );

  const charts = useMemo(
    () => ({
      totals: barOption({
        labels: [t('figures.topUps'), t('figures.bonus'), t('figures.charges'), t('figures.refunds')],
        series: FIGURE_PARTS.map((part) => ({
          name: t(`figures.${part}`),
          values: FIGURE_ROWS.map(([row]) => figureCell(data.totals, row, part).amountFen),
        })),
        format: fen,
      }),
      trends: lineOption({
        labels: trend.map((p) => p.period),
        format: fen,
        series: [
          { name: `${t('figures.topUps')}·${t('figures.net')}`, values: trend.map((p) => p.topUpFen) },
          { name: `${t('figures.charges')}·${t('figures.net')}`, values: trend.map((p) => p.chargeFen) },
          {
            name: `${t('figures.charges')}·${t('figures.voided')}`,
            values: trend.map((p) => p.figures.charges.voided.amountFen),
          },
        ],
      }),
      heatmap: heatmapOption({
        rows: weekdayWords,
        counts: data.busyHours.counts,
        name: t('reports.daily.operations'),
      }),
      bonus: barOption({
        labels: data.bonusCost.map((r) => r.name),
        series: [{ name: t('reports.bonus'), values: data.bonusCost.map((r) => r.bonusFen) }],
        format: fen,
        horizontal: true,
      }),
    }),
    [data, t, trend, weekdayWords],
  );
  const memberCharts = useMemo(
    () => ({
      tiers: barOption({
        labels: (members?.tiers ?? []).map(tierName),
        series: [{ name: t('reports.members'), values: (members?.tiers ?? []).map((tier) => tier.members) }],
        format: String,
        horizontal: true,
      }),
      segments: barOption({
        labels: segments.map(([kind, label]) => `${kind}·${label}`),
        series: [{ name: t('reports.members'), values: segments.map(([, , n]) => n) }],
        format: String,
        horizontal: true,
      }),
      churn: barOption({
        labels: (members?.churn ?? []).slice(0, 15).map((c) => c.name),
        series: [
          {
            name: t('reports.overdue'),
            values: (members?.churn ?? []).slice(0, 15).map((c) => Math.round(c.overdueRatio * 10) / 10),
          },
        ],
        format: (v) => `×${v}`,
        horizontal: true,
      }),
      top: barOption({
        labels: (members?.top ?? []).map((m) => m.name),
        series: [{ name: t('reports.chargeAmount'), values: (members?.top ?? []).map((m) => m.chargeFen) }],
        format: fen,
        horizontal: true,
      }),
    }),
    [members, t, segments, tierName],
  );

  return (
    <>
      <section className="close-panel report wide" aria-labelledby={totalsHeading}>
        <header className="report-head">
          <h2 id={totalsHeading}>{t('figures.title')}</h2>
          <TotalsExport data={data} t={t} span={span} />
        </header>
        <p className="muted">{t('figures.definition')}</p>
        <div className="report-body">
          <div className="report-chart">
            <Chart option={charts.totals} label={t('figures.title')} />
          </div>
          <div className="report-table">
            <FiguresTable figures={data.totals} t={t} label={t('figures.title')} />
          </div>
        </div>
      </section>

      <Report
        id="trends"
        wide
        t={t}
        title={t('reports.trends')}
        definition={t('reports.trendsDefinition')}
        fileName={`trends-${granularity}-${span}.csv`}
        header={trendHeader(t)}
        rows={trend.map((p) => [
          p.period,
          cell(t, p.figures.topUps.gross.count, p.figures.topUps.gross.amountFen),
          cell(t, p.figures.topUps.voided.count, p.figures.topUps.voided.amountFen),
          cell(t, p.topUpCount, p.topUpFen),
          fen(p.bonusFen),
          cell(t, p.figures.charges.gross.count, p.figures.charges.gross.amountFen),
          cell(t, p.figures.charges.voided.count, p.figures.charges.voided.amountFen),
          cell(t, p.chargeCount, p.chargeFen),
        ])}
        csvHeader={trendCsvHeader(t)}
        csvRows={trend.map((p) => [
          p.period,
          p.figures.topUps.gross.count,
          yuan(p.figures.topUps.gross.amountFen),
          p.figures.topUps.voided.count,
          yuan(p.figures.topUps.voided.amountFen),
          p.topUpCount,
          yuan(p.topUpFen),
          yuan(p.bonusFen),
          p.figures.charges.gross.count,
          yuan(p.figures.charges.gross.amountFen),
          p.figures.charges.voided.count,
          yuan(p.figures.charges.voided.amountFen),
          p.chargeCount,
          yuan(p.chargeFen),
        ])}
        chart={
          <>
            <div className="segmented no-print">
              {(['daily', 'weekly', 'monthly'] as const).map((g) => (
                <button
                  key={g}
                  type="button"
                  aria-pressed={granularity === g}
                  className={granularity === g ? 'selected' : ''}
                  onClick={() => setGranularity(g)}
                >
                  {t(`reports.${g}` as MessageKey)}
                </button>
              ))}
            </div>
            <Chart option={charts.trends} label={t('reports.trends')} />
          </>
        }
      />

      <Report
        id="heatmap"
        t={t}
        title={t('reports.busyHours')}
        fileName={`busy-hours-${span}.csv`}
        header={[t('reports.daily.hour'), ...weekdayWords]}
        rows={hourRows}
        csvRows={hourRows}
        chart={<Chart option={charts.heatmap} label={t('reports.busyHours')} height={300} />}
      />

      <Report
        id="bonus"
        t={t}
        title={t('reports.bonusCost')}
        fileName={`bonus-cost-${span}.csv`}
        header={[t('reports.rule'), t('reports.topUps'), t('reports.bonus')]}
        rows={data.bonusCost.map((r) => [r.name, r.topUps, fen(r.bonusFen)])}
        csvRows={data.bonusCost.map((r) => [r.name, r.topUps, yuan(r.bonusFen)])}
        chart={<Chart option={charts.bonus} label={t('reports.bonusCost')} />}
      />

      {members === null ? (
        <p className="muted" role="status">
          {t('reports.loading')}
        </p>
      ) : (
        <>
          <Report
            id="top"
            t={t}
            title={t('reports.top')}
            fileName={`top-members-${span}.csv`}
            header={[
              t('reports.member'),
              t('reports.visits'),
              t('reports.chargeAmount'),
              t('reports.topUpAmount'),
              t('reports.lastVisit'),
            ]}
            rows={members.top.map((m) => [
              m.name,
              m.visits,
              fen(m.chargeFen),
              fen(m.topUpFen),
              date(m.lastVisitAt),
            ])}
            csvRows={members.top.map((m) => [
              m.name,
              m.visits,
              yuan(m.chargeFen),
              yuan(m.topUpFen),
              date(m.lastVisitAt),
            ])}
            chart={<Chart option={memberCharts.top} label={t('reports.top')} />}
          />

          <p className="muted">{t('reports.asOfRangeEnd', { day: members.asOf })}</p>

          <Report
            id="tiers"
            t={t}
            title={t('reports.tiers')}
            fileName={`tiers-${members.asOf}.csv`}
            header={[t('reports.tier'), t('reports.members')]}
            rows={members.tiers.map((tier) => [tierName(tier), tier.members])}
            csvRows={members.tiers.map((tier) => [tierName(tier), tier.members])}
            chart={<Chart option={memberCharts.tiers} label={t('reports.tiers')} />}
          />

          <Report
            id="segments"
            t={t}
            title={t('reports.segments')}
            fileName={`segments-${members.asOf}.csv`}
            header={[t('reports.segmentKind'), t('reports.segment'), t('reports.members')]}
            rows={segments}
            csvRows={segments}
            chart={<Chart option={memberCharts.segments} label={t('reports.segments')} />}
          />

          <Report
            id="churn"
            t={t}
            title={t('reports.churn')}
            fileName={`churn-${members.asOf}.csv`}
            header={[
              t('reports.member'),
              t('reports.lastVisit'),
              t('reports.rhythmDays'),
              t('reports.recencyDays'),
              t('reports.overdue'),
            ]}
            rows={members.churn.map((c) => [
              c.name,
              date(c.lastVisitAt),
              c.rhythmDays.toFixed(1),
              c.recencyDays.toFixed(0),
              `×${c.overdueRatio.toFixed(1)}`,
            ])}
            csvRows={members.churn.map((c) => [
              c.name,
              date(c.lastVisitAt),
              c.rhythmDays.toFixed(1),
              c.recencyDays.toFixed(0),
              c.overdueRatio.toFixed(2),
            ])}
            chart={<Chart option={memberCharts.churn} label={t('reports.churn')} />}
          />
        </>
      )}
    </>
  );
}

/** The totals table's CSV: one row per item, each part's count and amount in columns of their own. */
function TotalsExport({ data, t, span }: { data: ReportFiguresView; t: T; span: string }) {
  return (
    <button
      type="button"
      className="no-print"
      onClick={() => {
        const rows = figureCsvRows(t, data.totals);
        downloadCsv(`totals-${span}.csv`, figureHeader(t), rows);
        call('reports.exported', { report: 'totals', rows: rows.length }).catch(() => {});
      }}
    >
      {t('reports.export')}
    </button>
  );
}
