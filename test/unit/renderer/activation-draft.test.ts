import { describe, expect, it } from 'vitest';
import {
  type ActivationDraft,
  activationReducer,
  activationRequest,
  EMPTY_DRAFT,
  type OpeningQuote,
  PIPL_CONSENT,
  readiness,
} from '../../../renderer/src/activation/draft';

const MARKETING = { purpose: 'offers', version: 'marketing-test' };
const QUOTE: OpeningQuote = {
  ruleId: 'rule-1',
  ruleVersion: 2,
  bonusFen: 2_000,
  points: 10,
  rule: '充100送20',
};

function edited(change: Partial<ActivationDraft>): ActivationDraft {
  return activationReducer(EMPTY_DRAFT, { type: 'edit', change });
}

describe('the activation draft', () => {
  it('lets a new member on only with a name, a mobile number and the personal-data consent', () => {
    const registration = { ...EMPTY_DRAFT.registration, name: '王芳', phone: '13800138000' };
    expect(readiness(edited({ registration }), null).member).toBe(false);
    expect(readiness(edited({ registration: { ...registration, consent: true } }), null).member).toBe(true);
    // An ID number typed wrong holds the step until it is right or removed.
    const badId = { ...registration, consent: true, idNumber: '110101199003071234' };
    expect(readiness(edited({ registration: badId }), null).member).toBe(false);
  });

  it('asks for the identity check only when there is an ID number to check', () => {
    expect(readiness(EMPTY_DRAFT, null).identity).toBe(true);
    const onFile = { memberId: 'm-1', name: '李雷', phoneMasked: null, hasIdNumber: true };
    const existing = edited({ mode: 'existing', existing: onFile });
    expect(readiness(existing, null).identity).toBe(false);
    expect(readiness({ ...existing, identityChecked: true }, null).identity).toBe(true);
  });

  it('skips the password when both fields are empty and refuses a guessable one', () => {
    expect(readiness(EMPTY_DRAFT, null).password).toBe(true);
    expect(readiness(edited({ password: '123456', again: '123456' }), null).password).toBe(false);
    expect(readiness(edited({ password: '204817', again: '204871' }), null).password).toBe(false);
    expect(readiness(edited({ password: '204817', again: '204817' }), null).password).toBe(true);
  });

  it('moves past the opening top-up when there is none, or when its bonus is quoted and a non-cash tender has its reference', () => {
    expect(readiness(EMPTY_DRAFT, null).topUp).toBe(true);
    expect(readiness(edited({ amountText: '100' }), null).topUp).toBe(false);
    expect(readiness(edited({ amountText: '100' }), QUOTE).topUp).toBe(true);
    expect(readiness(edited({ amountText: '100', tender: 'wechat' }), QUOTE).topUp).toBe(false);
    expect(readiness(edited({ amountText: '100', tender: 'wechat', reference: 'wx-1' }), QUOTE).topUp).toBe(
      true,
    );
  });

  it('gets a fresh operation id on the way to the confirmation and keeps it on the way back', () => {
    const confirming = activationReducer(EMPTY_DRAFT, { type: 'go', step: 'confirm', operationId: 'op-1' });
    expect(confirming).toMatchObject({ step: 'confirm', operationId: 'op-1' });
    expect(activationReducer(confirming, { type: 'go', step: 'topUp' }).operationId).toBe('op-1');
    expect(activationReducer(activationReducer(confirming, { type: 'done' }), { type: 'restart' })).toEqual(
      EMPTY_DRAFT,
    );
  });

  it('sends a new member with both consents, the card, the password and the opening top-up at its quote', () => {
    const draft = {
      ...edited({
        registration: { name: ' 王芳 ', phone: '13800138000', idNumber: '', consent: true, marketing: true },
        card: { cardNumber: 'A1B2C3D4', uid: null, medium: 'keyed' },
        password: '204817',
        again: '204817',
        amountText: '100',
        tender: 'unionpay',
        reference: ' slip-9 ',
      }),
      operationId: 'op-7',
    };
    expect(activationRequest(draft, QUOTE, MARKETING)).toEqual({
      operationId: 'op-7',
      member: {
        register: {
          name: '王芳',
          phone: '13800138000',
          consent: PIPL_CONSENT,
          marketing: { ...MARKETING, granted: true },
        },
      },
      identityChecked: false,
      card: { cardNumber: 'A1B2C3D4', medium: 'keyed' },
      password: '204817',
      openingTopUp: {
        amountFen: 10_000,
        tender: 'unionpay',
        reference: 'slip-9',
        quote: { ruleId: 'rule-1', ruleVersion: 2, bonusFen: 2_000, points: 10 },
      },
    });
  });

  it('sends a member on file by id alone, and no top-up when no amount was typed', () => {
    const onFile = { memberId: 'm-1', name: '李雷', phoneMasked: null, hasIdNumber: false };
    const draft = { ...edited({ mode: 'existing', existing: onFile }), operationId: 'op-8' };
    const request = activationRequest(draft, null, MARKETING);
    expect(request.member).toEqual({ memberId: 'm-1' });
    expect(request).not.toHaveProperty('openingTopUp');
    expect(request).not.toHaveProperty('password');
  });
});
