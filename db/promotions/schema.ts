/**
 * Top-up bonus rules, member tiers, and which rule each top-up applied. A rule is never edited: a change
 * writes the next version, and each application names the version it used, so the past keeps its terms.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { cards, members, staff, stores } from '../schema';
import type { TierBasis } from './tiers';

export const bonusRules = sqliteTable(
  'bonus_rules',
  {
    id: text('id').notNull(),
    version: integer('version').notNull(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    name: text('name').notNull(),
    /** JSON array of { minFen, bonusFen }: the highest step the amount reaches applies (充100送10). */
    steps: text('steps'),
    /** Bonus as basis points of the amount (500 = 5 %), rounded down to the fen. */
    percentBp: integer('percent_bp'),
    /** Points per whole yuan topped up. */
    pointsPerYuan: integer('points_per_yuan').notNull().default(0),
    /** A top-up of at least this amount moves the member up to `upgrade_tier_id`. */
    upgradeMinFen: integer('upgrade_min_fen'),
    upgradeTierId: text('upgrade_tier_id'),
    /** Inclusive start and exclusive end, UTC epoch ms; null end is open. */
    validFrom: integer('valid_from').notNull(),
    validTo: integer('valid_to'),
    /** JSON array of tier ids, or null for every member. */
    eligibleTiers: text('eligible_tiers'),
    /** How many top-ups of one member this rule may reward; null is unlimited. */
    perMemberLimit: integer('per_member_limit'),
    /** Days after the top-up when the bonus lapses; null (the default) is never. */
    bonusExpiryDays: integer('bonus_expiry_days'),
    /** A retired version ends the rule. */
    retired: integer('retired').notNull().default(0),
    createdBy: text('created_by')
      .notNull()
      .references(() => staff.id),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.id, table.version] }),
    index('bonus_rules_store').on(table.storeId),
  ],
);

export const ruleApplications = sqliteTable(
  'rule_applications',
  {
    /** The ledger's top-up operation id. */
    operationId: text('operation_id').primaryKey(),
    ruleId: text('rule_id').notNull(),
    ruleVersion: integer('rule_version').notNull(),
    memberId: text('member_id')
      .notNull()
      .references(() => members.id),
    cardId: text('card_id')
      .notNull()
      .references(() => cards.id),
    amountFen: integer('amount_fen').notNull(),
    bonusFen: integer('bonus_fen').notNull(),
    points: integer('points').notNull(),
    tierUpgradeTo: text('tier_upgrade_to'),
    bonusExpiresAt: integer('bonus_expires_at'),
    at: integer('at').notNull(),
  },
  (table) => [
    index('rule_applications_member').on(table.ruleId, table.memberId),
    index('rule_applications_expiry')
      .on(table.bonusExpiresAt)
      .where(sql`${table.bonusExpiresAt} IS NOT NULL`),
  ],
);

/** Tiers (会员等级): a higher rank is a better tier. */
export const memberTiers = sqliteTable('member_tiers', {
  id: text('id').primaryKey(),
  storeId: text('store_id')
    .notNull()
    .references(() => stores.id),
  name: text('name').notNull(),
  rank: integer('rank').notNull(),
  /** 'top_up' or 'spend': which cumulative amount the threshold counts. */
  basis: text('basis').$type<TierBasis>().notNull(),
  thresholdFen: integer('threshold_fen').notNull(),
  /** Discount on charges in basis points (500 = 5 % off). */
  discountBp: integer('discount_bp').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** Every tier change, automatic or manual (with its reason); append-only. */
export const memberTierChanges = sqliteTable(
  'member_tier_changes',
  {
    id: integer('id').primaryKey(),
    memberId: text('member_id')
      .notNull()
      .references(() => members.id),
    fromTierId: text('from_tier_id'),
    toTierId: text('to_tier_id'),
    how: text('how').notNull(),
    reason: text('reason'),
    operationId: text('operation_id'),
    staffId: text('staff_id').references(() => staff.id),
    at: integer('at').notNull(),
  },
  (table) => [index('member_tier_changes_member').on(table.memberId, table.id)],
);
