/**
 * The staff member a command acts for. `api.ts` has already refused a command that needs a login; this is
 * for the handlers' types, and for the one path that could still reach a handler with nobody logged in.
 */
import type { StaffView } from '../../contract';
import { ApiError } from '../../errors';
import type { Session } from '../session';

export function staffOf(session: Session): StaffView {
  const staff = session.staff;
  if (staff === null) throw new ApiError('STAFF_NOT_LOGGED_IN', 'Log in first');
  return staff;
}
