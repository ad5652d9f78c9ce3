/**
 * The ledger's members and their cards: a member row (id, store, name and phone as the ledger may keep them)
 * and the cards issued to it. Both are recorded in the outbox so headquarters learns them. The member registry
 * (db/members) keeps everything personal beside these rows.
 */
import type { Accounts } from './accounts';
import { type Context, guarded, optionalText, requireText } from './context';
import { LedgerError } from './errors';
import { type CardRow, type MemberRow, toCard, toMember } from './rows';
import type { StaffModule } from './staff';
import type { Stores } from './stores';
import type { Terminals } from './terminals';
import {
  CARD_MEDIA,
  type Card,
  type CardState,
  type CreateMemberInput,
  type IssueCardInput,
  type Member,
} from './types';

export function membersAndCardsModule(
  ctx: Context,
  accounts: Accounts,
  directory: { stores: Stores; terminals: Terminals; people: StaffModule },
) {
  const { db } = ctx;
  const { storeRow } = directory.stores;
  const { terminalRow, homeTerminal } = directory.terminals;
  const { activeStaff } = directory.people;
  const q = {
    member: db.prepare<[string], MemberRow>('SELECT * FROM members WHERE id = ?'),
    card: db.prepare<[string], CardRow>('SELECT * FROM cards WHERE id = ?'),
    cardsOf: db.prepare<[string], CardRow>('SELECT * FROM cards WHERE member_id = ? ORDER BY created_at, id'),
    insertMember: db.prepare(
      'INSERT INTO members (id, store_id, name, phone, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    insertCard: db.prepare(
      `INSERT INTO cards (id, member_id, store_id, card_number, uid, medium, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
    ),
    cardByNumber: db.prepare<[string], { id: string }>('SELECT id FROM cards WHERE card_number = ?'),
    cardByUid: db.prepare<[string], { id: string }>('SELECT id FROM cards WHERE uid = ?'),
    setCardState: db.prepare('UPDATE cards SET state = ?, updated_at = ? WHERE id = ?'),
  };

  function cardRow(cardId: unknown): CardRow {
    const row = typeof cardId === 'string' ? q.card.get(cardId) : undefined;
    if (!row) throw new LedgerError('CARD_UNKNOWN', 'no such card', { details: { cardId } });
    return row;
  }
  function memberRow(memberId: unknown): MemberRow {
    const row = typeof memberId === 'string' ? q.member.get(memberId) : undefined;
    if (!row) throw new LedgerError('MEMBER_UNKNOWN', 'no such member', { details: { memberId } });
    return row;
  }

  function optionalActor(staffId: unknown, terminalId: unknown) {
    return {
      staffId: staffId === undefined || staffId === null ? null : activeStaff(staffId).id,
      terminal: terminalId === undefined || terminalId === null ? null : terminalRow(terminalId),
    };
  }

  type Actor = ReturnType<typeof optionalActor>;

  /** The audit line and the outbox row of a new member or card, under one operation id, in its transaction. */
  function record(at: number, action: string, kind: string, storeId: string, actor: Actor, payload: object) {
    const operationId = ctx.newId(at);
    ctx.audit({
      at,
      action,
      outcome: 'ok',
      operationId,
      staffId: actor.staffId,
      terminalId: actor.terminal?.id,
    });
    ctx.enqueue({
      operationId,
      terminalId: actor.terminal?.id ?? homeTerminal(),
      storeId,
      kind,
      payload: { ...payload, staffId: actor.staffId },
      at,
    });
  }

  return {
    cardRow,
    memberRow,

    createMember(input: CreateMemberInput): Member {
      return guarded(ctx, 'member.create', { staffId: input.staffId, terminalId: input.terminalId }, () => {
        const id = requireText(input.id, 'id');
        const name = requireText(input.name, 'name');
        const phone = optionalText(input.phone, 'phone', 32);
        const store = storeRow(input.storeId);
        const actor = optionalActor(input.staffId, input.terminalId);
        if (q.member.get(id))
          throw new LedgerError('ID_TAKEN', 'a member with this id exists', { details: { id } });
        const at = ctx.now();
        q.insertMember.run(id, store.id, name, phone, at);
        const member = toMember(memberRow(id));
        record(at, 'member.create', 'member_created', store.id, actor, { member });
        return member;
      });
    },
    member(memberId: string): Member | undefined {
      const row = q.member.get(memberId);
      return row ? toMember(row) : undefined;
    },

    issueCard(input: IssueCardInput): Card {
      return guarded(ctx, 'card.issue', { staffId: input.staffId, terminalId: input.terminalId }, () => {
        const id = requireText(input.id, 'id');
        const cardNumber = requireText(input.cardNumber, 'cardNumber', 40);
        const uid = input.uid === undefined || input.uid === null ? null : normalizeUid(input.uid);
        if (!CARD_MEDIA.includes(input.medium)) {
          throw new LedgerError('INPUT_INVALID', 'unknown card medium', {
            details: { medium: input.medium },
          });
        }
        const member = memberRow(input.memberId);
        const actor = optionalActor(input.staffId, input.terminalId);
        if (q.card.get(id))
          throw new LedgerError('ID_TAKEN', 'a card with this id exists', { details: { id } });
        if (q.cardByNumber.get(cardNumber)) {
          throw new LedgerError('CARD_NUMBER_TAKEN', 'another card has this number', {
            details: { cardNumber },
          });
        }
        if (uid !== null && q.cardByUid.get(uid)) {
          throw new LedgerError('CARD_UID_TAKEN', 'another card has this UID', { details: { uid } });
        }
        const storeId = actor.terminal?.store_id ?? member.store_id;
        const at = ctx.now();
        q.insertCard.run(id, member.id, storeId, cardNumber, uid, input.medium, at, at);
        accounts.createCardAccounts(storeId, id);
        const card = toCard(cardRow(id));
        record(at, 'card.issue', 'card_issued', storeId, actor, { card });
        return card;
      });
    },
    card(cardId: string): Card | undefined {
      const row = q.card.get(cardId);
      return row ? toCard(row) : undefined;
    },
    cardsOf(memberId: string): Card[] {
      return q.cardsOf.all(memberId).map(toCard);
    },
    writeCardState(cardId: string, state: CardState, at: number): void {
      q.setCardState.run(state, at, cardId);
    },
  };
}

export type MembersAndCards = ReturnType<typeof membersAndCardsModule>;

/** UIDs are stored as upper-case hex without separators (4, 7 or 10 bytes on real cards). */
export function normalizeUid(uid: unknown): string {
  if (typeof uid !== 'string') throw new LedgerError('INPUT_INVALID', 'uid must be hex text');
  const hex = uid.replace(/[\s:-]/g, '').toUpperCase();
  if (!/^([0-9A-F]{2}){4,10}$/.test(hex)) {
    throw new LedgerError('INPUT_INVALID', 'uid must be 4 to 10 bytes of hex', { details: { uid } });
  }
  return hex;
}
