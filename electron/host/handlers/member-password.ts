/**
 * The member's password before anything spends the member's value (a charge, points for a gift), once the
 * member has set one. A wrong one is counted toward the member's lockout before anything moves.
 */
import type { CardWithMember, Ledger, MemberRegistry } from '../../../db';
import { ApiError } from '../../errors';

export interface MemberPasswordInput {
  operationId: string;
  cardId: string;
  memberPassword?: string;
}

/**
 * Refuses with MEMBER_PASSWORD_REQUIRED (none typed) or the member registry's refusal (wrong, locked). A replay of
 * an applied operation returns its first result: the password was checked the first time.
 */
export function memberPasswordCheck(deps: {
  ledger: Ledger;
  members: MemberRegistry;
  terminalId: string;
  cardById: (cardId: string) => CardWithMember;
}): (input: MemberPasswordInput) => void {
  return (input) => {
    if (deps.ledger.operation(input.operationId) !== undefined) return;
    const card = deps.cardById(input.cardId);
    if (deps.members.profile(card.memberId)?.hasPassword !== true) return;
    if (input.memberPassword === undefined) {
      throw new ApiError('MEMBER_PASSWORD_REQUIRED', "This member's charges need the member password", {
        details: { cardId: input.cardId },
      });
    }
    deps.members.verifyPassword({
      memberId: card.memberId,
      password: input.memberPassword,
      terminalId: deps.terminalId,
    });
  };
}
