/**
 * How a book comes to be: the demo café, a standalone store, or a store HQ enrolled. Each writes the
 * terminal's identity (`host.identity`) and the book's mode (`book.mode`) last, so a book that holds both is
 * whole; a data directory whose book lacks them has no book yet.
 */
import { ulid } from 'ulid';
import {
  DEMO,
  type Ledger,
  openPromotions,
  type Promotions,
  type SettingsStore,
  seedDemo,
} from '../../../db';
import { BOOK_MODE_SETTING, type BookMode } from '../book-mode';

export const IDENTITY_SETTING = 'host.identity';

export interface TerminalIdentity {
  storeId: string;
  terminalId: string;
}

/** The till's name in a new store; an admin renames tills when a store has several. */
export const FIRST_TERMINAL_NAME = '1 号收银台';

/** A new store's day closes at 04:00 and a single operation is capped at ¥50,000 (a typo guard). */
const STORE_DEFAULTS = {
  currency: 'CNY',
  dayCloseHour: 4,
  spendPolicy: 'principal_first',
  singleOperationLimitFen: 5_000_000,
} as const;

function isIdentity(value: unknown): value is TerminalIdentity {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { storeId?: unknown }).storeId === 'string' &&
    typeof (value as { terminalId?: unknown }).terminalId === 'string'
  );
}

/** The identity of a book that has been set up, or null. */
export function readIdentity(settings: SettingsStore): TerminalIdentity | null {
  const stored = settings.get<unknown>(IDENTITY_SETTING);
  return isIdentity(stored) ? { storeId: stored.storeId, terminalId: stored.terminalId } : null;
}

function seal(ledger: Ledger, identity: TerminalIdentity, mode: BookMode): TerminalIdentity {
  ledger.settings.set(IDENTITY_SETTING, identity);
  ledger.settings.set(BOOK_MODE_SETTING, mode);
  return identity;
}

/**
 * The demo store's top-up promotion (充100送20, 充500送120, 充1000送300, a point per yuan), written as a
 * manager would write it, so the demo shows a bonus before the cashier confirms a top-up.
 */
function createDemoPromotion(promotions: Promotions, storeId: string): void {
  promotions.createRule({
    id: 'demo-top-up-bonus',
    storeId,
    staffId: DEMO.staff.manager.id,
    terms: {
      name: '充值送',
      steps: [
        { minFen: 100_00, bonusFen: 20_00 },
        { minFen: 500_00, bonusFen: 120_00 },
        { minFen: 1000_00, bonusFen: 300_00 },
      ],
      pointsPerYuan: 1,
      validFrom: 0,
    },
  });
}

/** The demo café (or the training book, which practises on the same café) in an empty ledger. */
export function createDemoBook(
  ledger: Ledger,
  options: { now: () => number; mode: 'demo' | 'training' },
): TerminalIdentity {
  const seeded = seedDemo(ledger, { now: options.now() });
  createDemoPromotion(openPromotions(ledger, { now: options.now }), seeded.storeId);
  return seal(ledger, { storeId: seeded.storeId, terminalId: seeded.terminalId }, options.mode);
}

export interface FirstAdminFacts {
  name: string;
  staffNo: string;
  pin: string;
}

export interface StoreFacts {
  storeId: string;
  storeName: string;
  timeZone: string;
  currency?: string;
  terminalId: string;
  terminalName: string;
}

/**
 * A live store's book: the store, this till, and its first admin with the PIN they chose. Nothing else.
 * Returns the admin's staff id.
 */
export function createLiveBook(ledger: Ledger, store: StoreFacts, admin: FirstAdminFacts): string {
  ledger.createStore({
    ...STORE_DEFAULTS,
    id: store.storeId,
    name: store.storeName,
    timeZone: store.timeZone,
    ...(store.currency === undefined ? {} : { currency: store.currency }),
  });
  ledger.createTerminal({ id: store.terminalId, storeId: store.storeId, name: store.terminalName });
  const adminId = addFirstAdmin(ledger, store.storeId, admin);
  seal(ledger, { storeId: store.storeId, terminalId: store.terminalId }, 'live');
  return adminId;
}

/** The store's first admin, with the PIN they chose on the setup screen; the only staff a new book holds. */
export function addFirstAdmin(ledger: Ledger, storeId: string, admin: FirstAdminFacts): string {
  const id = `staff-${ulid()}`;
  ledger.createStaff({
    id,
    storeId,
    code: admin.staffNo,
    name: admin.name,
    role: 'admin',
    pin: admin.pin,
  });
  return id;
}

/** A standalone store gets ids of its own, unique to it, until HQ assigns the chain's. */
export function newStandaloneIds(): { storeId: string; terminalId: string } {
  return { storeId: `store-${ulid()}`, terminalId: `terminal-${ulid()}` };
}
