/**
 * Members and their cards at the counter: registration, search, profiles (masked for all but managers),
 * edits, one member's export, deletion, activating a card (开卡), the card life-cycle and member passwords.
 * Defined here and spread into `commands.ts`, so the contract stays one table.
 */
import { z } from 'zod';
import type { CommandDefinition } from './definition';
import type { MemberCommandName } from './names';
import {
  balanceView,
  cardNumber,
  cardState,
  cardUid,
  digits,
  entityId,
  epochMs,
  fen,
  operationId,
  positiveFen,
  TENDERS,
  tender,
  topUpQuote,
} from './schemas';

function command<I extends z.ZodType, O extends z.ZodType>(definition: CommandDefinition<I, O>) {
  return definition;
}

const ok = z.object({ ok: z.literal(true) });

/** How a card reached the counter: tapped (bound by its UID), swiped, or its printed number keyed in. */
export const CARD_MEDIA = ['uid', 'mifare', 'ultralight', 'magstripe', 'keyed'] as const;
export const cardMedium = z.enum(CARD_MEDIA);

/** A manager's staff number and PIN typed at the counter; not needed when a manager is logged in. */
export const approver = z.object({ staffNo: digits(3, 8), pin: digits(4, 8) }).strict();

const consent = z.object({
  purpose: z.string().trim().min(1).max(200),
  version: z.string().trim().min(1).max(40),
});

export const registration = z
  .object({
    name: z.string().min(1).max(100),
    phone: z.string().min(1).max(20),
    idNumber: z.string().max(18).nullable().optional(),
    birthday: z.string().max(10).nullable().optional(),
    notes: z.string().max(1000).nullable().optional(),
    /** Consent to process personal data (PIPL): the purpose and the version of the text the member saw. */
    consent: consent.strict(),
    /** Marketing consent is separate: absent means not asked. */
    marketing: consent.extend({ granted: z.boolean() }).strict().nullable().optional(),
  })
  .strict();
export type Registration = z.infer<typeof registration>;

export const memberCard = z.object({
  id: entityId,
  cardNumber: z.string(),
  uid: z.string().nullable(),
  medium: z.string(),
  state: cardState,
  balance: balanceView,
});
export type MemberCard = z.infer<typeof memberCard>;

const consentView = z
  .object({ granted: z.boolean(), purpose: z.string(), version: z.string(), at: epochMs })
  .nullable();

export const memberProfile = z.object({
  id: entityId,
  name: z.string(),
  /** Masked (138****5678) unless a manager or admin is looking. */
  phone: z.string().nullable(),
  idNumber: z.string().nullable(),
  birthday: z.string().nullable(),
  notes: z.string().nullable(),
  masked: z.boolean(),
  tier: z.string().nullable(),
  hasPassword: z.boolean(),
  passwordLocked: z.boolean(),
  deleted: z.boolean(),
  createdAt: epochMs,
  consents: z.object({ pipl: consentView, marketing: consentView }),
  cards: z.array(memberCard),
});
export type MemberProfileView = z.infer<typeof memberProfile>;

export const memberHit = z.object({
  memberId: entityId,
  name: z.string(),
  phoneMasked: z.string().nullable(),
  cardNumber: z.string().nullable(),
  matchedBy: z.enum(['phone', 'name', 'card']),
});
export type MemberHitView = z.infer<typeof memberHit>;

const cardSummary = memberCard.omit({ balance: true });

const newCard = z
  .object({
    cardNumber,
    uid: cardUid.nullable().optional(),
    medium: cardMedium,
    /**
     * The reader a blank card was tapped on: a MIFARE card there is written in the chain's secured format
     * with its number once it is bound (and again when the request is repeated).
     */
    reader: z.string().min(1).max(200).optional(),
  })
  .strict();

/** The outcome of writing the card: null when nothing was to be written. */
const cardWrite = {
  written: z.enum(['issued', 'already-issued']).nullable(),
  /** Why the card could not be written (CARD_REMOVED…); the binding stands and a repeat writes again. */
  writeError: z.string().nullable(),
};

const quoteView = topUpQuote.extend({ amountFen: positiveFen, rule: z.string() });

