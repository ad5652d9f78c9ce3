/**
 * The settlement of a period as a file for finance: CSV (UTF-8 with a BOM, so Excel opens Chinese text) or
 * XLSX with one sheet per table. Amounts stay integer fen, as everywhere in the chain; the headers say so.
 */
import ExcelJS from 'exceljs';
import type { Settlement } from './settlement';

export const STORE_COLUMNS = ['section', 'store_id', 'kind', 'count', 'principal_fen', 'bonus_fen'] as const;
export const INTER_STORE_COLUMNS = [
  'section',
  'issuer_store_id',
  'acting_store_id',
  'redeemed_principal_fen',
  'redeemed_bonus_fen',
  'loaded_principal_fen',
  'loaded_bonus_fen',
  'issuer_owes_fen',
] as const;

type Cell = string | number;

function storeRows(settlement: Settlement): Cell[][] {
  return settlement.stores.map((line) => [
    'store',
    line.storeId,
    line.kind,
    line.count,
    line.principalFen,
    line.bonusFen,
  ]);
}

function interStoreRows(settlement: Settlement): Cell[][] {
  return settlement.interStore.map((line) => [
    'inter_store',
    line.issuerStoreId,
    line.actingStoreId,
    line.redeemedPrincipalFen,
    line.redeemedBonusFen,
    line.loadedPrincipalFen,
    line.loadedBonusFen,
    line.issuerOwesFen,
  ]);
}

function csvCell(value: Cell): string {
  const text = String(value);
  // A leading = + - @ would be read as a formula by a spreadsheet: quote it with a leading apostrophe.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function settlementFileName(settlement: Settlement, extension: 'csv' | 'xlsx'): string {
  return `settlement_${settlement.period.from}_${settlement.period.to}.${extension}`;
}

/** Both tables in one file, each under its own header line, with the period on the first line. */
export function settlementCsv(settlement: Settlement): string {
  return (
    '\ufeff' +
    csvLine(['period', settlement.period.from, settlement.period.to]) +
    csvLine(STORE_COLUMNS) +
    storeRows(settlement).map(csvLine).join('') +
    csvLine(INTER_STORE_COLUMNS) +
    interStoreRows(settlement).map(csvLine).join('')
  );
}

export async function settlementXlsx(settlement: Settlement): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const stores = workbook.addWorksheet('stores');
  stores.addRow(['period', settlement.period.from, settlement.period.to]);
  stores.addRow([...STORE_COLUMNS]);
  for (const row of storeRows(settlement)) stores.addRow(row);
  const inter = workbook.addWorksheet('inter_store');
  inter.addRow(['period', settlement.period.from, settlement.period.to]);
  inter.addRow([...INTER_STORE_COLUMNS]);
  for (const row of interStoreRows(settlement)) inter.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
