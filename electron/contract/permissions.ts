/**
 * Roles and what each may do. The host enforces this on every command; the renderer reads the same table only
 * to hide buttons a role could not use anyway.
 */
export const ROLES = ['cashier', 'manager', 'technician', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'card.read',
  'wallet.topUp',
  'wallet.charge',
  'wallet.void',
  'simulator.use',
  'devices.read',
  /** A cashier's own shift: open, cash in and out with a reason, the blind count. */
  'shift.operate',
  /** Close the business day, read and reprint its Z report, export it. */
  'day.close',
  /** The manager's analytics. */
  'reports.read',
  'devices.pair',
  /** The member-card format: the secured sector and the on-card purse (technicians and admins). */
  'cards.format',
  /** The chain id on the member cards: changing it orphans every card issued under the old one (admins). */
  'cards.chain',
  /** Member search and profiles (masked unless a manager looks). */
  'members.read',
  /** Register, edit and delete members (deletion also needs a manager's approval). */
  'members.write',
  /** One member's whole data as a file (the PIPL access right). */
  'members.export',
  /** Activate a card, report one lost, set a member password; replace or reset with a manager's PIN. */
  'cards.activate',
  /** Freeze, unfreeze and close cards: managers only. */
  'cards.manage',
  /** Bonus rules, points settings and gifts, bonus expiry, where notices go, win-back notices: managers only. */
  'rules.manage',
  /** Members and operations written to files (CSV, XLSX): managers only. */
  'data.export',
  /** Take, list and restore encrypted backups of the book: admins only. */
  'backups.manage',
  /** Add staff, deactivate and reactivate them, reset PINs, unlock, change roles: admins only. */
  'staff.manage',
  /** Join a chain with a code from HQ, or enrol a revoked or replaced till again: admins only. */
  'hq.enrol',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** `public` commands run without a login (logging in itself, terminal facts shown on the login screen). */
export type Access = Permission | 'public';

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  cashier: [
    'card.read',
    'wallet.topUp',
    'wallet.charge',
    'wallet.void',
    'simulator.use',
    'members.read',
    'members.write',
    'cards.activate',
    // Their own shift: open, cash in and out with a reason, the blind count; a manager's PIN signs it off.
    'shift.operate',
  ],
  manager: [
    'card.read',
    'wallet.topUp',
    'wallet.charge',
    'wallet.void',
    'simulator.use',
    'devices.read',
    'members.read',
    'members.write',
    'members.export',
    'cards.activate',
    'cards.manage',
    'shift.operate',
    'day.close',
    'reports.read',
    'rules.manage',
    'data.export',
  ],
  // Technicians pair and test devices; they never move money.
  technician: ['simulator.use', 'devices.read', 'devices.pair', 'cards.format'],
  admin: [...PERMISSIONS],
};

/** Roles whose PIN can approve a void or an override. */
export const APPROVER_ROLES: readonly Role[] = ['manager', 'admin'];

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
