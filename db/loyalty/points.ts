/**
 * Points (积分) and the charge a member pays: the tier's discount off the list price, points redeemed as an
 * amount off what is left (the cashier chooses how many), and points earned on what the card pays. The
 * points move inside the charge's own ledger operation, so a void reverses them with the money. Gifts from
 * the store's catalogue are taken for points by an operation of their own.
 *
 * Settings live in the ledger's settings table per store: the earning rate (per tier, or the store's
 * default), what one point is worth off a charge, and the gift catalogue.
 */
import type { AuditWriter } from '../members';
import type { MemberTiers, Tier } from '../promotions/tiers';
import { tierDiscount } from '../promotions/tiers';
import type { SqlRow } from '../rows';
import type { Ledger, OperationResult, OtherTender } from '../types';
import { LoyaltyError } from './errors';
import type { chargeTerms } from './schema';

export interface PointsSettings {
  /** Points earned per whole yuan the card pays on a charge (0: charges earn nothing). */
  earnPerYuan: number;
  /** Per tier id: overrides earnPerYuan for members of that tier. */
  earnPerYuanByTier: Record<string, number>;
  /** What one point takes off a charge, in fen (1: 100 points = ¥1.00). */
  fenPerPoint: number;
  /** Points are redeemed in multiples of this. */
  redeemStep: number;
}

export const DEFAULT_POINTS_SETTINGS: PointsSettings = {
  earnPerYuan: 1,
  earnPerYuanByTier: {},
  fenPerPoint: 1,
  redeemStep: 1,
};

export interface Gift {
  id: string;
  name: string;
  points: number;
  active: boolean;
}

export interface ChargeQuote {
  cardId: string;
  memberId: string;
  listPriceFen: number;
  tierId: string | null;
  tierName: string | null;
  discountBp: number;
  discountFen: number;
  pointsRedeemed: number;
  pointsValueFen: number;
  /** What the card pays: list price − discount − points value. */
  chargedFen: number;
  pointsEarned: number;
  pointsHeld: number;
  /** The most points this charge can take, in whole redeem steps. */
  maxRedeemablePoints: number;
  fenPerPoint: number;
}

export interface LoyaltyChargeInput {
  operationId: string;
  cardId: string;
  listPriceFen: number;
  pointsToRedeem?: number;
  staffId: string;
  terminalId: string;
  memo?: string | null;
  /** What the cashier confirmed; refused with QUOTE_CHANGED if the charge would now differ. */
  expected?: Pick<ChargeQuote, 'chargedFen' | 'pointsRedeemed' | 'pointsEarned' | 'discountFen'> | null;
  /** A manager's approval of a card charged by its typed number: on the operation, its memo and audit line. */
  approval?: KeyedApproval | null;
  /** Split payment: the part of the charge another tender pays (`SpendInput.otherTender`). */
  otherTender?: OtherTender | null;
}

export interface KeyedApproval {
  /** The approving manager's staff id. */
  staffId: string;
  reason: string;
}

const KEYED_MEMO = 'card number keyed, approved: ';

/** The memo words and audit details an approved keyed entry adds. */
function approvalMemo(approval: KeyedApproval | null | undefined): string[] {
  return approval ? [`${KEYED_MEMO}${approval.reason}`] : [];
}

/** The reason an operation's memo gives for an approved keyed entry (for a receipt printed again), or null. */
export function keyedApprovalReason(memo: string | null): string | null {
  const at = memo?.indexOf(KEYED_MEMO) ?? -1;
  if (memo === null || at < 0) return null;
  const rest = memo.slice(at + KEYED_MEMO.length);
  const end = rest.indexOf('; ');
  return end < 0 ? rest : rest.slice(0, end);
}

function approvalDetails(approval: KeyedApproval | null | undefined): Record<string, string> {
  return approval ? { approvedBy: approval.staffId, reason: approval.reason, entry: 'keyed' } : {};
}

export interface LoyaltyChargeResult {
  quote: ChargeQuote;
  operation: OperationResult;
}

type TermsRow = SqlRow<typeof chargeTerms>;

const settingsKey = (storeId: string) => `loyalty.points:${storeId}`;
const giftsKey = (storeId: string) => `loyalty.gifts:${storeId}`;

