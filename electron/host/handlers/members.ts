/**
 * Members and their cards at the counter: the member book (registration, search, masked profiles, edits,
 * export, deletion, passwords) and the card life-cycle (activation, freeze, lost, replacement, closing), each
 * turned into the contract's shapes, with a slip printed for the steps that hand the member something.
 * Permissions were checked in `api.ts`; a step that needs a manager takes the logged-in manager or a
 * manager's staff number and PIN typed at the counter.
 */
import { ulid } from 'ulid';
import type { Card, CardMedium, Ledger, MemberBookApi, Promotions } from '../../../db';
import { inForce, rewardFor } from '../../../db/promotions/rules';
import {
  APPROVER_ROLES,
  type CloseQuote,
  type MemberCard,
  type MemberProfileView,
  type StaffView,
} from '../../contract';
import type { MemberCommandName } from '../../contract/names';
import { ApiError } from '../../errors';
import type { ReceiptModel } from '../../receipts/index';
import { amountLimitGuard } from '../amount-limits';
import type { Handlers } from '../api';
import { approvalPolicy } from '../approvals';
import type { CardWriter } from '../devices/card-writer';
import type { Printing } from '../devices/printing';
import { drawerGuard } from '../drawer-guard';
import { maskedCard, maskedName } from '../receipt-model';
import type { Session } from '../session';
import { staffOf } from './logged-in';

export interface MemberHandlerDeps {
  ledger: Ledger;
  members: MemberBookApi;
  promotions: Promotions;
  printing: Printing;
  identity: { storeId: string; terminalId: string };
  /** Told after each newly committed operation (the sync worker has something to send). */
  committed: () => void;
  /** Writes a new card in the chain's secured format; absent, cards are bound by UID or number only. */
  cardWriter?: CardWriter;
}

/** How each medium is named on the slip. */
const CARD_TYPE: Record<CardMedium, string> = {
  uid: 'IC卡',
  mifare: 'MIFARE加密卡',
  ultralight: 'NFC卡',
  magstripe: '磁条卡',
  keyed: '卡号卡',
};

/** Writes the bound number onto a blank MIFARE card still on its reader; a failure is reported, not thrown. */
async function writeCard(
  writer: CardWriter | undefined,
  card: { cardNumber: string; medium: string; reader?: string | undefined },
): Promise<{ written: 'issued' | 'already-issued' | null; writeError: string | null }> {
  if (card.medium !== 'mifare' || card.reader === undefined) return { written: null, writeError: null };
  if (writer === undefined) return { written: null, writeError: 'CARD_WRITER_MISSING' };
  try {
    return { written: await writer.write(card.reader, card.cardNumber), writeError: null };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { written: null, writeError: typeof code === 'string' ? code : 'CARD_WRITE_FAILED' };
  }
}

/**
 * Before anything is committed: a blank card that is to be written must take this number (1–16 digits) and
 * open to this chain or its transport key. Throws the refusal (CARD_NUMBER_INVALID, CARD_FOREIGN,
 * CARD_REMOVED…), so a card that cannot be written never gets a member or money bound to it.
 */
async function checkWritable(
  writer: CardWriter | undefined,
  card: { cardNumber: string; medium: string; reader?: string | undefined },
): Promise<void> {
  if (card.medium !== 'mifare' || card.reader === undefined) return;
  if (writer === undefined) {
    throw new ApiError('CARD_WRITER_MISSING', 'This terminal has no card keys to write a new card with');
  }
  await writer.check(card.reader, card.cardNumber);
}

function cardSummary(card: Card): Omit<MemberCard, 'balance'> {
  return {
    id: card.id,
    cardNumber: card.cardNumber,
    uid: card.uid,
    medium: card.medium,
    state: card.state,
  };
}

function balanceOf(balance: { principalFen: number; bonusFen: number; points: number }) {
  return {
    principalFen: balance.principalFen,
    bonusFen: balance.bonusFen,
    totalFen: balance.principalFen + balance.bonusFen,
    points: balance.points,
  };
}

