/**
 * Who is logged in on one connection (one Electron window or one browser tab). Each transport keeps one
 * Session per connection; a login on one tab does not log in another. The staff member's role and state are
 * followed on every command (`followStaff`), so a role change or a deactivation by an admin takes effect at
 * once rather than at the next login.
 */
import { ROLE_PERMISSIONS, type Role, type StaffView } from '../contract';

let sequence = 0;

/** What the host knows of a staff member now: enough to follow a role change or a deactivation. */
export interface StaffState {
  active: boolean;
  role: Role;
  name: string;
}

export class Session {
  readonly id: string;
  private current: StaffView | null = null;
  /**
   * The staff member the host logged out because an admin deactivated them, kept until the next login or
   * logout so every connection polling this session learns why it ended, not just the first command.
   */
  private deactivated: string | null = null;

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
    this.deactivated = null;
  }

  /** The staff id whose deactivation ended this session, or null. */
  get endedByDeactivation(): string | null {
    return this.deactivated;
  }

  /**
   * Brings the session in line with the staff member's current state: deactivated (or gone) ends it; a new
   * role or name replaces the old one, so the next permission check uses the new role. Returns what changed.
   */
  followStaff(state: StaffState | undefined): 'ended' | 'changed' | 'same' {
    const staff = this.current;
    if (staff === null) return 'same';
    if (state === undefined || !state.active) {
      this.current = null;
      this.deactivated = staff.id;
      return 'ended';
    }
    if (state.role === staff.role && state.name === staff.name) return 'same';
    this.current = { ...staff, role: state.role, name: state.name };
    return 'changed';
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
    this.deactivated = null;
  }

  view(): { staff: StaffView; permissions: string[] } | null {
    return this.current === null
      ? null
      : { staff: this.current, permissions: [...ROLE_PERMISSIONS[this.current.role]] };
  }
}
