/** Row shapes as SQLite returns them, and their conversion to the public types. */
import type { Table } from 'drizzle-orm';
import type { cards, members, operations, staff, stores, terminals } from './schema';
import type { Card, Member, Staff, Store, Terminal } from './types';

/**
 * A table's row as `SELECT *` returns it through better-sqlite3: the drizzle schema's columns under their SQL
 * names (snake_case), with the schema's types. The raw queries keep SQL's names; the schema stays the one
 * place a column's type is written.
 */
export type SqlRow<T extends Table> = {
  [K in keyof T['_']['columns'] &
    keyof T['$inferSelect'] as T['_']['columns'][K]['_']['name']]: T['$inferSelect'][K];
};

export type StoreRow = SqlRow<typeof stores>;
export type TerminalRow = SqlRow<typeof terminals>;
export type StaffRow = SqlRow<typeof staff>;
export type MemberRow = SqlRow<typeof members>;
export type CardRow = SqlRow<typeof cards>;
export type OperationRow = SqlRow<typeof operations>;

export const toStore = (row: StoreRow): Store => ({
  id: row.id,
  name: row.name,
  currency: row.currency,
  timeZone: row.time_zone,
  dayCloseHour: row.day_close_hour,
  spendPolicy: row.spend_policy,
  singleOperationLimitFen: row.single_operation_limit_fen,
  createdAt: row.created_at,
});

export const toTerminal = (row: TerminalRow): Terminal => ({
  id: row.id,
  storeId: row.store_id,
  name: row.name,
  createdAt: row.created_at,
});

export const toStaff = (row: StaffRow): Staff => ({
  id: row.id,
  storeId: row.store_id,
  code: row.code,
  name: row.name,
  role: row.role,
  locked: row.locked_at !== null,
  active: row.deactivated_at === null,
  createdAt: row.created_at,
});

export const toMember = (row: MemberRow): Member => ({
  id: row.id,
  storeId: row.store_id,
  name: row.name,
  phone: row.phone,
  createdAt: row.created_at,
});

export const toCard = (row: CardRow): Card => ({
  id: row.id,
  memberId: row.member_id,
  storeId: row.store_id,
  cardNumber: row.card_number,
  uid: row.uid,
  medium: row.medium,
  state: row.state,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});
