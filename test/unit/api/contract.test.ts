/**
 * The API boundary, command by command: malformed input is refused with INPUT_INVALID before anything runs,
 * a caller without a login or without the role's permission is refused, and what the host answers matches the
 * contract's output schema. Runs against a real host on a throw-away ledger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { type CommandName, commands, ROLES, type Role, roleHas } from '../../../electron/contract';
import { ApiError } from '../../../electron/errors';
import { toFailure } from '../../../electron/host/api';
import { createHost, type Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import { cardFormatCalls } from './card-format-calls';
import { memberCalls } from './member-calls';
import { ruleCalls } from './rule-calls';
import { staffCalls } from './staff-calls';

const card = DEMO.cards.uid;
const names = Object.keys(commands) as CommandName[];
const memberCommands = memberCalls(() => host);
const ruleCommands = ruleCalls(() => host);
const staffCommands = staffCalls(() => host);
const cardFormatCommands = cardFormatCalls();

const FIRST_ADMIN = { name: '周店长', staffNo: '801', pin: '270514', pinAgain: '270514' };

/** The shift the well-formed run opened, counted and signed off. */
let openedShiftId = ulid();

/** A well-formed call of each command (ids made fresh per call so money commands really apply). */
const VALID: Record<CommandName, () => unknown> = {
  'session.login': () => ({ staffNo: DEMO.staff.cashier.code, pin: DEMO.staff.cashier.pin }),
  'session.logout': () => ({}),
  'session.current': () => ({}),
  'terminal.info': () => ({}),
  'card.lookup': () => ({ uid: card.uid }),
  'card.swipeText': () => ({ tracks: `;${DEMO.cards.magstripe.cardNumber}?` }),
  'card.recentOperations': () => ({ cardId: card.id, limit: 3 }),
  'wallet.previewTopUp': () => ({ cardId: card.id, amountFen: 10_000 }),
  // Paid by WeChat: cash would need an open shift, and the well-formed run opens its shift later.
  'wallet.topUp': () => ({
    operationId: ulid(),
    cardId: card.id,
    amountFen: 100,
    tender: 'wechat',
    reference: 'WX-1',
  }),
  'wallet.charge': () => ({ operationId: ulid(), cardId: card.id, amountFen: 1 }),
  'wallet.void': () => ({
    operationId: ulid(),
    cardId: card.id,
    targetOperationId: 'unknown-operation',
    approver: { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin },
  }),
  'wallet.refund': () => ({
    operationId: ulid(),
    cardId: card.id,
    originalOperationId: 'unknown-operation',
    amountFen: 100,
    approver: { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin },
  }),
  // Paid out by WeChat: cash would need an open shift, as for the top-up above.
  'wallet.withdraw': () => ({
    operationId: ulid(),
    cardId: card.id,
    amountFen: 100,
    tender: 'wechat',
    reference: 'WX-PAYOUT-1',
    approver: { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin },
  }),
  'receipt.reprint': () => ({ operationId: 'unknown-operation', requestId: ulid() }),
  'simulator.cards': () => ({}),
  'simulator.presentCard': () => ({ uid: card.uid }),
  'simulator.removeCard': () => ({}),
  'simulator.swipe': () => ({ cardNumber: DEMO.cards.magstripe.cardNumber }),
  'simulator.printedReceipts': () => ({ limit: 2 }),
  'devices.discover': () => ({}),
  'devices.status': () => ({}),
  'devices.pair': () => ({ role: 'reader', reader: 'Virtual PCD 00 01' }),
  'devices.unpair': () => ({ role: 'reader' }),
  'devices.testReader': () => ({ timeoutMs: 1_000 }),
  'devices.testSwiper': () => ({ timeoutMs: 1_000 }),
  'devices.testPrint': () => ({}),
  'devices.openDrawer': () => ({}),
  'devices.diagnose': () => ({ language: 'en' }),
  'devices.bundle': () => ({}),
  'devices.setSettings': () => ({ kioskMode: false }),
  'display.show': () => ({ phase: 'total', amountFen: 1_234, cardId: card.id }),
  'display.current': () => ({}),
  'display.rate': () => ({ stars: 5 }),
  'display.status': () => ({}),
  'display.pair': () => ({ led: { kind: 'virtual' } }),
  'display.test': () => ({}),
  // The shift commands run in this order: open, cash in, the blind count, the sign-off; then yesterday closes.
  'shift.current': () => ({}),
  'shift.open': () => {
    // The well-formed run opens the shift last, and its slip is the one reprinted.
    openedShiftId = ulid();
    return { shiftId: openedShiftId, operationId: ulid(), floatCount: { '10000': 2, '100': 5 } };
  },
  'shift.handover': () => ({ shiftId: ulid(), fromShiftId: 'unknown-shift', floatCount: { '10000': 1 } }),
  'shift.cashMove': () => ({ operationId: ulid(), direction: 'in', amountFen: 5_000, reason: '找零' }),
  'shift.count': () => ({ count: { '10000': 2, '5000': 1, '100': 4 } }),
  'shift.signOff': () => ({
    dropOperationId: ulid(),
    overShortOperationId: ulid(),
    varianceReason: '少了一元',
    approver: { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin },
  }),
  'shift.recent': () => ({}),
  'shift.printSlip': () => ({ printId: ulid(), shiftId: openedShiftId }),
  'day.status': () => ({}),
  'day.report': () => ({ businessDay: yesterday() }),
  'day.close': () => ({ businessDay: yesterday() }),
  'day.setApprovalPolicy': () => ({ loneManagerAllowed: false }),
  'day.printReport': () => ({ printId: ulid(), businessDay: yesterday() }),
  'day.export': () => ({ exportId: ulid(), businessDay: yesterday(), content: 'z_report', format: 'csv' }),
  'reports.figures': () => ({ fromDay: '2026-03-01', toDay: '2026-03-04' }),
  'reports.members': () => ({}),
  'reports.analytics': () => ({}),
  'reports.ratings': () => ({ fromDay: '2026-12-01', toDay: '2026-12-05' }),
  'reports.exported': () => ({ report: 'trends', rows: 3 }),
  ...memberCommands.valid,
  'backups.status': () => ({}),
  'backups.run': () => ({}),
  'backups.restore': () => ({ name: 'ledger-20260301T000000000Z.posbak' }),
  'backups.configure': () => ({ everyHours: 24, keepDays: 30, offsiteDir: null }),
  'backups.issueRecoveryCode': () => ({}),
  'backups.keys': () => ({}),
  'backups.rotateKeys': () => ({}),
  ...ruleCommands.valid,
  ...staffCommands.valid,
  ...cardFormatCommands.valid,
  'limits.get': () => ({}),
  // The default again: the rest of the run keeps the limits it expects.
  'limits.set': () => ({ anonymousCardMaxFen: 100_000 }),
  'setup.status': () => ({}),
  'setup.standalone': () => ({ storeName: '老街面馆', timeZone: 'Asia/Shanghai', admin: FIRST_ADMIN }),
  'setup.join': () => ({ hqUrl: 'http://127.0.0.1:1', code: 'ABCD-EFGH-JKLM', admin: FIRST_ADMIN }),
  'setup.demo': () => ({}),
  'setup.restore': () => ({ folder: '/media/usb/member-card-pos-T1', code: 'ABCD-EFGH-JKMN-PQRS-TVWX' }),
  'hq.status': () => ({}),
  'hq.syncNow': () => ({}),
  'hq.join': () => ({ hqUrl: 'https://hq.example.com', code: 'ABCDE-FGHJK-MNPQR-STUVW' }),
  'cardKeys.export': () => ({ passphrase: 'correct horse battery' }),
  'cardKeys.import': () => ({ content: '{}', passphrase: 'correct horse battery' }),
};

