/**
 * Device changes and exports through the host's API each leave one line on the ledger's hash-chained audit
 * log: who, what (device role, kind and id; export kind, format, scope and row count) and nothing personal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditRecord, DEMO } from '../../../db';
import type { Reply } from '../../../electron/contract';
import { createHost, type Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import { SimulatedSwiper } from '../../../hardware/index';

let dataDir: string;
let host: Host;

async function login(role: 'technician' | 'manager'): Promise<Session> {
  const session = new Session('test');
  const staff = DEMO.staff[role];
  const reply = await host.api.call(session, 'session.login', { staffNo: staff.code, pin: staff.pin });
  expect(reply.ok).toBe(true);
  return session;
}

async function call<T>(session: Session, command: string, input: unknown = {}): Promise<Reply<T>> {
  return (await host.api.call(session, command, input)) as Reply<T>;
}

async function ok<T>(session: Session, command: string, input: unknown = {}): Promise<T> {
  const reply = await call<T>(session, command, input);
  if (!reply.ok) throw new Error(`${command}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

const lastId = () => host.ledger.auditLog.after(0, 1_000_000).at(-1)?.id ?? 0;

/** The lines `work` wrote, each with its details parsed. */
async function linesOf(work: () => Promise<unknown>) {
  const mark = lastId();
  await work();
  return host.ledger.auditLog
    .after(mark, 1_000)
    .map((line: AuditRecord) => ({ ...line, parsed: JSON.parse(line.details ?? 'null') }));
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-audit-lines-'));
  host = createHost({ book: 'demo', dataDir, hidBackend: new SimulatedSwiper({ mode: 'magtek' }) });
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('device changes on the audit log', () => {
  it('records each pairing, re-pairing, unpairing and settings change with the technician and the device', async () => {
    const technician = await login('technician');
    const lines = await linesOf(async () => {
      await ok(technician, 'devices.pair', { role: 'reader', reader: 'ACS ACR1252 1S CL Reader PICC 00 00' });
      await ok(technician, 'devices.pair', { role: 'reader', reader: 'ACS ACR122U PICC Interface 00 00' });
      await ok(technician, 'devices.pair', {
        role: 'swiper',
        vendorId: 0x0801,
        productId: 0x0001,
        serialNumber: 'B0A1',
        mode: 'magtek',
      });
      await ok(technician, 'devices.pair', {
        role: 'printer',
        profileId: 'pos80-203',
        transport: { kind: 'tcp', host: '127.0.0.1', port: 9 },
        drawer: true,
      });
      await ok(technician, 'devices.unpair', { role: 'reader' });
      await ok(technician, 'devices.setSettings', { kioskMode: true });
    });
    const mine = lines.filter(
      (line) => line.action.startsWith('device.') || line.action === 'settings.change',
    );
    expect(mine.map((line) => [line.action, line.outcome, line.staffId, line.terminalId])).toEqual([
      ['device.pair', 'ok', DEMO.staff.technician.id, DEMO.terminalId],
      ['device.pair', 'ok', DEMO.staff.technician.id, DEMO.terminalId],
      ['device.pair', 'ok', DEMO.staff.technician.id, DEMO.terminalId],
      ['device.pair', 'ok', DEMO.staff.technician.id, DEMO.terminalId],
      ['device.unpair', 'ok', DEMO.staff.technician.id, DEMO.terminalId],
      ['settings.change', 'ok', DEMO.staff.technician.id, DEMO.terminalId],
    ]);
    expect(mine.map((line) => line.parsed)).toEqual([
      { role: 'reader', kind: 'pcsc-reader', device: 'ACS ACR1252 1S CL Reader PICC 00 00', replaced: null },
      {
        role: 'reader',
        kind: 'pcsc-reader',
        device: 'ACS ACR122U PICC Interface 00 00',
        replaced: 'ACS ACR1252 1S CL Reader PICC 00 00',
      },
      expect.objectContaining({
        role: 'swiper',
        kind: 'hid',
        mode: 'magtek',
        serialNumber: 'B0A1',
        replaced: null,
      }),
      {
        role: 'printer',
        kind: 'tcp',
        device: '127.0.0.1:9',
        profileId: 'pos80-203',
        drawer: true,
        replaced: null,
      },
      { role: 'reader', kind: 'pcsc-reader', device: 'ACS ACR122U PICC Interface 00 00' },
      {
        key: `devices.pairing.${DEMO.terminalId}`,
        from: { kioskMode: false },
        to: { kioskMode: true },
      },
    ]);
    expect(host.ledger.verifyAuditChain().ok).toBe(true);
  });
});

describe('exports on the audit log', () => {
  it('records each export with the manager, its kind, format, scope and rows, and nothing personal', async () => {
    const manager = await login('manager');
    const businessDay = host.ledger.businessDayOf(DEMO.storeId, Date.now());
    const replies: { rows: number }[] = [];
    const lines = await linesOf(async () => {
      for (const [content, format] of [
        ['z_report', 'csv'],
        ['operations', 'xlsx'],
      ] as const) {
        replies.push(await ok(manager, 'day.export', { exportId: ulid(), businessDay, content, format }));
      }
      replies.push(await ok(manager, 'export.members', { format: 'csv' }));
      replies.push(
        await ok(manager, 'export.operations', { format: 'csv', fromDay: businessDay, toDay: businessDay }),
      );
    });
    const exports = lines.filter((line) => line.action === 'data.export');
    expect(exports.map((line) => [line.outcome, line.staffId, line.terminalId])).toEqual(
      replies.map(() => ['ok', DEMO.staff.manager.id, DEMO.terminalId]),
    );
    expect(exports.map((line) => line.parsed)).toEqual([
      expect.objectContaining({ kind: 'z_report', format: 'csv', businessDay, rows: replies[0]!.rows }),
      expect.objectContaining({ kind: 'operations', format: 'xlsx', businessDay, rows: replies[1]!.rows }),
      expect.objectContaining({ kind: 'members', format: 'csv', rows: replies[2]!.rows }),
      expect.objectContaining({
        kind: 'operations',
        format: 'csv',
        fromDay: businessDay,
        toDay: businessDay,
        rows: replies[3]!.rows,
      }),
    ]);
    expect(replies[2]!.rows).toBeGreaterThanOrEqual(4);
    // The lines say how much was exported, never what: no member names, phone or card numbers.
    const text = JSON.stringify(exports);
    for (const personal of [
      ...Object.values(DEMO.members).flatMap((member) => [member.name, member.phone ?? member.name]),
      ...Object.values(DEMO.cards).map((card) => card.cardNumber),
    ]) {
      expect(text).not.toContain(personal);
    }
    expect(host.ledger.verifyAuditChain().ok).toBe(true);
  });

  it("records a report table's CSV the screen made, with the report and its rows", async () => {
    const manager = await login('manager');
    const lines = await linesOf(() => ok(manager, 'reports.exported', { report: 'heatmap', rows: 168 }));
    expect(lines).toEqual([
      expect.objectContaining({
        action: 'data.export',
        outcome: 'ok',
        staffId: DEMO.staff.manager.id,
        parsed: { kind: 'report', report: 'heatmap', format: 'csv', rows: 168 },
      }),
    ]);
  });

  it('records a refused export as rejected with its code', async () => {
    const manager = await login('manager');
    const lines = await linesOf(async () => {
      const reply = await call(manager, 'export.operations', {
        format: 'csv',
        fromDay: '2026-03-02',
        toDay: '2026-03-01',
      });
      expect(reply.ok).toBe(false);
    });
    expect(lines.filter((line) => line.action === 'data.export')).toEqual([
      expect.objectContaining({
        outcome: 'rejected',
        code: 'INPUT_INVALID',
        staffId: DEMO.staff.manager.id,
        parsed: { kind: 'operations', format: 'csv', fromDay: '2026-03-02', toDay: '2026-03-01' },
      }),
    ]);
  });

  it('records the diagnostics bundle a technician downloads', async () => {
    const technician = await login('technician');
    let bytes = 0;
    const lines = await linesOf(async () => {
      ({ bytes } = await ok<{ bytes: number }>(technician, 'devices.bundle'));
    });
    expect(lines.filter((line) => line.action === 'data.export')).toEqual([
      expect.objectContaining({
        outcome: 'ok',
        staffId: DEMO.staff.technician.id,
        parsed: expect.objectContaining({ kind: 'diagnostics', format: 'tar.gz', bytes }),
      }),
    ]);
  }, 30_000);
});
