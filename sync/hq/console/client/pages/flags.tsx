/**
 * What needs a manager at HQ: overdrafts (two stores spent the same balance while one was offline; both
 * operations stand) and rows HQ acknowledged but could not apply. Each is resolved with a note saying what was
 * done; the resolved ones stay listed with who resolved them, when and why.
 */
import { useState } from 'react';
import { get, post, when, yuan } from '../api';
import { ErrorNote, Table, useAction, useConsole, useLoaded } from '../shared';

interface Resolution {
  resolvedAt: number | null;
  resolvedBy: string | null;
  note: string | null;
}

interface Overdraft extends Resolution {
  id: number;
  cardId: string;
  operationId: string;
  storeId: string;
  terminalId: string;
  amountFen: number;
  balanceAfterFen: number;
  detectedAt: number;
}

interface Rejection extends Resolution {
  operationId: string;
  terminalId: string;
  storeId: string;
  seq: number;
  kind: string;
  code: string;
  message: string;
  receivedAt: number;
}

function ResolveCell({ allowed, onResolve }: { allowed: boolean; onResolve: (note: string) => void }) {
  const { t } = useConsole();
  const [note, setNote] = useState('');
  if (!allowed) return null;
  return (
    <span className="actions">
      <input
        aria-label={t('resolutionNote')}
        placeholder={t('resolutionNote')}
        value={note}
        maxLength={500}
        onChange={(e) => setNote(e.target.value)}
      />
      <button type="button" onClick={() => onResolve(note)}>
        {t('resolve')}
      </button>
    </span>
  );
}

function resolvedCells(row: Resolution) {
  return [when(row.resolvedAt), row.resolvedBy ?? '', row.note ?? ''];
}

export function FlagsPage() {
  const { t, user, word } = useConsole();
  const [showResolved, setShowResolved] = useState(false);
  const resolved = showResolved ? '1' : '0';
  const overdrafts = useLoaded(
    () => get<{ overdrafts: Overdraft[] }>(`/admin/overdrafts?resolved=${resolved}`),
    [resolved],
  );
  const rejections = useLoaded(
    () => get<{ rejections: Rejection[] }>(`/admin/rejections?resolved=${resolved}`),
    [resolved],
  );
  const action = useAction();
  const resolveOverdraft = (id: number, note: string) =>
    action.run(async () => {
      await post(`/admin/overdrafts/${id}/resolve`, note.trim() === '' ? {} : { note });
      overdrafts.reload();
    });
  const resolveRejection = (operationId: string, note: string) =>
    action.run(async () => {
      await post(
        `/admin/rejections/${encodeURIComponent(operationId)}/resolve`,
        note.trim() === '' ? {} : { note },
      );
      rejections.reload();
    });
  const resolutionHead = showResolved ? [t('resolvedAt'), t('resolvedBy'), t('resolutionNote')] : [''];
  return (
    <>
      <label className="toggle">
        <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} />
        {t('showResolved')}
      </label>
      <ErrorNote error={action.error} />
      <h2>{t('overdrafts')}</h2>
      <ErrorNote error={overdrafts.error} />
      <Table
        name={t('overdrafts')}
        head={[
          t('card'),
          t('stores'),
          t('terminalId'),
          t('operation'),
          t('spent'),
          t('balanceAfter'),
          t('detected'),
          ...resolutionHead,
        ]}
        rows={(overdrafts.data?.overdrafts ?? []).map((row) => ({
          key: String(row.id),
          cells: [
            row.cardId,
            row.storeId,
            row.terminalId,
            row.operationId,
            yuan(row.amountFen),
            yuan(row.balanceAfterFen),
            when(row.detectedAt),
            ...(showResolved
              ? resolvedCells(row)
              : [
                  <ResolveCell
                    key="resolve"
                    allowed={user.role !== 'support'}
                    onResolve={(note) => resolveOverdraft(row.id, note)}
                  />,
                ]),
          ],
        }))}
      />
      <h2>{t('rejections')}</h2>
      <ErrorNote error={rejections.error} />
      <Table
        name={t('rejections')}
        head={[
          t('operation'),
          t('terminalId'),
          t('seq'),
          t('kind'),
          t('code'),
          t('message'),
          t('at'),
          ...resolutionHead,
        ]}
        rows={(rejections.data?.rejections ?? []).map((row) => ({
          key: row.operationId,
          cells: [
            row.operationId,
            row.terminalId,
            row.seq,
            word('kind', row.kind),
            row.code,
            row.message,
            when(row.receivedAt),
            ...(showResolved
              ? resolvedCells(row)
              : [
                  <ResolveCell
                    key="resolve"
                    allowed
                    onResolve={(note) => resolveRejection(row.operationId, note)}
                  />,
                ]),
          ],
        }))}
      />
    </>
  );
}
