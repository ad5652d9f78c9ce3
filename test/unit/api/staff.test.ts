/**
 * Staff administration through the host's API, as the admin's staff screen uses it: only an admin may list
 * or change staff; a staff member added here logs in with the initial PIN; a deactivated one is refused at
 * the login; the last active admin is kept. Real host on a throw-away ledger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { createHost, type Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';

let dataDir: string;
let host: Host;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-staff-'));
  host = createHost({ book: 'demo', dataDir });
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function login(staffNo: string, pin: string) {
  const session = new Session('test');
  const reply = await host.api.call(session, 'session.login', { staffNo, pin });
  return { session, reply };
}

async function loggedIn(role: keyof typeof DEMO.staff): Promise<Session> {
  const { session, reply } = await login(DEMO.staff[role].code, DEMO.staff[role].pin);
  expect(reply.ok).toBe(true);
  return session;
}

describe('staff administration through the API', () => {
  it('lets an admin list staff with role and state, and refuses a manager with COMMAND_FORBIDDEN', async () => {
    const admin = await loggedIn('admin');
    const list = await host.api.call(admin, 'staff.list', {});
    expect(list.ok).toBe(true);
    const entries = list.ok ? (list.value as Array<{ staffNo: string; role: string; active: boolean }>) : [];
    expect(entries).toContainEqual(
      expect.objectContaining({ staffNo: '2001', role: 'manager', active: true, locked: false }),
    );

    const manager = await loggedIn('manager');
    for (const [command, input] of [
      ['staff.list', {}],
      ['staff.add', { staffNo: '5555', name: '越权', role: 'admin', pin: '123456' }],
      ['staff.changeRole', { id: DEMO.staff.manager.id, role: 'admin' }],
    ] as const) {
      expect(await host.api.call(manager, command, input)).toMatchObject({
        ok: false,
        error: { code: 'COMMAND_FORBIDDEN', details: { permission: 'staff.manage', role: 'manager' } },
      });
    }
    expect(host.ledger.staff(DEMO.staff.manager.id)?.role).toBe('manager');
    expect(host.ledger.listStaff().some((staff) => staff.code === '5555')).toBe(false);
  });

  it('adds a staff member who logs in with the initial PIN; deactivated, the login is refused', async () => {
    const admin = await loggedIn('admin');
    const added = await host.api.call(admin, 'staff.add', {
      staffNo: '1002',
      name: '周晓',
      role: 'cashier',
      pin: '246810',
    });
    expect(added).toMatchObject({ ok: true, value: { staffNo: '1002', role: 'cashier', active: true } });
    const id = added.ok ? (added.value as { id: string }).id : '';
    expect((await login('1002', '246810')).reply.ok).toBe(true);

    expect(await host.api.call(admin, 'staff.deactivate', { id })).toMatchObject({
      ok: true,
      value: { active: false },
    });
    expect((await login('1002', '246810')).reply).toMatchObject({
      ok: false,
      error: { code: 'STAFF_DEACTIVATED' },
    });

    expect(await host.api.call(admin, 'staff.reactivate', { id })).toMatchObject({ ok: true });
    expect(await host.api.call(admin, 'staff.resetPin', { id, pin: '1357' })).toMatchObject({ ok: true });
    expect((await login('1002', '246810')).reply).toMatchObject({
      ok: false,
      error: { code: 'STAFF_PIN_WRONG' },
    });
    expect((await login('1002', '1357')).reply.ok).toBe(true);

    expect(
      await host.api.call(admin, 'staff.add', {
        staffNo: '1002',
        name: '重复',
        role: 'cashier',
        pin: '1111',
      }),
    ).toMatchObject({ ok: false, error: { code: 'STAFF_CODE_TAKEN' } });
  });

  it('unlocks a staff member locked out after wrong PINs', async () => {
    const admin = await loggedIn('admin');
    for (let attempt = 0; attempt < 5; attempt += 1) await login(DEMO.staff.technician.code, '0000');
    expect((await login(DEMO.staff.technician.code, DEMO.staff.technician.pin)).reply).toMatchObject({
      ok: false,
      error: { code: 'STAFF_LOCKED' },
    });
    expect(await host.api.call(admin, 'staff.unlock', { id: DEMO.staff.technician.id })).toMatchObject({
      ok: true,
      value: { locked: false },
    });
    expect((await login(DEMO.staff.technician.code, DEMO.staff.technician.pin)).reply.ok).toBe(true);
  });

  it('keeps the last active admin, and lets a second admin take over', async () => {
    const admin = await loggedIn('admin');
    const self = DEMO.staff.admin.id;
    expect(await host.api.call(admin, 'staff.deactivate', { id: self })).toMatchObject({
      ok: false,
      error: { code: 'ADMIN_IS_LAST' },
    });
    expect(await host.api.call(admin, 'staff.changeRole', { id: self, role: 'cashier' })).toMatchObject({
      ok: false,
      error: { code: 'ADMIN_IS_LAST' },
    });
    const audit = host.ledger.sqlite
      .prepare(`SELECT outcome, code, staff_id AS staffId FROM audit WHERE action = 'staff.changeRole'`)
      .all();
    expect(audit).toEqual([{ outcome: 'rejected', code: 'ADMIN_IS_LAST', staffId: self }]);

    expect(
      await host.api.call(admin, 'staff.changeRole', { id: DEMO.staff.manager.id, role: 'admin' }),
    ).toMatchObject({ ok: true, value: { role: 'admin' } });
    expect(
      await host.api.call(admin, 'staff.changeRole', { id: DEMO.staff.manager.id, role: 'manager' }),
    ).toMatchObject({
      ok: true,
      value: { role: 'manager' },
    });
    expect(host.ledger.staff(self)).toMatchObject({ role: 'admin', active: true });
  });
});

describe('a logged-in session follows the staff member', () => {
  async function added(staffNo: string, role: 'cashier' | 'manager'): Promise<string> {
    const admin = await loggedIn('admin');
    const reply = await host.api.call(admin, 'staff.add', {
      staffNo,
      name: `员工${staffNo}`,
      role,
      pin: '135790',
    });
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    return reply.ok ? (reply.value as { id: string }).id : '';
  }

  it('ends at once when the staff member is deactivated, and says why until someone logs in', async () => {
    const id = await added('1101', 'cashier');
    const { session: cashier } = await login('1101', '135790');
    const colleague = await loggedIn('cashier');
    const lookup = { uid: DEMO.cards.uid.uid };
    expect((await host.api.call(cashier, 'card.lookup', lookup)).ok).toBe(true);

    const admin = await loggedIn('admin');
    expect(await host.api.call(admin, 'staff.deactivate', { id })).toMatchObject({ ok: true });

    // The very next command, a read included, is refused; nothing waits for the idle lock.
    expect(await host.api.call(cashier, 'card.lookup', lookup)).toMatchObject({
      ok: false,
      error: { code: 'STAFF_DEACTIVATED', details: { staffId: id } },
    });
    expect(cashier.staff).toBeNull();
    // The screen's poll hears the same reason, however often it asks; the login screen's facts still load.
    for (let poll = 0; poll < 2; poll += 1) {
      expect(await host.api.call(cashier, 'session.current', {})).toMatchObject({
        ok: false,
        error: { code: 'STAFF_DEACTIVATED' },
      });
    }
    expect((await host.api.call(cashier, 'terminal.info', {})).ok).toBe(true);
    // Another staff member's session on the same terminal carries on.
    expect((await host.api.call(colleague, 'card.lookup', lookup)).ok).toBe(true);

    // Reactivated, the old session stays ended: the staff member logs in again.
    expect(await host.api.call(admin, 'staff.reactivate', { id })).toMatchObject({ ok: true });
    expect(await host.api.call(cashier, 'card.lookup', lookup)).toMatchObject({
      ok: false,
      error: { code: 'STAFF_DEACTIVATED' },
    });
    expect(await host.api.call(cashier, 'session.login', { staffNo: '1101', pin: '135790' })).toMatchObject({
      ok: true,
    });
    expect((await host.api.call(cashier, 'card.lookup', lookup)).ok).toBe(true);
    expect(await host.api.call(cashier, 'session.current', {})).toMatchObject({
      ok: true,
      value: { staff: { id } },
    });
  });

  it("applies a role change to the session's very next command, both ways", async () => {
    const id = await added('2101', 'manager');
    const { session: manager } = await login('2101', '135790');
    expect((await host.api.call(manager, 'day.status', {})).ok).toBe(true);

    const admin = await loggedIn('admin');
    expect(await host.api.call(admin, 'staff.changeRole', { id, role: 'cashier' })).toMatchObject({
      ok: true,
    });
    expect(await host.api.call(manager, 'day.status', {})).toMatchObject({
      ok: false,
      error: { code: 'COMMAND_FORBIDDEN', details: { role: 'cashier', permission: 'day.close' } },
    });
    const view = await host.api.call(manager, 'session.current', {});
    expect(view).toMatchObject({ ok: true, value: { staff: { id, role: 'cashier' } } });
    expect(view.ok && (view.value as { permissions: string[] }).permissions).not.toContain('day.close');
    // Still logged in: what a cashier may do goes on.
    expect((await host.api.call(manager, 'card.lookup', { uid: DEMO.cards.uid.uid })).ok).toBe(true);

    expect(await host.api.call(admin, 'staff.changeRole', { id, role: 'manager' })).toMatchObject({
      ok: true,
    });
    expect((await host.api.call(manager, 'day.status', {})).ok).toBe(true);
  });
});
