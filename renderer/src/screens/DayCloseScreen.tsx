/**
 * The manager's day close (日结): the Z report of a day — by tender and by operation, for the store and per
 * cashier, the shifts with their variances, and the stored-value roll-forward of principal and bonus with any
 * difference shown — closing the day, printing or reprinting the report on the receipt printer, and exporting
 * it (or the day's operations) as CSV or XLSX with a progress bar.
 */

import { useCallback, useEffect, useId, useState } from 'react';
import { ulid } from 'ulid';
import type { CommandOutput, ZReportView } from '../../../electron/contract/index';
import { asFailure, call, on, type PosFailure } from '../api/client';
import { base64Bytes, download } from '../close/download';
import { Panel } from '../close/Panel';
import { TenderTable } from '../close/TenderTable';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../hooks/use-command';
import type { MessageKey } from '../i18n/messages';
import { type T, useT } from '../i18n/use-t';
import { formatFen } from '../money';
import { FiguresTable } from '../reports/FiguresTable';
import { formatTime } from '../time';

type DayStatus = CommandOutput<'day.status'>;
type DayReport = CommandOutput<'day.report'>;
type Section = ZReportView['store'];

const LINE_WORDS: Record<string, MessageKey> = {
  top_up: 'day.line.top_up',
  bonus_issued: 'day.line.bonus_issued',
  spend: 'day.line.spend',
  refund: 'day.line.refund',
  withdraw: 'day.line.withdraw',
  void: 'day.line.void',
  card_fee: 'day.line.card_fee',
  expiry: 'day.line.expiry',
  transfer: 'day.line.transfer',
  float: 'shift.kind.float',
  cash_in: 'shift.kind.cash_in',
  cash_out: 'shift.kind.cash_out',
  cash_drop: 'shift.kind.cash_drop',
  cash_over_short: 'shift.kind.cash_over_short',
};
const ROLL_LINES = [
  'openingFen',
  'topUpsFen',
  'bonusIssuedFen',
  'chargesFen',
  'refundsFen',
  'withdrawalsFen',
  'voidsFen',
  'transfersFen',
  'cardFeesFen',
  'expiryFen',
  'otherFen',
  'closingFen',
  'ledgerClosingFen',
  'differenceFen',
] as const;

function word(t: T, words: Record<string, MessageKey>, key: string): string {
  const found = words[key];
  return found === undefined ? key : t(found);
}

