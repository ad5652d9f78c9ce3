/**
 * The wire format between a terminal and HQ. Every body carries `version`; HQ refuses a version it does not
 * speak with UNSUPPORTED_VERSION, so old terminals fail loudly instead of being misread.
 */

import { z } from 'zod';
import { DEFAULT_KEYED_ENTRY_POLICY, type KeyedEntryPolicy, keyedEntryPolicy } from '../common/keyed-entry';

export const PROTOCOL_VERSION = 1;
/** Upper bound on one push; keeps a request's SQL parameters and memory bounded. */
export const MAX_PUSH_BATCH = 2000;
export const MAX_FEED_PAGE = 2000;

const id = z.string().min(1).max(128);
const epochMs = z.number().int().nonnegative();
const fen = z.number().int().nonnegative().refine(Number.isSafeInteger, 'amount must be a safe integer');

export const wireOperationSchema = z.object({
  seq: z.number().int().positive().refine(Number.isSafeInteger),
  operationId: id,
  terminalId: id,
  storeId: id,
  kind: z.string().min(1).max(64),
  payload: z.unknown(),
  createdAt: epochMs,
});
export type WireOperation = z.infer<typeof wireOperationSchema>;

export const pushRequestSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  terminalId: id,
  operations: z.array(wireOperationSchema).min(1).max(MAX_PUSH_BATCH),
  /** Rows in the terminal's outbox not yet acknowledged, this batch included, for HQ's lag report. */
  waiting: z.number().int().nonnegative().optional(),
  /** The till's app version, shown on HQ's console beside the terminal. */
  appVersion: z.string().trim().min(1).max(64).optional(),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

/** applied: committed now; duplicate: committed earlier (treated as applied); rejected: acknowledged, kept, never applied. */
export const pushStatusSchema = z.enum(['applied', 'duplicate', 'rejected']);
export type PushStatus = z.infer<typeof pushStatusSchema>;

