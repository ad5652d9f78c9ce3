/**
 * Activating a card (开卡) as one step: the member (registered now, or already on file), the identity check,
 * the card bound to the member, an optional member password and an optional opening top-up with its bonus
 * rule. It all commits together or not at all, so a failed opening top-up leaves no half-activated card.
 */
import type { AuditWriter, MemberRegistry, RegisterMemberInput } from '../members';
import type { Card, CardMedium, Ledger, Tender } from '../types';
import { PromotionError } from './errors';
import type { TopUpWithRulesInput, TopUpWithRulesResult } from './top-up-rules';

export interface ActivateCardInput {
  /** A new member's registration, or the id of a member already on file. */
  member: { register: Omit<RegisterMemberInput, 'staffId' | 'terminalId'> } | { memberId: string };
  /** The staff member confirms the identity document was seen; required when an ID number is recorded. */
  identityChecked: boolean;
  card: { id: string; cardNumber: string; uid?: string | null; medium: CardMedium };
  /** Six digits, optional. */
  password?: string | null;
  openingTopUp?: {
    operationId: string;
    amountFen: number;
    tender: Tender;
    tenderReference?: string | null;
    expected?: { ruleId: string | null; ruleVersion: number | null; bonusFen: number; points: number } | null;
  } | null;
  staffId: string;
  terminalId: string;
}

/** What the activation slip prints. */
export interface ActivationResult {
  memberId: string;
  card: Card;
  passwordSet: boolean;
  openingTopUp: TopUpWithRulesResult | null;
}

export function cardActivation(
  ledger: Ledger,
  now: () => number,
  audit: AuditWriter,
  members: MemberRegistry,
  topUpWithRules: (input: TopUpWithRulesInput) => TopUpWithRulesResult,
) {
  return {
    activateCard(input: ActivateCardInput): ActivationResult {
      return audit.guarded('card.activate', input, () => {
        const who = { staffId: input.staffId, terminalId: input.terminalId };
        let memberId: string;
        if ('register' in input.member) {
          const registration = input.member.register;
          const hasId =
            registration.idNumber !== undefined &&
            registration.idNumber !== null &&
            registration.idNumber !== '';
          if (hasId && input.identityChecked !== true) {
            throw new PromotionError(
              'IDENTITY_NOT_CHECKED',
              'confirm the identity document was seen before activating',
            );
          }
          memberId = members.register({ ...registration, ...who }).memberId;
        } else {
          const profile = members.profile(input.member.memberId);
          if (!profile || profile.deleted) {
            throw new PromotionError('MEMBER_UNKNOWN', 'no such member', {
              details: { memberId: input.member.memberId },
            });
          }
          if (profile.idNumber !== null && input.identityChecked !== true) {
            throw new PromotionError(
              'IDENTITY_NOT_CHECKED',
              'confirm the identity document was seen before activating',
            );
          }
          memberId = profile.memberId;
        }
        const card = ledger.issueCard({
          id: input.card.id,
          memberId,
          cardNumber: input.card.cardNumber,
          uid: input.card.uid ?? null,
          medium: input.card.medium,
          ...who,
        });
        const passwordSet = input.password !== undefined && input.password !== null && input.password !== '';
        if (passwordSet) {
          if (members.profile(memberId)?.hasPassword) {
            throw new PromotionError(
              'INPUT_INVALID',
              'this member already has a password; a manager can reset it',
            );
          }
          members.setPassword({ memberId, password: input.password as string, ...who });
        }
        const opening = input.openingTopUp
          ? topUpWithRules({ ...input.openingTopUp, cardId: card.id, ...who })
          : null;
        audit.write({
          at: now(),
          action: 'card.activate',
          outcome: 'ok',
          operationId: opening?.operation.operationId ?? null,
          ...who,
          details: {
            memberId,
            cardId: card.id,
            identityChecked: input.identityChecked === true,
            passwordSet,
          },
        });
        return { memberId, card: ledger.card(card.id) ?? card, passwordSet, openingTopUp: opening };
      });
    },
  };
}
