/**
 * Loyalty: points earned and redeemed on charges, the tier discount, gifts for points, and bonus expiry.
 * Opened on a ledger; its tables live in the same SQLite file.
 */
import { auditWriter } from '../members';
import { memberTiers } from '../promotions/tiers';
import type { Ledger } from '../types';
import { bonusExpiry } from './expiry';
import { loyaltyPoints } from './points';

export { isLoyaltyError, LOYALTY_ERROR_CODES, LoyaltyError, type LoyaltyErrorCode } from './errors';
export { type ExpiryLine, type ExpiryRun, expiryOperationId } from './expiry';
export {
  type ChargeQuote,
  chargeArithmetic,
  checkPointsSettings,
  DEFAULT_POINTS_SETTINGS,
  type Gift,
  type LoyaltyChargeInput,
  type LoyaltyChargeResult,
  type PointsSettings,
  pointsEarnedFor,
} from './points';

export function openLoyalty(ledger: Ledger, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const audit = auditWriter(ledger.sqlite, now);
  const tiers = memberTiers(ledger, now, audit);
  const points = loyaltyPoints(ledger, now, audit, tiers);
  const expiry = bonusExpiry(ledger, now, audit);
  return { ...points, ...expiry };
}

export type Loyalty = ReturnType<typeof openLoyalty>;
export { exportMembersCsv, exportMembersXlsx, MEMBER_COLUMNS, type MembersExport } from './export';
