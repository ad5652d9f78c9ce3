/**
 * Everything the activation (开卡) collects on its way to the one confirmation, as one value changed by one
 * reducer: which step is shown, the member (new or on file), the identity check, the card, the password and
 * the opening top-up. What may move on, and the request that is finally sent, are worked out from it here,
 * so the screen only lays the steps out.
 */
import type { CommandInput, Tender, TopUpQuote } from '../../../electron/contract/index';
import { checkResidentId, isAcceptablePassword, isMobile } from '../members/identity';
import { cardRequest, EMPTY_CARD, isCardReady, type NewCard } from '../members/new-card';
import { parseYuan } from '../money';

/** The personal-data notice the member agrees to, by version (PIPL). */
export const PIPL_CONSENT = {
  purpose: '会员储值卡服务：登记、充值、消费、对账与客服',
  version: 'pipl-2026-01',
};

/** The marketing consent's wording, by version, recorded with the member's choice. */
export interface MarketingConsent {
  purpose: string;
  version: string;
}

export const STEPS = ['member', 'identity', 'card', 'password', 'topUp', 'confirm'] as const;
export type FormStep = (typeof STEPS)[number];
export type Step = FormStep | 'done';

export interface Registration {
  name: string;
  phone: string;
  idNumber: string;
  consent: boolean;
  marketing: boolean;
}

export type Existing = { memberId: string; name: string; phoneMasked: string | null; hasIdNumber: boolean };

export interface ActivationDraft {
  step: Step;
  mode: 'new' | 'existing';
  registration: Registration;
  existing: Existing | null;
  identityChecked: boolean;
  card: NewCard;
  password: string;
  again: string;
  amountText: string;
  tender: Tender;
  reference: string;
  /** Made when the confirmation is shown, so pressing confirm twice activates once. */
  operationId: string | null;
}

export const EMPTY_DRAFT: ActivationDraft = {
  step: 'member',
  mode: 'new',
  registration: { name: '', phone: '', idNumber: '', consent: false, marketing: false },
  existing: null,
  identityChecked: false,
  card: EMPTY_CARD,
  password: '',
  again: '',
  amountText: '',
  tender: 'cash',
  reference: '',
  operationId: null,
};

/** The fields a step edits; the step and the operation id move only by `go`. */
export type DraftFields = Omit<ActivationDraft, 'step' | 'operationId'>;

export type DraftAction =
  | { type: 'edit'; change: Partial<DraftFields> }
  /** To the confirmation comes with a fresh operation id. */
  | { type: 'go'; step: FormStep; operationId?: string }
  | { type: 'done' }
  | { type: 'restart' };

export function activationReducer(draft: ActivationDraft, action: DraftAction): ActivationDraft {
  switch (action.type) {
    case 'edit':
      return { ...draft, ...action.change };
    case 'go':
      return {
        ...draft,
        step: action.step,
        operationId: action.step === 'confirm' ? (action.operationId ?? null) : draft.operationId,
      };
    case 'done':
      return { ...draft, step: 'done' };
    case 'restart':
      return EMPTY_DRAFT;
  }
}

export type OpeningQuote = TopUpQuote & { rule: string };

/** Whether each step is filled in well enough to move on; the confirmation waits for nothing but itself. */
export function readiness(draft: ActivationDraft, quote: OpeningQuote | null): Record<FormStep, boolean> {
  const { registration, mode, password, again, amountText, tender, reference } = draft;
  const idCheck = checkResidentId(registration.idNumber);
  const amountFen = parseYuan(amountText);
  return {
    member:
      mode === 'new'
        ? registration.name.trim() !== '' &&
          isMobile(registration.phone) &&
          registration.consent &&
          (idCheck === 'ok' || idCheck === 'empty')
        : draft.existing !== null,
    identity: !hasIdNumber(draft) || draft.identityChecked,
    card: isCardReady(draft.card),
    password: password === '' ? again === '' : isAcceptablePassword(password) && password === again,
    topUp:
      amountText === '' ||
      (amountFen !== null && quote !== null && (tender === 'cash' || reference.trim() !== '')),
    confirm: true,
  };
}

/** Whether there is an ID number to check against the member's document. */
export function hasIdNumber(draft: ActivationDraft): boolean {
  return draft.mode === 'new'
    ? checkResidentId(draft.registration.idNumber) !== 'empty'
    : draft.existing?.hasIdNumber === true;
}

/** The one request that activates: the member, the card, the password and the opening top-up at its quote. */
export function activationRequest(
  draft: ActivationDraft & { operationId: string },
  quote: OpeningQuote | null,
  marketing: MarketingConsent,
): CommandInput<'cards.activate'> {
  const { registration, existing, password, tender, reference } = draft;
  const amountFen = parseYuan(draft.amountText);
  return {
    operationId: draft.operationId,
    member:
      draft.mode === 'existing' && existing !== null
        ? { memberId: existing.memberId }
        : {
            register: {
              name: registration.name.trim(),
              phone: registration.phone.trim(),
              ...(checkResidentId(registration.idNumber) === 'ok'
                ? { idNumber: registration.idNumber.trim().toUpperCase() }
                : {}),
              consent: PIPL_CONSENT,
              marketing: { ...marketing, granted: registration.marketing },
            },
          },
    identityChecked: draft.identityChecked,
    card: cardRequest(draft.card),
    ...(password === '' ? {} : { password }),
    ...(amountFen === null
      ? {}
      : {
          openingTopUp: {
            amountFen,
            tender,
            ...(tender === 'cash' ? {} : { reference: reference.trim() }),
            ...(quote === null
              ? {}
              : {
                  quote: {
                    ruleId: quote.ruleId,
                    ruleVersion: quote.ruleVersion,
                    bonusFen: quote.bonusFen,
                    points: quote.points,
                  },
                }),
          },
        }),
  };
}
