import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { exportMembersCsv, exportMembersXlsx, MEMBER_COLUMNS } from '../../../db/loyalty/index';
import { closeAll, DEMO, loyaltyLedger } from './support';

const dir = mkdtempSync(join(tmpdir(), 'members-export-'));
afterAll(() => {
  closeAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('member export', () => {
  it('writes every member with balances summed over their cards, as CSV and XLSX, page by page', async () => {
    const { ledger } = loyaltyLedger();
    const csv = join(dir, 'members.csv');
    const pages: number[] = [];
    const done = await exportMembersCsv(ledger, {
      storeId: DEMO.storeId,
      path: csv,
      pageSize: 2,
      onProgress: (p) => pages.push(p.rows),
    });
    expect(done.rows).toBe(4);
    expect(pages).toEqual([2, 4]);
    const text = readFileSync(csv, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(MEMBER_COLUMNS.join(','));
    const uidMember = lines.find((l) => l.startsWith(`${DEMO.members.uid.id},`));
    const balance = ledger.balance(DEMO.cards.uid.id);
    expect(uidMember?.split(',').slice(-3).map(Number)).toEqual([
      balance.principalFen,
      balance.bonusFen,
      balance.points,
    ]);
    expect(text).not.toMatch(/1[3-9]\d{9}/);

    const xlsx = join(dir, 'members.xlsx');
    await exportMembersXlsx(ledger, { storeId: DEMO.storeId, path: xlsx });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    const sheet = workbook.getWorksheet('members');
    expect(sheet?.rowCount).toBe(5);
    expect(sheet?.getRow(1).values).toEqual([undefined, ...MEMBER_COLUMNS]);
  });
});
