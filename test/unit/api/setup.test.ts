/**
 * The first start: a data directory without a book answers only the setup commands; a standalone store is a
 * live book with its own ids and only the admin who set it up; the demo café is a demo book with its PINs;
 * `--demo` opens the demo and never over a live store's book; once a book exists setup is refused.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import type { OperationResult, TerminalInfo } from '../../../electron/contract';
import { LEDGER_FILE } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import { isGuessablePin } from '../../../electron/host/setup/checks';
import { openTerminal, type Terminal } from '../../../electron/host/setup/first-start';

const dirs: string[] = [];
const terminals: Terminal[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-setup-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string, options: { book?: 'demo'; trainingMode?: boolean } = {}): Terminal {
  const terminal = openTerminal({ dataDir: dir, ...options });
  terminals.push(terminal);
  return terminal;
}

afterEach(async () => {
  for (const terminal of terminals.splice(0)) await terminal.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The demo cashier logs in and tops up the demo's tap card by WeChat Pay (no drawer, so no shift needed). */
async function cashierTopsUp(terminal: Terminal, amountFen: number): Promise<OperationResult> {
  const session = new Session('test');
  const { code, pin } = DEMO.staff.cashier;
  await terminal.api.call(session, 'session.login', { staffNo: code, pin });
  const input = {
    operationId: ulid(),
    cardId: DEMO.cards.uid.id,
    amountFen,
    tender: 'wechat',
    reference: '4200000001202612050001',
  };
  const reply = await terminal.api.call(session, 'wallet.topUp', input);
  if (!reply.ok) throw new Error(JSON.stringify(reply.error));
  return reply.value as OperationResult;
}

const ADMIN = { name: '周店长', staffNo: '801', pin: '270514', pinAgain: '270514' };
const STANDALONE = { storeName: '老街面馆', timeZone: 'Asia/Shanghai', admin: ADMIN };

describe('a data directory without a book', () => {
  it('asks for setup, refuses everything else in words, and writes no book', async () => {
    const dir = dataDir();
    const terminal = open(dir);
    const session = new Session('test');
    expect(terminal.host()).toBeNull();
    expect(await terminal.api.call(session, 'setup.status', {})).toEqual({
      ok: true,
      value: { needed: true },
    });
    expect(await terminal.api.call(session, 'session.current', {})).toEqual({ ok: true, value: null });
    for (const [command, input] of [
      ['terminal.info', {}],
      ['session.login', { staffNo: DEMO.staff.admin.code, pin: DEMO.staff.admin.pin }],
      ['card.lookup', { uid: DEMO.cards.uid.uid }],
    ] as const) {
      expect(await terminal.api.call(session, command, input)).toMatchObject({
        ok: false,
        error: { code: 'SETUP_REQUIRED' },
      });
    }
    expect(existsSync(join(dir, LEDGER_FILE))).toBe(false);
  });

  it.each([
    [
      'a PIN under four digits',
      { ...STANDALONE, admin: { ...ADMIN, pin: '271', pinAgain: '271' } },
      'PIN_INVALID',
    ],
    ['two different PINs', { ...STANDALONE, admin: { ...ADMIN, pinAgain: '270515' } }, 'PIN_MISMATCH'],
    [
      'a guessable PIN',
      { ...STANDALONE, admin: { ...ADMIN, pin: '999999', pinAgain: '999999' } },
      'PIN_TOO_WEAK',
    ],
    ['no admin name', { ...STANDALONE, admin: { ...ADMIN, name: '  ' } }, 'STAFF_NAME_REQUIRED'],
    [
      'a staff number with letters',
      { ...STANDALONE, admin: { ...ADMIN, staffNo: '80a' } },
      'STAFF_NO_INVALID',
    ],
    ['an empty store name', { ...STANDALONE, storeName: '   ' }, 'STORE_NAME_REQUIRED'],
    ['an unknown time zone', { ...STANDALONE, timeZone: 'Asia/Atlantis' }, 'TIME_ZONE_UNKNOWN'],
  ])(
    'refuses a standalone store with %s, writes nothing, and takes a corrected setup',
    async (_case, input, code) => {
      const dir = dataDir();
      const terminal = open(dir);
      const session = new Session('test');
      expect(await terminal.api.call(session, 'setup.standalone', input)).toMatchObject({
        ok: false,
        error: { code },
      });
      expect(readdirSync(dir).filter((file) => file.startsWith(LEDGER_FILE))).toEqual([]);
      expect(await terminal.api.call(session, 'setup.status', {})).toEqual({
        ok: true,
        value: { needed: true },
      });
      expect(await terminal.api.call(session, 'setup.standalone', STANDALONE)).toMatchObject({ ok: true });
    },
  );

  it('tells a guessable PIN from a chosen one', () => {
    for (const pin of ['123456', '888888', '666666', '999999', '6543', '8901'])
      expect(isGuessablePin(pin)).toBe(true);
    for (const pin of ['270514', '1357', '13579', '112233']) expect(isGuessablePin(pin)).toBe(false);
  });
});

