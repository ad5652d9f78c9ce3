/**
 * Bonus rules, points and gifts, member notices and exports. Managers write rule versions (a change never
 * alters past top-ups: each names the version it used), set the points rate and the gift catalogue, run
 * bonus expiry, configure where notices and CRM events go, and export members and operations. Cashiers quote
 * a charge with points and take gifts for points.
 * Defined here and spread into `commands.ts`, so the contract stays one table.
 */
import { z } from 'zod';
import type { CommandDefinition } from './definition';
import type { RuleCommandName } from './names';
import {
  balanceView,
  cardNumber,
  digits,
  entityId,
  epochMs,
  fen,
  keyedApproval,
  operationId,
  operationResult,
  positiveFen,
  tender,
} from './schemas';

function command<I extends z.ZodType, O extends z.ZodType>(definition: CommandDefinition<I, O>) {
  return definition;
}

const count = z.number().int().min(0);

export const bonusStep = z.object({ minFen: positiveFen, bonusFen: fen.refine((v) => v >= 0) }).strict();

/** The terms a manager edits; a version freezes one set of them. */
export const ruleTerms = z
  .object({
    name: z.string().trim().min(1).max(100),
    steps: z.array(bonusStep).min(1).max(20).nullable().optional(),
    percentBp: z.number().int().min(1).max(10_000).nullable().optional(),
    pointsPerYuan: z.number().int().min(0).max(10_000).optional(),
    upgradeMinFen: positiveFen.nullable().optional(),
    upgradeTierId: entityId.nullable().optional(),
    validFrom: epochMs,
    validTo: epochMs.nullable().optional(),
    eligibleTiers: z.array(entityId).max(50).nullable().optional(),
    perMemberLimit: z.number().int().min(1).nullable().optional(),
    /** Days until the bonus lapses into breakage; null (the default) is never. */
    bonusExpiryDays: z.number().int().min(1).max(36_500).nullable().optional(),
  })
  .strict();
export type RuleTermsInput = z.infer<typeof ruleTerms>;

export const ruleView = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  steps: z.array(z.object({ minFen: fen, bonusFen: fen })).nullable(),
  percentBp: z.number().int().nullable(),
  pointsPerYuan: z.number().int(),
  upgradeMinFen: fen.nullable(),
  upgradeTierId: z.string().nullable(),
  validFrom: epochMs,
  validTo: epochMs.nullable(),
  eligibleTiers: z.array(z.string()).nullable(),
  perMemberLimit: z.number().int().nullable(),
  bonusExpiryDays: z.number().int().nullable(),
  retired: z.boolean(),
  createdBy: z.string(),
  createdAt: epochMs,
  /** Top-ups that applied this version, and the bonus they gave: fixed once written. */
  applied: z.object({ topUps: count, bonusFen: fen, points: z.number().int() }),
});
export type RuleView = z.infer<typeof ruleView>;

export const tierView = z.object({
  id: z.string(),
  name: z.string(),
  rank: z.number().int(),
  basis: z.enum(['top_up', 'spend']),
  thresholdFen: fen,
  discountBp: z.number().int(),
});
export type TierView = z.infer<typeof tierView>;

export const pointsSettings = z
  .object({
    earnPerYuan: z.number().int().min(0).max(10_000),
    earnPerYuanByTier: z.record(z.string(), z.number().int().min(0).max(10_000)),
    fenPerPoint: z.number().int().min(1).max(10_000),
    redeemStep: z.number().int().min(1).max(1_000_000),
  })
  .strict();
export type PointsSettingsView = z.infer<typeof pointsSettings>;

export const gift = z
  .object({
    id: z.string().trim().min(1).max(64),
    name: z.string().trim().min(1).max(100),
    points: z.number().int().min(1),
    active: z.boolean(),
  })
  .strict();
export type GiftView = z.infer<typeof gift>;