/** The business day before today's, in the demo store. */
function yesterday(): string {
  const today = host.ledger.businessDayOf(DEMO.storeId, Date.now());
  return new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

const op = ulid();
/** Inputs each command must refuse, beyond the ones every command refuses (not an object, unknown keys). */
const MALFORMED: Record<CommandName, unknown[]> = {
  'session.login': [{ staffNo: '1001' }, { staffNo: '1001', pin: 123456 }, { staffNo: 'abc', pin: '123456' }],
  'session.logout': [],
  'session.current': [],
  'terminal.info': [],
  'card.lookup': [
    {},
    { uid: 'zz' },
    { uid: '04a1b2c3d4e5f6' },
    { uid: card.uid, cardNumber: card.cardNumber },
  ],
  'card.swipeText': [{}, { tracks: '' }, { tracks: ';'.repeat(513) }, { tracks: 42 }],
  'card.recentOperations': [{}, { cardId: card.id, limit: 0 }, { cardId: card.id, limit: 1.5 }],
  'wallet.previewTopUp': [{ cardId: card.id }, { cardId: card.id, amountFen: -100 }],
  'wallet.topUp': [
    { operationId: op, cardId: card.id, amountFen: 100.5, tender: 'cash' },
    { operationId: op, cardId: card.id, amountFen: 0, tender: 'cash' },
    { operationId: op, cardId: card.id, amountFen: 2 ** 53, tender: 'cash' },
    { operationId: op, cardId: card.id, amountFen: '100', tender: 'cash' },
    { operationId: op, cardId: card.id, amountFen: 100, tender: 'bitcoin' },
    { operationId: op, cardId: card.id, amountFen: 100, tender: 'wechat' },
    { operationId: 'not-a-ulid', cardId: card.id, amountFen: 100, tender: 'cash' },
  ],
  'wallet.charge': [
    { operationId: op, cardId: card.id, amountFen: 30.5 },
    { operationId: op, cardId: card.id, amountFen: -3050 },
    { operationId: op, cardId: card.id },
    { cardId: card.id, amountFen: 3050 },
  ],
  'wallet.void': [
    { operationId: op, cardId: card.id, targetOperationId: 'x' },
    { operationId: op, cardId: card.id, targetOperationId: 'x', approver: { staffNo: '2001' } },
  ],
  'wallet.refund': [
    { operationId: op, cardId: card.id, originalOperationId: 'x', amountFen: 100 },
    { operationId: op, cardId: card.id, originalOperationId: 'x', amountFen: 0, approver: {} },
  ],
  'wallet.withdraw': [
    { operationId: op, cardId: card.id, amountFen: 100, tender: 'cash' },
    { operationId: op, cardId: card.id, amountFen: -1, tender: 'cash', approver: {} },
  ],
  'receipt.reprint': [{ operationId: 'x' }, { operationId: 'x', requestId: 'not a ulid' }],
  'simulator.cards': [],
  'simulator.presentCard': [{}, { uid: 'not hex' }],
  'simulator.removeCard': [],
  'simulator.swipe': [{}, { cardNumber: '62 00' }, { cardNumber: ';6200000000000003=?' }],
  'simulator.printedReceipts': [{ limit: 500 }, { limit: '2' }],
  'devices.discover': [{ networkPrinters: 'printer:9100' }, { networkPrinters: Array(9).fill('a:9100') }],
  'devices.status': [],
  'devices.pair': [
    { role: 'reader' },
    { role: 'drawer' },
    { role: 'swiper', vendorId: 0x10000, productId: 1, mode: 'magtek' },
    { role: 'swiper', vendorId: 1, productId: 1, mode: 'morse' },
    {
      role: 'printer',
      profileId: 'pos58-203',
      transport: { kind: 'serial', path: 'ttyUSB0', baudRate: 9600 },
    },
    {
      role: 'printer',
      profileId: 'pos58-203',
      transport: { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 1234 },
    },
    { role: 'printer', profileId: 'pos58-203', transport: { kind: 'usblp', path: '/etc/passwd' } },
    { role: 'printer', profileId: 'pos58-203', transport: { kind: 'tcp', host: 'a b', port: 9100 } },
    { role: 'printer', profileId: 'pos58-203', transport: { kind: 'tcp', host: 'printer', port: 70000 } },
    { role: 'printer', profileId: 'epson', transport: { kind: 'usblp', path: '/dev/usb/lp0' } },
  ],
  'devices.unpair': [{}, { role: 'drawer' }],
  'devices.testReader': [{ timeoutMs: 10 }, { timeoutMs: 'soon' }],
  'devices.testSwiper': [{ timeoutMs: 10 }, { timeoutMs: 600_000 }],
  'devices.testPrint': [],
  'devices.openDrawer': [],
  'devices.diagnose': [{ language: 'fr' }],
  'devices.bundle': [],
  'devices.setSettings': [{ kioskMode: 'yes' }, { startAtLogin: 1 }],
  'display.show': [
    {},
    { phase: 'sold' },
    { phase: 'amount', amountFen: -1 },
    { phase: 'amount', amountFen: 1.5 },
  ],
  'display.current': [],
  'display.rate': [{ stars: 0 }, { stars: 6 }, { stars: 4.5 }, { stars: '5' }],
  'display.status': [],
  'display.pair': [
    {},
    { led: { kind: 'serial', path: 'ttyUSB0', baudRate: 2400 } },
    { led: { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 1200 } },
    { led: { kind: 'pole' } },
  ],
  'display.test': [],
  'shift.current': [],
  'shift.open': [
    { shiftId: op, operationId: op, floatCount: { '300': 1 } },
    { shiftId: op, operationId: op, floatCount: { '100': -1 } },
    { shiftId: op, operationId: op, floatCount: { '100': 1.5 } },
    { shiftId: op, floatCount: { '100': 1 } },
  ],
  'shift.handover': [
    { shiftId: op, fromShiftId: '', floatCount: {} },
    { shiftId: op, floatCount: {} },
  ],
  'shift.cashMove': [
    { operationId: op, direction: 'in', amountFen: 100 },
    { operationId: op, direction: 'in', amountFen: 100, reason: '   ' },
    { operationId: op, direction: 'sideways', amountFen: 100, reason: 'x' },
    { operationId: op, direction: 'out', amountFen: 0, reason: 'x' },
  ],
  'shift.count': [{}, { count: { '7': 1 } }],
  'shift.signOff': [
    { dropOperationId: op, overShortOperationId: op },
    {
      dropOperationId: op,
      overShortOperationId: op,
      handOverFen: -1,
      approver: { staffNo: '2001', pin: '888888' },
    },
  ],
  'shift.recent': [],
  'shift.printSlip': [{ shiftId: 'S-1' }, { printId: 'x', shiftId: 'S-1' }, { printId: op }],
  'day.status': [],
  'day.report': [{}, { businessDay: '2026-3-4' }, { businessDay: '2026-02-30' }],
  'day.close': [{}, { businessDay: 'today' }],
  'day.setApprovalPolicy': [{}, { loneManagerAllowed: 'yes' }, { loneManagerAllowed: 1 }],
  'day.printReport': [{ businessDay: '2026-03-04' }, { printId: 'x', businessDay: '2026-03-04' }],
  'day.export': [
    { exportId: op, businessDay: '2026-03-04', content: 'z_report', format: 'pdf' },
    { exportId: op, businessDay: '2026-03-04', content: 'everything', format: 'csv' },
  ],
  'reports.figures': [
    { fromDay: '2026-03-05', toDay: '2026-03-04' },
    { fromDay: '2020-01-01', toDay: '2026-03-04' },
    { fromDay: '2026-3-1' },
  ],
  'reports.members': [{ toDay: 'today' }],
  'reports.analytics': [{ fromDay: '2026-02-30' }],
  'reports.ratings': [{ fromDay: '2026-12-05', toDay: '2026-12-01' }],
  'reports.exported': [{ report: 'trends' }, { report: '../x', rows: 1 }, { report: 'trends', rows: -1 }],
  ...memberCommands.malformed,
  'backups.status': [],
  'backups.run': [],
  'backups.restore': [{}, { name: '../ledger.sqlite' }, { name: 'ledger-x.posbak' }],
  'backups.configure': [
    {},
    { everyHours: 0, keepDays: 14, offsiteDir: null },
    { everyHours: 24, keepDays: 1.5, offsiteDir: null },
    { everyHours: 24, keepDays: 14, offsiteDir: 5 },
  ],
  'backups.issueRecoveryCode': [{ code: 'x' }],
  'backups.keys': [{ all: true }],
  'backups.rotateKeys': [{ keyId: 'k9' }],
  ...ruleCommands.malformed,
  ...staffCommands.malformed,
  ...cardFormatCommands.malformed,
  'limits.get': [],
  'limits.set': [{}, { topUpMaxFen: 0 }, { chargeMaxFen: 1.5 }, { namedCardMaxFen: '5000' }, { perDay: 1 }],
  'setup.status': [],
  'setup.standalone': [{}, { storeName: '老街面馆', timeZone: 'Asia/Shanghai' }, { storeName: 1, admin: {} }],
  'setup.join': [{}, { hqUrl: 'http://127.0.0.1:1', code: 'x'.repeat(200), admin: FIRST_ADMIN }],
  'setup.demo': [],
  'setup.restore': [{}, { folder: '/tmp', code: 'x'.repeat(100) }],
  'hq.status': [],
  'hq.syncNow': [{ now: true }],
  'hq.join': [{}, { hqUrl: 'https://hq.example.com' }, { code: 'ABCDEFGHJK' }, { hqUrl: '', code: 'short' }],
  'cardKeys.export': [{}, { passphrase: 'short' }, { passphrase: 42 }],
  'cardKeys.import': [
    {},
    { content: '{}' },
    { passphrase: 'correct horse battery' },
    { content: '', passphrase: 'x' },
  ],
};

let dataDir: string;
let host: Host;
const sessions = new Map<Role, Session>();

function operationCount(): number {
  return host.ledger.operationsOf({ limit: 100_000 }).length;
}

async function sessionFor(role: Role): Promise<Session> {
  const existing = sessions.get(role);
  if (existing) return existing;
  const session = new Session('test');
  const staff = DEMO.staff[role];
  const reply = await host.api.call(session, 'session.login', { staffNo: staff.code, pin: staff.pin });
  expect(reply.ok).toBe(true);
  sessions.set(role, session);
  return session;
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-contract-'));
  host = createHost({ book: 'demo', dataDir });
  memberCommands.prepare();
  ruleCommands.prepare();
  staffCommands.prepare();
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('every command', () => {
  it.each(names)('%s refuses malformed input with INPUT_INVALID and changes nothing', async (name) => {
    const admin = await sessionFor('admin');
    const before = operationCount();
    const inputs = [42, 'text', [], { unexpected: true, ...(VALID[name]() as object) }, ...MALFORMED[name]];
    for (const input of inputs) {
      const reply = await host.api.call(admin, name, input);
      expect(reply, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
      if (!reply.ok)
        expect((reply.error.details?.issues as unknown[] | undefined)?.length).toBeGreaterThan(0);
    }
    expect(operationCount()).toBe(before);
  });

  it.each(names.filter((name) => commands[name].access !== 'public'))(
    '%s refuses a caller who has not logged in',
    async (name) => {
      const reply = await host.api.call(new Session('test'), name, VALID[name]());
      expect(reply).toMatchObject({ ok: false, error: { code: 'STAFF_NOT_LOGGED_IN' } });
    },
  );

  const forbidden = names.flatMap((name) => {
    const access = commands[name].access;
    return access === 'public'
      ? []
      : ROLES.filter((role) => !roleHas(role, access)).map((role) => [name, role]);
  }) as [CommandName, Role][];

  it.each(forbidden)('%s refuses the %s role, which lacks its permission', async (name, role) => {
    const before = operationCount();
    const reply = await host.api.call(await sessionFor(role), name, VALID[name]());
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'COMMAND_FORBIDDEN',
        details: { command: name, role, permission: commands[name].access },
      },
    });
    expect(operationCount()).toBe(before);
  });

  it('technicians may not move money at all', () => {
    expect(forbidden).toContainEqual(['wallet.topUp', 'technician']);
    expect(forbidden).toContainEqual(['wallet.charge', 'technician']);
    expect(forbidden).toContainEqual(['wallet.void', 'technician']);
  });

  it.each(names)('%s answers a well-formed call from a permitted role in its output schema', async (name) => {
    const access = commands[name].access;
    const role = ROLES.find((candidate) => access === 'public' || roleHas(candidate, access))!;
    // Logging in or out must not touch the sessions the other cases share.
    const fresh = name === 'session.login' || name === 'session.logout';
    const session = fresh ? new Session('test') : await sessionFor(role);
    const reply = await host.api.call(session, name, VALID[name]());
    if (name === 'devices.testReader' || name === 'devices.testSwiper' || name === 'devices.openDrawer') {
      // Nothing is paired on this throw-away terminal: the test says so instead of waiting for a card.
      expect(reply).toMatchObject({ ok: false, error: { code: 'DEVICE_NOT_PAIRED' } });
      return;
    }
    if (name === 'wallet.void' || name === 'wallet.refund') {
      // The well-formed void names no real operation: the host looks it up and refuses in words.
      expect(reply).toMatchObject({ ok: false, error: { code: 'OPERATION_UNKNOWN' } });
      return;
    }
    if (name === 'receipt.reprint') {
      expect(reply).toMatchObject({ ok: false, error: { code: 'RECEIPT_NOT_AVAILABLE' } });
      return;
    }
    if (name === 'display.rate') {
      // No charge is on the customer display: there is nothing for a customer to rate.
      expect(reply).toMatchObject({ ok: false, error: { code: 'RATING_NOT_RATEABLE' } });
      return;
    }
    if (
      name === 'backups.run' ||
      name === 'backups.restore' ||
      name === 'backups.issueRecoveryCode' ||
      name === 'backups.rotateKeys'
    ) {
      // This throw-away terminal was started without data keys: backups refuse instead of writing plain copies.
      expect(reply).toMatchObject({ ok: false, error: { code: 'BACKUP_KEYS_MISSING' } });
      return;
    }
    if (name === 'cardKeys.import') {
      // Not a sealed key file: refused in words, the till's keys unchanged.
      expect(reply).toMatchObject({ ok: false, error: { code: 'CARD_KEYS_FILE_INVALID' } });
      return;
    }
    if (name === 'hq.join') {
      // The contract's terminal is the demo café: a demo book never joins a chain, and the host says so.
      expect(reply).toMatchObject({ ok: false, error: { code: 'ENROLMENT_NOT_ALLOWED' } });
      return;
    }
    if (name.startsWith('setup.') && name !== 'setup.status') {
      // This terminal has its book: setting it up again is refused, whoever asks.
      expect(reply).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } });
      return;
    }
    if (name === 'shift.handover') {
      // Nothing was handed over: the shifts module refuses with its own code, through the boundary.
      expect(reply).toMatchObject({ ok: false, error: { code: 'SHIFT_UNKNOWN' } });
      return;
    }
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    if (reply.ok) expect(() => commands[name].output.parse(reply.value)).not.toThrow();
  });
});

