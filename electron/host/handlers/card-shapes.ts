/** A card and its balance as the screens take them (`contract/members.ts`, `contract/schemas.ts`). */
import type { Card } from '../../../db';
import type { MemberCard } from '../../contract';

export function cardSummary(card: Card): Omit<MemberCard, 'balance'> {
  return {
    id: card.id,
    cardNumber: card.cardNumber,
    uid: card.uid,
    medium: card.medium,
    state: card.state,
  };
}

/** Principal and bonus (fen) with their total, and points. */
export function balanceView(balance: { principalFen: number; bonusFen: number; points: number }) {
  return {
    principalFen: balance.principalFen,
    bonusFen: balance.bonusFen,
    totalFen: balance.principalFen + balance.bonusFen,
    points: balance.points,
  };
}
