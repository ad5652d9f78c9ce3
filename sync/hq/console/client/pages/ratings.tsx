/**
 * Customers' ratings of their visits (from the QR on charge receipts): per ISO week, store and cashier, and the
 * low ones (1–2 stars) listed for a manager to follow up.
 */
import { get, when } from '../api';
import { ErrorNote, Table, useConsole, useLoaded } from '../shared';

interface RatingsReport {
  groups: {
    storeId: string;
    storeName: string;
    staffId: string;
    staffName: string;
    week: string;
    count: number;
    average: number;
    low: number;
  }[];
  low: {
    operationId: string;
    storeId: string;
    terminalId: string;
    staffName: string;
    stars: number;
    visitAt: number;
    ratedAt: number;
  }[];
}

export function RatingsPage() {
  const { t } = useConsole();
  const ratings = useLoaded(() => get<RatingsReport>('/admin/ratings'), []);
  const data = ratings.data;
  return (
    <>
      <ErrorNote error={ratings.error} />
      {data && (
        <>
          <h2>{t('ratingsByWeek')}</h2>
          <Table
            name={t('ratingsByWeek')}
            head={[
              t('week'),
              t('stores'),
              t('cashier'),
              t('ratingCount'),
              t('ratingAverage'),
              t('ratingLow'),
            ]}
            rows={data.groups.map((row) => ({
              key: `${row.week}/${row.storeId}/${row.staffId}`,
              cells: [
                row.week,
                row.storeName,
                row.staffName || row.staffId,
                row.count,
                row.average.toFixed(2),
                row.low,
              ],
            }))}
          />
          <h2>{t('ratingsLow')}</h2>
          <Table
            name={t('ratingsLow')}
            head={[
              t('ratedAt'),
              t('stars'),
              t('stores'),
              t('terminalId'),
              t('cashier'),
              t('visitAt'),
              t('operation'),
            ]}
            rows={data.low.map((row) => ({
              key: row.operationId,
              cells: [
                when(row.ratedAt),
                '★'.repeat(row.stars),
                row.storeId,
                row.terminalId,
                row.staffName,
                when(row.visitAt),
                row.operationId,
              ],
            }))}
          />
        </>
      )}
    </>
  );
}
