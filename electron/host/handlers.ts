/**
 * The command table: every command the contract names, joined to the module that does it (`handlers/*`, one
 * concern each). A handler translates the contract's shapes to the ledger's, calls the ledger, and shapes the
 * answer for the screen. Validation and permission checks have already happened in `api.ts`.
 */
import type { Ledger, MemberRegistry, Promotions } from '../../db';
import type { DisplayCommandName } from '../contract/names';
import type { Handlers } from './api';
import type { BookMode } from './book-mode';
import type { CardPresence } from './card-presence';
import type { CardWriter } from './devices/card-writer';
import type { Printing } from './devices/printing';
import type { BackupHandlerNames } from './handlers/backups';
import type { CardFormatHandlerNames } from './handlers/card-format';
import { cardLookupHandlers } from './handlers/card-lookup';
import { cardHandlers } from './handlers/cards';
import { closeHandlers } from './handlers/close';
import type { DeviceHandlerNames } from './handlers/devices';
import type { HqHandlerNames } from './handlers/hq';
import { cardWithMemberOf, storeOf } from './handlers/ledger-lookups';
import { limitHandlers } from './handlers/limits';
import { managerApprovals } from './handlers/manager-approval';
import { memberListHandlers } from './handlers/member-list';
import { memberPasswordCheck } from './handlers/member-password';
import { memberSlips } from './handlers/member-slips';
import { memberHandlers } from './handlers/members';
import { type ReceiptDeps, receiptHandlers } from './handlers/receipts';
import { ruleHandlers } from './handlers/rules';
import { simulatorHandlers } from './handlers/simulator';
import { staffHandlers } from './handlers/staff';
import { terminalHandlers } from './handlers/terminal';
import { walletHandlers } from './handlers/wallet';
import type { DeviceHub } from './hub';
import type { LoyaltyHost } from './loyalty';
import type { PayCodeCollector } from './payments';
import type { RatingLink } from './rating-link';
import { setupDoneHandlers } from './setup/handlers';
import type { Simulator } from './simulator';
import type { SpendRules } from './spend-rules';

export interface HandlerDeps {
  ledger: Ledger;
  /** WeChat Pay and Alipay payment codes, collected through the store's provider before the ledger has them. */
  payments: PayCodeCollector;
  hub: DeviceHub;
  /** Null in a live book: the simulator's commands are then refused whatever the role. */
  simulator: Simulator | null;
  /** The open book's mode (`book-mode.ts`): the demo staff's logins go to the login screen only in practice. */
  mode: BookMode;
  identity: { storeId: string; terminalId: string };
  trainingMode: boolean;
  version: string;
  printing: Printing;
  /** Top-up bonus rules and member tiers. */
  promotions: Promotions;
  /** The member registry: profiles (password set or not) and password checks. */
  members: MemberRegistry;
  /** Clock for shifts and day closes, UTC ms (the host's; default Date.now). */
  now?: () => number;
  /** Told after each newly committed operation (the sync worker has something to send). */
  committed: () => void;
  /** Writes a new card in the chain's secured format on the reader it was tapped on. */
  cardWriter?: CardWriter;
  /** Points, charges with the tier discount, notices and bonus expiry (`loyalty.ts`). */
  loyalty: LoyaltyHost;
  /** Which cards this terminal's devices just read (a wedge swipe is recorded here). */
  presence: CardPresence;
  /** Offline caps and the typed-number rule every spend passes (`spend-rules.ts`). */
  spendRules: SpendRules;
  /** Where exports are written (its `exports` folder). */
  dataDir: string;
  /** The technician's commands (`handlers/devices.ts`). */
  deviceHandlers: Pick<Handlers, DeviceHandlerNames>;
  /** Backups for the admin's screen (`./handlers/backups.ts`). */
  backupHandlers: Pick<Handlers, BackupHandlerNames>;
  /** The member-card format panel (`./handlers/card-format.ts`). */
  cardFormatHandlers: Pick<Handlers, CardFormatHandlerNames>;
  /** The HQ link panel (`./handlers/hq.ts`). */
  hqHandlers: Pick<Handlers, HqHandlerNames>;
  /** The customer display (`./handlers/display.ts`). */
  displayHandlers: Pick<Handlers, DisplayCommandName>;
  /**
   * Told after each newly committed operation with the card's new balance (principal and bonus, fen): the
   * on-card purse of a card still on a reader is brought to it. Never waited for; it cannot undo anything.
   */
  balanceChanged?: (cardNumber: string, totalFen: number) => void;
  /** HQ's rating page for a charge, printed as a QR on its receipt; undefined off a chain (`rating-link.ts`). */
  ratingLink?: RatingLink;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { ledger, hub, identity } = deps;
  const store = () => storeOf(ledger, identity.storeId);
  const cardById = (cardId: string) => cardWithMemberOf(ledger, cardId);
  const checkMemberPassword = memberPasswordCheck({
    ledger,
    members: deps.members,
    terminalId: identity.terminalId,
    cardById,
  });
  const approvals = managerApprovals({ ledger, terminalId: identity.terminalId });
  const slips = memberSlips({ ledger, printing: deps.printing, terminalId: identity.terminalId, store });
  const receiptDeps: ReceiptDeps = {
    ledger,
    printing: deps.printing,
    identity,
    store,
    cardById,
    // The training book's charges are practice: no customer rates them.
    ...(deps.ratingLink === undefined || deps.trainingMode ? {} : { ratingLink: deps.ratingLink }),
  };

