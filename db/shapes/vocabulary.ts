/** The ledger's words: roles, card media and states, spend policies, operation kinds, units, tenders. */
import type BetterSqlite3 from 'better-sqlite3';

export { TENDERS, type Tender } from '../../common/tenders';

export type Database = BetterSqlite3.Database;

export type StaffRole = 'cashier' | 'manager' | 'technician' | 'admin';
export type CardMedium = 'uid' | 'mifare' | 'ultralight' | 'magstripe' | 'keyed';
export type CardState = 'active' | 'frozen' | 'lost' | 'replaced' | 'closed';
export type SpendPolicy = 'principal_first' | 'bonus_first' | 'proportional';
export type OperationKind =
  | 'top_up'
  | 'spend'
  | 'refund'
  | 'withdraw'
  | 'void'
  | 'transfer'
  | 'card_state'
  | 'expiry'
  | 'forfeit'
  | 'points_redeem';
export type Unit = 'fen' | 'points';

export const CARD_STATES: readonly CardState[] = ['active', 'frozen', 'lost', 'replaced', 'closed'];
export const STAFF_ROLES: readonly StaffRole[] = ['cashier', 'manager', 'technician', 'admin'];
export const CARD_MEDIA: readonly CardMedium[] = ['uid', 'mifare', 'ultralight', 'magstripe', 'keyed'];
export const SPEND_POLICIES: readonly SpendPolicy[] = ['principal_first', 'bonus_first', 'proportional'];