export function memberHandlers(deps: MemberHandlerDeps): Pick<Handlers, MemberCommandName> {
  const { ledger, members, promotions, identity } = deps;
  const terminalId = identity.terminalId;
  const cashNeedsShift = drawerGuard(ledger, terminalId);
  const approvals = approvalPolicy(ledger);
  const limits = amountLimitGuard({ ledger, members, storeId: identity.storeId });

  const store = () => {
    const found = ledger.store(identity.storeId);
    if (found === undefined) throw new ApiError('STORE_UNKNOWN', 'This terminal has no store');
    return found;
  };

  const cardOf = (cardId: string): Card => {
    const card = ledger.card(cardId);
    if (card === undefined) throw new ApiError('CARD_UNKNOWN', 'No such card', { details: { cardId } });
    return card;
  };

  /**
   * Who approves a manager's step: the manager whose PIN was typed, else the logged-in staff member when a
   * manager, else APPROVAL_REQUIRED.
   */
  const approverOf = (
    session: Session,
    typed?: { staffNo: string; pin: string },
  ): { id: string; name: string } => {
    if (typed !== undefined) {
      const approver = ledger.authenticateApprover({ code: typed.staffNo, pin: typed.pin, terminalId });
      if (!APPROVER_ROLES.includes(approver.role)) {
        throw new ApiError('APPROVER_NOT_MANAGER', 'This needs a manager to approve it', {
          details: { approverRole: approver.role },
        });
      }
      // A PIN typed to approve is a second person's word, never the caller's own.
      approvals.requireSecondPerson({
        approverId: approver.id,
        actorId: staffOf(session).id,
        what: 'approval',
      });
      return { id: approver.id, name: approver.name };
    }
    const staff = staffOf(session);
    if (APPROVER_ROLES.includes(staff.role)) return { id: staff.id, name: staff.name };
    throw new ApiError('APPROVAL_REQUIRED', "This needs a manager's staff number and PIN");
  };

  /**
   * Renders a slip and queues it under `jobId`; a replayed request passes 'reprint' (shown, marked, never
   * queued again) and a statement 'preview' (shown only).
   */
  const slip = (session: Session, model: ReceiptModel, jobId: string, at: number): string => {
    const reprint = jobId === 'reprint';
    const { name: storeName, timeZone } = store();
    const { bytes, text } = deps.printing.render(model, {
      storeName,
      terminalId,
      cashier: session.staff?.name ?? '',
      at,
      timeZone,
      language: 'zh-CN',
      ...(reprint ? { reprint: true } : {}),
    });
    if (!reprint && jobId !== 'preview') deps.printing.print(jobId, model.kind, bytes);
    return text;
  };

  const memberOnSlip = (card: Card) => {
    const member = ledger.member(card.memberId);
    return { maskedCard: maskedCard(card.cardNumber), maskedName: maskedName(member?.name ?? '') };
  };

  const profileView = (memberId: string, viewer: StaffView): MemberProfileView => {
    const view = members.view(memberId, viewer.id);
    const consents = members.consents(memberId);
    const latest = (kind: 'pipl' | 'marketing') => {
      const found = consents.filter((consent) => consent.kind === kind).at(-1);
      return found === undefined
        ? null
        : { granted: found.granted, purpose: found.purpose, version: found.version, at: found.at };
    };
    return {
      id: view.memberId,
      name: view.name,
      phone: view.phone,
      idNumber: view.idNumber,
      birthday: view.birthday,
      notes: view.notes,
      masked: view.masked,
      tier: promotions.tierOf(memberId)?.name ?? null,
      hasPassword: view.hasPassword,
      passwordLocked: view.passwordLocked,
      deleted: view.deleted,
      createdAt: view.createdAt,
      consents: { pipl: latest('pipl'), marketing: latest('marketing') },
      cards: ledger
        .cardsOf(memberId)
        .map((card) => ({ ...cardSummary(card), balance: balanceOf(ledger.balance(card.id)) })),
    };
  };

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

  return {
    'members.search': ({ text, by, limit }) =>
      members.searchMembers({ text, limit, ...(by === undefined ? {} : { by }) }),

    'members.get': ({ memberId }, { session }) => profileView(memberId, staffOf(session)),

    'members.register': (input, { session }) => {
      const staff = staffOf(session);
      const profile = members.register({
        id: ulid(),
        storeId: identity.storeId,
        name: input.name,
        phone: input.phone,
        idNumber: input.idNumber ?? null,
        birthday: input.birthday ?? null,
        notes: input.notes ?? null,
        consent: input.consent,
        marketing: input.marketing ?? null,
        staffId: staff.id,
        terminalId,
      });
      return profileView(profile.memberId, staff);
    },

    'members.edit': ({ memberId, changes, marketing }, { session }) => {
      const staff = staffOf(session);
      const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      if (Object.keys(given).length > 0) {
        members.edit({ memberId, changes: given, staffId: staff.id, terminalId });
      }
      if (marketing !== undefined) {
        members.recordConsent({ memberId, kind: 'marketing', ...marketing, staffId: staff.id, terminalId });
      }
      return profileView(memberId, staff);
    },

    'members.export': ({ memberId }, { session }) => {
      const staff = staffOf(session);
      const data = members.exportData({ memberId, staffId: staff.id, terminalId });
      const day = new Date(data.exportedAt).toISOString().slice(0, 10).replaceAll('-', '');
      return { fileName: `member-${memberId}-${day}.json`, json: JSON.stringify(data, null, 2) };
    },

    'members.delete': ({ memberId, approver }, { session }) => {
      const staff = staffOf(session);
      const approvedBy = approverOf(session, approver);
      members.deleteMember({ memberId, staffId: staff.id, terminalId, approvedBy: approvedBy.id });
      return profileView(memberId, staff);
    },

    'members.setPassword': ({ memberId, password }, { session }) => {
      members.setPassword({ memberId, password, staffId: staffOf(session).id, terminalId });
      return { ok: true };
    },

    'members.resetPassword': ({ memberId, password, approver }, { session }) => {
      const staff = staffOf(session);
      const approvedBy = approverOf(session, approver);
      members.resetPassword({ memberId, password, staffId: staff.id, terminalId, approvedBy: approvedBy.id });
      return { ok: true };
    },

    'members.statement': ({ cardId, from, to, print }, { session }) => {
      const card = cardOf(cardId);
      const lines = ledger.statement(card.id, { from, to }).map((line) => ({
        operationId: line.operationId,
        kind: line.kind,
        at: line.createdAt,
        principalDeltaFen: line.principalDeltaFen,
        bonusDeltaFen: line.bonusDeltaFen,
        pointsDelta: line.pointsDelta,
        balance: balanceOf(line.balanceAfter),
        memo: line.memo,
      }));
      const balance = ledger.balance(card.id);
      const receiptText = slip(
        session,
        {
          kind: 'balance',
          operationId: ulid(),
          member: memberOnSlip(card),
          balance: { principal: balance.principalFen, bonus: balance.bonusFen, points: balance.points },
          movements: lines.slice(-20).map((line) => ({
            at: line.at,
            label: line.memo ?? line.kind,
            amount: line.principalDeltaFen + line.bonusDeltaFen,
          })),
        },
        print === true ? `statement-${ulid()}` : 'preview',
        Date.now(),
      );
      return { cardId: card.id, lines, receiptText };
    },

    'members.changeTier': ({ memberId, tierId, reason }, { session }) => {
      const staff = staffOf(session);
      promotions.changeTier({ memberId, tierId, reason, staffId: staff.id, terminalId });
      return profileView(memberId, staff);
    },

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
        balance: balanceOf(balance),
        replayed: already !== undefined,
        receiptText,
        ...(await writeCard(deps.cardWriter, input.card)),
      };
    },

    'cards.freeze': ({ operationId, cardId, reason }, { session }) => {
      const staff = staffOf(session);
      const card = members.freezeCard({
        operationId,
        cardId,
        staffId: staff.id,
        terminalId,
        reason: reason ?? null,
        approvedBy: approverOf(session).id,
      });
      deps.committed();
      return cardSummary(card);
    },

    'cards.unfreeze': ({ operationId, cardId, reason }, { session }) => {
      const staff = staffOf(session);
      const card = members.unfreezeCard({
        operationId,
        cardId,
        staffId: staff.id,
        terminalId,
        reason: reason ?? null,
        approvedBy: approverOf(session).id,
      });
      deps.committed();
      return cardSummary(card);
    },

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
