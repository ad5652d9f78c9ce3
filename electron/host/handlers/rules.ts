/**
 * Bonus rules, points and gifts, notices and exports, turned into the contract's shapes. Permissions were
 * checked in `api.ts` (rules.manage and data.export are managers'); the promotions module checks again that the
 * staff member writing a version is a manager.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ulid } from 'ulid';
import type { Ledger, MemberNames, Promotions } from '../../../db';
import { exportMembersCsv, exportMembersXlsx, ruleVersionUsage } from '../../../db/loyalty/index';
import type { BonusRule } from '../../../db/promotions/rules';
import { exportOperationsCsv, exportOperationsXlsx } from '../../../db/reports/export';
import type { RuleView } from '../../contract';
import type { RuleCommandName } from '../../contract/names';
import { ApiError } from '../../errors';
import type { Handlers } from '../api';
import { drawerGuard } from '../drawer-guard';
import type { LoyaltyHost } from '../loyalty';
import { maskedCard, maskedName } from '../receipt-model';
import type { SpendRules } from '../spend-rules';
import { staffOf } from './logged-in';
import { printReceipt, type ReceiptDeps } from './receipts';

export interface RuleHandlerDeps {
  ledger: Ledger;
  /** Members' names in clear (the ledger's row keeps a mask in an encrypted ledger). */
  names: MemberNames;
  /** Offline caps and the typed-number rule, as for a charge: a gift spends the card's points. */
  spendRules: SpendRules;
  promotions: Promotions;
  loyalty: LoyaltyHost;
  identity: { storeId: string; terminalId: string };
  dataDir: string;
  committed: () => void;
  /** Refuses (MEMBER_PASSWORD_REQUIRED, PASSWORD_WRONG, …) when the member's password is needed and not right. */
  checkMemberPassword: (input: { operationId: string; cardId: string; memberPassword?: string }) => void;
  /** Where the top-up refund's slip is printed. */
  receipts: Pick<ReceiptDeps, 'printing' | 'identity' | 'store'>;
}