function isCount(value: unknown, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max;
}

/** Checks a manager's points settings and returns them complete. */
export function checkPointsSettings(input: Partial<PointsSettings>): PointsSettings {
  const merged = { ...DEFAULT_POINTS_SETTINGS, ...input };
  const bad = (field: string, message: string): never => {
    throw new LoyaltyError('POINTS_SETTINGS_INVALID', message, { details: { field } });
  };
  if (!isCount(merged.earnPerYuan, 10_000)) bad('earnPerYuan', 'points per yuan are 0 to 10000');
  if (typeof merged.earnPerYuanByTier !== 'object' || merged.earnPerYuanByTier === null) {
    bad('earnPerYuanByTier', 'per-tier rates are a map of tier id to points per yuan');
  }
  for (const [tierId, rate] of Object.entries(merged.earnPerYuanByTier)) {
    if (tierId === '' || !isCount(rate, 10_000)) bad('earnPerYuanByTier', 'a tier rate is 0 to 10000');
  }
  if (!isCount(merged.fenPerPoint, 10_000) || merged.fenPerPoint === 0) {
    bad('fenPerPoint', 'one point is worth 1 to 10000 fen');
  }
  if (!isCount(merged.redeemStep, 1_000_000) || merged.redeemStep === 0) {
    bad('redeemStep', 'the redeem step is a positive count of points');
  }
  return {
    earnPerYuan: merged.earnPerYuan,
    earnPerYuanByTier: { ...merged.earnPerYuanByTier },
    fenPerPoint: merged.fenPerPoint,
    redeemStep: merged.redeemStep,
  };
}

/** Points a charge earns: whole yuan the card pays × the member's rate. */
export function pointsEarnedFor(chargedFen: number, settings: PointsSettings, tierId: string | null): number {
  const rate =
    tierId !== null && settings.earnPerYuanByTier[tierId] !== undefined
      ? (settings.earnPerYuanByTier[tierId] as number)
      : settings.earnPerYuan;
  return Math.floor(chargedFen / 100) * rate;
}

/** The arithmetic of a charge, pure: list price → tier discount → points off → what the card pays. */
export function chargeArithmetic(input: {
  listPriceFen: number;
  discountBp: number;
  pointsToRedeem: number;
  pointsHeld: number;
  settings: PointsSettings;
  tierId: string | null;
}) {
  const discountFen = tierDiscount(input.listPriceFen, input.discountBp);
  const due = input.listPriceFen - discountFen;
  const { fenPerPoint, redeemStep } = input.settings;
  const byPrice = Math.floor(due / fenPerPoint);
  const maxRedeemablePoints = Math.floor(Math.min(byPrice, input.pointsHeld) / redeemStep) * redeemStep;
  const points = input.pointsToRedeem;
  if (!isCount(points)) {
    throw new LoyaltyError('AMOUNT_INVALID', 'points to redeem are a whole number, zero or more');
  }
  if (points % redeemStep !== 0) {
    throw new LoyaltyError('AMOUNT_INVALID', `points are redeemed in steps of ${redeemStep}`, {
      details: { redeemStep, points },
    });
  }
  if (points > input.pointsHeld) {
    throw new LoyaltyError('POINTS_INSUFFICIENT', 'the card does not hold that many points', {
      details: { pointsHeld: input.pointsHeld, points },
    });
  }
  const pointsValueFen = points * fenPerPoint;
  if (pointsValueFen > due) {
    throw new LoyaltyError('POINTS_EXCEED_CHARGE', 'those points are worth more than the charge', {
      details: { dueFen: due, pointsValueFen, maxRedeemablePoints },
    });
  }
  const chargedFen = due - pointsValueFen;
  return {
    discountFen,
    pointsRedeemed: points,
    pointsValueFen,
    chargedFen,
    pointsEarned: pointsEarnedFor(chargedFen, input.settings, input.tierId),
    maxRedeemablePoints,
  };
}

