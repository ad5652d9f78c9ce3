/**
 * Exports for the manager: the operations journal of a range of business days (up to millions of rows) and
 * the Z report, as CSV and as XLSX. Rows are read in pages by sequence number and written through streams
 * that are allowed to drain between pages, so memory stays flat whatever the row count, and the database
 * handle is free for the counter between pages (an open SQLite iterator would hold it for the whole export).
 *
 * Amounts stay integer fen in the export, as in the ledger; the column headers say so.
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { formatFen } from '../../common/money';
import type { OperationRow } from '../rows';
import type { Ledger } from '../types';
import { CloseError } from './errors';
import type { Figures } from './figures';
import type { RollForward, Section, ZReport } from './z-report';

export interface ExportProgress {
  rows: number;
  total: number;
}

export interface OperationsExport {
  storeId: string;
  /** First and last business day, inclusive, YYYY-MM-DD. */
  fromDay: string;
  toDay: string;
  /** File to write. */
  path: string;
  onProgress?: (progress: ExportProgress) => void;
  /** Rows read per page (default 5,000). */
  pageSize?: number;
}

export const OPERATION_COLUMNS = [
  'operation_id',
  'business_day',
  'created_at_utc',
  'kind',
  'card_id',
  'staff_id',
  'terminal_id',
  'tender',
  'amount_fen',
  'principal_fen',
  'bonus_fen',
  'points',
  'target_operation_id',
  'memo',
] as const;

type OperationCells = [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  number,
  number,
  number,
  string,
  string,
];

/** One operation as the export reads it: the columns its sheet shows. */
type PageRow = Pick<
  OperationRow,
  | 'seq'
  | 'id'
  | 'business_day'
  | 'created_at'
  | 'kind'
  | 'card_id'
  | 'staff_id'
  | 'terminal_id'
  | 'tender'
  | 'amount_fen'
  | 'principal_fen'
  | 'bonus_fen'
  | 'points'
  | 'target_operation_id'
  | 'memo'
>;

function cells(row: PageRow): OperationCells {
  return [
    row.id,
    row.business_day,
    new Date(row.created_at).toISOString(),
    row.kind,
    row.card_id ?? '',
    row.staff_id,
    row.terminal_id,
    row.tender ?? '',
    row.amount_fen,
    row.principal_fen,
    row.bonus_fen,
    row.points,
    row.target_operation_id ?? '',
    row.memo ?? '',
  ];
}

/**
 * One CSV field. Quoted when it holds a separator, quote or line break; text that a spreadsheet would
 * run as a formula (=, +, -, @ first) is prefixed with an apostrophe so a memo cannot become one.
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(values: ReadonlyArray<string | number>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Pages of a store's operations between two business days, in sequence order. */
function* pages(ledger: Ledger, input: OperationsExport): Generator<PageRow[], void, void> {
  const db = ledger.sqlite;
  const span = db
    .prepare<[string, string, string], { first: number | null; last: number | null }>(
      `SELECT MIN(seq) AS first, MAX(seq) AS last FROM operations
       WHERE business_day >= ? AND business_day <= ? AND store_id = ?`,
    )
    .get(input.fromDay, input.toDay, input.storeId);
  if (!span || span.first === null || span.last === null) return;
  const page = db.prepare<[number, number, string, string, string, number], PageRow>(
    `SELECT seq, id, business_day, created_at, kind, card_id, staff_id, terminal_id, tender, amount_fen,
            principal_fen, bonus_fen, points, target_operation_id, memo
     FROM operations
     WHERE seq >= ? AND seq <= ? AND business_day >= ? AND business_day <= ? AND store_id = ?
     ORDER BY seq LIMIT ?`,
  );
  const size = input.pageSize ?? 5_000;
  let from = span.first;
  for (;;) {
    const rows = page.all(from, span.last, input.fromDay, input.toDay, input.storeId, size);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < size) return;
    from = rows[rows.length - 1]!.seq + 1;
  }
}

function countOf(ledger: Ledger, input: OperationsExport): number {
  const row = ledger.sqlite
    .prepare<[string, string, string], { n: number }>(
      'SELECT COUNT(*) AS n FROM operations WHERE business_day >= ? AND business_day <= ? AND store_id = ?',
    )
    .get(input.fromDay, input.toDay, input.storeId);
  return row?.n ?? 0;
}

async function write(stream: WriteStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function finish(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'close');
}

function failed(path: string, cause: unknown): CloseError {
  return new CloseError('EXPORT_FAILED', `could not write the export to ${path}`, {
    cause,
    details: { path },
  });
}

