/**
 * Calling a host's API the way a screen does, for tests: log a staff member in, call a command expecting an
 * answer (the refusal fails the test, with its code), or expecting a refusal (returned for the test to read).
 */
import { expect } from 'vitest';
import type { Reply } from '../../electron/contract';
import type { Host } from '../../electron/host/compose';
import { Session } from '../../electron/host/session';

export function apiCalls(host: () => Host) {
  return {
    async login(staffNo: string, pin: string): Promise<Session> {
      const session = new Session('test');
      const reply = await host().api.call(session, 'session.login', { staffNo, pin });
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
      return session;
    },
    async ok<T>(session: Session, command: string, input: unknown): Promise<T> {
      const reply = (await host().api.call(session, command, input)) as Reply<T>;
      if (!reply.ok) throw new Error(`${command} refused: ${JSON.stringify(reply.error)}`);
      return reply.value;
    },
    async refusal(session: Session, command: string, input: unknown) {
      const reply = await host().api.call(session, command, input);
      expect(reply.ok, JSON.stringify(reply)).toBe(false);
      return reply.ok ? undefined : reply.error;
    },
  };
}
