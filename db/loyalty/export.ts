/**
 * The member list for a manager, as CSV or XLSX, written in pages by rowid so memory stays flat and the
 * database is free for the counter between pages. Phone numbers are the ledger's mask, never the number;
 * names are the member registry's (decrypted, through `names`), as the manager sees them on screen;
 * amounts are integer fen, as in the ledger. (The operations journal has its own export in db/reports.)
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { csvField } from '../reports/export';
import type { Ledger, MemberNames } from '../types';

export const MEMBER_COLUMNS = [
  'member_id',
  'name',
  'phone_masked',
  'tier_id',
  'created_at_utc',
  'deleted',
  'cards',
  'principal_fen',
  'bonus_fen',
  'points',
] as const;

export interface MembersExport {
  storeId: string;
  path: string;
  pageSize?: number;
  onProgress?: (progress: { rows: number; total: number }) => void;
  /** Names in clear; without it the ledger's own (masked in an encrypted ledger). */
  names?: MemberNames;
}

interface MemberRow {
  rid: number;
  id: string;
  name: string;
  phone: string | null;
  created_at: number;
  tier_id: string | null;
  deleted_at: number | null;
  cards: number;
  principal: number;
  bonus: number;
  points: number;
}

function* memberPages(ledger: Ledger, input: MembersExport): Generator<MemberRow[], void, void> {
  const page = ledger.sqlite.prepare<[string, number, number], MemberRow>(
    `SELECT m.rowid AS rid, m.id, m.name, m.phone, m.created_at, p.tier_id, p.deleted_at,
       (SELECT COUNT(*) FROM cards c WHERE c.member_id = m.id) AS cards,
       COALESCE((SELECT SUM(b.credits - b.debits) FROM cards c JOIN accounts a ON a.card_id = c.id AND a.kind = 'card_principal'
                 JOIN balances b ON b.account_id = a.id WHERE c.member_id = m.id), 0) AS principal,
       COALESCE((SELECT SUM(b.credits - b.debits) FROM cards c JOIN accounts a ON a.card_id = c.id AND a.kind = 'card_bonus'
                 JOIN balances b ON b.account_id = a.id WHERE c.member_id = m.id), 0) AS bonus,
       COALESCE((SELECT SUM(b.credits - b.debits) FROM cards c JOIN accounts a ON a.card_id = c.id AND a.kind = 'card_points'
                 JOIN balances b ON b.account_id = a.id WHERE c.member_id = m.id), 0) AS points
     FROM members m LEFT JOIN member_profiles p ON p.member_id = m.id
     WHERE m.store_id = ? AND m.rowid > ? ORDER BY m.rowid LIMIT ?`,
  );
  const size = input.pageSize ?? 5_000;
  let after = 0;
  for (;;) {
    const rows = page.all(input.storeId, after, size);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < size) return;
    after = (rows[rows.length - 1] as MemberRow).rid;
  }
}

/** The ledger keeps a mask when member data is encrypted; a number kept in clear is masked here. */
function masked(phone: string | null): string {
  if (phone === null) return '';
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}

function cells(row: MemberRow, names: MemberNames | undefined): Array<string | number> {
  return [
    row.id,
    names?.(row.id) ?? row.name,
    masked(row.phone),
    row.tier_id ?? '',
    new Date(row.created_at).toISOString(),
    row.deleted_at === null ? 0 : 1,
    row.cards,
    row.principal,
    row.bonus,
    row.points,
  ];
}

function totalOf(ledger: Ledger, storeId: string): number {
  return (
    ledger.sqlite
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM members WHERE store_id = ?')
      .get(storeId)?.n ?? 0
  );
}

export async function exportMembersCsv(ledger: Ledger, input: MembersExport) {
  const total = totalOf(ledger, input.storeId);
  const stream = createWriteStream(input.path, { mode: 0o600 });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  const work = (async () => {
    const line = (values: ReadonlyArray<string | number>) => `${values.map(csvField).join(',')}\r\n`;
    if (!stream.write(`\ufeff${line(MEMBER_COLUMNS)}`)) await once(stream, 'drain');
    let rows = 0;
    for (const page of memberPages(ledger, input)) {
      let chunk = '';
      for (const row of page) chunk += line(cells(row, input.names));
      if (!stream.write(chunk)) await once(stream, 'drain');
      rows += page.length;
      input.onProgress?.({ rows, total });
    }
    stream.end();
    await once(stream, 'close');
    return { rows, total };
  })();
  return Promise.race([work, failed]);
}

export async function exportMembersXlsx(ledger: Ledger, input: MembersExport) {
  const total = totalOf(ledger, input.storeId);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: input.path,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('members');
  sheet.addRow([...MEMBER_COLUMNS]).commit();
  let rows = 0;
  for (const page of memberPages(ledger, input)) {
    for (const row of page) sheet.addRow(cells(row, input.names)).commit();
    rows += page.length;
    input.onProgress?.({ rows, total });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  sheet.commit();
  await workbook.commit();
  return { rows, total };
}
