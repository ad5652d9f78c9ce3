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
/**
 * Operations that move stored value or points (the ledger calls a card-to-card move `transfer`; `expiry` and
 * `forfeit` take bonus off a card into breakage; `points_redeem` moves points only).
 */
export const MONEY_KINDS = [
  'top_up',
  'spend',
  'refund',
  'withdraw',
  'void',
  'card_transfer',
  'transfer',
  'expiry',
  'forfeit',
  'points_redeem',
] as const;
/** Operations that change members and cards without moving value. */
export const CHANGE_KINDS = ['member_created', 'card_issued', 'card_state_changed', 'card_state'] as const;

const TRANSFER_KINDS: ReadonlySet<string> = new Set(['card_transfer', 'transfer']);
/** Moves that are neither a sale nor a load at the acting store: settlement between stores leaves them out. */
const UNSETTLED_KINDS: ReadonlySet<string> = new Set([...TRANSFER_KINDS, 'expiry', 'forfeit']);
const STATE_KINDS: ReadonlySet<string> = new Set(['card_state_changed', 'card_state']);

interface Transfer {
  debit: string;
  credit: string;
  amount: number;
  unit: string;
}

interface Payload {
  cardId: string | undefined;
  counterpartId: string | undefined;
  state: string | undefined;
  transfers: Transfer[] | undefined;
}

// Hand-written rather than a schema library: HQ reads every row of every push, and this is its hot path.
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOf(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

function textOf(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function cardIdIn(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  return isRecord(value) ? idOf(value.id) : null;
}

function transferOf(value: unknown): Transfer | null {
  if (!isRecord(value)) return null;
  const debit = idOf(value.debit ?? value.debitAccount);
  const credit = idOf(value.credit ?? value.creditAccount);
  const { amount, unit } = value;
  if (!debit || !credit || typeof unit !== 'string' || unit.length === 0) return null;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) return null;
  return { debit, credit, amount, unit };
}

/** The parts of a payload HQ reads, or null when one of them is malformed. */
function parsePayload(payload: Record<string, unknown>): Payload | null {
  const cardId = idOf(payload.cardId) ?? idOf(payload.fromCardId) ?? cardIdIn(payload.card);
  const counterpartId = idOf(payload.toCardId) ?? cardIdIn(payload.counterpartCard);
  const operation = payload.operation;
  if (operation !== undefined && operation !== null && !isRecord(operation)) return null;
  const state =
    textOf(payload.toState) ??
    textOf(payload.state) ??
    textOf(isRecord(operation) ? operation.cardState : undefined) ??
    (isRecord(payload.card) ? textOf(payload.card.state) : undefined);
  if (cardId === null || counterpartId === null || state === null) return null;
  let transfers: Transfer[] | undefined;
  if (payload.transfers !== undefined) {
    if (!Array.isArray(payload.transfers)) return null;
    transfers = [];
    for (const entry of payload.transfers) {
      const transfer = transferOf(entry);
      if (!transfer) return null;
      transfers.push(transfer);
    }
  }
  return { cardId, counterpartId, state, transfers };
}

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
  const data = parsePayload(payload as Record<string, unknown>);
  if (!data) return invalid(`The ${kind} payload is malformed.`);
  const cardId = data.cardId;
  if (cardId === undefined) return invalid(`A ${kind} must name its card.`);

  if (moneyKinds.has(kind) || (STATE_KINDS.has(kind) && data.transfers && data.transfers.length > 0)) {
    if (!data.transfers) return invalid(`A ${kind} must carry its transfers.`);
    const counterpart = data.counterpartId;
    const cardIds = counterpart !== undefined && counterpart !== cardId ? [cardId, counterpart] : [cardId];
    const movements: CardMovement[] = [];
    for (const id of cardIds) {
      let delta = 0;
      for (const transfer of data.transfers) {
        if (isPoints(transfer.unit)) continue;
        if (belongsTo(transfer.credit, id)) delta += transfer.amount;
        if (belongsTo(transfer.debit, id)) delta -= transfer.amount;
      }
      if (!Number.isSafeInteger(delta)) return invalid('The card movement overflows a safe integer.');
      if (delta !== 0) movements.push({ cardId: id, delta });
    }
    const primaryDelta = movements.find((movement) => movement.cardId === cardId)?.delta ?? 0;
    return {
      ok: true,
      cardId,
      // A card-to-card move or lapsed bonus is not a sale or a load at the store: settlement leaves it out.
      cardDelta: UNSETTLED_KINDS.has(kind) ? 0 : primaryDelta,
      movements,
      issuedCardId: null,
      stateChange: null,
    };
  }
  if (kind === 'card_issued') {
    return { ok: true, cardId, cardDelta: null, movements: [], issuedCardId: cardId, stateChange: null };
  }
  const state = data.state;
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