/** The operations of a range of days as CSV (UTF-8 with a byte-order mark, so spreadsheets read Chinese). */
export async function exportOperationsCsv(ledger: Ledger, input: OperationsExport): Promise<ExportProgress> {
  const total = countOf(ledger, input);
  const stream = createWriteStream(input.path);
  const error = new Promise<never>((_, reject) =>
    stream.once('error', (cause) => reject(failed(input.path, cause))),
  );
  error.catch(() => undefined);
  const work = (async () => {
    await write(stream, `\ufeff${csvLine(OPERATION_COLUMNS)}`);
    let rows = 0;
    input.onProgress?.({ rows, total });
    for (const page of pages(ledger, input)) {
      let chunk = '';
      for (const row of page) chunk += csvLine(cells(row));
      await write(stream, chunk);
      rows += page.length;
      input.onProgress?.({ rows, total });
    }
    await finish(stream);
    return { rows, total };
  })();
  return Promise.race([work, error]);
}

/** Bytes a writable holds that its consumer has not taken yet (readable-stream 2 has no writableLength). */
function buffered(pipe: unknown): number {
  const stream = pipe as { writableLength?: number; _writableState?: { length?: number } };
  return stream.writableLength ?? stream._writableState?.length ?? 0;
}

const SHEET_BUFFER_LIMIT = 4 * 1024 * 1024;

/**
 * exceljs writes a sheet's XML into the zip entry without waiting for the compressor, so a fast producer
 * piles the uncompressed sheet up in memory (hundreds of MB for a million rows). Between pages the export
 * waits until the zip entry has taken what was written; the check falls back to a short pause if the
 * entry's stream does not say how much it holds.
 */
async function sheetDrained(sheet: ExcelJS.Worksheet): Promise<void> {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes ?? [];
  for (const pipe of pipes) {
    while (buffered(pipe) > SHEET_BUFFER_LIMIT) {
      await Promise.race([
        once(pipe as NodeJS.EventEmitter, 'drain'),
        new Promise<void>((resolve) => setTimeout(resolve, 50)),
      ]);
    }
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The operations of a range of days as an XLSX workbook, written by exceljs's streaming writer. */
export async function exportOperationsXlsx(ledger: Ledger, input: OperationsExport): Promise<ExportProgress> {
  const total = countOf(ledger, input);
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: input.path,
      useStyles: false,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet('operations');
    sheet.addRow([...OPERATION_COLUMNS]).commit();
    let rows = 0;
    input.onProgress?.({ rows, total });
    for (const page of pages(ledger, input)) {
      for (const row of page) sheet.addRow(cells(row)).commit();
      rows += page.length;
      input.onProgress?.({ rows, total });
      await sheetDrained(sheet);
    }
    sheet.commit();
    await workbook.commit();
    return { rows, total };
  } catch (cause) {
    throw failed(input.path, cause);
  }
}

// ---------- the Z report itself ----------

const ROLL_LINES: ReadonlyArray<[keyof RollForward, string]> = [
  ['openingFen', 'opening'],
  ['topUpsFen', 'top-ups'],
  ['bonusIssuedFen', 'bonus issued'],
  ['chargesFen', 'charges'],
  ['refundsFen', 'refunds to cards'],
  ['withdrawalsFen', 'withdrawals'],
  ['voidsFen', 'voids'],
  ['transfersFen', 'card transfers'],
  ['cardFeesFen', 'card fees'],
  ['expiryFen', 'expiry'],
  ['otherFen', 'other'],
  ['closingFen', 'closing (journal)'],
  ['ledgerClosingFen', 'closing (ledger balances)'],
  ['differenceFen', 'difference'],
];

function sectionRows(scope: string, section: Section): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = [];
  for (const line of section.byKind) {
    rows.push([scope, 'operation', line.line, line.count, line.amountFen, line.principalFen, line.bonusFen]);
  }
  for (const line of section.byTender) {
    rows.push([scope, 'tender in', line.tender, line.count, line.inFen, '', '']);
    rows.push([scope, 'tender out', line.tender, line.count, line.outFen, '', '']);
  }
  for (const line of section.drawer) rows.push([scope, 'drawer', line.kind, line.count, line.netFen, '', '']);
  return rows;
}

export const Z_REPORT_COLUMNS = [
  'scope',
  'section',
  'line',
  'count',
  'amount_fen',
  'principal_fen',
  'bonus_fen',
];

const FIGURE_LINES = [
  ['topUps', 'top_up'],
  ['charges', 'spend'],
  ['refunds', 'refund'],
] as const;

/** The day's figures (figures.ts) as rows: each kind gross, voided and net, with its bonus part. */
function figureRows(figures: Figures): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = [];
  for (const [field, line] of FIGURE_LINES) {
    for (const part of ['gross', 'voided', 'net'] as const) {
      const tally = figures[field][part];
      rows.push(['store', 'figure', `${line} ${part}`, tally.count, tally.amountFen, '', tally.bonusFen]);
    }
  }
  return rows;
}