export const chargeQuote = z.object({
  listPriceFen: fen,
  tierName: z.string().nullable(),
  discountBp: z.number().int(),
  discountFen: fen,
  pointsRedeemed: count,
  pointsValueFen: fen,
  chargedFen: fen,
  pointsEarned: count,
  pointsHeld: z.number().int(),
  maxRedeemablePoints: count,
  fenPerPoint: z.number().int(),
});
export type ChargeQuoteView = z.infer<typeof chargeQuote>;

const webhookTarget = z
  .object({
    url: z.string().url().max(500),
    /** Shared secret for the HMAC-SHA256 signature; at least 16 characters. */
    secret: z.string().min(16).max(200),
  })
  .strict();

export const noticeSettings = z
  .object({
    member: z.discriminatedUnion('provider', [
      z.object({ provider: z.literal('file') }).strict(),
      webhookTarget.extend({ provider: z.literal('webhook') }).strict(),
    ]),
    crm: webhookTarget.nullable(),
  })
  .strict();
export type NoticeSettingsView = z.infer<typeof noticeSettings>;

const exportFormat = z.enum(['csv', 'xlsx']);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day written YYYY-MM-DD');

export const topUpRefundQuote = z.object({
  topUpOperationId: z.string(),
  tender,
  method: z.enum(['void', 'withdraw']),
  principalRefundFen: fen,
  bonusForfeitFen: fen,
  pointsForfeit: z.number().int(),
  balanceBefore: balanceView,
  balanceAfter: balanceView,
});
export type TopUpRefundQuoteView = z.infer<typeof topUpRefundQuote>;

const refundRequest = {
  topUpOperationId: z.string().min(1).max(64),
  /** The manager's decision that the member keeps this top-up's bonus (default: it is forfeited). */
  keepBonus: z.boolean().default(false),
};