describe('a standalone store', () => {
  it('is a live book with ids of its own, its admin, and none of the demo', async () => {
    const dir = dataDir();
    const terminal = open(dir);
    const session = new Session('test');
    const reply = await terminal.api.call(session, 'setup.standalone', STANDALONE);
    expect(reply).toMatchObject({ ok: true, value: { mode: 'live', storeName: '老街面馆' } });
    const host = terminal.host();
    if (host === null) throw new Error('no host after setup');
    expect(host.mode).toBe('live');
    expect(host.identity.terminalId).toMatch(/^terminal-[0-9A-Z]{26}$/);
    expect(host.identity.terminalId).not.toBe(DEMO.terminalId);
    expect(host.identity.storeId).not.toBe(DEMO.storeId);
    expect(host.ledger.store(host.identity.storeId)).toMatchObject({
      timeZone: 'Asia/Shanghai',
      currency: 'CNY',
    });
    expect(host.ledger.listStaff().map((staff) => [staff.code, staff.role])).toEqual([['801', 'admin']]);
    expect(host.ledger.operationsOf({ limit: 10 })).toEqual([]);

    // The same connection goes on to the login: no demo PIN opens it, the admin's own PIN does.
    const info = await terminal.api.call(session, 'terminal.info', {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'live', storeName: '老街面馆' } });
    if (info.ok) expect(info.value).not.toHaveProperty('demoLogins');
    for (const role of ['cashier', 'manager', 'technician', 'admin'] as const) {
      const { code, pin } = DEMO.staff[role];
      const login = await terminal.api.call(new Session('test'), 'session.login', { staffNo: code, pin });
      expect(login, role).toMatchObject({ ok: false });
    }
    expect(
      await terminal.api.call(session, 'session.login', { staffNo: '801', pin: '270514' }),
    ).toMatchObject({
      ok: true,
      value: { staff: { name: '周店长', role: 'admin' } },
    });
    const rules = await terminal.api.call(session, 'rules.list', {});
    expect(rules).toMatchObject({ ok: true, value: { rules: [], tiers: [] } });
  });

  it('gives the first admin the store recovery code once, and it brings a forgotten admin back from day one', async () => {
    const dir = dataDir();
    const terminal = open(dir);
    const reply = await terminal.api.call(new Session('test'), 'setup.standalone', STANDALONE);
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const { recoveryCode } = reply.value as { recoveryCode: string };
    expect(recoveryCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    const admin = new Session('test');
    await terminal.api.call(admin, 'session.login', { staffNo: '801', pin: '270514' });
    // The Staff screen shows the sheet as issued, by the admin who set the store up; never the code again.
    const sheet = await terminal.api.call(admin, 'staff.recoverySheet', {});
    expect(sheet).toMatchObject({ ok: true, value: { issuedBy: '周店长' } });
    expect(JSON.stringify(sheet)).not.toContain(recoveryCode);

    // The only admin forgets the PIN: the code from the setup screen sets a new one.
    const stranger = new Session('test');
    expect(
      await terminal.api.call(stranger, 'staff.recover', { recoveryCode, staffNo: '801', pin: '583920' }),
    ).toMatchObject({ ok: true, value: { staffNo: '801' } });
    expect(
      await terminal.api.call(stranger, 'session.login', { staffNo: '801', pin: '583920' }),
    ).toMatchObject({ ok: true });
  });

  it('refuses every setup command once set up, and opens straight into its book on the next start', async () => {
    const dir = dataDir();
    const first = open(dir);
    await first.api.call(new Session('test'), 'setup.standalone', STANDALONE);
    const terminalId = first.host()?.identity.terminalId;
    for (const [command, input] of [
      ['setup.standalone', { ...STANDALONE, storeName: '另一家店' }],
      ['setup.demo', {}],
      ['setup.join', { hqUrl: 'http://127.0.0.1:1', code: 'ABCD-EFGH', admin: ADMIN }],
    ] as const) {
      expect(await first.api.call(new Session('test'), command, input)).toMatchObject({
        ok: false,
        error: { code: 'SETUP_DONE' },
      });
    }
    await first.close();

    const again = open(dir);
    expect(again.host()?.identity.terminalId).toBe(terminalId);
    expect(await again.api.call(new Session('test'), 'setup.status', {})).toEqual({
      ok: true,
      value: { needed: false },
    });
    // A live store's book is never opened as the demo.
    await again.close();
    expect(() => open(dir, { book: 'demo' })).toThrow(expect.objectContaining({ code: 'BOOK_IS_LIVE' }));
  });

  it('gives two stores set up apart different store and terminal ids', async () => {
    const ids = [];
    for (const name of ['东门店', '西门店']) {
      const terminal = open(dataDir());
      await terminal.api.call(new Session('test'), 'setup.standalone', { ...STANDALONE, storeName: name });
      ids.push(terminal.host()?.identity);
    }
    expect(ids[0]?.storeId).not.toBe(ids[1]?.storeId);
    expect(ids[0]?.terminalId).not.toBe(ids[1]?.terminalId);
  });
});

