/**
 * What each command does: translate the contract's shapes to the ledger's, call the ledger, and shape the
 * answer for the screen. Validation and permission checks have already happened in `api.ts`.
 */
import type {
  CardWithMember,
  Ledger,
  OperationResult as LedgerResult,
  MemberBookApi,
  Promotions,
} from '../../db';
import { DEMO } from '../../db';
import { keyedApprovalReason } from '../../db/loyalty/index';
import { DEFAULT_MEMBER_RULE, interpretTrackText, type SwipeErrorCode } from '../../hardware/index';
import {
  APPROVER_ROLES,
  type CardView,
  type OperationLine,
  type OperationResult,
  type StaffView,
} from '../contract';
import type { DisplayCommandName } from '../contract/names';
import { ApiError } from '../errors';
import { amountLimitGuard } from './amount-limits';
import type { Handlers } from './api';
import { approvalPolicy } from './approvals';
import { allowsPractice, type BookMode } from './book-mode';
import type { CardPresence } from './card-presence';
import type { CardWriter } from './devices/card-writer';
import type { Printing } from './devices/printing';
import { drawerGuard } from './drawer-guard';
import type { BackupHandlerNames } from './handlers/backups';
import type { CardFormatHandlerNames } from './handlers/card-format';
import { closeHandlers } from './handlers/close';
import type { DeviceHandlerNames } from './handlers/devices';
import type { HqHandlerNames } from './handlers/hq';
import { limitHandlers } from './handlers/limits';
import { memberListHandlers } from './handlers/member-list';
import { memberHandlers } from './handlers/members';
import {
  printOperationReceipt,
  type ReceiptDeps,
  ratingUrlOf,
  receiptHandlers,
  receiptJobId,
} from './handlers/receipts';
import { ruleHandlers } from './handlers/rules';
import { staffHandlers } from './handlers/staff';
import type { DeviceHub } from './hub';
import type { LoyaltyHost } from './loyalty';
import { maskPhone } from './mask';
import type { PayCodeCollector } from './payments';
import type { RatingLink } from './rating-link';
import type { ReceiptFacts } from './receipt-model';
import type { Session } from './session';
import { setupDoneHandlers } from './setup/handlers';
import type { Simulator } from './simulator';
import type { ApprovedKeyedEntry, SpendRules } from './spend-rules';

const SWIPE_REFUSALS: Record<SwipeErrorCode, string> = {
  SWIPE_UNREADABLE: 'The swipe could not be read; swipe again',
  CARD_IS_PAYMENT_CARD: 'This is a bank card, not a member card',
  CARD_NOT_MEMBER_CARD: 'This card is not a member card of this store',
};

/** The most operations one card's history is read with; far above any real card's count. */
const CARD_HISTORY_LIMIT = 100_000;

