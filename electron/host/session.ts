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

  /** When the session last ran a command (UTC ms); the idle lock counts from here. */
  private lastActive = 0;

  logIn(staff: StaffView, at: number = Date.now()): void {
    this.current = staff;
    this.lastActive = at;
  }

  /** Marks activity now. */
  touch(at: number): void {
    this.lastActive = at;
  }

  /** How long the logged-in staff member has been idle (0 when nobody is logged in). */
  idleFor(at: number): number {
    return this.current === null ? 0 : Math.max(0, at - this.lastActive);
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