describe('the demo café', () => {
  it('is chosen on the setup screen: a demo book that shows its PINs and marks its receipts', async () => {
    const terminal = open(dataDir());
    const session = new Session('test');
    expect(await terminal.api.call(session, 'setup.demo', {})).toMatchObject({
      ok: true,
      value: { mode: 'demo', terminalId: DEMO.terminalId },
    });
    const info = await terminal.api.call(session, 'terminal.info', {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'demo' } });
    if (info.ok) {
      expect((info.value as TerminalInfo).demoLogins).toContainEqual({
        role: 'admin',
        staffNo: DEMO.staff.admin.code,
        pin: DEMO.staff.admin.pin,
        name: DEMO.staff.admin.name,
      });
    }
    const topUp = await cashierTopsUp(terminal, 100_00);
    expect(topUp.bonusFen).toBe(20_00);
    expect(topUp.receiptText).toContain('演示 DEMO');
  });

  it('opens at once with --demo, creating the demo in an empty data directory', async () => {
    const terminal = open(dataDir(), { book: 'demo' });
    expect(terminal.host()?.mode).toBe('demo');
    expect(await terminal.api.call(new Session('test'), 'setup.demo', {})).toMatchObject({
      ok: false,
      error: { code: 'SETUP_DONE' },
    });
  });

  it('keeps training apart: a training book, marked so on its receipts', async () => {
    const terminal = open(dataDir(), { trainingMode: true });
    const session = new Session('test');
    expect(await terminal.api.call(session, 'terminal.info', {})).toMatchObject({
      ok: true,
      value: { mode: 'training', trainingMode: true },
    });
    expect((await cashierTopsUp(terminal, 10_00)).receiptText).toContain('培训 TRAINING');
  });
});
