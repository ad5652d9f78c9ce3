/**
 * The member registry at the counter: search, masked profiles, registration, edits, export, deletion, the
 * member's password, statements and tier changes, each turned into the contract's shapes. Permissions were
 * checked in `api.ts`; a deletion or a password reset takes a manager's approval (`manager-approval.ts`).
 * The member's cards are `cards.ts`.
 */
import { ulid } from 'ulid';
import type { Ledger, MemberRegistry, Promotions } from '../../../db';
import type { MemberProfileView, StaffView } from '../../contract';
import type { MemberCommandName } from '../../contract/names';
import type { Handlers } from '../api';
import { balanceView, cardSummary } from './card-shapes';
import { cardRecordOf } from './ledger-lookups';
import { staffOf } from './logged-in';
import type { ManagerApprovals } from './manager-approval';
import type { MemberSlips } from './member-slips';

export type MemberHandlerNames = Extract<MemberCommandName, `members.${string}`>;

export interface MemberHandlerDeps {
  ledger: Ledger;
  members: MemberRegistry;
  promotions: Promotions;
  identity: { storeId: string; terminalId: string };
  approverOf: ManagerApprovals['approverOf'];
  slips: MemberSlips;
}

export function memberHandlers(deps: MemberHandlerDeps): Pick<Handlers, MemberHandlerNames> {
  const { ledger, members, promotions, identity, approverOf } = deps;
  const terminalId = identity.terminalId;
  const { slip, memberOnSlip } = deps.slips;
  const cardOf = (cardId: string) => cardRecordOf(ledger, cardId);

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
        .map((card) => ({ ...cardSummary(card), balance: balanceView(ledger.balance(card.id)) })),
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
        balance: balanceView(line.balanceAfter),
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
  };
}
