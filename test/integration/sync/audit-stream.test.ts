/**
 * The terminal's audit log reaching HQ on its own stream, on PGlite and on PostgreSQL. A real host writes the
 * lines (logins, an operation, a setting change, a device pairing, an export) through its API; its ledger file
 * is then shipped by the sync worker: every line arrives in id order exactly once, across a restart and a
 * lost acknowledgement, and after HQ was down; a line edited at the terminal is refused with
 * AUDIT_CHAIN_BROKEN and shows as a sync error while the outbox keeps flowing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type Ledger, openLedger } from '../../../db';
import type { Reply } from '../../../electron/contract';
import { createHost, LEDGER_FILE } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import {
  AUDIT_CURSOR_KEY,
  enrolTerminal,
  HqHttpClient,
  SyncError,
  SyncWorker,
  type TerminalCredentials,
  type WireAuditRecord,
} from '../../../sync';
import type { RunningHqServer } from '../../../sync/hq';
import { codeFor } from '../../support/hq-enrolment';
import { adminSession, type Engine, fastBackoff, type HqUnderTest, openHq, serve, until } from './fixtures';

const engines: Engine[] = ['pglite', 'postgres'];
const TERMINAL = DEMO.terminalId;

async function ok<T>(
  host: Awaited<ReturnType<typeof createHost>>,
  session: Session,
  command: string,
  input: unknown,
) {
  const reply = (await host.api.call(session, command, input)) as Reply<T>;
  if (!reply.ok) throw new Error(`${command} refused: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

/** A demo terminal's book with a login of each role, a top-up, a setting change, a pairing and an export. */
async function writeThroughHost(dataDir: string): Promise<void> {
  const host = createHost({ dataDir });
  try {
    const login = async (staff: { code: string; pin: string }) => {
      const session = new Session('test');
      await ok(host, session, 'session.login', { staffNo: staff.code, pin: staff.pin });
      return session;
    };
    const technician = await login(DEMO.staff.technician);
    const manager = await login(DEMO.staff.manager);
    host.ledger.topUp({
      operationId: ulid(),
      cardId: DEMO.cards.keyed.id,
      amountFen: 10_000,
      bonusFen: 0,
      points: 0,
      tender: 'cash',
      staffId: DEMO.staff.cashier.id,
      terminalId: TERMINAL,
    });
    await ok(host, technician, 'devices.setSettings', { kioskMode: true });
    await ok(host, technician, 'devices.pair', { role: 'reader', reader: 'Test Reader 00 00' });
    await ok(host, manager, 'day.export', {
      exportId: ulid(),
      businessDay: host.ledger.businessDayOf(DEMO.storeId, Date.now()),
      content: 'z_report',
      format: 'csv',
    });
  } finally {
    await host.close();
  }
}

function localLines(ledger: Ledger): WireAuditRecord[] {
  return ledger.auditLog.after(0, 1_000_000);
}

async function hqLines(server: RunningHqServer, hq: HqUnderTest): Promise<WireAuditRecord[]> {
  const { headers } = await adminSession(hq.database, 'support');
  const lines: WireAuditRecord[] = [];
  for (;;) {
    const after = lines.at(-1)?.id ?? 0;
    const response = await fetch(`${server.url}/admin/audit?terminal=${TERMINAL}&after=${after}&limit=7`, {
      headers,
    });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { lines: WireAuditRecord[]; hasMore: boolean };
    lines.push(...page.lines);
    if (!page.hasMore) return lines;
  }
}

