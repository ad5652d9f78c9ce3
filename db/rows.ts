/** Row shapes as SQLite returns them, and their conversion to the public types. */
import type {
  Card,
  CardMedium,
  CardState,
  Member,
  SpendPolicy,
  Staff,
  StaffRole,
  Store,
  Terminal,
} from './types';

export interface StoreRow {
  id: string;
  name: string;
  currency: string;
  time_zone: string;
  day_close_hour: number;
  spend_policy: string;
  single_operation_limit_fen: number;
  created_at: number;
}
export interface TerminalRow {
  id: string;
  store_id: string;
  name: string;
  created_at: number;
}
export interface StaffRow {
  id: string;
  store_id: string;
  code: string;
  name: string;
  role: string;
  pin_hash: string;
  failed_pin_attempts: number;
  locked_at: number | null;
  deactivated_at: number | null;
  approver_failures: number;
  approver_paused_until: number | null;
  created_at: number;
}
export interface MemberRow {
  id: string;
  store_id: string;
  name: string;
  phone: string | null;
  created_at: number;
}
export interface CardRow {
  id: string;
  member_id: string;
  store_id: string;
  card_number: string;
  uid: string | null;
  medium: string;
  state: string;
  created_at: number;
  updated_at: number;
}

export const toStore = (row: StoreRow): Store => ({
  id: row.id,
  name: row.name,
  currency: row.currency,
  timeZone: row.time_zone,
  dayCloseHour: row.day_close_hour,
  spendPolicy: row.spend_policy as SpendPolicy,
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
  role: row.role as StaffRole,
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
  medium: row.medium as CardMedium,
  state: row.state as CardState,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});
