/**
 * What an operation from a terminal means for the chain's ledger: which card's stored value it moves and by
 * how much, which card it issues, which card state it changes. A row that cannot be read this way is rejected
 * (kept and shown to a manager) rather than guessed at.
 *
 * Card balances are liabilities: a transfer crediting one of the card's accounts adds to its balance, a transfer
 * debiting one takes from it. An account belongs to a card when one of its `:`-separated segments is the card id
 * (e.g. `card:<cardId>:principal`). Points are a separate unit and never count as stored value.
 */
import { z } from 'zod';
import { CHANGE_KINDS, MONEY_KINDS } from './outbox';

const accountId = z.union([z.string().min(1), z.number().int()]).transform(String);
const transferSchema = z.object({
  debitAccount: accountId,
  creditAccount: accountId,
  amount: z.number().int().positive().refine(Number.isSafeInteger, 'amount must be a safe integer of fen'),
  unit: z.string().min(1),
});
const cardRef = z.union([z.string().min(1), z.number().int()]).transform(String);

const moneyPayloadSchema = z.object({
  cardId: cardRef.optional(),
  fromCardId: cardRef.optional(),
  toCardId: cardRef.optional(),
  transfers: z.array(transferSchema),
});

const cardChangeSchema = z.object({
  cardId: cardRef,
  state: z.string().min(1).optional(),
  toState: z.string().min(1).optional(),
});

export interface CardMovement {
  cardId: string;
  delta: number;
}

export type Reading =
  | {
      ok: true;
      /** The card the operation is about (for settlement), and its net movement on that card. */
      cardId: string | null;
      cardDelta: number | null;
      movements: CardMovement[];
      issuedCardId: string | null;
      stateChange: { cardId: string; state: string } | null;
    }
  | { ok: false; code: string; message: string };

const moneyKinds: ReadonlySet<string> = new Set(MONEY_KINDS);
const changeKinds: ReadonlySet<string> = new Set(CHANGE_KINDS);

function isPoints(unit: string): boolean {
  return /point/i.test(unit);
}

function belongsTo(account: string, cardId: string): boolean {
  return account === cardId || account.split(':').includes(cardId);
}

export function readOperation(kind: string, payload: unknown): Reading {
  if (moneyKinds.has(kind)) {
    const parsed = moneyPayloadSchema.safeParse(payload);
    if (!parsed.success) {
      return {
        ok: false,
        code: 'INVALID_OPERATION',
        message: `A ${kind} needs a card id and well-formed transfers.`,
      };
    }
    const { transfers } = parsed.data;
    const candidates = [parsed.data.cardId, parsed.data.fromCardId, parsed.data.toCardId].filter(
      (value): value is string => value !== undefined,
    );
    const cardIds = [...new Set(candidates)];
    if (cardIds.length === 0) {
      return { ok: false, code: 'INVALID_OPERATION', message: `A ${kind} must name the card it moves.` };
    }
    const movements: CardMovement[] = [];
    for (const cardId of cardIds) {
      let delta = 0;
      for (const transfer of transfers) {
        if (isPoints(transfer.unit)) continue;
        if (belongsTo(transfer.creditAccount, cardId)) delta += transfer.amount;
        if (belongsTo(transfer.debitAccount, cardId)) delta -= transfer.amount;
      }
      if (!Number.isSafeInteger(delta)) {
        return {
          ok: false,
          code: 'INVALID_OPERATION',
          message: 'The card movement overflows a safe integer.',
        };
      }
      if (delta !== 0) movements.push({ cardId, delta });
    }
    const primary = cardIds[0]!;
    const primaryDelta = movements.find((movement) => movement.cardId === primary)?.delta ?? 0;
    return {
      ok: true,
      cardId: primary,
      cardDelta: kind === 'card_transfer' ? 0 : primaryDelta,
      movements,
      issuedCardId: null,
      stateChange: null,
    };
  }
  if (changeKinds.has(kind)) {
    if (typeof payload !== 'object' || payload === null) {
      return { ok: false, code: 'INVALID_OPERATION', message: `A ${kind} needs an object payload.` };
    }
    if (kind === 'member_created') {
      return {
        ok: true,
        cardId: null,
        cardDelta: null,
        movements: [],
        issuedCardId: null,
        stateChange: null,
      };
    }
    const parsed = cardChangeSchema.safeParse(payload);
    if (!parsed.success) {
      return { ok: false, code: 'INVALID_OPERATION', message: `A ${kind} must name its card.` };
    }
    const state = parsed.data.toState ?? parsed.data.state;
    if (kind === 'card_state_changed' && state === undefined) {
      return {
        ok: false,
        code: 'INVALID_OPERATION',
        message: 'A card state change must name the new state.',
      };
    }
    return {
      ok: true,
      cardId: parsed.data.cardId,
      cardDelta: null,
      movements: [],
      issuedCardId: kind === 'card_issued' ? parsed.data.cardId : null,
      stateChange: kind === 'card_state_changed' && state ? { cardId: parsed.data.cardId, state } : null,
    };
  }
  return { ok: false, code: 'UNKNOWN_KIND', message: `HQ does not know operations of kind "${kind}".` };
}
