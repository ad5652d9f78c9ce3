/**
 * Staff administration from the admin's screen: the staff list with each member's role and state, adding a
 * staff member with an initial PIN, deactivating and reactivating, resetting a PIN, clearing a lockout and
 * changing a role. The last active admin can be neither deactivated nor given another role (ADMIN_IS_LAST).
 */
import { z } from 'zod';
import type { CommandDefinition } from './definition';
import { digits, entityId, epochMs, role } from './schemas';

export const staffEntry = z.object({
  id: entityId,
  staffNo: z.string(),
  name: z.string(),
  role,
  /** False while deactivated: the login is refused with STAFF_DEACTIVATED. */
  active: z.boolean(),
  /** Locked out after too many wrong PINs until unlocked or given a new PIN. */
  locked: z.boolean(),
  createdAt: epochMs,
});
export type StaffEntry = z.infer<typeof staffEntry>;

/** The same shapes the login accepts, so every PIN set here can be typed at the login screen. */
const staffNo = digits(3, 8);
const pin = digits(4, 8);
const target = z.object({ id: entityId }).strict();

export const staffCommands = {
  'staff.list': {
    summary: 'Every staff member with role and state (active, locked out)',
    access: 'staff.manage',
    input: z.object({}).strict(),
    output: z.array(staffEntry),
  },
  'staff.add': {
    summary: 'Add a staff member with a staff number, name, role and initial PIN',
    access: 'staff.manage',
    input: z.object({ staffNo, name: z.string().trim().min(1).max(40), role, pin }).strict(),
    output: staffEntry,
  },
  'staff.deactivate': {
    summary: 'Deactivate a staff member: their login is refused until reactivated',
    access: 'staff.manage',
    input: target,
    output: staffEntry,
  },
  'staff.reactivate': {
    summary: 'Let a deactivated staff member log in again',
    access: 'staff.manage',
    input: target,
    output: staffEntry,
  },
  'staff.resetPin': {
    summary: "Set a staff member's new PIN; clears the wrong-PIN count and any lockout",
    access: 'staff.manage',
    input: z.object({ id: entityId, pin }).strict(),
    output: staffEntry,
  },
  'staff.unlock': {
    summary: 'Clear a lockout after too many wrong PINs',
    access: 'staff.manage',
    input: target,
    output: staffEntry,
  },
  'staff.changeRole': {
    summary: "Change a staff member's role",
    access: 'staff.manage',
    input: z.object({ id: entityId, role }).strict(),
    output: staffEntry,
  },
  /**
   * From the login screen, nobody logged in: a manager unlocks a cashier locked out by wrong PINs with their
   * own staff number and PIN (counted as approver tries, so it cannot be used to guess); an admin unlocks anyone.
   */
  'staff.unlockWithApprover': {
    summary: 'A manager at the login screen unlocks a locked-out cashier with their own PIN',
    access: 'public',
    input: z.object({ staffNo, approver: z.object({ staffNo, pin }).strict() }).strict(),
    output: z.object({ staffNo: z.string(), name: z.string() }),
  },
  /** From the login screen: the recovery sheet's one-time code gives an admin a new PIN (and unlocks them). */
  'staff.recover': {
    summary: "An admin's way back in with the store's recovery code: a new PIN, lockout cleared",
    access: 'public',
    input: z.object({ recoveryCode: z.string().trim().min(16).max(40), staffNo, pin }).strict(),
    output: z.object({ staffNo: z.string(), name: z.string() }),
  },
  'staff.recoverySheet': {
    summary: 'Whether the store has a recovery sheet, and when it was issued (never the code)',
    access: 'staff.manage',
    input: z.object({}).strict(),
    output: z.object({ issuedAt: epochMs, issuedBy: z.string() }).nullable(),
  },
  'staff.issueRecoverySheet': {
    summary: 'Issue a new recovery sheet: its one-time code is returned this once and kept only as a hash',
    access: 'staff.manage',
    input: z.object({}).strict(),
    output: z.object({ code: z.string(), issuedAt: epochMs }),
  },
} satisfies Record<string, CommandDefinition>;
