/**
 * A member's cards at the counter: activation (with a new member and an opening top-up), freeze, unfreeze,
 * reported lost, replacement and closing, each turned into the contract's shapes, with a slip printed for the
 * steps that hand the member something. Permissions were checked in `api.ts`; a step that needs a manager
 * takes the logged-in manager or a manager's staff number and PIN typed at the counter
 * (`manager-approval.ts`).
 */
import type { Card, CardMedium, Ledger, MemberRegistry, Promotions } from '../../../db';
import { inForce, rewardFor } from '../../../db/promotions/rules';
import type { CloseQuote } from '../../contract';
import type { MemberCommandName } from '../../contract/names';
import { ApiError } from '../../errors';
import { amountLimitGuard } from '../amount-limits';
import type { Handlers } from '../api';
import type { CardWriter } from '../devices/card-writer';
import { drawerGuard } from '../drawer-guard';
import { maskedCard } from '../receipt-model';
import type { Session } from '../session';
import { balanceView, cardSummary } from './card-shapes';
import { checkWritable, writeCard } from './card-writing';
import { cardRecordOf } from './ledger-lookups';
import { staffOf } from './logged-in';
import type { ManagerApprovals } from './manager-approval';
import type { MemberSlips } from './member-slips';

export type CardHandlerNames = Extract<MemberCommandName, `cards.${string}`>;

export interface CardHandlerDeps {
  ledger: Ledger;
  members: MemberRegistry;
  promotions: Promotions;
  identity: { storeId: string; terminalId: string };
  /** Told after each newly committed operation (the sync worker has something to send). */
  committed: () => void;
  /** Writes a new card in the chain's secured format; absent, cards are bound by UID or number only. */
  cardWriter?: CardWriter;
  approverOf: ManagerApprovals['approverOf'];
  slips: MemberSlips;
}

/** How each medium is named on the slip. */
const CARD_TYPE: Record<CardMedium, string> = {
  uid: 'IC卡',
  mifare: 'MIFARE加密卡',
  ultralight: 'NFC卡',
  magstripe: '磁条卡',
  keyed: '卡号卡',
};

