/** Stores, terminals, staff, members and cards as the ledger hands them out, and what creates them. */
import type { Balance } from './operations';
import type { CardMedium, CardState, SpendPolicy, StaffRole } from './vocabulary';

export interface Store {
  id: string;
  name: string;
  currency: string;
  /** IANA zone, e.g. Asia/Shanghai. */
  timeZone: string;
  /** Local hour (0..23) at which one business day ends and the next begins. */
  dayCloseHour: number;
  spendPolicy: SpendPolicy;
  /** Largest amount a single money operation may move. */
  singleOperationLimitFen: number;
  createdAt: number;
}

export interface CreateStoreInput {
  id: string;
  name: string;
  currency?: string;
  timeZone: string;
  dayCloseHour: number;
  spendPolicy: SpendPolicy;
  singleOperationLimitFen: number;
}

export interface Terminal {
  id: string;
  storeId: string;
  name: string;
  createdAt: number;
}

export interface Staff {
  id: string;
  storeId: string;
  code: string;
  name: string;
  role: StaffRole;
  locked: boolean;
  /** False while an admin has deactivated this staff member. */
  active: boolean;
  createdAt: number;
}

export interface CreateStaffInput {
  id: string;
  storeId: string;
  code: string;
  name: string;
  role: StaffRole;
  /** 4 to 12 digits; stored only as a scrypt hash. */
  pin: string;
}

/**
 * A member's name in clear: the member registry's `nameOf`, which decrypts it. Modules that list members by name
 * take one; without it they show what the ledger's own row keeps (the mask, in an encrypted ledger).
 */
export type MemberNames = (memberId: string) => string | undefined;

export interface Member {
  id: string;
  storeId: string;
  name: string;
  phone: string | null;
  createdAt: number;
}

export interface CreateMemberInput {
  id: string;
  storeId: string;
  name: string;
  phone?: string | null;
  staffId?: string | null;
  terminalId?: string | null;
}

export interface Card {
  id: string;
  memberId: string;
  storeId: string;
  cardNumber: string;
  /** Upper-case hex of the contactless UID, when the card has one. */
  uid: string | null;
  medium: CardMedium;
  state: CardState;
  createdAt: number;
  updatedAt: number;
}

export interface IssueCardInput {
  id: string;
  memberId: string;
  cardNumber: string;
  uid?: string | null;
  medium: CardMedium;
  staffId?: string | null;
  terminalId?: string | null;
}

export interface CardWithMember extends Card {
  member: Member;
  balance: Balance;
}
