/**
 * What every operation's plan starts from, read inside its transaction: who acts, the card and its
 * accounts, the store's accounts, and the checks on a card's state and a tender. Operations get these and
 * the writer together as one kit.
 */
import type { Accounts, StoreAccountKind } from '../accounts';
import type { Context } from '../context';
import type { Directory } from '../directory';
import { LedgerError, type LedgerErrorCode } from '../errors';
import type { CardRow, StoreRow, TerminalRow } from '../rows';
import {
  type CardState,
  type OperationKind,
  type OperationResult,
  TENDERS,
  type Tender,
  type Unit,
} from '../types';
import type { AccountRef, Actors, CardAccounts, Plan } from './plan';
import { operationWriter, resultOf, type Sender } from './writer';

const NOT_ACTIVE: Record<Exclude<CardState, 'active'>, { code: LedgerErrorCode; message: string }> = {
  frozen: { code: 'CARD_FROZEN', message: 'this card is frozen' },
  lost: { code: 'CARD_LOST', message: 'this card is reported lost' },
  replaced: { code: 'CARD_REPLACED', message: 'this card has been replaced by another card' },
  closed: { code: 'CARD_CLOSED', message: 'this card is closed' },
};

/** Refuses a card that is not active, with the code that says why. */
export function requireActive(card: CardRow): void {
  if (card.state !== 'active') {
    const refusal = NOT_ACTIVE[card.state];
    throw new LedgerError(refusal.code, refusal.message, {
      details: { cardId: card.id, state: card.state },
    });
  }
}

/** A card still open: what remains on a frozen or lost card may still leave it (a forfeit, a transfer). */
export function requireOpen(card: CardRow): void {
  if (card.state === 'replaced' || card.state === 'closed') requireActive(card);
}

export function tenderOf(value: unknown): Tender {
  if (!TENDERS.includes(value as Tender)) {
    throw new LedgerError('TENDER_INVALID', 'unknown tender', { details: { tender: String(value) } });
  }
  return value as Tender;
}

export function operationKit(ctx: Context, accounts: Accounts, directory: Directory) {
  const { db } = ctx;
  const writer = operationWriter(ctx);
  const q = {
    cardAccounts: db.prepare<
      [string],
      { id: number; code: string; kind: string; unit: Unit; debits: number; credits: number }
    >(
      `SELECT a.id, a.code, a.kind, a.unit, b.debits, b.credits
       FROM accounts a JOIN balances b ON b.account_id = a.id WHERE a.card_id = ?`,
    ),
  };
  // A store's settings do not change once created, so its row is kept.
  const storeCache = new Map<string, StoreRow>();

  function storeOf(terminal: TerminalRow): StoreRow {
    let store = storeCache.get(terminal.store_id);
    if (store === undefined) {
      store = directory.storeRow(terminal.store_id);
      storeCache.set(store.id, store);
    }
    return store;
  }

  return {
    directory,
    operation: writer.operation,

    /** Runs an operation through the writer and answers with its result (the first one, on a replay). */
    perform(
      kind: OperationKind,
      input: Sender,
      fields: readonly unknown[],
      plan: () => Plan,
    ): OperationResult {
      const row = writer.run(kind, input, fields, plan);
      return resultOf(row, row.replayed);
    },
    /** As `perform`, answering with the written row. */
    run: writer.run,

    /** Who acts, where, and in which store: a known terminal and an active staff member. */
    actors(input: { staffId: unknown; terminalId: unknown }): Actors {
      const terminal = directory.terminalRow(input.terminalId);
      const staff = directory.activeStaff(input.staffId);
      return { terminal, staff, store: storeOf(terminal) };
    },

    /** The manager who approved, when the request names one. */
    approverIf(approvedBy: unknown) {
      return approvedBy ? directory.approver(approvedBy) : null;
    },

    cardAccounts(card: CardRow): CardAccounts {
      const found: Partial<CardAccounts> = { card };
      for (const row of q.cardAccounts.all(card.id)) {
        if (row.kind === 'card_principal') found.principal = row;
        else if (row.kind === 'card_bonus') found.bonus = row;
        else if (row.kind === 'card_points') found.points = row;
      }
      if (!found.principal || !found.bonus || !found.points) {
        throw new LedgerError('INVARIANT_BROKEN', 'the card has no accounts', {
          details: { cardId: card.id },
        });
      }
      return found as CardAccounts;
    },

    storeAccount(store: StoreRow, kind: StoreAccountKind): AccountRef {
      const id = accounts.storeAccounts(store.id)[kind];
      return { id, code: `store:${store.id}:${kind}`, unit: kind === 'points_issued' ? 'points' : 'fen' };
    },
  };
}

export type OperationKit = ReturnType<typeof operationKit>;