export const ruleCommands = {
  'refunds.topUps': command({
    summary: "A card's top-ups, newest first, each saying whether it can still be refunded",
    access: 'cards.manage',
    input: z.object({ cardNumber }).strict(),
    output: z.object({
      cardId: z.string(),
      memberName: z.string(),
      topUps: z.array(
        z.object({
          operationId: z.string(),
          amountFen: fen,
          bonusFen: fen,
          at: epochMs,
          refundable: z.boolean(),
        }),
      ),
    }),
  }),
  'refunds.quote': command({
    summary:
      "A top-up refund's arithmetic: principal back in its tender, bonus forfeited to breakage, balance after",
    access: 'cards.manage',
    input: z.object(refundRequest).strict(),
    output: topUpRefundQuote,
  }),
  'refunds.topUp': command({
    summary: 'Refund a top-up (principal only unless the manager lets the member keep the bonus)',
    access: 'cards.manage',
    input: z
      .object({
        ...refundRequest,
        expected: z.object({ principalRefundFen: fen, bonusForfeitFen: fen }).strict(),
      })
      .strict(),
    output: topUpRefundQuote.extend({ operations: z.array(z.string()) }),
  }),
  'rules.list': command({
    summary: "The store's bonus rules (latest version of each) and member tiers",
    access: 'rules.manage',
    input: z.object({}).strict(),
    output: z.object({ rules: z.array(ruleView), tiers: z.array(tierView) }),
  }),
  'rules.versions': command({
    summary: 'Every version of one rule, oldest first, each with the top-ups that applied it',
    access: 'rules.manage',
    input: z.object({ id: entityId }).strict(),
    output: z.array(ruleView),
  }),
  'rules.create': command({
    summary: 'Write a new bonus rule (version 1)',
    access: 'rules.manage',
    input: z
      .object({
        id: z
          .string()
          .regex(/^[a-z0-9-]{1,64}$/)
          .optional(),
        terms: ruleTerms,
      })
      .strict(),
    output: ruleView,
  }),
  'rules.change': command({
    summary: 'Write the next version of a rule; top-ups already made keep the version they applied',
    access: 'rules.manage',
    input: z.object({ id: entityId, terms: ruleTerms }).strict(),
    output: ruleView,
  }),
  'rules.retire': command({
    summary: 'End a rule with a retired version',
    access: 'rules.manage',
    input: z.object({ id: entityId }).strict(),
    output: ruleView,
  }),
  'rules.runExpiry': command({
    summary: 'Lapse every bonus past its expiry date into breakage now',
    access: 'rules.manage',
    input: z.object({}).strict(),
    output: z.object({ expired: count, totalFen: fen, more: z.boolean() }),
  }),
  'points.settings': command({
    summary: "The store's points rate, what a point is worth, and the gift catalogue",
    access: 'card.read',
    input: z.object({}).strict(),
    output: z.object({ settings: pointsSettings, gifts: z.array(gift) }),
  }),
  'points.setSettings': command({
    summary: 'Change the points rate (per tier or default) and what a point is worth off a charge',
    access: 'rules.manage',
    input: pointsSettings.partial().strict(),
    output: pointsSettings,
  }),
  'points.putGift': command({
    summary: 'Add a gift to the catalogue or change one',
    access: 'rules.manage',
    input: z.object({ gift }).strict(),
    output: z.array(gift),
  }),
  'points.quoteCharge': command({
    summary:
      "A charge's arithmetic before confirming: tier discount, points off, what the card pays, points earned",
    access: 'wallet.charge',
    input: z
      .object({ cardId: entityId, listPriceFen: positiveFen, pointsToRedeem: count.default(0) })
      .strict(),
    output: chargeQuote,
  }),
  'points.redeemGift': command({
    summary: 'Take a gift from the catalogue for its points',
    access: 'wallet.charge',
    input: z
      .object({
        operationId,
        cardId: entityId,
        giftId: z.string().min(1).max(64),
        /** Required when the member has a password, as for a charge: points are the member's value too. */
        memberPassword: digits(6, 6).optional(),
        /** A manager's approval when the card's number was typed and the chain's rule asks for one. */
        keyedApproval: keyedApproval.optional(),
      })
      .strict(),
    output: z.object({ gift, operation: operationResult.omit({ receiptText: true }) }),
  }),
  'notices.settings': command({
    summary: 'Where member notices and CRM events go, and how many are waiting (secrets are never shown)',
    access: 'rules.manage',
    input: z.object({}).strict(),
    output: z.object({
      member: z.object({ provider: z.enum(['file', 'webhook']), url: z.string().nullable() }),
      crm: z.object({ url: z.string() }).nullable(),
      stats: z.object({
        waiting: count,
        failed: count,
        delivered: count,
        oldestWaitingAt: epochMs.nullable(),
      }),
    }),
  }),
  'notices.setSettings': command({
    summary: 'Send member notices to the local file or a signed webhook; send CRM events to a signed webhook',
    access: 'rules.manage',
    input: noticeSettings,
    output: z.object({ ok: z.literal(true) }),
  }),
  'notices.optIn': command({
    summary:
      'What a member agreed to be told about (activation always; top-ups by default; each charge if asked)',
    access: 'members.read',
    input: z.object({ memberId: entityId }).strict(),
    output: z.object({ topUp: z.boolean(), spend: z.boolean() }),
  }),
  'notices.setOptIn': command({
    summary: "Record the member's choice of notices for top-ups and for each charge",
    access: 'members.write',
    input: z.object({ memberId: entityId, topUp: z.boolean(), spend: z.boolean() }).strict(),
    output: z.object({ topUp: z.boolean(), spend: z.boolean() }),
  }),
  'export.members': command({
    summary: 'Write the member list to a file in the data directory',
    access: 'data.export',
    input: z.object({ format: exportFormat }).strict(),
    output: z.object({ path: z.string(), rows: count }),
  }),
  'export.operations': command({
    summary: "Write a range of business days' operations to a file in the data directory",
    access: 'data.export',
    input: z.object({ format: exportFormat, fromDay: day, toDay: day }).strict(),
    output: z.object({ path: z.string(), rows: count }),
  }),
} satisfies Record<RuleCommandName, CommandDefinition>;
