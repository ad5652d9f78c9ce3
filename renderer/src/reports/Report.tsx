/**
 * One report on the reports screen: its title and definition, its chart beside its table, and an export of
 * that table as CSV (amounts as yuan with two decimals).
 */
import { type ReactNode, useId } from 'react';
import { call } from '../api/client';
import { downloadCsv } from '../close/download';
import type { T } from '../i18n/use-t';

export type Row = ReadonlyArray<string | number | null>;

export function Report({
  id,
  title,
  chart,
  header,
  rows,
  t,
  fileName,
  csvHeader,
  csvRows,
  definition,
  wide = false,
}: {
  /** Chart above a full-width table, for tables with many columns. */
  wide?: boolean;
  id: string;
  title: string;
  /** What the figures mean, shown under the title, so two screens' figures are never read as one. */
  definition?: string;
  chart: ReactNode;
  header: readonly string[];
  rows: readonly Row[];
  t: T;
  fileName: string;
  /** The export's columns when they differ from the table's (counts and amounts in columns of their own). */
  csvHeader?: readonly string[];
  csvRows: readonly Row[];
}) {
  // The section and its table are both named by the title, so each is found by it.
  const heading = useId();
  return (
    <section
      className={`close-panel report${wide ? ' wide' : ''}`}
      aria-labelledby={heading}
      data-testid={`report-${id}`}
    >
      <header className="report-head">
        <h2 id={heading}>{title}</h2>
        <button
          type="button"
          className="no-print"
          onClick={() => {
            downloadCsv(fileName, csvHeader ?? header, csvRows);
            // Every export is on the audit log; a failed note must not take the file away from the manager.
            call('reports.exported', { report: id, rows: csvRows.length }).catch(() => {});
          }}
        >
          {t('reports.export')}
        </button>
      </header>
      {definition === undefined ? null : <p className="muted">{definition}</p>}
      <div className="report-body">
        <div className="report-chart">
          {rows.length === 0 ? <p className="muted">{t('reports.empty')}</p> : chart}
        </div>
        <div className="report-table">
          <table className="close-table" aria-labelledby={heading}>
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
                <tr key={`${id}-${String(row[0])}-${r}`} data-testid={`report-${id}-row`}>
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