export function cardHandlers(deps: CardHandlerDeps): Pick<Handlers, CardHandlerNames> {
  const { ledger, members, promotions, identity, approverOf } = deps;
  const terminalId = identity.terminalId;
  const cashNeedsShift = drawerGuard(ledger, terminalId);
  const limits = amountLimitGuard({ ledger, members, storeId: identity.storeId });
  const { slip, memberOnSlip } = deps.slips;
  const cardOf = (cardId: string): Card => cardRecordOf(ledger, cardId);

  /**
   * The opening top-up's bonus for a card not issued yet: the rules of the store in force now, for the
   * member's tier (none for a new member). The top-up itself runs the ledger's own selection and refuses
   * with QUOTE_CHANGED should it differ.
   */
  const quoteWithoutCard = (memberId: string | undefined, amountFen: number) => {
    const tier = memberId === undefined ? null : promotions.tierOf(memberId);
    const at = Date.now();
    let best: { id: string; version: number; name: string; bonusFen: number; points: number } | null = null;
    for (const rule of promotions.rules(identity.storeId)) {
      if (!inForce(rule, at)) continue;
      if (rule.eligibleTiers !== null && (tier === null || !rule.eligibleTiers.includes(tier.id))) continue;
      if (rule.perMemberLimit !== null && rule.perMemberLimit < 1) continue;
      const reward = rewardFor(rule, amountFen);
      if (reward.bonusFen === 0 && reward.points === 0 && reward.upgradeTierId === null) continue;
      const better =
        best === null ||
        reward.bonusFen > best.bonusFen ||
        (reward.bonusFen === best.bonusFen && reward.points > best.points);
      if (better) {
        best = {
          id: rule.id,
          version: rule.version,
          name: rule.name,
          bonusFen: reward.bonusFen,
          points: reward.points,
        };
      }
    }
    return {
      amountFen,
      ruleId: best?.id ?? null,
      ruleVersion: best?.version ?? null,
      bonusFen: best?.bonusFen ?? 0,
      points: best?.points ?? 0,
      rule: best?.name ?? '',
    };
  };

  const closeQuote = (card: Card): CloseQuote => {
    const balance = ledger.balance(card.id);
    const blockedBy =
      card.state === 'closed' ? 'CARD_CLOSED' : card.state === 'replaced' ? 'CARD_REPLACED' : null;
    return {
      cardId: card.id,
      principalFen: balance.principalFen,
      bonusFen: balance.bonusFen,
      points: balance.points,
      refundFen: balance.principalFen,
      forfeitFen: balance.bonusFen,
      // Points do not block a close: the member may give them up once asked (forfeitPoints).
      forfeitPoints: Math.max(0, balance.points),
      blockedBy,
    };
  };

  /** A freeze or an unfreeze: a manager's step, approved by the logged-in manager. */
  const freezeStep = (
    change: MemberRegistry['freezeCard'] | MemberRegistry['unfreezeCard'],
    { operationId, cardId, reason }: { operationId: string; cardId: string; reason?: string | undefined },
    session: Session,
  ) => {
    const card = change({
      operationId,
      cardId,
      staffId: staffOf(session).id,
      terminalId,
      reason: reason ?? null,
      approvedBy: approverOf(session).id,
    });
    deps.committed();
    return cardSummary(card);
  };

  return {
    'cards.previewActivation': ({ memberId, amountFen }) => {
      if (memberId !== undefined) {
        const usable = ledger.cardsOf(memberId).find((card) => card.state === 'active');
        if (usable !== undefined) {
          const quote = promotions.quoteTopUp(usable.id, amountFen);
          return {
            amountFen,
            ruleId: quote.ruleId,
            ruleVersion: quote.ruleVersion,
            bonusFen: quote.bonusFen,
            points: quote.points,
            rule: quote.ruleName ?? '',
          };
        }
      }
      return quoteWithoutCard(memberId, amountFen);
    },

    'cards.activate': async (input, { session }) => {
      const staff = staffOf(session);
      // The ids follow from the operation id, so a repeated confirmation finds the first activation.
      const cardId = `card-${input.operationId}`;
      const already = ledger.card(cardId);
      if (already !== undefined && already.cardNumber !== input.card.cardNumber) {
        throw new ApiError('IDEMPOTENCY_CONFLICT', 'This operation id already activated another card', {
          details: { operationId: input.operationId },
        });
      }
      if (already === undefined) {
        await checkWritable(deps.cardWriter, input.card);
        const member =
          'register' in input.member
            ? {
                register: {
                  id: `member-${input.operationId}`,
                  storeId: identity.storeId,
                  name: input.member.register.name,
                  phone: input.member.register.phone,
                  idNumber: input.member.register.idNumber ?? null,
                  birthday: input.member.register.birthday ?? null,
                  notes: input.member.register.notes ?? null,
                  consent: input.member.register.consent,
                  marketing: input.member.register.marketing ?? null,
                },
              }
            : { memberId: input.member.memberId };
        const opening = input.openingTopUp;
        // A new card holds nothing yet: the opening top-up alone meets the card's limit and the real-name rule.
        if (opening !== undefined) {
          limits.checkOpeningTopUp(
            'register' in input.member
              ? { phone: input.member.register.phone, idNumber: input.member.register.idNumber ?? null }
              : { memberId: input.member.memberId },
            opening.amountFen,
          );
        }
        if (opening !== undefined) cashNeedsShift({ tender: opening.tender, operationId: input.operationId });
        promotions.activateCard({
          member,
          identityChecked: input.identityChecked,
          card: {
            id: cardId,
            cardNumber: input.card.cardNumber,
            uid: input.card.uid ?? null,
            medium: input.card.medium,
          },
          password: input.password ?? null,
          openingTopUp:
            opening === undefined
              ? null
              : {
                  operationId: input.operationId,
                  amountFen: opening.amountFen,
                  tender: opening.tender,
                  tenderReference: opening.reference ?? null,
                  expected: opening.quote ?? null,
                },
          staffId: staff.id,
          terminalId,
        });
        deps.committed();
      }
      const card = cardOf(cardId);
      const topUp = ledger.operation(input.operationId);
      const application = topUp === undefined ? undefined : promotions.applicationOf(input.operationId);
      const ruleName =
        application === undefined
          ? ''
          : (promotions.rule(application.ruleId, application.ruleVersion)?.name ?? '');
      const balance = ledger.balance(card.id);
      const passwordSet = members.profile(card.memberId)?.hasPassword ?? false;
      const openingTopUp =
        topUp === undefined
          ? null
          : { amountFen: topUp.amountFen, bonusFen: topUp.bonusFen, points: topUp.points, rule: ruleName };
      const receiptText = slip(
        session,
        {
          kind: 'card_issue',
          operationId: input.operationId,
          member: memberOnSlip(card),
          cardType: CARD_TYPE[card.medium],
          fee: 0,
          deposit: 0,
          tender: topUp?.tender ?? 'cash',
          ...(openingTopUp === null
            ? {}
            : {
                openingTopUp: {
                  amount: openingTopUp.amountFen,
                  bonus: openingTopUp.bonusFen,
                  tender: topUp?.tender ?? 'cash',
                  ...(ruleName === '' ? {} : { promotion: ruleName }),
                },
              }),
          passwordSet,
          balanceAfter: { principal: balance.principalFen, bonus: balance.bonusFen, points: balance.points },
        },
        already === undefined ? `activation-${input.operationId}` : 'reprint',
        card.createdAt,
      );
      return {
        memberId: card.memberId,
        card: cardSummary(card),
        passwordSet,
        openingTopUp,
        balance: balanceView(balance),
        replayed: already !== undefined,
        receiptText,
        ...(await writeCard(deps.cardWriter, input.card)),
      };
    },

    'cards.freeze': (input, { session }) => freezeStep(members.freezeCard, input, session),

    'cards.unfreeze': (input, { session }) => freezeStep(members.unfreezeCard, input, session),

    'cards.reportLost': ({ operationId, cardId, reason }, { session }) => {
      const card = members.reportCardLost({
        operationId,
        cardId,
        staffId: staffOf(session).id,
        terminalId,
        reason: reason ?? null,
      });
      deps.committed();
      return cardSummary(card);
    },

    'cards.replace': async ({ operationId, oldCardId, newCard, approver }, { session }) => {
      const staff = staffOf(session);
      const approvedBy = approverOf(session, approver);
      const replayed = ledger.operation(operationId) !== undefined;
      if (!replayed) await checkWritable(deps.cardWriter, newCard);
      const result = members.replaceCard({
        operationId,
        oldCardId,
        newCard: {
          id: `card-${operationId}`,
          cardNumber: newCard.cardNumber,
          uid: newCard.uid ?? null,
          medium: newCard.medium,
        },
        staffId: staff.id,
        terminalId,
        approvedBy: approvedBy.id,
      });
      if (!replayed) deps.committed();
      const balance = ledger.balance(result.newCard.id);
      const receiptText = slip(
        session,
        {
          kind: 'card_issue',
          operationId,
          member: memberOnSlip(result.newCard),
          cardType: CARD_TYPE[result.newCard.medium],
          fee: 0,
          deposit: 0,
          tender: 'stored_value',
          replaces: maskedCard(result.oldCard.cardNumber),
          moved: {
            principal: result.moved.principalFen,
            bonus: result.moved.bonusFen,
            points: result.moved.points,
          },
          balanceAfter: { principal: balance.principalFen, bonus: balance.bonusFen, points: balance.points },
        },
        replayed ? 'reprint' : `replace-${operationId}`,
        ledger.operation(result.transferOperationId)?.createdAt ?? Date.now(),
      );
      return {
        oldCard: cardSummary(result.oldCard),
        newCard: cardSummary(result.newCard),
        moved: result.moved,
        receiptText,
        ...(await writeCard(deps.cardWriter, newCard)),
      };
    },

    'cards.quoteClose': ({ cardId }) => closeQuote(cardOf(cardId)),

    'cards.close': ({ operationId, cardId, tender, reference, reason, forfeitPoints }, { session }) => {
      const staff = staffOf(session);
      const approvedBy = approverOf(session);
      const replayed = ledger.operation(operationId) !== undefined;
      cashNeedsShift({ tender, operationId });
      const result = members.closeCard({
        operationId,
        cardId,
        tender,
        tenderReference: reference ?? null,
        staffId: staff.id,
        terminalId,
        approvedBy: approvedBy.id,
        reason: reason ?? null,
        forfeitPoints: forfeitPoints === true,
      });
      if (!replayed) deps.committed();
      const receiptText = slip(
        session,
        {
          kind: 'card_close',
          operationId,
          member: memberOnSlip(result.card),
          before: {
            principal: result.before.principalFen,
            bonus: result.before.bonusFen,
            points: result.before.points,
          },
          refunded: result.principalRefundedFen,
          forfeited: result.bonusForfeitedFen,
          ...(result.pointsForfeited > 0 ? { pointsForfeited: result.pointsForfeited } : {}),
          tender: result.tender,
          ...(reason === undefined ? {} : { reason }),
          approvedBy: approvedBy.name,
        },
        replayed ? 'reprint' : `close-${operationId}`,
        ledger.operation(operationId)?.createdAt ?? Date.now(),
      );
      return {
        card: cardSummary(result.card),
        principalRefundedFen: result.principalRefundedFen,
        bonusForfeitedFen: result.bonusForfeitedFen,
        pointsForfeited: result.pointsForfeited,
        tender: result.tender,
        receiptText,
      };
    },
  };
}