const openingTopUp = z
  .object({
    amountFen: positiveFen,
    tender,
    reference: z.string().trim().min(1).max(64).optional(),
    /** The bonus the cashier showed the member; QUOTE_CHANGED if the rules give otherwise at commit. */
    quote: topUpQuote.strict().optional(),
  })
  .strict()
  .refine((input) => input.tender === 'cash' || input.reference !== undefined, {
    message: `a reference is required for ${TENDERS.filter((t) => t !== 'cash').join(', ')}`,
    path: ['reference'],
  });

export const closeQuote = z.object({
  cardId: entityId,
  principalFen: fen,
  bonusFen: fen,
  points: z.number().int(),
  /** What the member is paid back: the whole principal. */
  refundFen: fen,
  /** What the member gives up: the whole bonus (it was never paid for). */
  forfeitFen: fen,
  /** Points the member gives up; a close with any needs `forfeitPoints: true`, so the screen asks first. */
  forfeitPoints: z.number().int(),
  /** Null when the card can be closed (points or not); otherwise the refusal code (CARD_CLOSED…). */
  blockedBy: z.string().nullable(),
});
export type CloseQuote = z.infer<typeof closeQuote>;

export const statementLine = z.object({
  operationId: z.string(),
  kind: z.string(),
  at: epochMs,
  principalDeltaFen: fen,
  bonusDeltaFen: fen,
  pointsDelta: z.number().int(),
  balance: balanceView,
  memo: z.string().nullable(),
});
export type StatementLineView = z.infer<typeof statementLine>;

const cardAction = z
  .object({ operationId, cardId: entityId, reason: z.string().trim().min(1).max(200).optional() })
  .strict();