  return {
    ...terminalHandlers({
      ledger,
      hub,
      identity,
      store,
      version: deps.version,
      mode: deps.mode,
      trainingMode: deps.trainingMode,
      hasSimulator: deps.simulator !== null,
    }),
    ...cardLookupHandlers({
      ledger,
      promotions: deps.promotions,
      members: deps.members,
      presence: deps.presence,
    }),
    ...walletHandlers({
      ledger,
      payments: deps.payments,
      promotions: deps.promotions,
      members: deps.members,
      loyalty: deps.loyalty,
      spendRules: deps.spendRules,
      identity,
      cardById,
      checkMemberPassword,
      typedManager: approvals.typedManager,
      receipts: receiptDeps,
      committed: deps.committed,
      ...(deps.balanceChanged === undefined ? {} : { balanceChanged: deps.balanceChanged }),
    }),
    ...receiptHandlers(receiptDeps),
    ...simulatorHandlers({
      ledger,
      names: deps.members.nameOf,
      simulator: deps.simulator,
      mode: deps.mode,
      printing: deps.printing,
    }),
    ...deps.deviceHandlers,
    ...deps.backupHandlers,
    ...deps.cardFormatHandlers,
    ...deps.hqHandlers,
    ...deps.displayHandlers,
    ...staffHandlers({ ledger, identity }),
    ...limitHandlers({ ledger, identity, now: deps.now ?? Date.now }),
    ...setupDoneHandlers(),
    ...closeHandlers({
      ledger,
      names: deps.members.nameOf,
      hub,
      printing: deps.printing,
      identity,
      ...(deps.now ? { now: deps.now } : {}),
    }),
    ...ruleHandlers({
      ledger,
      names: deps.members.nameOf,
      spendRules: deps.spendRules,
      promotions: deps.promotions,
      loyalty: deps.loyalty,
      identity,
      dataDir: deps.dataDir,
      committed: deps.committed,
      checkMemberPassword,
      receipts: receiptDeps,
    }),
    ...memberListHandlers({
      ledger,
      members: deps.members,
      loyalty: deps.loyalty,
      identity,
      now: deps.now ?? Date.now,
    }),
    ...memberHandlers({
      ledger,
      members: deps.members,
      promotions: deps.promotions,
      identity,
      approverOf: approvals.approverOf,
      slips,
    }),
    ...cardHandlers({
      ledger,
      members: deps.members,
      promotions: deps.promotions,
      identity,
      committed: deps.committed,
      ...(deps.cardWriter === undefined ? {} : { cardWriter: deps.cardWriter }),
      approverOf: approvals.approverOf,
      slips,
    }),
  };
}