export const pushResultSchema = z.object({
  operationId: id,
  seq: z.number().int().positive(),
  status: pushStatusSchema,
  code: z.string().optional(),
  message: z.string().optional(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

export const pushResponseSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  lastAppliedSeq: z.number().int().nonnegative(),
  results: z.array(pushResultSchema),
  serverTime: epochMs,
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const offlineCapsSchema = z.object({
  /** Most stored value one card may be charged offline, summed since the last successful sync. */
  perCardFen: fen,
  /** Most stored value one terminal may charge offline across all cards. */
  perTerminalFen: fen,
  /** Offline charges are refused once the terminal has not heard from HQ for this long. */
  maxAgeMs: epochMs,
});
export type OfflineCaps = z.infer<typeof offlineCapsSchema>;

export const DEFAULT_OFFLINE_CAPS: OfflineCaps = {
  perCardFen: 50_000,
  perTerminalFen: 500_000,
  maxAgeMs: 24 * 60 * 60 * 1000,
};

/**
 * The chain's amount limits at the counter, published by HQ (`PUT /admin/amount-limits`): per top-up, per charge,
 * per named and anonymous card, and the top-up above which real-name details are asked. Fen, all positive.
 */
export const amountLimitsSchema = z
  .object({
    topUpMaxFen: fen.refine((value) => value > 0),
    chargeMaxFen: fen.refine((value) => value > 0),
    namedCardMaxFen: fen.refine((value) => value > 0),
    anonymousCardMaxFen: fen.refine((value) => value > 0),
    realNameAboveFen: fen.refine((value) => value > 0),
  })
  .strict();
export type AmountLimits = z.infer<typeof amountLimitsSchema>;

/**
 * The chain's rule for a card charged by its typed number (no reader or swiper of the till read it), per kind
 * of card: secured MIFARE cards, UID-read cards, magstripe cards and numbers printed on keyed cards. A chain
 * admin sets it at HQ; every till of the chain follows it from its enrolment and each pull. The till's own
 * contract (`electron/contract/card-format.ts`) shares the shape from `common/keyed-entry.ts`.
 */
export const keyedEntryPolicySchema = keyedEntryPolicy;
export type ChainKeyedEntryPolicy = KeyedEntryPolicy;

/** HQ's rule until a chain admin sets one. */
export const DEFAULT_CHAIN_KEYED_ENTRY: ChainKeyedEntryPolicy = DEFAULT_KEYED_ENTRY_POLICY;

export const feedEntrySchema = z.object({
  position: z.number().int().positive(),
  operationId: id,
  terminalId: id,
  storeId: id,
  kind: z.string(),
  payload: z.unknown(),
  createdAt: epochMs,
});
export type FeedEntry = z.infer<typeof feedEntrySchema>;

export const feedResponseSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  entries: z.array(feedEntrySchema),
  /** Pass back as `after` on the next pull; equals the last entry's position, or the request's when empty. */
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  caps: offlineCapsSchema,
  /** The chain's amount limits, once HQ has published them; the till keeps its own until then. */
  amountLimits: amountLimitsSchema.optional(),
  /** Absent from an HQ older than the chain-wide rule: the till then keeps the rule it has. */
  keyedEntry: keyedEntryPolicySchema.optional(),
  serverTime: epochMs,
});
export type FeedResponse = z.infer<typeof feedResponseSchema>;

/** A raw 32-byte public key (Ed25519 or X25519), base64url. */
const rawPublicKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a 32-byte key in base64url');

export const enrolRequestSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  code: z.string().min(8).max(64),
  /** The Ed25519 public key every later request of this till is verified with; HQ keeps only this. */
  publicKey: rawPublicKey,
  /** A one-use X25519 key the chain's card keys are sealed to. */
  boxKey: rawPublicKey,
  /** The till's clock when it asked: HQ refuses (CLOCK_SKEW) before spending the code when it is far off. */
  terminalTime: epochMs,
  /** When the till already belongs to an HQ store (re-enrolment), the code must be for that store. */
  expectedStoreId: id.optional(),
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

/** The chain's secured card format: nothing secret (the keys travel sealed). */
export const cardFormatSchema = z.object({
  chainId: z.number().int().min(0).max(0xffff_ffff),
  sector: z.number().int().min(1).max(31),
  purse: z.boolean(),
});
export type CardFormat = z.infer<typeof cardFormatSchema>;

export const sealedBoxSchema = z.object({
  ephemeralKey: rawPublicKey,
  iv: z.string().min(16).max(32),
  ciphertext: z.string().min(1).max(4096),
});

/** A membership tier as HQ defines it for a store. */
export const wireTierSchema = z.object({
  id,
  name: z.string().min(1).max(100),
  rank: z.number().int().min(0).max(1000),
  basis: z.enum(['top_up', 'spend']),
  thresholdFen: fen,
  discountBp: z.number().int().min(0).max(10_000),
});
export type WireTier = z.infer<typeof wireTierSchema>;

export const enrolStoreSchema = z.object({
  id,
  name: z.string().min(1).max(200),
  address: z.string().max(500),
  timeZone: z.string().min(1).max(64),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type EnrolStore = z.infer<typeof enrolStoreSchema>;

export const enrolResponseSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  store: enrolStoreSchema,
  terminal: z.object({ id, name: z.string().min(1).max(200) }),
  /** The highest sequence HQ holds from this terminal id: a replaced till's outbox continues after it. */
  lastSeq: z.number().int().nonnegative(),
  cardFormat: cardFormatSchema,
  /** `{ masterKey, chainSecret }` (base64) sealed to the request's box key, context `card-keys/<terminal id>`. */
  cardKeys: sealedBoxSchema,
  /** The store's HQ bonus rules as the feed entries that published them, so a later pull repeats none. */
  bonusRules: z.array(z.lazy(() => feedEntrySchema)),
  tiers: z.array(wireTierSchema),
  caps: offlineCapsSchema,
  keyedEntry: keyedEntryPolicySchema.optional(),
  serverTime: epochMs,
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  serverTime: epochMs,
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * A top-up bonus rule as HQ publishes it to the chain (feed kind `bonus_rule`). The terms are those of the
 * terminal's bonus rules (`db/promotions`); HQ numbers the versions of each rule id, and a version is never
 * changed once published: a change is the next version, `retired: true` ends the rule.
 */
export const bonusRuleTermsSchema = z.object({
  name: z.string().trim().min(1).max(100),
  steps: z
    .array(z.object({ minFen: fen, bonusFen: fen }))
    .min(1)
    .max(20)
    .nullable()
    .optional(),
  percentBp: z.number().int().min(1).max(10_000).nullable().optional(),
  pointsPerYuan: z.number().int().min(0).max(10_000).optional(),
  upgradeMinFen: fen.nullable().optional(),
  upgradeTierId: id.nullable().optional(),
  validFrom: epochMs,
  validTo: epochMs.nullable().optional(),
  eligibleTiers: z.array(id).nullable().optional(),
  perMemberLimit: z.number().int().positive().nullable().optional(),
  bonusExpiryDays: z.number().int().min(1).max(36_500).nullable().optional(),
});
export type BonusRuleTermsWire = z.infer<typeof bonusRuleTermsSchema>;

export const bonusRuleVersionSchema = bonusRuleTermsSchema.extend({
  id,
  version: z.number().int().positive(),
  storeId: id,
  retired: z.boolean(),
});
export type BonusRuleVersion = z.infer<typeof bonusRuleVersionSchema>;

/** What an HQ manager sends to publish a rule: a new id makes version 1, a known id its next version. */
export const publishRuleRequestSchema = z.object({
  id: id.optional(),
  storeId: id,
  terms: bonusRuleTermsSchema,
  retired: z.boolean().optional(),
  by: id,
});
export type PublishRuleRequest = z.infer<typeof publishRuleRequestSchema>;

/** Upper bound on one audit push. */
export const MAX_AUDIT_BATCH = 1000;

/**
 * One line of a terminal's hash-chained audit log, exactly as the terminal stored it: HQ recomputes `hash`
 * from the previous line's hash and these fields, so `details` travels as the JSON text that was hashed.
 */
export const wireAuditRecordSchema = z.object({
  id: z.number().int().positive().refine(Number.isSafeInteger),
  at: epochMs,
  action: z.string().min(1).max(128),
  outcome: z.string().min(1).max(32),
  code: z.string().max(128).nullable(),
  operationId: z.string().max(128).nullable(),
  staffId: z.string().max(128).nullable(),
  terminalId: z.string().max(128).nullable(),
  details: z
    .string()
    .max(64 * 1024)
    .nullable(),
  /** Null only for lines written before the terminal's chain began. */
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
});
export type WireAuditRecord = z.infer<typeof wireAuditRecordSchema>;

export const auditPushRequestSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  terminalId: id,
  records: z.array(wireAuditRecordSchema).min(1).max(MAX_AUDIT_BATCH),
  /** Lines still waiting at the terminal after this batch, for HQ's lag report. */
  waiting: z.number().int().nonnegative().optional(),
});
export type AuditPushRequest = z.infer<typeof auditPushRequestSchema>;

export const auditPushResponseSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  /** The highest audit id HQ holds for this terminal after this request: the terminal's new cursor. */
  lastAuditId: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  duplicate: z.number().int().nonnegative(),
  /**
   * The first line HQ refused (its chain does not follow from the line before it, or it differs from the copy
   * HQ already holds). Lines before it were committed; nothing after it was.
   */
  refused: z.object({ id: z.number().int().positive(), code: z.string(), message: z.string() }).nullable(),
  serverTime: epochMs,
});
export type AuditPushResponse = z.infer<typeof auditPushResponseSchema>;
