/**
 * Joining a chain on the setup screen, against a real HQ (PGlite) over HTTP: the till's book is created only
 * after HQ answered, under HQ's store and terminal, with the admin who set it up and nobody else; a wrong code,
 * HQ away, or a bad PIN leave no book and the code unspent; a used code is refused in words.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { LEDGER_FILE } from '../../../electron/host/compose';
import { readHqLink } from '../../../electron/host/enrolment/link';
import { openBrowserModeKeys } from '../../../electron/host/keys';
import { Session } from '../../../electron/host/session';
import { openTerminal, type Terminal } from '../../../electron/host/setup/first-start';
import type { RunningHqServer } from '../../../sync/hq';
import { type HqUnderTest, openHq, serve } from '../sync/fixtures';

const ADMIN = { name: '钱店长', staffNo: '701', pin: '305182', pinAgain: '305182' };
const STORE = {
  id: 'store-nanjing-xi',
  name: '南京西路店',
  address: '上海市静安区南京西路 1 号',
  timeZone: 'Asia/Shanghai',
  currency: 'CNY',
};

let hq: HqUnderTest;
let server: RunningHqServer;
const dirs: string[] = [];
const terminals: Terminal[] = [];

async function emptyTerminal(): Promise<{ terminal: Terminal; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-setup-join-'));
  dirs.push(dir);
  const keys = await openBrowserModeKeys(dir);
  const terminal = openTerminal({ dataDir: dir, keyring: keys.keyring, secrets: keys.secrets });
  terminals.push(terminal);
  return { terminal, dir };
}

async function newCode(): Promise<{ code: string; terminalId: string }> {
  const made = await hq.service.createTerminal({ storeId: STORE.id, name: '收银台 2', now: Date.now() });
  return { code: made.code, terminalId: made.terminalId };
}

beforeAll(async () => {
  hq = await openHq('pglite');
  server = await serve(hq.service);
  await hq.service.saveStore({ ...STORE, now: Date.now() });
});

afterAll(async () => {
  for (const terminal of terminals) await terminal.close();
  await server?.close();
  await hq?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('joining a chain on the setup screen', () => {
  it('refuses a wrong code, HQ away and a bad PIN in words, writing no book and spending no code', async () => {
    const { terminal, dir } = await emptyTerminal();
    const { code } = await newCode();
    const session = new Session('test');
    const attempts = [
      [{ hqUrl: server.url, code: 'NOT-A-REAL-CODE-AT-ALL', admin: ADMIN }, 'ENROLMENT_CODE_UNKNOWN'],
      [{ hqUrl: 'http://127.0.0.1:9', code, admin: ADMIN }, 'HQ_UNREACHABLE'],
      [{ hqUrl: server.url, code, admin: { ...ADMIN, pinAgain: '305183' } }, 'PIN_MISMATCH'],
      [{ hqUrl: server.url, code: '', admin: ADMIN }, 'ENROLMENT_CODE_REQUIRED'],
    ] as const;
    for (const [input, refusal] of attempts) {
      expect(await terminal.api.call(session, 'setup.join', input)).toMatchObject({
        ok: false,
        error: { code: refusal },
      });
      expect(existsSync(join(dir, LEDGER_FILE))).toBe(false);
      expect(terminal.host()).toBeNull();
    }
    // The code was never spent: the same one joins now.
    const joined = await terminal.api.call(session, 'setup.join', { hqUrl: server.url, code, admin: ADMIN });
    expect(joined, JSON.stringify(joined)).toMatchObject({
      ok: true,
      value: { mode: 'live', storeName: STORE.name },
    });
  });

  it("creates a live book under HQ's store and terminal with only its admin, linked to HQ", async () => {
    const { terminal } = await emptyTerminal();
    const { code, terminalId } = await newCode();
    const session = new Session('test');
    const reply = await terminal.api.call(session, 'setup.join', {
      hqUrl: server.url,
      code: ` ${code} `,
      admin: ADMIN,
    });
    expect(reply).toMatchObject({ ok: true, value: { mode: 'live', storeName: STORE.name, terminalId } });
    const host = terminal.host();
    if (host === null) throw new Error('no host after the join');
    // The first admin is shown the till's recovery code once; the book keeps only that a sheet exists.
    expect(reply.ok && (reply.value as { recoveryCode: string }).recoveryCode).toMatch(/^[0-9A-Z-]{24}$/);
    expect(host.ledger.recoverySheet()).toMatchObject({ issuedAt: expect.any(Number) });
    expect(host.identity).toEqual({ storeId: STORE.id, terminalId });
    expect(host.mode).toBe('live');
    expect(host.ledger.store(STORE.id)).toMatchObject({ name: STORE.name, timeZone: STORE.timeZone });
    expect(host.ledger.listStaff().map((staff) => [staff.code, staff.role])).toEqual([['701', 'admin']]);
    expect(readHqLink(host.ledger.settings)).toMatchObject({
      url: server.url,
      terminalId,
      storeId: STORE.id,
    });

    const { code: demoCode, pin: demoPin } = DEMO.staff.admin;
    expect(
      await terminal.api.call(new Session('test'), 'session.login', { staffNo: demoCode, pin: demoPin }),
    ).toMatchObject({ ok: false });
    expect(
      await terminal.api.call(session, 'session.login', { staffNo: '701', pin: '305182' }),
    ).toMatchObject({
      ok: true,
      value: { staff: { role: 'admin' } },
    });
    expect(
      await terminal.api.call(session, 'setup.join', { hqUrl: server.url, code, admin: ADMIN }),
    ).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } });

    // The code is spent: a second empty till cannot use it.
    const second = await emptyTerminal();
    expect(
      await second.terminal.api.call(new Session('test'), 'setup.join', {
        hqUrl: server.url,
        code,
        admin: ADMIN,
      }),
    ).toMatchObject({ ok: false, error: { code: 'ENROLMENT_CODE_USED' } });
    expect(existsSync(join(second.dir, LEDGER_FILE))).toBe(false);
  });
});
