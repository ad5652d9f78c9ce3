/**
 * Loyalty records beside the ledger: what each charge was priced at (list price, tier discount, points
 * redeemed and earned), which top-up bonuses have lapsed, and which gifts were taken for points. The money
 * and points themselves move only through ledger operations; these rows say why.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { cards, members } from '../schema';

export const chargeTerms = sqliteTable(
  'charge_terms',
  {
    /** The ledger's spend (or points_redeem, when points paid for everything) operation id. */
    operationId: text('operation_id').primaryKey(),
    cardId: text('card_id')
      .notNull()
      .references(() => cards.id),
    memberId: text('member_id')
      .notNull()
      .references(() => members.id),
    listPriceFen: integer('list_price_fen').notNull(),
    tierId: text('tier_id'),
    discountBp: integer('discount_bp').notNull(),
    discountFen: integer('discount_fen').notNull(),
    pointsRedeemed: integer('points_redeemed').notNull(),
    pointsValueFen: integer('points_value_fen').notNull(),
    chargedFen: integer('charged_fen').notNull(),
    pointsEarned: integer('points_earned').notNull(),
    at: integer('at').notNull(),
  },
  (table) => [index('charge_terms_member').on(table.memberId, table.at)],
);

/** One row per top-up whose bonus reached its expiry date, whether or not anything was left to lapse. */
export const bonusExpiries = sqliteTable('bonus_expiries', {
  topUpOperationId: text('top_up_operation_id').primaryKey(),
  cardId: text('card_id')
    .notNull()
    .references(() => cards.id),
  expiredFen: integer('expired_fen').notNull(),
  /** The ledger's expiry operation, or null when the bonus had already been spent. */
  operationId: text('operation_id'),
  at: integer('at').notNull(),
});

export const giftRedemptions = sqliteTable(
  'gift_redemptions',
  {
    /** The ledger's points_redeem operation id. */
    operationId: text('operation_id').primaryKey(),
    giftId: text('gift_id').notNull(),
    giftName: text('gift_name').notNull(),
    points: integer('points').notNull(),
    cardId: text('card_id')
      .notNull()
      .references(() => cards.id),
    memberId: text('member_id')
      .notNull()
      .references(() => members.id),
    at: integer('at').notNull(),
  },
  (table) => [index('gift_redemptions_member').on(table.memberId, table.at)],
);
