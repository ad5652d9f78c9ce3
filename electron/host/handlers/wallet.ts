/**
 * Money on a card at the counter: the top-up (with its bonus quote), the charge (tier discount, points, a
 * split with another tender), and the manager-approved void, refund and withdrawal. Each translates the
 * contract's shape to the ledger's, and the ledger's result to the screen's, printing the receipt the first
 * time the operation is applied.
 */
import type {
  CardWithMember,
  Ledger,
  OperationResult as LedgerResult,
  MemberRegistry,
  Promotions,
} from '../../../db';
import { keyedApprovalReason } from '../../../db/loyalty/index';
import type { CommandName, OperationResult } from '../../contract';
import { ApiError } from '../../errors';
import { amountLimitGuard } from '../amount-limits';
import type { Handlers } from '../api';
import { approvalPolicy } from '../approvals';
import { drawerGuard } from '../drawer-guard';
import type { LoyaltyHost } from '../loyalty';
import type { PayCodeCollector } from '../payments';
import type { ReceiptFacts } from '../receipt-model';
import type { Session } from '../session';
import type { ApprovedKeyedEntry, SpendRules } from '../spend-rules';
import { balanceView } from './card-shapes';
import { staffOf } from './logged-in';
import type { ManagerApprovals } from './manager-approval';
import type { MemberPasswordInput } from './member-password';
import { printOperationReceipt, type ReceiptDeps, ratingUrlOf, receiptJobId } from './receipts';

export type WalletHandlerNames = Extract<CommandName, `wallet.${string}`>;

export interface WalletHandlerDeps {
  ledger: Ledger;
  /** WeChat Pay and Alipay payment codes, collected through the store's provider before the ledger has them. */
  payments: PayCodeCollector;
  /** Top-up bonus rules. */
  promotions: Promotions;
  /** The member registry, for the per-member amount limits. */
  members: MemberRegistry;
  /** Points and charges with the tier discount (`../loyalty.ts`). */
  loyalty: LoyaltyHost;
  /** Offline caps and the typed-number rule every spend passes (`../spend-rules.ts`). */
  spendRules: SpendRules;
  identity: { storeId: string; terminalId: string };
  cardById: (cardId: string) => CardWithMember;
  /** Refuses when the member's password is needed and not right (`./member-password.ts`). */
  checkMemberPassword: (input: MemberPasswordInput) => void;
  /** A manager's PIN typed at the counter, for a void, a refund or a withdrawal (`./manager-approval.ts`). */
  typedManager: ManagerApprovals['typedManager'];
  /** Where the operations' receipts are printed. */
  receipts: ReceiptDeps;
  /** Told after each newly committed operation (the sync worker has something to send). */
  committed: () => void;
  /** Told after each newly committed operation with the card's new balance (principal and bonus, fen). */
  balanceChanged?: (cardNumber: string, totalFen: number) => void;
}

export function walletHandlers(deps: WalletHandlerDeps): Pick<Handlers, WalletHandlerNames> {
  const { ledger, identity, cardById, receipts, checkMemberPassword, typedManager } = deps;
  const cashNeedsShift = drawerGuard(ledger, identity.terminalId);
  const approvals = approvalPolicy(ledger);
  const limits = amountLimitGuard({ ledger, members: deps.members, storeId: identity.storeId });
  /** A replay of an applied operation moves nothing again: the limits were checked the first time. */
  const isNew = (operationId: string) => ledger.operation(operationId) === undefined;

  /** An earlier operation of the card a void or a refund names; another card's is no better than none. */
  const operationOfCard = (operationId: string, cardId: string) => {
    const found = ledger.operation(operationId);
    if (found === undefined || found.cardId !== cardId) {
      throw new ApiError('OPERATION_UNKNOWN', 'No such operation on this card', { details: { operationId } });
    }
    return found;
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
    const ratingUrl = ratingUrlOf(receipts.ratingLink, result, session.staff ?? undefined);
    const { text, receipt } = printOperationReceipt(
      receipts,
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
      balance: balanceView(balanceAfter),
      receiptText: text,
      ...(receipt === undefined ? {} : { receipt }),
    };
  };

  return {
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
        alreadyRecorded: !fresh,
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
        alreadyRecorded: applied !== undefined,
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
      const approver = typedManager(input.approver);
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
      const approver = typedManager(input.approver);
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
      const approver = typedManager(input.approver);
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
  };
}