export const memberCommands = {
  'members.search': command({
    summary: 'Find members by phone prefix, name (prefix, then contains) or card number; results masked',
    access: 'members.read',
    input: z
      .object({
        text: z.string().trim().min(1).max(50),
        by: z.enum(['phone', 'name', 'card']).optional(),
        limit: z.number().int().min(1).max(50).default(20),
      })
      .strict(),
    output: z.array(memberHit),
  }),
  'members.get': command({
    summary: "A member's profile with cards, states and balances; phone and ID masked except for a manager",
    access: 'members.read',
    input: z.object({ memberId: entityId }).strict(),
    output: memberProfile,
  }),
  'members.register': command({
    summary: 'Register a member with PIPL consent (and separate marketing consent)',
    access: 'members.write',
    input: registration,
    output: memberProfile,
  }),
  'members.edit': command({
    summary: "Change a member's personal fields; the audit line names the fields changed",
    access: 'members.write',
    input: z
      .object({
        memberId: entityId,
        changes: z
          .object({
            name: z.string().min(1).max(100).optional(),
            phone: z.string().min(1).max(20).optional(),
            idNumber: z.string().max(18).nullable().optional(),
            birthday: z.string().max(10).nullable().optional(),
            notes: z.string().max(1000).nullable().optional(),
          })
          .strict(),
        /** A new marketing decision; recorded as a new consent, earlier ones stay. */
        marketing: consent.extend({ granted: z.boolean() }).strict().optional(),
      })
      .strict(),
    output: memberProfile,
  }),
  'members.export': command({
    summary: 'Everything held about one member (profile, consents, cards, operations) as JSON',
    access: 'members.export',
    input: z.object({ memberId: entityId }).strict(),
    output: z.object({ fileName: z.string(), json: z.string() }),
  }),
  'members.delete': command({
    summary:
      'Delete a member: personal fields erased, cards closed, the money history kept; a manager approves',
    access: 'members.write',
    input: z.object({ memberId: entityId, approver: approver.optional() }).strict(),
    output: memberProfile,
  }),
  'members.setPassword': command({
    summary: 'Set the 6-digit member password for a member who has none',
    access: 'cards.activate',
    input: z.object({ memberId: entityId, password: digits(6, 6) }).strict(),
    output: ok,
  }),
  'members.resetPassword': command({
    summary: 'Set a new member password and clear the lockout; a manager approves',
    access: 'cards.activate',
    input: z.object({ memberId: entityId, password: digits(6, 6), approver: approver.optional() }).strict(),
    output: ok,
  }),
  'members.statement': command({
    summary:
      "A card's movements over a period with the running balance; printed on the receipt printer if asked",
    access: 'members.read',
    input: z
      .object({
        cardId: entityId,
        from: epochMs,
        to: epochMs,
        /** Also queue the statement on the receipt printer (otherwise it is only shown). */
        print: z.boolean().optional(),
      })
      .strict()
      .refine((input) => input.from <= input.to, { message: 'from must not be after to', path: ['to'] }),
    output: z.object({ cardId: entityId, lines: z.array(statementLine), receiptText: z.string() }),
  }),
  'members.changeTier': command({
    summary: "A manager sets a member's tier (or none) by hand and says why; the change is audited",
    access: 'cards.manage',
    input: z
      .object({
        memberId: entityId,
        tierId: z.string().min(1).max(64).nullable(),
        /** Required; a blank reason is refused with REASON_REQUIRED. */
        reason: z.string().max(200),
      })
      .strict(),
    output: memberProfile,
  }),
  'cards.previewActivation': command({
    summary: 'The bonus an opening top-up would earn, for a new member or one on file',
    access: 'cards.activate',
    input: z.object({ memberId: entityId.optional(), amountFen: positiveFen }).strict(),
    output: quoteView,
  }),
  'cards.activate': command({
    summary: 'Activate a card: member, identity check, card bound, optional password and opening top-up',
    access: 'cards.activate',
    input: z
      .object({
        /** Made when the cashier starts the confirmation; a repeat returns the first activation. */
        operationId,
        member: z.union([
          z.object({ register: registration }).strict(),
          z.object({ memberId: entityId }).strict(),
        ]),
        /** The staff member saw the identity document; required when an ID number is on record. */
        identityChecked: z.boolean(),
        card: newCard,
        password: digits(6, 6).optional(),
        openingTopUp: openingTopUp.optional(),
      })
      .strict(),
    output: z.object({
      memberId: entityId,
      card: cardSummary,
      passwordSet: z.boolean(),
      openingTopUp: z
        .object({ amountFen: fen, bonusFen: fen, points: z.number().int(), rule: z.string() })
        .nullable(),
      balance: balanceView,
      replayed: z.boolean(),
      receiptText: z.string(),
      ...cardWrite,
    }),
  }),
  'cards.freeze': command({
    summary: 'Freeze a card (inquiry only until unfrozen)',
    access: 'cards.manage',
    input: cardAction,
    output: cardSummary,
  }),
  'cards.unfreeze': command({
    summary: 'Unfreeze a frozen card',
    access: 'cards.manage',
    input: cardAction,
    output: cardSummary,
  }),
  'cards.reportLost': command({
    summary: 'Report a card lost: blocked at once, the state goes to headquarters',
    access: 'cards.activate',
    input: cardAction,
    output: cardSummary,
  }),
  'cards.replace': command({
    summary: 'Issue a new card to the member and move the whole balance onto it; a manager approves',
    access: 'cards.activate',
    input: z.object({ operationId, oldCardId: entityId, newCard, approver: approver.optional() }).strict(),
    output: z.object({
      oldCard: cardSummary,
      newCard: cardSummary,
      moved: z.object({ principalFen: fen, bonusFen: fen, points: z.number().int() }),
      receiptText: z.string(),
      ...cardWrite,
    }),
  }),
  'cards.quoteClose': command({
    summary: 'The arithmetic of closing a card (principal refunded, bonus forfeited), before confirming',
    access: 'cards.manage',
    input: z.object({ cardId: entityId }).strict(),
    output: closeQuote,
  }),
  'cards.close': command({
    summary:
      'Close a card: principal paid back in the chosen tender, bonus forfeited, card closed; points left on it are forfeited only with forfeitPoints (else CARD_HAS_POINTS with the count)',
    access: 'cards.manage',
    input: z
      .object({
        operationId,
        cardId: entityId,
        tender,
        reference: z.string().trim().min(1).max(64).optional(),
        reason: z.string().trim().min(1).max(200).optional(),
        /** The member agreed to lose the points still on the card. */
        forfeitPoints: z.literal(true).optional(),
      })
      .strict()
      .refine((input) => input.tender === 'cash' || input.reference !== undefined, {
        message: 'a reference is required unless the principal is paid back in cash',
        path: ['reference'],
      }),
    output: z.object({
      card: cardSummary,
      principalRefundedFen: fen,
      bonusForfeitedFen: fen,
      pointsForfeited: z.number().int(),
      tender,
      receiptText: z.string(),
    }),
  }),
} satisfies Record<MemberCommandName, CommandDefinition>;
