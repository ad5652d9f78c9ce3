/**
 * Who is logged in on one connection (one Electron window or one browser tab). Each transport keeps one
 * Session per connection; a login on one tab does not log in another.
 */
import { ROLE_PERMISSIONS, type Role, type StaffView } from '../contract';

let sequence = 0;

export class Session {
  readonly id: string;
  private current: StaffView | null = null;

  constructor(readonly origin: string) {
    sequence += 1;
    this.id = `${origin}-${sequence}`;
  }

  get staff(): StaffView | null {
    return this.current;
  }

  get role(): Role | null {
    return this.current?.role ?? null;
  }

  logIn(staff: StaffView): void {
    this.current = staff;
  }

  logOut(): void {
    this.current = null;
  }

  view(): { staff: StaffView; permissions: string[] } | null {
    return this.current === null
      ? null
      : { staff: this.current, permissions: [...ROLE_PERMISSIONS[this.current.role]] };
  }
}
