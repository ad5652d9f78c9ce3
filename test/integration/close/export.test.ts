import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../../db/index';
import {
  type ExportProgress,
  exportOperationsCsv,
  exportOperationsXlsx,
  exportZReportXlsx,
  OPERATION_COLUMNS,
  openBusinessDays,
  zReportCsv,
} from '../../../db/reports/index';
import {
  cashier,
  clock,
  closeAll,
  codeOf,
  DEMO,
  demoLedger,
  manager,
  terminalId,
} from '../../unit/db/support';

const DAY = Date.UTC(2026, 2, 3, 1, 0, 0);
let dir: string;
let ledger: Ledger;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'close-export-'));
  const time = clock(DAY);
  ledger = demoLedger(time).ledger;
  for (let n = 0; n < 120; n += 1) {
    const cardId = n % 2 === 0 ? DEMO.cards.uid.id : DEMO.cards.mifare.id;
    ledger.topUp({
      operationId: `exp-top-${n}`,
      cardId,
      amountFen: 1_000 + n,
      tender: 'wechat',
      bonusFen: n % 3,
      points: 0,
      staffId: cashier,
      terminalId,
    });
    ledger.spend({
      operationId: `exp-spend-${n}`,
      cardId,
      amountFen: 500 + n,
      staffId: cashier,
      terminalId,
      memo: n === 7 ? '=HYPERLINK("x"), "quoted"\nnext' : null,
    });
  }
});

afterAll(() => {
  closeAll();
  rmSync(dir, { recursive: true, force: true });
});

/** A minimal RFC 4180 reader, enough to read back what the export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += ch;
  }
  return rows;
}

describe('exporting the operations journal', () => {
  it('writes every operation of the days to CSV, page by page, reporting progress up to the total', async () => {
    const path = join(dir, 'ops.csv');
    const seen: ExportProgress[] = [];
    const result = await exportOperationsCsv(ledger, {
      storeId: DEMO.storeId,
      fromDay: '2026-03-02',
      toDay: '2026-03-03',
      path,
      pageSize: 50,
      onProgress: (p) => seen.push(p),
    });
    const expected =
      ledger.operationsOf({ businessDay: '2026-03-02' }).length +
      ledger.operationsOf({ businessDay: '2026-03-03' }).length;
    expect(result).toEqual({ rows: expected, total: expected });
    expect(seen[0]).toEqual({ rows: 0, total: expected });
    expect(seen.at(-1)).toEqual({ rows: expected, total: expected });
    expect(seen.map((p) => p.rows)).toEqual([...seen.map((p) => p.rows)].sort((a, b) => a - b));
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([...OPERATION_COLUMNS]);
    expect(rows).toHaveLength(expected + 1);
    const spend = rows.find((r) => r[0] === 'exp-spend-7')!;
    // A memo that looks like a formula is defused; quotes and line breaks survive.
    expect(spend[13]).toBe('\'=HYPERLINK("x"), "quoted"\nnext');
    expect(spend[8]).toBe('507');
    const sum = rows
      .slice(1)
      .filter((r) => r[3] === 'top_up' && r[1] === '2026-03-03')
      .reduce((s, r) => s + Number(r[8]), 0);
    expect(sum).toBe(Array.from({ length: 120 }, (_, n) => 1_000 + n).reduce((a, b) => a + b, 0));
  });

  it('writes the same rows to an XLSX workbook that a spreadsheet reader opens', async () => {
    const path = join(dir, 'ops.xlsx');
    const seen: number[] = [];
    const result = await exportOperationsXlsx(ledger, {
      storeId: DEMO.storeId,
      fromDay: '2026-03-03',
      toDay: '2026-03-03',
      path,
      pageSize: 64,
      onProgress: (p) => seen.push(p.rows),
    });
    expect(result.rows).toBe(240);
    expect(seen.at(-1)).toBe(240);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.getWorksheet('operations')!;
    expect(sheet.rowCount).toBe(241);
    expect(sheet.getRow(1).values).toEqual([undefined, ...OPERATION_COLUMNS]);
    expect(sheet.getRow(2).getCell(1).value).toBe('exp-top-0');
    expect(sheet.getRow(2).getCell(9).value).toBe(1_000);
  });

  it('refuses a file it cannot write with EXPORT_FAILED', async () => {
    const path = join(dir, 'missing-dir', 'ops.csv');
    await expect(
      exportOperationsCsv(ledger, {
        storeId: DEMO.storeId,
        fromDay: '2026-03-03',
        toDay: '2026-03-03',
        path,
      }),
    ).rejects.toMatchObject({ code: 'EXPORT_FAILED' });
    await expect(
      exportOperationsXlsx(ledger, {
        storeId: DEMO.storeId,
        fromDay: '2026-03-03',
        toDay: '2026-03-03',
        path: join(dir, 'missing-dir', 'ops.xlsx'),
      }),
    ).rejects.toMatchObject({ code: 'EXPORT_FAILED' });
  });
});

describe('exporting a Z report', () => {
  it('writes the closed report as CSV and XLSX with the same lines', async () => {
    const days = openBusinessDays(ledger, { now: () => DAY + 3_600_000 * 30 });
    days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-02', managerId: manager });
    const report = days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-03', managerId: manager });
    expect(
      codeOf(() => days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-03', managerId: manager })),
    ).toBe('DAY_ALREADY_CLOSED');
    const csv = parseCsv(zReportCsv(report).slice(1));
    const topUps = csv.find((r) => r[0] === 'store' && r[1] === 'operation' && r[2] === 'top_up')!;
    expect(topUps.slice(3, 5)).toEqual([
      '120',
      String(Array.from({ length: 120 }, (_, n) => 1_000 + n).reduce((a, b) => a + b, 0)),
    ]);
    const difference = csv.find((r) => r[1] === 'liability' && r[2] === 'difference')!;
    expect(difference.slice(4)).toEqual(['0', '0', '0']);
    const path = join(dir, 'z.xlsx');
    await exportZReportXlsx(report, path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(csv.length);
  });
});
