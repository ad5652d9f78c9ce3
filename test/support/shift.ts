/**
 * Opens a shift on a host's terminal the way a cashier does (`shift.open` through the API), for tests whose
 * subject is something else but which move cash: cash moves only inside a shift.
 */
import { ulid } from 'ulid';
import { DEMO } from '../../db';
import type { Host } from '../../electron/host/compose';
import { Session } from '../../electron/host/session';

export async function openShift(
  host: Host,
  staff: { code: string; pin: string } = DEMO.staff.cashier,
  floatCount: Record<string, number> = { '10000': 5 },
): Promise<string> {
  const session = new Session('shift-opener');
  const login = await host.api.call(session, 'session.login', { staffNo: staff.code, pin: staff.pin });
  if (!login.ok) throw new Error(`login refused: ${JSON.stringify(login.error)}`);
  const shiftId = ulid();
  const reply = await host.api.call(session, 'shift.open', { shiftId, operationId: ulid(), floatCount });
  if (!reply.ok) throw new Error(`shift.open refused: ${JSON.stringify(reply.error)}`);
  return shiftId;
}
