/**
 * The idle lock in the host: a logged-in session that runs no command for the store's idle period is logged
 * out, its next protected command refused with SESSION_EXPIRED and `session.current` answering null; any
 * command before then keeps it alive; 0 turns the lock off. Real host; the period is set through the setting.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { createHost, type Host, IDLE_LOCK_SETTING } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';

let dataDir: string;
let host: Host;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-idle-'));
  host = createHost({ book: 'demo', dataDir });
});
afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function loggedIn(): Promise<Session> {
  const session = new Session('test');
  const reply = await host.api.call(session, 'session.login', {
    staffNo: DEMO.staff.cashier.code,
    pin: DEMO.staff.cashier.pin,
  });
  expect(reply.ok).toBe(true);
  return session;
}

const lookup = (session: Session) => host.api.call(session, 'card.lookup', { uid: DEMO.cards.uid.uid });

describe('the idle lock', () => {
  it('locks a session idle past the period: SESSION_EXPIRED, then nobody is logged in', async () => {
    host.ledger.settings.set(IDLE_LOCK_SETTING, 0.002); // 120 ms
    const session = await loggedIn();
    await pause(400);
    expect(await lookup(session)).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } });
    expect(await host.api.call(session, 'session.current', {})).toEqual({ ok: true, value: null });
    expect(await lookup(session)).toMatchObject({ ok: false, error: { code: 'STAFF_NOT_LOGGED_IN' } });
  });

  it('keeps a working session alive, and never locks with the period set to 0', async () => {
    host.ledger.settings.set(IDLE_LOCK_SETTING, 0.05); // 3 s
    const busy = await loggedIn();
    for (let i = 0; i < 5; i += 1) {
      await pause(200);
      expect((await lookup(busy)).ok).toBe(true);
    }
    host.ledger.settings.set(IDLE_LOCK_SETTING, 0);
    const session = await loggedIn();
    await pause(300);
    expect((await lookup(session)).ok).toBe(true);
  });

  it('locks after five minutes when the store set nothing', async () => {
    host.ledger.settings.delete(IDLE_LOCK_SETTING);
    const session = await loggedIn();
    // Five minutes of idleness, as the session would have it.
    session.touch(Date.now() - 5 * 60_000 - 1_000);
    expect(await lookup(session)).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } });
  });
});
