/**
 * The reports' commands through the API on the demo café: the figures of a range (totals gross, voided and
 * net, every day a trend point, the store's zone), the member sections after them, both at once, and a range
 * the host refuses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import type { ReportFiguresView, ReportMembersView } from '../../../electron/contract';
import { createHost, type Host } from '../../../electron/host/compose';
import { apiCalls } from '../../support/api-calls';

let dataDir: string;
let host: Host;
const { login, ok, refusal } = apiCalls(() => host);

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'reports-api-'));
  host = createHost({ book: 'demo', dataDir });
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the reports commands', () => {
  it('answer the figures of a range, then the member sections, and both at once', async () => {
    const manager = await login(DEMO.staff.manager.code, DEMO.staff.manager.pin);
    const first = await ok<ReportFiguresView>(manager, 'reports.figures', {});
    // The default range is this month to the open day.
    expect(first.fromDay).toBe(`${first.asOf.slice(0, 7)}-01`);
    expect(first.toDay).toBe(first.asOf);
    expect(first.timeZone).toBe('Asia/Shanghai');
    // The demo's opening top-ups were recorded today.
    expect(first.totals.topUps.gross.count).toBe(3);
    expect(first.totals.topUps.net).toEqual(first.totals.topUps.gross);
    expect(first.daily.at(-1)!.period).toBe(first.asOf);
    const range = { fromDay: first.asOf, toDay: first.asOf };
    const day = await ok<ReportFiguresView>(manager, 'reports.figures', range);
    expect(day.daily).toHaveLength(1);
    expect(day.totals).toEqual(first.totals);
    const members = await ok<ReportMembersView>(manager, 'reports.members', range);
    expect(members.top.map((m) => m.name).sort()).toEqual(
      [DEMO.members.uid.name, DEMO.members.mifare.name, DEMO.members.magstripe.name].sort(),
    );
    expect(members.tiers.reduce((n, t) => n + t.members, 0)).toBe(4);
    const both = await ok<ReportFiguresView & ReportMembersView>(manager, 'reports.analytics', range);
    expect(both.totals).toEqual(day.totals);
    expect(both.top).toEqual(members.top);
  });

  it('refuse a range that ends before it starts, or is longer than three years', async () => {
    const manager = await login(DEMO.staff.manager.code, DEMO.staff.manager.pin);
    const backwards = await refusal(manager, 'reports.figures', {
      fromDay: '2026-03-05',
      toDay: '2026-03-04',
    });
    expect(backwards?.code).toBe('INPUT_INVALID');
    const long = await refusal(manager, 'reports.members', { fromDay: '2020-01-01', toDay: '2026-03-04' });
    expect(long?.code).toBe('INPUT_INVALID');
  });

  it('are for those who may read reports', async () => {
    const cashier = await login(DEMO.staff.cashier.code, DEMO.staff.cashier.pin);
    const refused = await refusal(cashier, 'reports.figures', {});
    expect(refused?.code).toBe('COMMAND_FORBIDDEN');
  });
});
