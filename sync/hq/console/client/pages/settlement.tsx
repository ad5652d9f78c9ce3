/**
 * Inter-store settlement for a period of business days: each store's stored-value business split into
 * principal and bonus (the same figures as its tills' Z reports), what each store did on other stores' cards,
 * and what the issuer owes; exported as CSV or Excel for finance.
 */
import { type FormEvent, useState } from 'react';
import { download, get, today, yuan } from '../api';
import { ErrorNote, Table, useAction, useConsole } from '../shared';

interface Settlement {
  period: { from: string; to: string };
  stores: { storeId: string; kind: string; count: number; principalFen: number; bonusFen: number }[];
  interStore: {
    issuerStoreId: string;
    actingStoreId: string;
    redeemedPrincipalFen: number;
    redeemedBonusFen: number;
    loadedPrincipalFen: number;
    loadedBonusFen: number;
    issuerOwesFen: number;
  }[];
}

export function PeriodForm({
  onShow,
  busy,
  children,
}: {
  onShow: (from: string, to: string) => void;
  busy: boolean;
  children?: React.ReactNode;
}) {
  const { t } = useConsole();
  const [from, setFrom] = useState(today());
  const [to, setTo] = useState(today());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onShow(from, to);
  };
  return (
    <form className="inline" onSubmit={submit}>
      <span>{t('period')}</span>
      <label>
        {t('from')}
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
      </label>
      <label>
        {t('to')}
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
      </label>
      <button type="submit" disabled={busy}>
        {t('show')}
      </button>
      {children}
    </form>
  );
}

export function SettlementPage() {
  const { t, word } = useConsole();
  const [settlement, setSettlement] = useState<Settlement | null>(null);
  const action = useAction();
  const query = (period: { from: string; to: string }) =>
    `from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;
  const show = (from: string, to: string) =>
    action.run(async () => setSettlement(await get<Settlement>(`/admin/settlement?${query({ from, to })}`)));
  const exportAs = (extension: 'csv' | 'xlsx') =>
    action.run(async () => {
      if (settlement) await download(`/admin/settlement.${extension}?${query(settlement.period)}`);
    });
  return (
    <>
      <PeriodForm onShow={show} busy={action.busy}>
        {settlement && (
          <>
            <button type="button" onClick={() => exportAs('csv')}>
              {t('exportCsv')}
            </button>
            <button type="button" onClick={() => exportAs('xlsx')}>
              {t('exportXlsx')}
            </button>
          </>
        )}
      </PeriodForm>
      <ErrorNote error={action.error} />
      {settlement && (
        <>
          <h2>
            {t('byStore')} {settlement.period.from} – {settlement.period.to}
          </h2>
          <Table
            name={t('byStore')}
            head={[t('stores'), t('kind'), t('count'), t('principal'), t('bonus')]}
            rows={settlement.stores.map((line) => ({
              key: `${line.storeId}/${line.kind}`,
              cells: [
                line.storeId,
                word('kind', line.kind),
                line.count,
                yuan(line.principalFen),
                yuan(line.bonusFen),
              ],
            }))}
          />
          <h2>{t('interStore')}</h2>
          <Table
            name={t('interStore')}
            head={[
              t('issuer'),
              t('acting'),
              t('redeemedPrincipal'),
              t('redeemedBonus'),
              t('loadedPrincipal'),
              t('loadedBonus'),
              t('issuerOwes'),
            ]}
            rows={settlement.interStore.map((line) => ({
              key: `${line.issuerStoreId}/${line.actingStoreId}`,
              cells: [
                line.issuerStoreId,
                line.actingStoreId,
                yuan(line.redeemedPrincipalFen),
                yuan(line.redeemedBonusFen),
                yuan(line.loadedPrincipalFen),
                yuan(line.loadedBonusFen),
                yuan(line.issuerOwesFen),
              ],
            }))}
          />
        </>
      )}
    </>
  );
}
