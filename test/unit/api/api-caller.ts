/**
 * Calls through a host's API as a demo staff member (one logged-in session per role, made on first use):
 * `ok` returns the value or fails the test with the refusal, `refused` returns the refusal or fails.
 */
import { expect } from 'vitest';
import { DEMO } from '../../../db';
import type { CommandName } from '../../../electron/contract';
import type { Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';

export type DemoRole = 'cashier' | 'manager' | 'admin';

export function apiCaller(host: () => Host) {
  const sessions = new Map<string, Session>();

  async function as(role: DemoRole) {
    let session = sessions.get(role);
    if (session === undefined) {
      session = new Session('test');
      const staff = DEMO.staff[role];
      const reply = await host().api.call(session, 'session.login', { staffNo: staff.code, pin: staff.pin });
      expect(reply.ok).toBe(true);
      sessions.set(role, session);
    }
    return session;
  }

  async function ok<T = Record<string, unknown>>(role: DemoRole, name: CommandName, input: unknown) {
    const reply = await host().api.call(await as(role), name, input);
    if (!reply.ok) throw new Error(`${name} refused: ${JSON.stringify(reply.error)}`);
    return reply.value as T;
  }

  async function refused(role: DemoRole, name: CommandName, input: unknown) {
    const reply = await host().api.call(await as(role), name, input);
    if (reply.ok) throw new Error(`${name} was accepted`);
    return reply.error;
  }

  return { as, ok, refused };
}