describe('the boundary', () => {
  it('answers any input to any command with a reply, never a throw, and never moves money for junk', async () => {
    const admin = await sessionFor('admin');
    const before = operationCount();
    // Logging out would only make every later call STAFF_NOT_LOGGED_IN; the property is about the rest.
    const commandsToFuzz = names.filter((name) => name !== 'session.logout' && name !== 'session.login');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commandsToFuzz), fc.anything(), async (name, input) => {
        const reply = await host.api.call(admin, name, input);
        expect(typeof reply.ok).toBe('boolean');
        if (!reply.ok) expect(reply.error.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      }),
      { numRuns: 300 },
    );
    expect(operationCount()).toBe(before);
  });

  it('refuses a command that does not exist', async () => {
    const reply = await host.api.call(await sessionFor('admin'), 'wallet.steal', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'COMMAND_UNKNOWN' } });
  });

  it('passes a ledger refusal through with its code and details', async () => {
    const reply = await host.api.call(await sessionFor('cashier'), 'wallet.charge', {
      operationId: ulid(),
      cardId: card.id,
      // Within the chain's limit for one charge, far beyond the card's balance.
      amountFen: 400_000,
    });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(['BALANCE_INSUFFICIENT', 'AMOUNT_INVALID']).toContain(reply.error.code);
  });

  it('refuses a void approved by a cashier PIN', async () => {
    const cashier = await sessionFor('cashier');
    const charge = await host.api.call(cashier, 'wallet.charge', VALID['wallet.charge']());
    expect(charge.ok).toBe(true);
    const target = charge.ok ? (charge.value as { operationId: string }).operationId : '';
    const reply = await host.api.call(cashier, 'wallet.void', {
      operationId: ulid(),
      cardId: card.id,
      targetOperationId: target,
      approver: { staffNo: DEMO.staff.cashier.code, pin: DEMO.staff.cashier.pin },
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'APPROVER_NOT_MANAGER' } });
  });

  it('replays a repeated operation id instead of applying it twice', async () => {
    const cashier = await sessionFor('cashier');
    const input = VALID['wallet.charge']();
    const first = await host.api.call(cashier, 'wallet.charge', input);
    const second = await host.api.call(cashier, 'wallet.charge', input);
    expect(first).toMatchObject({ ok: true, value: { replayed: false } });
    expect(second).toMatchObject({ ok: true, value: { replayed: true } });
  });

  it('reads a keyboard-wedge swipe of a member card and refuses a bank card without echoing its tracks', async () => {
    const cashier = await sessionFor('cashier');
    const member = await host.api.call(cashier, 'card.swipeText', {
      tracks: `;${DEMO.cards.magstripe.cardNumber}?\n`,
    });
    expect(member).toEqual({ ok: true, value: { cardNumber: DEMO.cards.magstripe.cardNumber } });
    const bank = await host.api.call(cashier, 'card.swipeText', {
      tracks: ';4111111111111111=29121010000000000000?\n',
    });
    expect(bank).toMatchObject({ ok: false, error: { code: 'CARD_IS_PAYMENT_CARD' } });
    expect(JSON.stringify(bank)).not.toContain('4111111111111111');
  });

  it("asks for the member's password on a charge once the member has set one, and counts wrong tries", async () => {
    const cashier = await sessionFor('cashier');
    const mifare = DEMO.cards.mifare;
    host.members.setPassword({
      memberId: DEMO.members.mifare.id,
      password: '246810',
      staffId: DEMO.staff.cashier.id,
      terminalId: DEMO.terminalId,
    });
    // The card lies on the reader, as at the counter: a secured card is not charged by its number alone.
    const presented = host.hub.next('card.presented', (card) => card.cardNumber === mifare.cardNumber);
    await host.simulator!.presentCard(host.simulator!.offerSecuredCard(mifare.cardNumber)!);
    await presented;
    const view = await host.api.call(cashier, 'card.lookup', { cardNumber: mifare.cardNumber });
    expect(view).toMatchObject({ ok: true, value: { member: { hasPassword: true } } });

    const charge = { operationId: ulid(), cardId: mifare.id, amountFen: 500 };
    expect(await host.api.call(cashier, 'wallet.charge', charge)).toMatchObject({
      ok: false,
      error: { code: 'MEMBER_PASSWORD_REQUIRED' },
    });
    expect(
      await host.api.call(cashier, 'wallet.charge', { ...charge, memberPassword: '135790' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_WRONG', details: { attemptsLeft: 4 } },
    });
    expect(
      await host.api.call(cashier, 'wallet.charge', { ...charge, memberPassword: '246810' }),
    ).toMatchObject({
      ok: true,
      value: { amountFen: 500, replayed: false },
    });
  });

  it("asks for the member's password before points buy a gift, as a charge does, and counts wrong tries", async () => {
    const manager = await sessionFor('manager');
    const cashier = await sessionFor('cashier');
    const magstripe = DEMO.cards.magstripe;
    host.members.setPassword({
      memberId: DEMO.members.magstripe.id,
      password: '975310',
      staffId: DEMO.staff.cashier.id,
      terminalId: DEMO.terminalId,
    });
    await host.api.call(manager, 'points.putGift', {
      gift: { id: 'password-gift', name: '杯子', points: 1, active: true },
    });
    const redeem = { operationId: ulid(), cardId: magstripe.id, giftId: 'password-gift' };
    const points = async () => {
      const view = await host.api.call(cashier, 'card.lookup', { cardNumber: magstripe.cardNumber });
      return view.ok ? (view.value as { balance: { points: number } }).balance.points : Number.NaN;
    };
    const pointsBefore = await points();
    expect(await host.api.call(cashier, 'points.redeemGift', redeem)).toMatchObject({
      ok: false,
      error: { code: 'MEMBER_PASSWORD_REQUIRED' },
    });
    expect(
      await host.api.call(cashier, 'points.redeemGift', { ...redeem, memberPassword: '000000' }),
    ).toMatchObject({ ok: false, error: { code: 'PASSWORD_WRONG', details: { attemptsLeft: 4 } } });
    expect(await points()).toBe(pointsBefore);
    expect(
      await host.api.call(cashier, 'points.redeemGift', { ...redeem, memberPassword: '975310' }),
    ).toMatchObject({ ok: true, value: { gift: { id: 'password-gift' } } });
    expect(await points()).toBe(pointsBefore - 1);
  });

  it("quotes the store's top-up promotion and refuses a top-up whose confirmed quote no longer holds", async () => {
    const cashier = await sessionFor('cashier');
    const preview = await host.api.call(cashier, 'wallet.previewTopUp', {
      cardId: card.id,
      amountFen: 50_000,
    });
    expect(preview).toMatchObject({ ok: true, value: { bonusFen: 12_000, points: 500, rule: '充值送' } });
    const quote = preview.ok ? (preview.value as { ruleId: string; ruleVersion: number }) : null;
    const stale = await host.api.call(cashier, 'wallet.topUp', {
      operationId: ulid(),
      cardId: card.id,
      amountFen: 50_000,
      tender: 'wechat',
      reference: 'WX-STALE',
      quote: { ruleId: quote!.ruleId, ruleVersion: quote!.ruleVersion, bonusFen: 99_900, points: 500 },
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'QUOTE_CHANGED' } });
  });

  it('reduces an unexpected error to HOST_FAILED without its message or stack', () => {
    const failure = toFailure(new Error('SQLITE_CORRUPT at /home/pos/ledger.sqlite'));
    expect(failure).toEqual({
      code: 'HOST_FAILED',
      message: 'The terminal hit an unexpected problem; it has been logged',
    });
  });

  it('keeps a domain error as code, message and details only', () => {
    const cause = new Error('inner');
    const failure = toFailure(
      new ApiError('CARD_UNKNOWN', 'No such card', { cause, details: { uid: 'AB' } }),
    );
    expect(failure).toEqual({ code: 'CARD_UNKNOWN', message: 'No such card', details: { uid: 'AB' } });
    expect(JSON.stringify(failure)).not.toContain('stack');
  });
});