/** UTC time as a file-name stamp: 20260302T021500Z. */
function stamp(at: number): string {
  return new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export function ruleHandlers(deps: RuleHandlerDeps): Pick<Handlers, RuleCommandName> {
  const { ledger, promotions, identity } = deps;
  const cashNeedsShift = drawerGuard(ledger, identity.terminalId);
  const { loyalty } = deps.loyalty;

  function view(rule: BonusRule, usage = ruleVersionUsage(ledger, rule.id)): RuleView {
    return {
      id: rule.id,
      version: rule.version,
      name: rule.name,
      steps: rule.steps,
      percentBp: rule.percentBp,
      pointsPerYuan: rule.pointsPerYuan,
      upgradeMinFen: rule.upgradeMinFen,
      upgradeTierId: rule.upgradeTierId,
      validFrom: rule.validFrom,
      validTo: rule.validTo,
      eligibleTiers: rule.eligibleTiers,
      perMemberLimit: rule.perMemberLimit,
      bonusExpiryDays: rule.bonusExpiryDays,
      retired: rule.retired,
      createdBy: rule.createdBy,
      createdAt: rule.createdAt,
      applied: usage.get(rule.version) ?? { topUps: 0, bonusFen: 0, points: 0 },
    };
  }

  async function exportTo(name: string): Promise<string> {
    const dir = join(deps.dataDir, 'exports');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return join(dir, name);
  }

  function refundView(quote: ReturnType<Promotions['quoteTopUpRefund']>) {
    const balance = (b: { principalFen: number; bonusFen: number; points: number }) => ({
      ...b,
      totalFen: b.principalFen + b.bonusFen,
    });
    return {
      topUpOperationId: quote.topUpOperationId,
      tender: quote.tender,
      method: quote.method,
      principalRefundFen: quote.principalRefundFen,
      bonusForfeitFen: quote.bonusForfeitFen,
      pointsForfeit: quote.pointsForfeit,
      balanceBefore: balance(quote.balanceBefore),
      balanceAfter: balance(quote.balanceAfter),
    };
  }

  /** The slip the member signs for a top-up refund: principal paid back, bonus forfeited, the approver. */
  function printRefundSlip(done: ReturnType<Promotions['refundTopUp']>, manager: string, keepBonus: boolean) {
    const operationId = done.operations[0];
    const card = ledger.card(done.cardId);
    const found = card === undefined ? undefined : ledger.findCardByNumber(card.cardNumber);
    if (operationId === undefined || found === undefined) return;
    const at = ledger.operation(operationId)?.createdAt ?? Date.now();
    printReceipt(
      deps.receipts,
      { jobId: `receipt-${operationId}`, reprint: false, cashier: manager, at, queue: true, kind: 'refund' },
      {
        kind: 'refund',
        mode: 'refund',
        operationId,
        originalOperationId: done.topUpOperationId,
        member: { maskedCard: maskedCard(found.cardNumber), maskedName: maskedName(found.member.name) },
        principal: done.principalRefundFen,
        bonus: done.bonusForfeitFen,
        tender: done.tender,
        reason: keepBonus ? '会员保留赠送金' : '充值退款',
        approvedBy: manager,
        balanceAfter: {
          principal: done.balanceAfter.principalFen,
          bonus: done.balanceAfter.bonusFen,
          points: done.balanceAfter.points,
        },
      },
    );
  }

  return {
    'refunds.topUps': ({ cardNumber }) => {
      const found = ledger.findCardByNumber(cardNumber);
      if (found === undefined)
        throw new ApiError('CARD_UNKNOWN', 'No such card', { details: { cardNumber } });
      const ops = ledger.operationsOf({
        cardId: found.id,
        kinds: ['top_up'],
        order: 'newest_first',
        limit: 50,
      });
      return {
        cardId: found.id,
        memberName: deps.names(found.memberId) ?? found.member.name,
        topUps: ops.map((op) => ({
          operationId: op.operationId,
          amountFen: op.amountFen,
          bonusFen: op.bonusFen,
          at: op.createdAt,
          refundable: op.voidedBy === null && ledger.operation(`refund:${op.operationId}`) === undefined,
        })),
      };
    },
    'refunds.quote': ({ topUpOperationId, keepBonus }) =>
      refundView(promotions.quoteTopUpRefund({ topUpOperationId, keepBonus })),
    'refunds.topUp': ({ topUpOperationId, keepBonus, expected }, { session }) => {
      const staff = staffOf(session);
      // The refund's own ids follow from the top-up's, so a replay is recognised by the first of them.
      const { tender } = promotions.quoteTopUpRefund({ topUpOperationId, keepBonus });
      cashNeedsShift({ tender, operationId: `refund:${topUpOperationId}` });
      const done = promotions.refundTopUp({
        topUpOperationId,
        keepBonus,
        expected,
        staffId: staff.id,
        terminalId: identity.terminalId,
        // The command is a manager's own (cards.manage): the manager logged in approves it.
        approvedBy: staff.id,
        reason: keepBonus ? 'top-up refunded; member keeps the bonus' : 'top-up refunded',
      });
      deps.committed();
      printRefundSlip(done, staff.name, keepBonus === true);
      return { ...refundView(done), operations: done.operations };
    },
    'rules.list': () => ({
      rules: promotions.rules(identity.storeId).map((rule) => view(rule)),
      tiers: promotions.tiers(identity.storeId).map((tier) => ({
        id: tier.id,
        name: tier.name,
        rank: tier.rank,
        basis: tier.basis,
        thresholdFen: tier.thresholdFen,
        discountBp: tier.discountBp,
      })),
    }),
    'rules.versions': ({ id }) => {
      const latest = promotions.rule(id);
      if (latest === undefined) throw new ApiError('RULE_UNKNOWN', 'No such rule', { details: { id } });
      const usage = ruleVersionUsage(ledger, id);
      const versions: RuleView[] = [];
      for (let v = 1; v <= latest.version; v++) {
        const rule = promotions.rule(id, v);
        if (rule) versions.push(view(rule, usage));
      }
      return versions;
    },
    'rules.create': ({ id, terms }, { session }) =>
      view(
        promotions.createRule({
          id: id ?? `rule-${ulid().toLowerCase()}`,
          storeId: identity.storeId,
          terms,
          staffId: staffOf(session).id,
        }),
      ),
    'rules.change': ({ id, terms }, { session }) =>
      view(promotions.changeRule({ id, terms, staffId: staffOf(session).id })),
    'rules.retire': ({ id }, { session }) =>
      view(promotions.retireRule({ id, staffId: staffOf(session).id })),
    'rules.runExpiry': (_input, { session }) => {
      const run = deps.loyalty.runExpiry(staffOf(session).id);
      return {
        expired: run.lines.filter((l) => l.expiredFen > 0).length,
        totalFen: run.totalFen,
        more: run.more,
      };
    },

    'points.settings': () => ({
      settings: loyalty.pointsSettings(identity.storeId),
      gifts: loyalty.gifts(identity.storeId),
    }),
    'points.setSettings': (input, { session }) =>
      loyalty.setPointsSettings({
        storeId: identity.storeId,
        settings: Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
        staffId: staffOf(session).id,
      }),
    'points.putGift': ({ gift }, { session }) =>
      loyalty.putGift({ storeId: identity.storeId, gift, staffId: staffOf(session).id }),
    'points.quoteCharge': ({ cardId, listPriceFen, pointsToRedeem }) => {
      const quote = loyalty.quoteCharge({ cardId, listPriceFen, pointsToRedeem });
      return {
        listPriceFen: quote.listPriceFen,
        tierName: quote.tierName,
        discountBp: quote.discountBp,
        discountFen: quote.discountFen,
        pointsRedeemed: quote.pointsRedeemed,
        pointsValueFen: quote.pointsValueFen,
        chargedFen: quote.chargedFen,
        pointsEarned: quote.pointsEarned,
        pointsHeld: quote.pointsHeld,
        maxRedeemablePoints: quote.maxRedeemablePoints,
        fenPerPoint: quote.fenPerPoint,
      };
    },
    'points.redeemGift': ({ operationId, cardId, giftId, memberPassword, keyedApproval }, { session }) => {
      deps.checkMemberPassword({
        operationId,
        cardId,
        ...(memberPassword === undefined ? {} : { memberPassword }),
      });
      // A replay moves nothing: it carries the approver it was applied with, and is not checked again.
      const applied = ledger.operation(operationId);
      const approval =
        applied === undefined
          ? deps.spendRules.clear({ cardId, amountFen: 0, keyedApproval })
          : applied.approvedBy === null
            ? null
            : { staffId: applied.approvedBy, reason: keyedApproval?.reason ?? '' };
      const { gift, operation } = loyalty.redeemGift({
        operationId,
        cardId,
        giftId,
        staffId: staffOf(session).id,
        terminalId: identity.terminalId,
        approval: approval === null ? null : { staffId: approval.staffId, reason: approval.reason },
      });
      if (!operation.replayed) deps.committed();
      const after = operation.balanceAfter;
      return {
        gift,
        operation: {
          operationId: operation.operationId,
          kind: operation.kind,
          amountFen: operation.amountFen,
          principalFen: operation.principalFen,
          bonusFen: operation.bonusFen,
          points: operation.points,
          at: operation.createdAt,
          replayed: operation.replayed,
          balance: {
            principalFen: after.principalFen,
            bonusFen: after.bonusFen,
            totalFen: after.principalFen + after.bonusFen,
            points: after.points,
          },
        },
      };
    },

    'notices.settings': () => {
      const settings = deps.loyalty.noticeSettings();
      return {
        member:
          settings.member.provider === 'webhook'
            ? { provider: 'webhook' as const, url: settings.member.url }
            : { provider: 'file' as const, url: null },
        crm: settings.crm === null ? null : { url: settings.crm.url },
        stats: deps.loyalty.notices.stats(),
      };
    },
    'notices.setSettings': (settings) => {
      try {
        deps.loyalty.setNoticeSettings(settings);
      } catch (error) {
        throw new ApiError('NOTICE_SETTINGS_INVALID', (error as Error).message, { cause: error });
      }
      return { ok: true as const };
    },

    'notices.optIn': ({ memberId }) => {
      if (ledger.member(memberId) === undefined) {
        throw new ApiError('MEMBER_UNKNOWN', 'No such member', { details: { memberId } });
      }
      return deps.loyalty.notices.optIn(memberId);
    },
    'notices.setOptIn': ({ memberId, topUp, spend }) => {
      if (ledger.member(memberId) === undefined) {
        throw new ApiError('MEMBER_UNKNOWN', 'No such member', { details: { memberId } });
      }
      return deps.loyalty.notices.setOptIn(memberId, { topUp, spend });
    },
    'export.members': async ({ format }) => {
      const path = await exportTo(`members-${stamp(Date.now())}.${format}`);
      const input = { storeId: identity.storeId, path, names: deps.names };
      const done =
        format === 'csv' ? await exportMembersCsv(ledger, input) : await exportMembersXlsx(ledger, input);
      return { path, rows: done.rows };
    },
    'export.operations': async ({ format, fromDay, toDay }) => {
      if (fromDay > toDay) throw new ApiError('INPUT_INVALID', 'fromDay must not be after toDay');
      const path = await exportTo(`operations-${fromDay}-${toDay}-${stamp(Date.now())}.${format}`);
      const input = { storeId: identity.storeId, fromDay, toDay, path };
      const done =
        format === 'csv'
          ? await exportOperationsCsv(ledger, input)
          : await exportOperationsXlsx(ledger, input);
      return { path, rows: done.rows };
    },
  };
}