export interface HandlerDeps {
  ledger: Ledger;
  /** WeChat Pay and Alipay payment codes, collected through the store's provider before the ledger books them. */
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
  /** The member book: profiles (password set or not) and password checks. */
  members: MemberBookApi;
  /** Clock for the shift and day books, UTC ms (the host's; default Date.now). */
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

function staffOf(session: Session): StaffView {
  const staff = session.staff;
  if (staff === null) throw new ApiError('UNAUTHENTICATED', 'Log in first');
  return staff;
}

export function cardView(
  found: CardWithMember,
  /** `name`: the member book's (in clear); the ledger's own row keeps a mask in an encrypted book. */
  options: { tier?: string | null; hasPassword?: boolean; name?: string } = {},
): CardView {
  const { member, balance } = found;
  return {
    card: {
      id: found.id,
      cardNumber: found.cardNumber,
      uid: found.uid,
      medium: found.medium,
      state: found.state,
    },
    member: {
      id: member.id,
      name: options.name ?? member.name,
      phoneMasked: maskPhone(member.phone),
      tier: options.tier ?? null,
      hasPassword: options.hasPassword ?? false,
    },
    balance: {
      principalFen: balance.principalFen,
      bonusFen: balance.bonusFen,
      totalFen: balance.principalFen + balance.bonusFen,
      points: balance.points,
    },
  };
}

/** The demo café's staff, as the login screen of a demo or training book lists them. */
function demoLogins() {
  return (['cashier', 'manager', 'technician', 'admin'] as const).map((role) => ({
    role,
    staffNo: DEMO.staff[role].code,
    pin: DEMO.staff[role].pin,
    name: DEMO.staff[role].name,
  }));
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { ledger, hub, identity } = deps;
  /** The simulator, or SIMULATOR_UNAVAILABLE: in a live book no command may act on the counter as a card would. */
  const simulator = (): Simulator => {
    if (deps.simulator === null) {
      throw new ApiError('SIMULATOR_UNAVAILABLE', 'The simulator exists only in demo and training books', {
        details: { mode: deps.mode },
      });
    }
    return deps.simulator;
  };
  const store = () => {
    const found = ledger.store(identity.storeId);
    if (found === undefined) throw new ApiError('STORE_UNKNOWN', 'This terminal has no store');
    return found;
  };

  const cashNeedsShift = drawerGuard(ledger, identity.terminalId);
  const approvals = approvalPolicy(ledger);
  const limits = amountLimitGuard({ ledger, members: deps.members, storeId: identity.storeId });
  /** A replay of an applied operation moves nothing again: the limits were checked the first time. */
  const isNew = (operationId: string) => ledger.operation(operationId) === undefined;

  const cardById = (cardId: string): CardWithMember => {
    const card = ledger.card(cardId);
    const found = card === undefined ? undefined : ledger.findCardByNumber(card.cardNumber);
    if (found === undefined) throw new ApiError('CARD_UNKNOWN', 'No such card', { details: { cardId } });
    return found;
  };

  /**
   * Anything that spends a member's value (a charge, points for a gift) needs the member's password once the
   * member has set one; a wrong one is counted toward the member's lockout before anything moves. A replay of
   * an applied operation returns its first result: the password was checked the first time.
   */
  const checkMemberPassword = (input: { operationId: string; cardId: string; memberPassword?: string }) => {
    if (ledger.operation(input.operationId) !== undefined) return;
    const card = cardById(input.cardId);
    if (deps.members.profile(card.memberId)?.hasPassword !== true) return;
    if (input.memberPassword === undefined) {
      throw new ApiError('MEMBER_PASSWORD_REQUIRED', "This member's charges need the member password", {
        details: { cardId: input.cardId },
      });
    }
    deps.members.verifyPassword({
      memberId: card.memberId,
      password: input.memberPassword,
      terminalId: identity.terminalId,
    });
  };

  /** An earlier operation of the card a void or a refund names; another card's is no better than none. */
  const operationOfCard = (operationId: string, cardId: string) => {
    const found = ledger.operation(operationId);
    if (found === undefined || found.cardId !== cardId) {
      throw new ApiError('OPERATION_UNKNOWN', 'No such operation on this card', { details: { operationId } });
    }
    return found;
  };

  /** A manager's (or admin's) PIN typed at the counter, for a void, a refund or a withdrawal. */
  const managerApproval = (approver: { staffNo: string; pin: string }) => {
    const staff = ledger.authenticateApprover({
      code: approver.staffNo,
      pin: approver.pin,
      terminalId: identity.terminalId,
    });
    if (!APPROVER_ROLES.includes(staff.role)) {
      throw new ApiError('APPROVER_NOT_MANAGER', 'This needs a manager to approve it', {
        details: { approverRole: staff.role },
      });
    }
    return staff;
  };

  const receiptDeps: ReceiptDeps = {
    ledger,
    printing: deps.printing,
    identity,
    store,
    cardById,
    // The training book's charges are practice: no customer rates them.
    ...(deps.ratingLink === undefined || deps.trainingMode ? {} : { ratingLink: deps.ratingLink }),
  };

  /** The keyed-entry approval an applied operation carries (its approver and the reason in its memo). */
  const recordedApproval = (applied: {
    approvedBy: string | null;
    memo: string | null;
  }): ApprovedKeyedEntry | null => {
    const reason = keyedApprovalReason(applied.memo);
    if (applied.approvedBy === null || reason === null) return null;
    return { staffId: applied.approvedBy, name: ledger.staff(applied.approvedBy)?.name ?? '', reason };
  };

  /** Shapes a ledger result for the screen, and prints the receipt the first time the operation is applied. */
  const finish = (result: LedgerResult, session: Session, facts: ReceiptFacts = {}): OperationResult => {
    const card = cardById(result.cardId);
    const jobId = receiptJobId(result.operationId);
    // A replay whose receipt was never queued (the terminal stopped between the commit and the queue): this
    // is its first print, not a reprint.
    const firstPrint = !result.replayed || ledger.printJobs.get(jobId) === undefined;
    const ratingUrl = ratingUrlOf(receiptDeps.ratingLink, result, session.staff ?? undefined);
    const { text, receipt } = printOperationReceipt(
      receiptDeps,
      { jobId, reprint: !firstPrint, cashier: session.staff?.name ?? '', queue: firstPrint },
      result,
      card,
      ratingUrl === undefined ? facts : { ...facts, ratingUrl },
    );
    const { balanceAfter } = result;
    if (!result.replayed) {
      deps.committed();
      deps.balanceChanged?.(card.cardNumber, balanceAfter.principalFen + balanceAfter.bonusFen);
    }
    return {
      operationId: result.operationId,
      kind: result.kind,
      amountFen: result.amountFen,
      principalFen: result.principalFen,
      bonusFen: result.bonusFen,
      points: result.points,
      at: result.createdAt,
      replayed: result.replayed,
      balance: {
        principalFen: balanceAfter.principalFen,
        bonusFen: balanceAfter.bonusFen,
        totalFen: balanceAfter.principalFen + balanceAfter.bonusFen,
        points: balanceAfter.points,
      },
      receiptText: text,
      ...(receipt === undefined ? {} : { receipt }),
    };
  };

  return {
    'session.login': ({ staffNo, pin }, { session }) => {
      const staff = ledger.authenticateStaff({ code: staffNo, pin, terminalId: identity.terminalId });
      session.logIn({ id: staff.id, staffNo: staff.code, name: staff.name, role: staff.role });
      return session.view()!;
    },
    'session.logout': (_input, { session }) => {
      session.logOut();
      return { ok: true };
    },
    'session.current': (_input, { session }) => session.view(),
    'terminal.info': () => ({
      storeName: store().name,
      terminalId: identity.terminalId,
      version: deps.version,
      mode: deps.mode,
      trainingMode: deps.trainingMode,
      ...(allowsPractice(deps.mode) ? { demoLogins: demoLogins() } : {}),
      // The simulator panel is for training, and for a demo terminal with no reader or swiper connected; never
      // for a live book.
      simulator:
        deps.simulator !== null &&
        (deps.trainingMode ||
          !hub.deviceList().some((device) => device.kind !== 'printer' && device.state === 'connected')),
      devices: hub.deviceList(),
      sync: hub.syncStatus(),
      ...(ledger.auditChainAtOpen === null ? {} : { auditChainBrokenAt: ledger.auditChainAtOpen.brokenAt }),
    }),

    'card.lookup': (input) => {
      const found =
        'uid' in input ? ledger.findCardByUid(input.uid) : ledger.findCardByNumber(input.cardNumber);
      if (found === undefined) {
        throw new ApiError('CARD_UNKNOWN', 'This card is not registered in this store', { details: input });
      }
      const profile = deps.members.profile(found.memberId);
      return cardView(found, {
        tier: deps.promotions.tierOf(found.memberId)?.name ?? null,
        hasPassword: profile?.hasPassword ?? false,
        ...(profile === undefined ? {} : { name: profile.name }),
      });
    },
    'card.swipeText': ({ tracks }) => {
      // Keyboard-wedge text may hold a bank card's tracks: it is interpreted here and never logged or kept.
      const outcome = interpretTrackText(tracks, { rule: DEFAULT_MEMBER_RULE });
      if (outcome.kind === 'refused') throw new ApiError(outcome.code, SWIPE_REFUSALS[outcome.code]);
      deps.presence.swiped(outcome.memberNumber);
      return { cardNumber: outcome.memberNumber };
    },
    'card.recentOperations': ({ cardId, limit }) => {
      // The ledger lists a card's operations oldest first; a card has a few hundred at most, so read them
      // all and keep the tail. Voids are operations of the same card, so the tail also says what was voided.
      const all = ledger.operationsOf({ cardId, limit: CARD_HISTORY_LIMIT });
      const voided = new Set(all.filter((op) => op.kind === 'void').map((op) => op.targetOperationId));
      return all
        .slice(-limit)
        .reverse()
        .map(
          (op): OperationLine => ({
            operationId: op.operationId,
            kind: op.kind,
            amountFen: op.amountFen,
            principalFen: op.principalFen,
            bonusFen: op.bonusFen,
            tender: op.tender,
            at: op.createdAt,
            voided: voided.has(op.operationId),
          }),
        );
    },

    'wallet.previewTopUp': ({ cardId, amountFen }) => {
      // The limits refuse here too, so the dialog names the limit before the cashier takes the money.
      limits.checkCardTopUp(cardId, amountFen);
      const quote = deps.promotions.quoteTopUp(cardId, amountFen);
      return {
        amountFen,
        bonusFen: quote.bonusFen,
        points: quote.points,
        ruleId: quote.ruleId,
        ruleVersion: quote.ruleVersion,
        rule: quote.ruleName ?? '',
      };
    },
    'wallet.topUp': async (input, { session }) => {
      const staff = staffOf(session);
      const fresh = isNew(input.operationId);
      if (fresh) limits.checkCardTopUp(input.cardId, input.amountFen);
      cashNeedsShift({ tender: input.tender, operationId: input.operationId });
      const collection = {
        operationId: input.operationId,
        tender: input.tender,
        amountFen: input.amountFen,
        reference: input.reference,
        alreadyBooked: !fresh,
      };
      const { quote, operation } = await deps.payments.withCollection(collection, () =>
        deps.promotions.topUpWithRules({
          operationId: input.operationId,
          cardId: input.cardId,
          amountFen: input.amountFen,
          tender: input.tender,
          tenderReference: input.reference ?? null,
          staffId: staff.id,
          terminalId: identity.terminalId,
          expected: input.quote ?? null,
        }),
      );
      return finish(operation, session, {
        tender: input.tender,
        ...(input.reference === undefined ? {} : { reference: input.reference }),
        promotion: quote.bonusFen > 0 ? (quote.ruleName ?? '') : '',
      });
    },
    'wallet.charge': async (input, { session }) => {
      const staff = staffOf(session);
      // A replay of an applied charge returns its first result; the rules and the password were checked the
      // first time, and the approval then given is the one it carries.
      const applied = ledger.operation(input.operationId);
      let approval: ApprovedKeyedEntry | null = applied === undefined ? null : recordedApproval(applied);
      if (applied === undefined) {
        limits.checkCharge(input.amountFen);
        const { chargedFen } = deps.loyalty.loyalty.quoteCharge({
          cardId: input.cardId,
          listPriceFen: input.amountFen,
          pointsToRedeem: input.pointsToRedeem ?? 0,
        });
        approval = deps.spendRules.clear({
          cardId: input.cardId,
          // Only the card's part spends stored value; the other tender's part is money taken now.
          amountFen: Math.max(0, chargedFen - (input.rest?.amountFen ?? 0)),
          keyedApproval: input.keyedApproval,
        });
        checkMemberPassword(input);
      }
      // Cash for the rest of a split charge goes into the drawer: a shift must be open to count it.
      cashNeedsShift({ tender: input.rest?.tender, operationId: input.operationId });
      const rest = input.rest ?? null;
      // The tier's discount and any points the cashier chose come off the price; points are earned on the rest.
      const collection = {
        operationId: input.operationId,
        tender: rest?.tender,
        amountFen: rest?.amountFen ?? 0,
        reference: rest?.reference,
        alreadyBooked: applied !== undefined,
      };
      const { quote, operation } = await deps.payments.withCollection(collection, () =>
        deps.loyalty.loyalty.charge({
          operationId: input.operationId,
          cardId: input.cardId,
          listPriceFen: input.amountFen,
          pointsToRedeem: input.pointsToRedeem ?? 0,
          staffId: staff.id,
          terminalId: identity.terminalId,
          expected: input.quote ?? null,
          approval: approval === null ? null : { staffId: approval.staffId, reason: approval.reason },
          otherTender:
            rest === null
              ? null
              : { tender: rest.tender, amountFen: rest.amountFen, reference: rest.reference ?? null },
        }),
      );
      return {
        ...finish(operation, session, {
          pointsEarned: quote.pointsEarned,
          ...(rest === null
            ? {}
            : {
                tender: rest.tender,
                ...(rest.reference === undefined ? {} : { reference: rest.reference }),
              }),
          ...(approval === null
            ? {}
            : { keyedEntry: { approvedBy: approval.name, reason: approval.reason } }),
        }),
        charge: {
          listPriceFen: quote.listPriceFen,
          discountFen: quote.discountFen,
          pointsRedeemed: quote.pointsRedeemed,
          pointsValueFen: quote.pointsValueFen,
          pointsEarned: quote.pointsEarned,
          ...(rest === null
            ? {}
            : {
                rest: {
                  tender: rest.tender,
                  amountFen: operation.amountFen - operation.principalFen - operation.bonusFen,
                  reference: rest.reference ?? null,
                },
              }),
        },
      };
    },
    'wallet.void': (input, { session }) => {
      const staff = staffOf(session);
      const target = operationOfCard(input.targetOperationId, input.cardId);
      // Voiding a cash top-up hands the cash back across the counter.
      cashNeedsShift({ tender: target.tender, operationId: input.operationId });
      const approver = managerApproval(input.approver);
      approvals.requireSecondPerson({ approverId: approver.id, actorId: staff.id, what: 'void' });
      const result = ledger.voidOperation({
        operationId: input.operationId,
        targetOperationId: input.targetOperationId,
        staffId: staff.id,
        terminalId: identity.terminalId,
        approvedBy: approver.id,
      });
      return finish(result, session, {
        originalOperationId: target.operationId,
        tender: target.tender ?? 'stored_value',
        approvedBy: approver.name,
      });
    },

    'wallet.refund': (input, { session }) => {
      const staff = staffOf(session);
      const original = operationOfCard(input.originalOperationId, input.cardId);
      const approver = managerApproval(input.approver);
      const result = ledger.refund({
        operationId: input.operationId,
        originalOperationId: input.originalOperationId,
        amountFen: input.amountFen,
        staffId: staff.id,
        terminalId: identity.terminalId,
        approvedBy: approver.id,
      });
      return finish(result, session, {
        originalOperationId: original.operationId,
        tender: 'stored_value',
        approvedBy: approver.name,
      });
    },
    'wallet.withdraw': (input, { session }) => {
      const staff = staffOf(session);
      // Principal paid out in cash leaves the drawer: a shift must be open to count it.
      cashNeedsShift({ tender: input.tender, operationId: input.operationId });
      const approver = managerApproval(input.approver);
      const result = ledger.withdraw({
        operationId: input.operationId,
        cardId: input.cardId,
        amountFen: input.amountFen,
        tender: input.tender,
        tenderReference: input.reference ?? null,
        staffId: staff.id,
        terminalId: identity.terminalId,
        approvedBy: approver.id,
      });
      return finish(result, session, { tender: input.tender, approvedBy: approver.name });
    },
    ...receiptHandlers(receiptDeps),
    'simulator.cards': () => {
      const sim = simulator();
      const cards = [
        { ...DEMO.cards.uid, tap: true },
        { ...DEMO.cards.mifare, uid: null, tap: false },
        { ...DEMO.cards.magstripe, uid: null, tap: false },
        { ...DEMO.cards.keyed, uid: null, tap: false },
      ];
      return cards.flatMap((demo) => {
        const found = ledger.findCardByNumber(demo.cardNumber);
        if (found === undefined) return [];
        // The secured demo card is tapped as a card in the chain's format, issued with this terminal's keys.
        const uid =
          found.medium === 'mifare' ? sim.offerSecuredCard(found.cardNumber) : (found.uid ?? undefined);
        const label = deps.members.nameOf(found.memberId) ?? found.member.name;
        return [{ uid: uid ?? '', cardNumber: found.cardNumber, label }];
      });
    },
    'simulator.presentCard': async ({ uid }) => {
      await simulator().presentCard(uid);
      return { ok: true };
    },
    'simulator.removeCard': () => {
      simulator().removeCard();
      return { ok: true };
    },
    'simulator.swipe': ({ cardNumber }) => {
      simulator().swipe(cardNumber);
      return { ok: true };
    },
    'simulator.printedReceipts': ({ limit }) => {
      simulator();
      return deps.printing.printed(limit);
    },
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
      printing: deps.printing,
      identity,
      committed: deps.committed,
      ...(deps.cardWriter === undefined ? {} : { cardWriter: deps.cardWriter }),
    }),
  };
}