export function loyaltyPoints(ledger: Ledger, now: () => number, audit: AuditWriter, tiers: MemberTiers) {
  const db = ledger.sqlite;
  const q = {
    terms: db.prepare<[string], TermsRow>('SELECT * FROM charge_terms WHERE operation_id = ?'),
    insertTerms: db.prepare(
      `INSERT INTO charge_terms (operation_id, card_id, member_id, list_price_fen, tier_id, discount_bp, discount_fen,
         points_redeemed, points_value_fen, charged_fen, points_earned, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    gift: db.prepare<[string], { operation_id: string; gift_id: string; gift_name: string; points: number }>(
      'SELECT operation_id, gift_id, gift_name, points FROM gift_redemptions WHERE operation_id = ?',
    ),
    insertGift: db.prepare(
      `INSERT INTO gift_redemptions (operation_id, gift_id, gift_name, points, card_id, member_id, at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
  };

  function requireManager(staffId: unknown): void {
    const staff = typeof staffId === 'string' ? ledger.staff(staffId) : undefined;
    if (!staff) throw new LoyaltyError('STAFF_UNKNOWN', 'no such staff member', { details: { staffId } });
    if (staff.role !== 'manager' && staff.role !== 'admin') {
      throw new LoyaltyError('APPROVER_NOT_MANAGER', 'only a manager changes points settings', {
        details: { staffId },
      });
    }
  }

  function settingsOf(storeId: string): PointsSettings {
    return checkPointsSettings(ledger.settings.get<Partial<PointsSettings>>(settingsKey(storeId)) ?? {});
  }

  function giftsOf(storeId: string): Gift[] {
    return ledger.settings.get<Gift[]>(giftsKey(storeId)) ?? [];
  }

  function cardOf(cardId: unknown) {
    const card = typeof cardId === 'string' ? ledger.card(cardId) : undefined;
    if (!card) throw new LoyaltyError('CARD_UNKNOWN', 'no such card', { details: { cardId } });
    return card;
  }

  function quote(cardId: string, listPriceFen: number, pointsToRedeem: number): ChargeQuote {
    if (!isCount(listPriceFen) || listPriceFen === 0) {
      throw new LoyaltyError('AMOUNT_INVALID', 'a price is a positive whole number of fen');
    }
    const card = cardOf(cardId);
    const tier: Tier | null = tiers.tierOf(card.memberId);
    const settings = settingsOf(card.storeId);
    const held = ledger.balance(card.id).points;
    const sums = chargeArithmetic({
      listPriceFen,
      discountBp: tier?.discountBp ?? 0,
      pointsToRedeem,
      pointsHeld: held,
      settings,
      tierId: tier?.id ?? null,
    });
    return {
      cardId: card.id,
      memberId: card.memberId,
      listPriceFen,
      tierId: tier?.id ?? null,
      tierName: tier?.name ?? null,
      discountBp: tier?.discountBp ?? 0,
      ...sums,
      pointsHeld: held,
      fenPerPoint: settings.fenPerPoint,
    };
  }

  function quoteOfTerms(row: TermsRow): ChargeQuote {
    const card = cardOf(row.card_id);
    const settings = settingsOf(card.storeId);
    return {
      cardId: row.card_id,
      memberId: row.member_id,
      listPriceFen: row.list_price_fen,
      tierId: row.tier_id,
      tierName:
        row.tier_id === null
          ? null
          : (tiers.tiers(card.storeId).find((t) => t.id === row.tier_id)?.name ?? null),
      discountBp: row.discount_bp,
      discountFen: row.discount_fen,
      pointsRedeemed: row.points_redeemed,
      pointsValueFen: row.points_value_fen,
      chargedFen: row.charged_fen,
      pointsEarned: row.points_earned,
      pointsHeld: ledger.balance(row.card_id).points,
      maxRedeemablePoints: 0,
      fenPerPoint: settings.fenPerPoint,
    };
  }

  function memoOf(
    q: ChargeQuote,
    memo: string | null | undefined,
    approval?: KeyedApproval | null,
  ): string | null {
    if (memo) return memo;
    const parts: string[] = approvalMemo(approval);
    if (q.discountFen > 0) parts.push(`tier discount ${q.discountFen} fen`);
    if (q.pointsRedeemed > 0) parts.push(`${q.pointsRedeemed} points for ${q.pointsValueFen} fen`);
    return parts.length === 0 ? null : parts.join('; ');
  }

  /** Runs the ledger operation a charge's terms imply; the same call replays it. */
  function runCharge(input: LoyaltyChargeInput, terms: ChargeQuote, memo: string | null): OperationResult {
    if (terms.chargedFen > 0) {
      return ledger.spend({
        operationId: input.operationId,
        cardId: terms.cardId,
        amountFen: terms.chargedFen,
        staffId: input.staffId,
        terminalId: input.terminalId,
        memo,
        pointsEarned: terms.pointsEarned,
        pointsRedeemed: terms.pointsRedeemed,
        approvedBy: input.approval?.staffId ?? null,
        otherTender: input.otherTender ?? null,
      });
    }
    // Points paid for everything: no money moves, only the points.
    return ledger.redeemPoints({
      operationId: input.operationId,
      cardId: terms.cardId,
      points: terms.pointsRedeemed,
      staffId: input.staffId,
      terminalId: input.terminalId,
      memo,
      approvedBy: input.approval?.staffId ?? null,
    });
  }

  return {
    pointsSettings: settingsOf,

    setPointsSettings(input: { storeId: string; settings: Partial<PointsSettings>; staffId: string }) {
      return audit.guarded('loyalty.points_settings', input, () => {
        requireManager(input.staffId);
        if (!ledger.store(input.storeId)) throw new LoyaltyError('INPUT_INVALID', 'no such store');
        const checked = checkPointsSettings({ ...settingsOf(input.storeId), ...input.settings });
        for (const tierId of Object.keys(checked.earnPerYuanByTier)) tiers.tierById(tierId);
        ledger.settings.set(settingsKey(input.storeId), checked);
        audit.write({
          at: now(),
          action: 'loyalty.points_settings',
          outcome: 'ok',
          staffId: input.staffId,
          details: { storeId: input.storeId, ...checked },
        });
        return checked;
      });
    },

    gifts: giftsOf,

    /** Adds a gift or changes one (same id); a gift is never removed, only made inactive. */
    putGift(input: { storeId: string; gift: Gift; staffId: string }): Gift[] {
      return audit.guarded('loyalty.gift', input, () => {
        requireManager(input.staffId);
        const gift = input.gift;
        if (typeof gift?.id !== 'string' || gift.id === '' || gift.id.length > 64) {
          throw new LoyaltyError('GIFT_INVALID', 'a gift needs an id of 1 to 64 characters');
        }
        if (typeof gift.name !== 'string' || gift.name.trim() === '' || gift.name.length > 100) {
          throw new LoyaltyError('GIFT_INVALID', 'a gift needs a name of at most 100 characters');
        }
        if (!isCount(gift.points) || gift.points === 0) {
          throw new LoyaltyError('GIFT_INVALID', 'a gift costs a positive whole number of points');
        }
        const clean: Gift = {
          id: gift.id,
          name: gift.name.trim(),
          points: gift.points,
          active: gift.active !== false,
        };
        const list = giftsOf(input.storeId).filter((g) => g.id !== clean.id);
        list.push(clean);
        list.sort((a, b) => a.points - b.points || a.id.localeCompare(b.id));
        ledger.settings.set(giftsKey(input.storeId), list);
        audit.write({
          at: now(),
          action: 'loyalty.gift',
          outcome: 'ok',
          staffId: input.staffId,
          details: { storeId: input.storeId, giftId: clean.id, points: clean.points, active: clean.active },
        });
        return list;
      });
    },

    /** The charge's arithmetic before the cashier confirms; writes nothing. */
    quoteCharge(input: { cardId: string; listPriceFen: number; pointsToRedeem?: number }): ChargeQuote {
      return quote(input.cardId, input.listPriceFen, input.pointsToRedeem ?? 0);
    },

    /**
     * The charge with the tier discount and points, in one transaction: the ledger operation (money and
     * points together), the charge's terms, and the cumulative-spend tier review. Idempotent on operationId.
     */
    charge(input: LoyaltyChargeInput): LoyaltyChargeResult {
      return audit.guarded('member.charge', input, () => {
        const recorded = typeof input.operationId === 'string' ? q.terms.get(input.operationId) : undefined;
        if (recorded) {
          const terms = quoteOfTerms(recorded);
          const done = ledger.operation(recorded.operation_id);
          return { quote: terms, operation: runCharge(input, terms, done?.memo ?? null) };
        }
        const fresh = quote(input.cardId, input.listPriceFen, input.pointsToRedeem ?? 0);
        const expected = input.expected ?? null;
        if (
          expected !== null &&
          (expected.chargedFen !== fresh.chargedFen ||
            expected.pointsRedeemed !== fresh.pointsRedeemed ||
            expected.pointsEarned !== fresh.pointsEarned ||
            expected.discountFen !== fresh.discountFen)
        ) {
          throw new LoyaltyError('QUOTE_CHANGED', 'the charge changed since it was shown; show it again', {
            details: { expected, now: fresh },
          });
        }
        const operation = runCharge(input, fresh, memoOf(fresh, input.memo, input.approval));
        if (operation.replayed) return { quote: fresh, operation };
        q.insertTerms.run(
          operation.operationId,
          fresh.cardId,
          fresh.memberId,
          fresh.listPriceFen,
          fresh.tierId,
          fresh.discountBp,
          fresh.discountFen,
          fresh.pointsRedeemed,
          fresh.pointsValueFen,
          fresh.chargedFen,
          fresh.pointsEarned,
          operation.createdAt,
        );
        audit.write({
          at: operation.createdAt,
          action: 'loyalty.charge',
          outcome: 'ok',
          operationId: operation.operationId,
          staffId: input.staffId,
          terminalId: input.terminalId,
          details: {
            listPriceFen: fresh.listPriceFen,
            discountFen: fresh.discountFen,
            pointsRedeemed: fresh.pointsRedeemed,
            pointsEarned: fresh.pointsEarned,
            chargedFen: fresh.chargedFen,
            ...approvalDetails(input.approval),
          },
        });
        if (fresh.chargedFen > 0)
          tiers.review(fresh.memberId, operation.operationId, input.staffId, input.terminalId);
        return { quote: fresh, operation };
      });
    },

    /** The terms a charge was made on (list price, discount, points), if it went through here. */
    chargeTerms(operationId: string): ChargeQuote | undefined {
      const row = q.terms.get(operationId);
      return row ? quoteOfTerms(row) : undefined;
    },

    /** Takes a gift from the catalogue for its points. Idempotent on operationId. */
    redeemGift(input: {
      operationId: string;
      cardId: string;
      giftId: string;
      staffId: string;
      terminalId: string;
      approval?: KeyedApproval | null;
    }) {
      return audit.guarded('loyalty.gift_redeem', input, () => {
        const recorded = q.gift.get(input.operationId);
        const card = cardOf(input.cardId);
        const gift = recorded
          ? { id: recorded.gift_id, name: recorded.gift_name, points: recorded.points, active: true }
          : giftsOf(card.storeId).find((g) => g.id === input.giftId && g.active);
        if (!gift)
          throw new LoyaltyError('GIFT_UNKNOWN', 'no such gift', { details: { giftId: input.giftId } });
        const held = ledger.balance(card.id).points;
        if (!recorded && held < gift.points) {
          throw new LoyaltyError(
            'POINTS_INSUFFICIENT',
            'the card does not hold enough points for this gift',
            {
              details: { pointsHeld: held, points: gift.points },
            },
          );
        }
        const operation = ledger.redeemPoints({
          operationId: input.operationId,
          cardId: card.id,
          points: gift.points,
          staffId: input.staffId,
          terminalId: input.terminalId,
          memo: [`gift ${gift.id}: ${gift.name}`, ...approvalMemo(input.approval)].join('; '),
          approvedBy: input.approval?.staffId ?? null,
        });
        if (!operation.replayed) {
          q.insertGift.run(
            operation.operationId,
            gift.id,
            gift.name,
            gift.points,
            card.id,
            card.memberId,
            operation.createdAt,
          );
          audit.write({
            at: operation.createdAt,
            action: 'loyalty.gift_redeem',
            outcome: 'ok',
            operationId: operation.operationId,
            staffId: input.staffId,
            terminalId: input.terminalId,
            details: { giftId: gift.id, points: gift.points, ...approvalDetails(input.approval) },
          });
        }
        return { gift, operation };
      });
    },
  };
}

export type LoyaltyPoints = ReturnType<typeof loyaltyPoints>;
