/**
 * The audit chain is sealed with a key the file does not hold. Someone who can write the ledger file can edit
 * an audit line and recompute every SHA-256 hash after it, so the plain chain still verifies; the seals do not,
 * and the host says so when the book opens: a plain log line, an AUDIT_CHAIN_BROKEN line on the chain itself
 * (which reaches HQ on the audit stream), a sync error for the manager and the status bar's warning.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type AuditFields, auditHash, createKeyring, DEMO, openLedger } from '../../../db';
import { createHost } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import { SETTINGS_KEYS, type SyncErrorRecord } from '../../../sync/index';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const keyring = createKeyring([{ id: 'k1', key: randomBytes(32) }]);

/** A host on a fresh data folder with the data keys, a login or two on its audit chain, then closed. */
async function dataDirWithHistory(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-seal-'));
  dirs.push(dataDir);
  const host = createHost({ book: 'demo', dataDir, keyring });
  for (const pin of ['000000', DEMO.staff.cashier.pin]) {
    await host.api.call(new Session('test'), 'session.login', { staffNo: DEMO.staff.cashier.code, pin });
  }
  await host.close();
  return dataDir;
}

const LEDGER = 'ledger.sqlite';

/**
 * Opens the file as someone with write access would, with the audit log's no-update triggers set aside for
 * `work` and put back afterwards, so nothing but the audit lines differs.
 */
function tamper(file: string, work: (db: Database.Database) => void): void {
  const db = new Database(file);
  const triggers = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'`)
    .all() as { name: string; sql: string }[];
  for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);
  work(db);
  for (const trigger of triggers) db.exec(trigger.sql);
  db.close();
}

/** What someone with the file can do: change a line and recompute the hash chain from there on. */
function rewriteAuditLine(file: string, id: number): void {
  tamper(file, (db) => rewriteIn(db, id));
}

function rewriteIn(db: Database.Database, id: number): void {
  db.prepare(`UPDATE audit SET details = '{"rewritten":true}' WHERE id = ?`).run(id);
  const rows = db
    .prepare(
      'SELECT id, at, action, outcome, code, operation_id, staff_id, terminal_id, details, hash FROM audit ORDER BY id',
    )
    .raw()
    .all() as [...AuditFields, string | null][];
  let previous: string | null = null;
  const update = db.prepare('UPDATE audit SET hash = ? WHERE id = ?');
  for (const row of rows) {
    const fields = row.slice(0, 9) as AuditFields;
    const hash = auditHash(previous, fields);
    update.run(hash, fields[0]);
    previous = hash;
  }
}

describe('the sealed audit chain', () => {
  it('verifies untouched at every open, each line sealed under the current key', async () => {
    const dataDir = await dataDirWithHistory();
    const ledger = openLedger({ path: join(dataDir, LEDGER), auditKeys: keyring, checkpointIntervalMs: 0 });
    expect(ledger.auditChainAtOpen).toMatchObject({ ok: true, brokenAt: null });
    const seals = ledger.sqlite.prepare('SELECT seal FROM audit').pluck().all() as (string | null)[];
    expect(seals.length).toBeGreaterThan(2);
    for (const seal of seals) expect(seal).toMatch(/^k1:[0-9a-f]{64}$/);
    ledger.close();
  });

  it('shows a rewritten chain that the plain hashes no longer catch, and tells the manager and HQ once', async () => {
    const dataDir = await dataDirWithHistory();
    const file = join(dataDir, LEDGER);
    rewriteAuditLine(file, 2);

    const unkeyed = openLedger({ path: file, checkpointIntervalMs: 0 });
    expect(unkeyed.verifyAuditChain().ok).toBe(true);
    unkeyed.close();

    const host = createHost({ book: 'demo', dataDir, keyring });
    expect(host.ledger.auditChainAtOpen).toMatchObject({ ok: false, brokenAt: 2 });
    expect(host.ledger.auditChainAtOpen?.message).toContain('seal');
    const info = await host.api.call(new Session('test'), 'terminal.info', {});
    expect(info).toMatchObject({ ok: true, value: { auditChainBrokenAt: 2 } });
    const errors = host.ledger.settings.get<SyncErrorRecord[]>(SETTINGS_KEYS.errors) ?? [];
    expect(errors).toContainEqual(
      expect.objectContaining({ kind: 'audit', code: 'AUDIT_CHAIN_BROKEN', seq: 2 }),
    );
    await host.close();
    expect(readFileSync(join(dataDir, 'logs', 'host.log'), 'utf8')).toContain('AUDIT_CHAIN_BROKEN');

    // The break is put on the chain once (it travels to HQ with the other lines), not at every start.
    const again = createHost({ book: 'demo', dataDir, keyring });
    const breaks = again.ledger.auditLog
      .after(0, 100_000)
      .filter((line) => line.action === 'audit.verify' && line.code === 'AUDIT_CHAIN_BROKEN');
    expect(breaks).toHaveLength(1);
    expect(JSON.parse(breaks[0]!.details ?? '{}')).toMatchObject({ brokenAt: 2 });
    await again.close();
  });

  it('catches a seal removed from a line after sealed ones', async () => {
    const dataDir = await dataDirWithHistory();
    const file = join(dataDir, LEDGER);
    let last = 0;
    tamper(file, (db) => {
      last = db.prepare('SELECT MAX(id) FROM audit').pluck().get() as number;
      db.prepare('UPDATE audit SET seal = NULL WHERE id = ?').run(last);
    });
    const ledger = openLedger({ path: file, auditKeys: keyring, checkpointIntervalMs: 0 });
    expect(ledger.auditChainAtOpen).toMatchObject({ ok: false, brokenAt: last });
    ledger.close();
  });
});