describe.each(engines)('the audit stream to HQ on %s', (engine) => {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  let dataDir: string;
  let ledger: Ledger;
  let credentials: TerminalCredentials;

  const worker = () => {
    return new SyncWorker({
      terminalId: TERMINAL,
      outbox: ledger.outbox,
      settings: ledger.settings,
      transport: new HqHttpClient(server.url, credentials, { timeoutMs: 2_000 }),
      audit: ledger.auditLog,
      auditBatchSize: 5,
      backoff: fastBackoff,
      idleMs: 20,
    });
  };
  const reopen = () => {
    ledger.close();
    ledger = openLedger({ path: join(dataDir, LEDGER_FILE), checkpointIntervalMs: 0 });
  };

  beforeAll(async () => {
    hq = await openHq(engine);
    server = await serve(hq.service);
    dataDir = mkdtempSync(join(tmpdir(), 'pos-audit-stream-'));
    await writeThroughHost(dataDir);
    ledger = openLedger({ path: join(dataDir, LEDGER_FILE), checkpointIntervalMs: 0 });
    const code = await codeFor(hq.service, { terminalId: TERMINAL, storeId: DEMO.storeId, now: Date.now() });
    credentials = await enrolTerminal(server.url, code);
  }, 120_000);

  afterAll(async () => {
    ledger?.close();
    await server?.close();
    await hq?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings every line to HQ in id order, logins, operations, settings, pairings and exports among them', async () => {
    const syncing = worker();
    expect(syncing.status().auditWaiting).toBe(localLines(ledger).length);
    await syncing.drain({ maxAttempts: 3 });
    await syncing.drainAudit({ maxAttempts: 3 });

    const local = localLines(ledger);
    const atHq = await hqLines(server, hq);
    expect(atHq).toEqual(local);
    expect(atHq.map((line) => line.id)).toEqual(local.map((_, index) => index + 1));
    const actions = new Set(atHq.map((line) => line.action));
    for (const action of [
      'staff.login',
      'operation.top_up',
      'settings.change',
      'device.pair',
      'data.export',
    ]) {
      expect(actions, action).toContain(action);
    }
    const pairing = atHq.find((line) => line.action === 'device.pair')!;
    expect(pairing.staffId).toBe(DEMO.staff.technician.id);
    expect(JSON.parse(pairing.details!)).toMatchObject({ role: 'reader', device: 'Test Reader 00 00' });
    const exported = atHq.find((line) => line.action === 'data.export')!;
    expect(exported.staffId).toBe(DEMO.staff.manager.id);
    expect(JSON.parse(exported.details!)).toMatchObject({ kind: 'z_report', format: 'csv' });
    // The demo staff PINs never travel on an audit line.
    const shipped = JSON.stringify(atHq);
    for (const staff of Object.values(DEMO.staff)) expect(shipped).not.toContain(`"${staff.pin}"`);
    expect(syncing.status()).toMatchObject({ auditWaiting: 0, waiting: 0, openSyncErrors: 0 });
  });

  it('keeps each line once across a restart and a resend of lines HQ already committed', async () => {
    reopen();
    ledger.authenticateStaff({
      code: DEMO.staff.cashier.code,
      pin: DEMO.staff.cashier.pin,
      terminalId: TERMINAL,
    });
    // As if the acknowledgement of the last lines had been lost in a crash before the cursor was saved.
    ledger.settings.set(AUDIT_CURSOR_KEY, 3);
    const restarted = worker();
    const first = await restarted.pushAuditOnce();
    expect(first).toMatchObject({ sent: 5, duplicate: 5, accepted: 0 });
    await restarted.drainAudit({ maxAttempts: 3 });

    const local = localLines(ledger);
    expect(await hqLines(server, hq)).toEqual(local);
    expect(ledger.settings.get(AUDIT_CURSOR_KEY)).toBe(local.length);
    expect(restarted.syncErrors()).toEqual([]);
  });

  it('waits while HQ is down and resumes from its cursor when HQ is back', async () => {
    const port = server.port;
    await server.close();
    ledger.authenticateStaff({
      code: DEMO.staff.manager.code,
      pin: DEMO.staff.manager.pin,
      terminalId: TERMINAL,
    });
    const offline = worker();
    await expect(offline.pushAuditOnce()).rejects.toMatchObject({ code: 'HQ_UNREACHABLE' });
    expect(offline.status().auditWaiting).toBe(1);

    server = await serve(hq.service, port);
    await offline.drainAudit({ maxAttempts: 5 });
    expect(await hqLines(server, hq)).toEqual(localLines(ledger));
    expect(offline.status().auditWaiting).toBe(0);
  });

  it('refuses a line edited at the terminal with AUDIT_CHAIN_BROKEN, as a sync error, while operations keep flowing', async () => {
    const topUp = () =>
      ledger.topUp({
        operationId: ulid(),
        cardId: DEMO.cards.keyed.id,
        amountFen: 500,
        bonusFen: 0,
        points: 0,
        tender: 'cash',
        staffId: DEMO.staff.cashier.id,
        terminalId: TERMINAL,
      });
    topUp();
    const tampered = localLines(ledger).at(-1)!.id;
    // Someone with the file in hand edits an unsent line, getting past the append-only trigger.
    const trigger = readFileSync(join('db', 'migrations', '0001_immutable_history.sql'), 'utf8')
      .split('--> statement-breakpoint')
      .find((statement) => statement.includes('audit_no_update'))!;
    ledger.sqlite.exec('DROP TRIGGER audit_no_update');
    ledger.sqlite.prepare('UPDATE audit SET staff_id = ? WHERE id = ?').run(DEMO.staff.manager.id, tampered);
    ledger.sqlite.exec(trigger);
    for (let index = 0; index < 3; index += 1) topUp();
    expect(ledger.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: tampered });

    const running = worker();
    running.start();
    try {
      await until(
        () =>
          ledger.outbox.stats().waiting === 0 && running.syncErrors().some((error) => error.kind === 'audit'),
      );
    } finally {
      await running.stop();
    }

    const operations = (await hq.service.operationsOf(TERMINAL)).map((row) => row.operationId);
    expect(operations).toEqual(allOperationIds(ledger));
    expect(running.syncErrors()).toEqual([
      expect.objectContaining({
        operationId: `audit:${tampered}`,
        seq: tampered,
        kind: 'audit',
        code: 'AUDIT_CHAIN_BROKEN',
        resolvedAt: null,
      }),
    ]);
    const atHq = await hqLines(server, hq);
    expect(atHq.at(-1)?.id).toBe(tampered - 1);
    expect(atHq).toEqual(localLines(ledger).slice(0, tampered - 1));
    expect(running.status()).toMatchObject({ auditWaiting: localLines(ledger).length - (tampered - 1) });
    const report = await hq.service.report(Date.now());
    expect(report.terminals.find((row) => row.terminalId === TERMINAL)?.lastErrorCode).toBe(
      'AUDIT_CHAIN_BROKEN',
    );

    // Sent again, the line is refused the same way and the manager's list does not grow.
    await expect(running.pushAuditOnce()).rejects.toBeInstanceOf(SyncError);
    expect(running.syncErrors()).toHaveLength(1);
  });
});

function allOperationIds(ledger: Ledger): string[] {
  return (
    ledger.sqlite.prepare('SELECT operation_id FROM outbox ORDER BY seq').all() as { operation_id: string }[]
  ).map((row) => row.operation_id);
}