/** The Z report as a table: store lines, the figures, each cashier's lines, the roll-forward and the shifts. */
export function zReportRows(report: ZReport): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = [
    ['store', 'report', report.closedAt === null ? 'X (day open)' : 'Z (day closed)', '', '', '', ''],
    ['store', 'business day', report.businessDay, '', '', '', ''],
    ...sectionRows('store', report.store),
    ...(report.figures === undefined ? [] : figureRows(report.figures)),
  ];
  for (const cashier of report.byCashier)
    rows.push(...sectionRows(`cashier ${cashier.staffId} ${cashier.name}`, cashier));
  for (const [field, label] of ROLL_LINES) {
    rows.push([
      'store',
      'liability',
      label,
      '',
      report.liability.principal[field] + report.liability.bonus[field],
      report.liability.principal[field],
      report.liability.bonus[field],
    ]);
  }
  for (const shift of report.shifts) {
    rows.push([`shift ${shift.shiftId}`, 'shift', 'float', '', shift.floatFen, '', '']);
    rows.push([`shift ${shift.shiftId}`, 'shift', 'expected', '', shift.expectedFen ?? '', '', '']);
    rows.push([`shift ${shift.shiftId}`, 'shift', 'counted', '', shift.countedFen ?? '', '', '']);
    rows.push([
      `shift ${shift.shiftId}`,
      'shift',
      `variance: ${shift.varianceReason ?? ''}`,
      '',
      shift.varianceFen ?? '',
      '',
      '',
    ]);
  }
  return rows;
}

export function zReportCsv(report: ZReport): string {
  return `\ufeff${csvLine(Z_REPORT_COLUMNS)}${zReportRows(report).map(csvLine).join('')}`;
}

export async function exportZReportXlsx(report: ZReport, path: string): Promise<void> {
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: path,
      useStyles: false,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet(`Z ${report.businessDay}`);
    sheet.addRow(Z_REPORT_COLUMNS).commit();
    for (const row of zReportRows(report)) sheet.addRow(row).commit();
    sheet.commit();
    await workbook.commit();
  } catch (cause) {
    throw failed(path, cause);
  }
}

function yuan(fen: number): string {
  return formatFen(fen, { symbol: '', grouped: false });
}

function pair(label: string, value: string, width: number): string {
  const room = Math.max(1, width - value.length);
  return label.length >= room ? `${label.slice(0, room - 1)} ${value}` : label.padEnd(room) + value;
}

/**
 * The Z report as receipt lines (plain text, one string per printed line, `width` columns), for the host's
 * printer queue. Labels are ASCII so the column arithmetic holds on any code page.
 */
export function zReportReceipt(report: ZReport, width = 32): string[] {
  const rule = '-'.repeat(width);
  const lines = [
    report.closedAt === null ? 'X REPORT (DAY OPEN)' : 'Z REPORT',
    `Store ${report.storeId}`,
    `Business day ${report.businessDay}`,
    rule,
  ];
  for (const line of report.store.byKind) {
    if (line.count === 0) continue;
    lines.push(pair(`${line.line} x${line.count}`, yuan(line.amountFen), width));
    if (line.line === 'spend' || line.line === 'refund') {
      lines.push(pair('  principal', yuan(line.principalFen), width));
      lines.push(pair('  bonus', yuan(line.bonusFen), width));
    }
  }
  lines.push(rule);
  for (const line of report.store.byTender) {
    if (line.count === 0) continue;
    lines.push(pair(`${line.tender} x${line.count}`, yuan(line.netFen), width));
  }
  lines.push(rule);
  for (const part of ['principal', 'bonus'] as const) {
    const r = report.liability[part];
    lines.push(part === 'principal' ? 'LIABILITY PRINCIPAL' : 'LIABILITY BONUS');
    for (const [field, label] of ROLL_LINES) {
      if (r[field] === 0 && field !== 'openingFen' && field !== 'closingFen' && field !== 'differenceFen')
        continue;
      lines.push(pair(label, yuan(r[field]), width));
    }
  }
  lines.push(rule);
  for (const shift of report.shifts) {
    lines.push(`Shift ${shift.shiftId}`);
    lines.push(pair('  expected', shift.expectedFen === null ? '-' : yuan(shift.expectedFen), width));
    lines.push(pair('  counted', shift.countedFen === null ? '-' : yuan(shift.countedFen), width));
    lines.push(pair('  variance', shift.varianceFen === null ? '-' : yuan(shift.varianceFen), width));
  }
  lines.push(report.balanced ? 'BALANCED' : 'DIFFERENCE FOUND - SEE LIABILITY');
  return lines;
}
