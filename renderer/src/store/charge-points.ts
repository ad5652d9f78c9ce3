/**
 * Points at the counter's charge: how many points the cashier chose, and the host's quote for them (the
 * tier's discount, what the points take off, what the card pays, points earned). The quote belongs to one
 * charge draft (its operation id); the charge sends the points and the quote the cashier saw.
 */
import { create } from 'zustand';
import type { ChargeQuoteView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';

interface ChargePointsState {
  operationId: string | null;
  points: number;
  quote: ChargeQuoteView | null;
  error: PosFailure | null;
  /** Quotes the draft's charge with `points` points (0 shows the discount and what can be used). */
  quoteFor(input: { operationId: string; cardId: string; amountFen: number; points: number }): Promise<void>;
  clear(): void;
}

let sequence = 0;

export const useChargePoints = create<ChargePointsState>((set, get) => ({
  operationId: null,
  points: 0,
  quote: null,
  error: null,
  async quoteFor({ operationId, cardId, amountFen, points }) {
    sequence += 1;
    const mine = sequence;
    // Another charge's quote never stays behind: it would travel with this charge and be refused.
    if (get().operationId !== operationId) set({ quote: null });
    set({ operationId, points, error: null });
    try {
      const quote = await call('points.quoteCharge', {
        cardId,
        listPriceFen: amountFen,
        pointsToRedeem: points,
      });
      if (mine === sequence) set({ quote });
    } catch (error) {
      if (mine === sequence) set({ quote: null, error: asFailure(error) });
    }
  },
  clear() {
    sequence += 1;
    set({ operationId: null, points: 0, quote: null, error: null });
  },
}));

/** What `wallet.charge` carries for the draft: the points and the quote shown, when they belong to it. */
export function chargeExtras(operationId: string) {
  const { operationId: quoted, quote, points } = useChargePoints.getState();
  if (quoted !== operationId || quote === null || quote.pointsRedeemed !== points) return {};
  return {
    pointsToRedeem: quote.pointsRedeemed,
    quote: {
      chargedFen: quote.chargedFen,
      discountFen: quote.discountFen,
      pointsRedeemed: quote.pointsRedeemed,
      pointsEarned: quote.pointsEarned,
    },
  };
}

/** What the card (and any other tender) pays for the draft: the quote's figure once there is one for it. */
export function chargedFen(draft: { operationId: string; amountFen: number }): number {
  const { operationId: quoted, quote } = useChargePoints.getState();
  return quoted === draft.operationId && quote !== null ? quote.chargedFen : draft.amountFen;
}
