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
  type KeyedApproval,
  keyedApprovalReason,
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

/** Per version of a rule: how many top-ups applied it and what they gave (fixed once written). */
export function ruleVersionUsage(
  ledger: Ledger,
  ruleId: string,
): Map<number, { topUps: number; bonusFen: number; points: number }> {
  const rows = ledger.sqlite
    .prepare<[string], { rule_version: number; n: number; bonus: number; points: number }>(
      `SELECT rule_version, COUNT(*) AS n, COALESCE(SUM(bonus_fen), 0) AS bonus, COALESCE(SUM(points), 0) AS points
       FROM rule_applications WHERE rule_id = ? GROUP BY rule_version`,
    )
    .all(ruleId);
  return new Map(rows.map((r) => [r.rule_version, { topUps: r.n, bonusFen: r.bonus, points: r.points }]));
}

/** The staff member automatic jobs are recorded under: the store's first administrator, else its first manager. */
export function systemStaffOf(ledger: Ledger, storeId: string): string | null {
  const row = ledger.sqlite
    .prepare<[string], { id: string }>(
      `SELECT id FROM staff WHERE store_id = ? AND role IN ('admin', 'manager')
       ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, created_at, id LIMIT 1`,
    )
    .get(storeId);
  return row?.id ?? null;
}
