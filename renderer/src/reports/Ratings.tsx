/**
 * Customers' ratings on the reports screen, for the range the manager chose: count and average per ISO week
 * and per cashier, and the visits rated 1 or 2 stars listed to follow up (day, operation, cashier, comment).
 * The ratings come from HQ's page (the receipt's QR, brought down with the feed) and from the customer
 * screen; each table exports as CSV like the other reports.
 */
import { useEffect, useMemo, useState } from 'react';
import type { RatingsView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import type { T } from '../i18n/use-t';
import { formatTime } from '../time';
import { Chart } from './Chart';
import { barOption } from './options';
import { Report } from './Report';
import type { DayRange } from './ranges';

const stars = (average: number) => average.toFixed(2);

export function RatingsReports({ range, timeZone, t }: { range: DayRange; timeZone: string; t: T }) {
  const [view, setView] = useState<RatingsView | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  useEffect(() => {
    let current = true;
    setView(null);
    setFailure(null);
    call('reports.ratings', range)
      .then((answer) => current && setView(answer))
      .catch((error) => current && setFailure(asFailure(error)));
    return () => {
      current = false;
    };
  }, [range]);

  const weekChart = useMemo(
    () =>
      barOption({
        labels: (view?.weeks ?? []).map((w) => w.week),
        series: [{ name: t('ratings.average'), values: (view?.weeks ?? []).map((w) => w.average) }],
        format: (v) => v.toFixed(1),
      }),
    [view, t],
  );
  const staffChart = useMemo(
    () =>
      barOption({
        labels: (view?.staff ?? []).map((s) => s.staffName),
        series: [{ name: t('ratings.average'), values: (view?.staff ?? []).map((s) => s.average) }],
        format: (v) => v.toFixed(1),
        horizontal: true,
      }),
    [view, t],
  );

  if (view === null) {
    return failure === null ? (
      <p className="muted" data-testid="ratings-loading">
        {t('reports.loading')}
      </p>
    ) : (
      <ErrorNote failure={failure} />
    );
  }
  const span = `${view.fromDay}_${view.toDay}`;
  const groupHeader = [t('ratings.count'), t('ratings.average'), t('ratings.lowCount')];
  const weekRows = view.weeks.map((w) => [w.week, w.count, stars(w.average), w.low]);
  const staffRows = view.staff.map((s) => [s.staffName, s.count, stars(s.average), s.low]);
  const lowRows = view.low.map((r) => [
    r.businessDay,
    formatTime(r.visitAt, timeZone),
    r.operationId,
    r.staffName,
    r.stars,
    r.comment ?? '',
    t(r.source === 'screen' ? 'ratings.source.screen' : 'ratings.source.receipt'),
  ]);
  return (
    <>
      <p className="muted">
        {t('ratings.summary', {
          n: String(view.all.count),
          average: stars(view.all.average),
          low: String(view.all.low),
        })}
      </p>
      <Report
        id="ratings-weeks"
        t={t}
        title={t('ratings.weeks')}
        definition={t('ratings.definition')}
        fileName={`ratings-weeks-${span}.csv`}
        header={[t('ratings.week'), ...groupHeader]}
        rows={weekRows}
        csvRows={weekRows}
        chart={<Chart option={weekChart} label={t('ratings.weeks')} />}
      />
      <Report
        id="ratings-staff"
        t={t}
        title={t('ratings.staff')}
        fileName={`ratings-staff-${span}.csv`}
        header={[t('ratings.cashier'), ...groupHeader]}
        rows={staffRows}
        csvRows={staffRows}
        chart={<Chart option={staffChart} label={t('ratings.staff')} />}
      />
      <Report
        id="ratings-low"
        wide
        t={t}
        title={t('ratings.low')}
        definition={t('ratings.lowDefinition')}
        fileName={`ratings-low-${span}.csv`}
        header={[
          t('ratings.day'),
          t('ratings.time'),
          t('ratings.operation'),
          t('ratings.cashier'),
          t('ratings.stars'),
          t('ratings.comment'),
          t('ratings.source'),
        ]}
        rows={lowRows}
        csvRows={lowRows}
        chart={null}
      />
    </>
  );
}