function SectionTables({ section, t }: { section: Section; t: T }) {
  return (
    <div className="z-section">
      <TenderTable lines={section.byTender} t={t} caption={t('day.byTender')} />
      <table className="close-table">
        <caption>{t('day.byKind')}</caption>
        <thead>
          <tr>
            <th>{t('day.operation')}</th>
            <th className="num">{t('day.count')}</th>
            <th className="num">{t('day.amount')}</th>
            <th className="num">{t('day.principal')}</th>
            <th className="num">{t('day.bonus')}</th>
          </tr>
        </thead>
        <tbody>
          {section.byKind.map((line) => (
            <tr key={line.line}>
              <td>{word(t, LINE_WORDS, line.line)}</td>
              <td className="num">{line.count}</td>
              <td className="num">{formatFen(line.amountFen)}</td>
              <td className="num">{formatFen(line.principalFen)}</td>
              <td className="num">{formatFen(line.bonusFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {section.drawer.length > 0 && (
        <table className="close-table">
          <caption>{t('day.drawer')}</caption>
          <tbody>
            {section.drawer.map((line) => (
              <tr key={line.kind}>
                <td>{word(t, LINE_WORDS, line.kind)}</td>
                <td className="num">{line.count}</td>
                <td className="num">{formatFen(line.netFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The calendar day after a business day (both `YYYY-MM-DD`); UTC arithmetic moves only the date. */
function dayAfter(day: string): string {
  const at = Date.parse(`${day}T00:00:00Z`);
  return new Date(at + 86_400_000).toISOString().slice(0, 10);
}

const SHIFT_STATE_WORDS: Record<string, MessageKey> = {
  open: 'shift.state.open',
  counted: 'shift.state.counted',
  closed: 'shift.state.closed',
};

/** Cash the drawer took or paid while no shift was open on its terminal: no count will ever include it. */
function OutsideShifts({
  report,
  name,
  t,
  timeZone,
}: {
  report: ZReportView;
  name: (id: string) => string;
  t: T;
  timeZone: string;
}) {
  const outside = report.outsideShifts;
  if (outside === undefined) return null;
  if (outside.operations.length === 0) {
    return <p className="muted">{t('day.outsideNone')}</p>;
  }
  return (
    <table className="close-table">
      <caption className="variance-short">{t('day.outsideTitle')}</caption>
      <tbody>
        <tr>
          <td colSpan={4}>
            {t('day.outsideHint', {
              n: String(outside.operations.length),
              net: formatFen(outside.netFen),
            })}
          </td>
        </tr>
        {outside.operations.map((o) => (
          <tr key={o.operationId}>
            <td>{formatTime(o.at, timeZone)}</td>
            <td>{word(t, LINE_WORDS, o.kind)}</td>
            <td>
              {o.terminalId} · {name(o.staffId)}
            </td>
            <td className="num">{formatFen(o.netFen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ZReportPanel({ data, t }: { data: DayReport; t: T }) {
  const { report, staffNames, closed, timeZone } = data;
  const name = (id: string | null) => (id === null ? '' : (staffNames[id] ?? id));
  const { principal, bonus } = report.liability;
  return (
    <Panel
      className="close-panel z-report"
      title={`${t(closed ? 'day.zTitle' : 'day.xTitle')} · ${report.businessDay}`}
    >
      <p className="muted">
        {report.storeName}
        {report.closedAt !== null &&
          ` · ${t('day.closedAt', { time: formatTime(report.closedAt, timeZone), name: name(report.closedBy) })}`}
      </p>
      <OutsideShifts report={report} name={(id) => name(id)} t={t} timeZone={timeZone} />
      {report.figures !== undefined && (
        <>
          <h3>{t('figures.title')}</h3>
          <p className="muted">{t('figures.definition')}</p>
          <FiguresTable figures={report.figures} t={t} label={t('figures.title')} />
        </>
      )}
      <p className="muted">{t('day.definition')}</p>
      <Panel className="z-store" level={3} title={t('day.store')}>
        <SectionTables section={report.store} t={t} />
      </Panel>
      {report.byCashier.map((cashier) => (
        <details key={cashier.staffId} className="z-cashier">
          <summary>
            {t('day.cashier')}: {cashier.name} · {t('day.operations', { n: String(cashier.operationCount) })}
          </summary>
          <SectionTables section={cashier} t={t} />
        </details>
      ))}
      <table className="close-table">
        <caption>{t('day.shifts')}</caption>
        <thead>
          <tr>
            <th>{t('shift.cashier')}</th>
            <th className="num">{t('shift.float')}</th>
            <th className="num">{t('shift.expected')}</th>
            <th className="num">{t('shift.counted')}</th>
            <th className="num">{t('shift.variance')}</th>
            <th>{t('shift.reason')}</th>
            <th>{t('day.signedOffBy')}</th>
          </tr>
        </thead>
        <tbody>
          {report.shifts.map((s) => (
            <tr key={s.shiftId}>
              <td>{name(s.cashierId)}</td>
              <td className="num">{formatFen(s.floatFen)}</td>
              <td className="num">{s.expectedFen === null ? '' : formatFen(s.expectedFen)}</td>
              <td className="num">{s.countedFen === null ? '' : formatFen(s.countedFen)}</td>
              <td className={`num ${(s.varianceFen ?? 0) === 0 ? '' : 'variance-short'}`}>
                {s.varianceFen === null ? '' : formatFen(s.varianceFen)}
              </td>
              <td>{s.varianceReason ?? ''}</td>
              <td>
                {name(s.signedOffBy)}
                {s.signedOffBy !== null && s.signedOffBy === s.cashierId && (
                  <span className="variance-short"> · {t('day.selfApproved')}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="close-table">
        <caption>
          {t('day.rollForward')}{' '}
          <span className={report.balanced ? 'ok' : 'variance-short'}>
            {t(report.balanced ? 'day.balanced' : 'day.unbalanced')}
          </span>
        </caption>
        <thead>
          <tr>
            <th />
            <th className="num">{t('day.principal')}</th>
            <th className="num">{t('day.bonus')}</th>
          </tr>
        </thead>
        <tbody>
          {ROLL_LINES.map((line) => (
            <tr
              key={line}
              className={
                line === 'differenceFen' && (principal.differenceFen !== 0 || bonus.differenceFen !== 0)
                  ? 'variance-row'
                  : line === 'closingFen' || line === 'openingFen'
                    ? 'total'
                    : ''
              }
            >
              <td>{t(`day.roll.${line}` as MessageKey)}</td>
              <td className="num">{formatFen(principal[line])}</td>
              <td className="num">{formatFen(bonus[line])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

export function DayCloseScreen() {
  const t = useT();
  const [status, setStatus] = useState<DayStatus | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [report, setReport] = useState<DayReport | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [printed, setPrinted] = useState<string | null>(null);
  const [exporting, setExporting] = useState<{
    id: string;
    rows: number;
    total: number;
    name: string;
  } | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const openShiftsId = useId();

  const refresh = useCallback(async (wanted: string | null) => {
    setFailure(null);
    try {
      const next = await call('day.status', {});
      setStatus(next);
      const chosen = wanted ?? next.openDay;
      setDay(chosen);
      setReport(await call('day.report', { businessDay: chosen }));
    } catch (error) {
      setFailure(asFailure(error));
    }
  }, []);

  useEffect(() => {
    void refresh(null);
  }, [refresh]);

  useEffect(
    () =>
      on('export.progress', (progress) =>
        setExporting((current) =>
          current !== null && current.id === progress.exportId
            ? { ...current, rows: progress.rows, total: progress.total }
            : current,
        ),
      ),
    [],
  );

  const action = useAction((work: () => Promise<void>) => work());
  const { run, pending: busy } = action;

  const exportFile = (content: 'z_report' | 'operations', format: 'csv' | 'xlsx') =>
    run(async () => {
      if (day === null) return;
      const id = ulid();
      setExported(null);
      setExporting({ id, rows: 0, total: 0, name: `${content}.${format}` });
      try {
        const file = await call('day.export', { exportId: id, businessDay: day, content, format });
        download(file.fileName, file.mimeType, base64Bytes(file.base64));
        setExported(file.fileName);
      } finally {
        setExporting(null);
      }
    });

  const days = status === null ? [] : [status.openDay, ...status.closedDays.map((d) => d.businessDay)];
  const closable = report !== null && !report.closed && day === status?.openDay;
  const percent =
    exporting === null ? 0 : exporting.total === 0 ? 0 : Math.round((100 * exporting.rows) / exporting.total);

  return (
    <section className="close-screen" aria-label={t('nav.dayClose')}>
      <ErrorNote failure={failure ?? (confirming ? null : action.failure)} />
      <div className="close-panel close-toolbar">
        <label className="field">
          {t('day.pick')}
          <select
            value={day ?? ''}
            onChange={(event) => {
              setPrinted(null);
              setExported(null);
              void refresh(event.target.value);
            }}
          >
            {[...new Set(days)].map((d) => (
              <option key={d} value={d}>
                {d === status?.openDay ? `${d} · ${t('day.open')}` : d}
              </option>
            ))}
          </select>
        </label>
        {status !== null && status.unclosedShifts.length > 0 && (
          <div className="variance-short">
            <p id={openShiftsId}>{t('day.openShifts', { n: String(status.unclosedShifts.length) })}</p>
            <ul aria-labelledby={openShiftsId}>
              {status.unclosedShifts.map((s) => (
                <li key={s.shiftId}>
                  {t('day.openShiftRow', {
                    terminal: s.terminalId,
                    cashier: s.cashierName,
                    state: word(t, SHIFT_STATE_WORDS, s.state),
                  })}
                </li>
              ))}
            </ul>
          </div>
        )}
        {status !== null && (
          <label className="check">
            <input
              type="checkbox"
              checked={status.loneManagerAllowed}
              disabled={busy}
              onChange={(event) => {
                const loneManagerAllowed = event.target.checked;
                void run(async () => {
                  await call('day.setApprovalPolicy', { loneManagerAllowed });
                  setStatus(await call('day.status', {}));
                });
              }}
            />
            {t('day.loneManager')}
          </label>
        )}
        {closable && (
          <button type="button" className="primary" disabled={busy} onClick={() => setConfirming(true)}>
            {t('day.close')}
          </button>
        )}
        {closable && confirming && (
          <ConfirmDialog
            title={t('day.close')}
            confirmLabel={t('day.closeYes')}
            cancelLabel={t('day.cancel')}
            danger
            pending={busy}
            failure={action.failure}
            onConfirm={() =>
              void run(async () => {
                const closed = await call('day.close', { businessDay: day ?? '' });
                setConfirming(false);
                setReport(closed);
                setStatus(await call('day.status', {}));
              })
            }
            onCancel={() => setConfirming(false)}
          >
            <p>{t('day.closeConfirm', { day: day ?? '' })}</p>
            <p>{t('day.nextDayWarning', { day: dayAfter(day ?? '') })}</p>
          </ConfirmDialog>
        )}
        <button
          type="button"
          disabled={busy || report === null}
          onClick={() =>
            void run(async () => {
              if (day === null) return;
              const result = await call('day.printReport', { printId: ulid(), businessDay: day });
              setPrinted(result.jobId);
            })
          }
        >
          {t(report?.closed === true ? 'day.reprint' : 'day.printX')}
        </button>
        {printed !== null && (
          <span className="ok" role="status">
            {t('day.printed')}
          </span>
        )}
      </div>
      <div className="close-panel close-toolbar">
        {(['z_report', 'operations'] as const).map((content) =>
          (['csv', 'xlsx'] as const).map((format) => (
            <button
              key={`${content}-${format}`}
              type="button"
              disabled={busy || day === null}
              onClick={() => void exportFile(content, format)}
            >
              {t(content === 'z_report' ? 'day.exportZ' : 'day.exportOps', { format: format.toUpperCase() })}
            </button>
          )),
        )}
        {exporting !== null && (
          <progress max={100} value={percent} aria-label={exporting.name}>
            {percent}%
          </progress>
        )}
        {exported !== null && (
          <span className="ok" role="status">
            {t('day.exported', { file: exported })}
          </span>
        )}
      </div>
      {report !== null && <ZReportPanel data={report} t={t} />}
    </section>
  );
}
