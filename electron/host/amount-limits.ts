/**
 * The chain's amount limits (`contract/limits.ts`), kept in the ledger's settings and applied here in the host
 * before the ledger is asked, whatever the screen showed. Each refusal has its own code and names the limit in
 * its details, so the counter can say it in words:
 * - AMOUNT_OVER_LIMIT: one top-up or one charge over its limit (or over the store's single-operation limit);
 * - MEMBER_REAL_NAME_REQUIRED: a top-up above the real-name amount for a member with no phone and no ID number;
 * - CARD_BALANCE_OVER_LIMIT: the card's principal would pass what a named (or an anonymous) card may hold.
 * A missing or malformed setting reads as the defaults, field by field. A chain publishes its limits from HQ
 * (`PUT /admin/amount-limits`); each till takes them with its next feed pull, over what was set locally.
 */
import type { Ledger, MemberRegistry, SettingsStore } from '../../db';
import { SETTINGS_KEYS } from '../../sync/index';
import { type AmountLimits, amountLimits, DEFAULT_AMOUNT_LIMITS } from '../contract';
import { ApiError } from '../errors';

/** Set on the Rules screen, or by HQ with each feed pull once the chain has published limits. */
export const AMOUNT_LIMITS_SETTING = SETTINGS_KEYS.amountLimits;

export function readAmountLimits(settings: SettingsStore): AmountLimits {
  const stored = amountLimits.partial().safeParse(settings.get<unknown>(AMOUNT_LIMITS_SETTING));
  return { ...DEFAULT_AMOUNT_LIMITS, ...(stored.success ? stored.data : {}) };
}

/** Who is topping up: whether the member gave real-name details, and the principal the card holds now. */
export interface TopUpHolder {
  named: boolean;
  principalFen: number;
}

export function amountLimitGuard(deps: { ledger: Ledger; members: MemberRegistry; storeId: string }) {
  const { ledger } = deps;

  /** The chain's limit for one operation of this kind, or the store's own if that is lower. */
  function operationLimit(kind: 'top_up' | 'spend'): number {
    const limits = readAmountLimits(ledger.settings);
    const chain = kind === 'top_up' ? limits.topUpMaxFen : limits.chargeMaxFen;
    const store = ledger.store(deps.storeId)?.singleOperationLimitFen ?? chain;
    return Math.min(chain, store);
  }

  function checkOperation(kind: 'top_up' | 'spend', amountFen: number): void {
    const limitFen = operationLimit(kind);
    if (amountFen <= limitFen) return;
    throw new ApiError('AMOUNT_OVER_LIMIT', `One ${kind} may be at most ${limitFen} fen`, {
      details: { kind, amountFen, limitFen },
    });
  }

  /** A member is named once they gave a phone number or an ID number (实名). */
  function isNamed(memberId: string, phone: string | null): boolean {
    if (phone !== null && phone !== '') return true;
    const profile = deps.members.profile(memberId);
    return Boolean(profile?.phone) || Boolean(profile?.idNumber);
  }

  function checkTopUp(holder: TopUpHolder, amountFen: number): void {
    checkOperation('top_up', amountFen);
    const limits = readAmountLimits(ledger.settings);
    if (!holder.named && amountFen > limits.realNameAboveFen) {
      throw new ApiError(
        'MEMBER_REAL_NAME_REQUIRED',
        "A top-up this large needs the member's phone or ID number on file",
        { details: { amountFen, limitFen: limits.realNameAboveFen } },
      );
    }
    const limitFen = holder.named ? limits.namedCardMaxFen : limits.anonymousCardMaxFen;
    if (holder.principalFen + amountFen <= limitFen) return;
    throw new ApiError('CARD_BALANCE_OVER_LIMIT', `This card may hold at most ${limitFen} fen of principal`, {
      details: {
        amountFen,
        limitFen,
        named: holder.named,
        principalFen: holder.principalFen,
        roomFen: Math.max(0, limitFen - holder.principalFen),
      },
    });
  }

  return {
    checkCharge: (amountFen: number) => checkOperation('spend', amountFen),
    /** A top-up of a registered card: its member's details and its principal decide. */
    checkCardTopUp(cardId: string, amountFen: number): void {
      const card = ledger.card(cardId);
      const found = card === undefined ? undefined : ledger.findCardByNumber(card.cardNumber);
      if (found === undefined) throw new ApiError('CARD_UNKNOWN', 'No such card', { details: { cardId } });
      checkTopUp(
        { named: isNamed(found.memberId, found.member.phone), principalFen: found.balance.principalFen },
        amountFen,
      );
    },
    /** The opening top-up of a card being activated: a new card holds nothing yet. */
    checkOpeningTopUp(
      member: { memberId: string } | { phone: string | null; idNumber: string | null },
      amountFen: number,
    ): void {
      const named =
        'memberId' in member
          ? isNamed(member.memberId, ledger.member(member.memberId)?.phone ?? null)
          : Boolean(member.phone) || Boolean(member.idNumber);
      checkTopUp({ named, principalFen: 0 }, amountFen);
    },
  };
}

export type AmountLimitGuard = ReturnType<typeof amountLimitGuard>;
