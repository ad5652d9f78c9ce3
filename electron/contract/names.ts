/**
 * Command and event names alone, with no schema library attached, so the Electron preload (sandboxed,
 * bundled on its own) can expose one function per command without pulling in the validators.
 */
/** Members and their cards at the counter (definitions in `members.ts`). */
export const MEMBER_COMMAND_NAMES = [
  'members.search',
  'members.get',
  'members.register',
  'members.edit',
  'members.export',
  'members.delete',
  'members.setPassword',
  'members.resetPassword',
  'members.statement',
  'members.changeTier',
  'cards.previewActivation',
  'cards.activate',
  'cards.freeze',
  'cards.unfreeze',
  'cards.reportLost',
  'cards.replace',
  'cards.quoteClose',
  'cards.close',
] as const;

export type MemberCommandName = (typeof MEMBER_COMMAND_NAMES)[number];

/** The 会员 list and win-back notices (definitions in `member-list.ts`). */
export const MEMBER_LIST_COMMAND_NAMES = [
  'members.list',
  'members.winBack',
  'members.winBackCampaigns',
] as const;

export type MemberListCommandName = (typeof MEMBER_LIST_COMMAND_NAMES)[number];

/** Staff administration for admins (definitions in `staff.ts`). */
export const STAFF_COMMAND_NAMES = [
  'staff.list',
  'staff.add',
  'staff.deactivate',
  'staff.reactivate',
  'staff.resetPin',
  'staff.unlock',
  'staff.changeRole',
  'staff.unlockWithApprover',
  'staff.recover',
  'staff.recoverySheet',
  'staff.issueRecoverySheet',
] as const;

export type StaffCommandName = (typeof STAFF_COMMAND_NAMES)[number];

/** The member-card format panel on the Devices screen (definitions in `card-format.ts`). */
export const CARD_FORMAT_COMMAND_NAMES = [
  'cardFormat.get',
  'cardFormat.set',
  'cardFormat.setChain',
  'cardFormat.keyedEntry',
  'cardFormat.setKeyedEntry',
] as const;

export type CardFormatCommandName = (typeof CARD_FORMAT_COMMAND_NAMES)[number];

/** The chain's amount limits, on the Rules screen (definitions in `limits.ts`). */
export const LIMIT_COMMAND_NAMES = ['limits.get', 'limits.set'] as const;

export type LimitCommandName = (typeof LIMIT_COMMAND_NAMES)[number];

/** The HQ link panel on the Devices screen (definitions in `hq.ts`). */
export const HQ_COMMAND_NAMES = [
  'hq.status',
  'hq.syncNow',
  'hq.join',
  'cardKeys.export',
  'cardKeys.import',
] as const;

export type HqCommandName = (typeof HQ_COMMAND_NAMES)[number];

/** Bonus rules, points and gifts, notices and exports (definitions in `rules.ts`). */
export const RULE_COMMAND_NAMES = [
  'rules.list',
  'rules.versions',
  'rules.create',
  'rules.change',
  'rules.retire',
  'rules.runExpiry',
  'points.settings',
  'points.setSettings',
  'points.putGift',
  'points.quoteCharge',
  'points.redeemGift',
  'notices.settings',
  'notices.setSettings',
  'notices.optIn',
  'notices.setOptIn',
  'export.members',
  'export.operations',
  'refunds.topUps',
  'refunds.quote',
  'refunds.topUp',
] as const;

export type RuleCommandName = (typeof RULE_COMMAND_NAMES)[number];

/** The first start's setup screen (definitions in `setup.ts`). */
export const SETUP_COMMAND_NAMES = [
  'setup.status',
  'setup.standalone',
  'setup.join',
  'setup.demo',
  'setup.restore',
] as const;

export type SetupCommandName = (typeof SETUP_COMMAND_NAMES)[number];

/** The customer display: the counter's side, the customer window's and the technician's (`display.ts`). */
export const DISPLAY_COMMAND_NAMES = [
  'display.show',
  'display.current',
  'display.rate',
  'display.status',
  'display.pair',
  'display.test',
] as const;

export type DisplayCommandName = (typeof DISPLAY_COMMAND_NAMES)[number];

export const COMMAND_NAMES = [
  'session.login',
  'session.logout',
  'session.current',
  'terminal.info',
  'card.lookup',
  'card.swipeText',
  'card.recentOperations',
  'wallet.previewTopUp',
  'wallet.topUp',
  'wallet.charge',
  'wallet.void',
  'wallet.refund',
  'wallet.withdraw',
  'receipt.reprint',
  'simulator.cards',
  'simulator.presentCard',
  'simulator.removeCard',
  'simulator.swipe',
  'simulator.printedReceipts',
  'devices.discover',
  'devices.status',
  'devices.pair',
  'devices.unpair',
  'devices.testReader',
  'devices.testSwiper',
  'devices.testPrint',
  'devices.openDrawer',
  'devices.diagnose',
  'devices.bundle',
  'devices.setSettings',
  ...CARD_FORMAT_COMMAND_NAMES,
  ...HQ_COMMAND_NAMES,
  ...MEMBER_COMMAND_NAMES,
  ...MEMBER_LIST_COMMAND_NAMES,
  ...RULE_COMMAND_NAMES,
  ...LIMIT_COMMAND_NAMES,
  'shift.current',
  'shift.open',
  'shift.handover',
  'shift.cashMove',
  'shift.count',
  'shift.signOff',
  'shift.recent',
  'shift.printSlip',
  'day.status',
  'day.report',
  'day.close',
  'day.setApprovalPolicy',
  'day.printReport',
  'day.export',
  'reports.figures',
  'reports.members',
  'reports.analytics',
  'reports.ratings',
  'reports.exported',
  'backups.status',
  'backups.run',
  'backups.restore',
  'backups.configure',
  'backups.issueRecoveryCode',
  'backups.keys',
  'backups.rotateKeys',
  ...STAFF_COMMAND_NAMES,
  ...SETUP_COMMAND_NAMES,
  ...DISPLAY_COMMAND_NAMES,
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

export const EVENT_NAMES = [
  'card.presented',
  'card.removed',
  'swipe',
  'device.status',
  'print.status',
  'sync.status',
  'export.progress',
  'customer.display',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && (COMMAND_NAMES as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}

/** How a top-up is paid. Kept here, free of the validators, because the keypad screen lists them. */
export { TENDERS } from '../../common/tenders';
