/**
 * What an operation from a terminal means for the chain's ledger: which card's stored value it moves and by
 * how much, which card it issues, which card state it changes. A row that cannot be read this way is rejected
 * (kept and shown to a manager) rather than guessed at.
 *
 * The terminal's ledger writes a payload `{ operation, card: { id }, counterpartCard, transfers: [{ debit,
 * credit, amount, unit }] }` with account codes `card:<cardId>:principal|bonus|points`. Card balances are
 * liabilities: a transfer crediting one of the card's accounts adds to its stored value, a transfer debiting
 * one takes from it. An account belongs to a card when one of its `:`-separated segments is the card id.
 * Points are a separate unit and never count as stored value.
 */
import { z } from 'zod';

/** Operations that move stored value (the ledger calls a card-to-card move `transfer`). */
export const MONEY_KINDS = [
  'top_up',
  'spend',
  'refund',
  'withdraw',
  'void',
  'card_transfer',
  'transfer',
] as const;
/** Operations that change members and cards without moving value. */
export const CHANGE_KINDS = ['member_created', 'card_issued', 'card_state_changed', 'card_state'] as const;

const TRANSFER_KINDS: ReadonlySet<string> = new Set(['card_transfer', 'transfer']);
const STATE_KINDS: ReadonlySet<string> = new Set(['card_state_changed', 'card_state']);

const accountId = z.union([z.string().min(1), z.number().int()]).transform(String);
const amount = z.number().int().positive().refine(Number.isSafeInteger, 'amount must be a safe integer');
const transferSchema = z.union([
  z.object({ debit: accountId, credit: accountId, amount, unit: z.string().min(1) }),
  z.object({ debitAccount: accountId, creditAccount: accountId, amount, unit: z.string().min(1) }),
]);
const cardRef = z.union([z.string().min(1), z.number().int()]).transform(String);
const cardObject = z.object({ id: cardRef, state: z.string().optional() }).nullish();

const payloadSchema = z.object({
  cardId: cardRef.optional(),
  fromCardId: cardRef.optional(),
  toCardId: cardRef.optional(),
  card: cardObject,
  counterpartCard: cardObject,
  state: z.string().min(1).optional(),
  toState: z.string().min(1).optional(),
  operation: z.object({ cardState: z.string().nullish() }).partial().nullish(),
  transfers: z.array(transferSchema).optional(),
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

function invalid(message: string): Reading {
  return { ok: false, code: 'INVALID_OPERATION', message };
}

export function readOperation(kind: string, payload: unknown): Reading {
  if (!moneyKinds.has(kind) && !changeKinds.has(kind)) {
    return { ok: false, code: 'UNKNOWN_KIND', message: `HQ does not know operations of kind "${kind}".` };
  }
  if (typeof payload !== 'object' || payload === null) return invalid(`A ${kind} needs an object payload.`);
  if (kind === 'member_created') {
    return { ok: true, cardId: null, cardDelta: null, movements: [], issuedCardId: null, stateChange: null };
  }
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return invalid(`The ${kind} payload is malformed.`);
  const data = parsed.data;
  const cardId = data.cardId ?? data.fromCardId ?? data.card?.id;
  if (cardId === undefined) return invalid(`A ${kind} must name its card.`);

  if (moneyKinds.has(kind) || (STATE_KINDS.has(kind) && data.transfers && data.transfers.length > 0)) {
    if (!data.transfers) return invalid(`A ${kind} must carry its transfers.`);
    const counterpart = data.toCardId ?? data.counterpartCard?.id;
    const cardIds = counterpart !== undefined && counterpart !== cardId ? [cardId, counterpart] : [cardId];
    const movements: CardMovement[] = [];
    for (const id of cardIds) {
      let delta = 0;
      for (const transfer of data.transfers) {
        if (isPoints(transfer.unit)) continue;
        const [debit, credit] =
          'debit' in transfer
            ? [transfer.debit, transfer.credit]
            : [transfer.debitAccount, transfer.creditAccount];
        if (belongsTo(credit, id)) delta += transfer.amount;
        if (belongsTo(debit, id)) delta -= transfer.amount;
      }
      if (!Number.isSafeInteger(delta)) return invalid('The card movement overflows a safe integer.');
      if (delta !== 0) movements.push({ cardId: id, delta });
    }
    const primaryDelta = movements.find((movement) => movement.cardId === cardId)?.delta ?? 0;
    return {
      ok: true,
      cardId,
      // A card-to-card move is not a sale or a load at the store: settlement leaves it out.
      cardDelta: TRANSFER_KINDS.has(kind) ? 0 : primaryDelta,
      movements,
      issuedCardId: null,
      stateChange: null,
    };
  }
  if (kind === 'card_issued') {
    return { ok: true, cardId, cardDelta: null, movements: [], issuedCardId: cardId, stateChange: null };
  }
  const state = data.toState ?? data.state ?? data.operation?.cardState ?? data.card?.state;
  if (!state) return invalid('A card state change must name the new state.');
  return {
    ok: true,
    cardId,
    cardDelta: null,
    movements: [],
    issuedCardId: null,
    stateChange: { cardId, state },
  };
}
