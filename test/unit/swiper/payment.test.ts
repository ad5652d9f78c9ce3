import { describe, expect, it } from 'vitest';
import { interpretSwipe, interpretTrackText } from '../../../hardware/swiper/interpret';
import {
  checkMemberRule,
  DEFAULT_MEMBER_RULE,
  type MemberNumberRule,
} from '../../../hardware/swiper/member-rule';
import { isPaymentTrack, luhnValid } from '../../../hardware/swiper/payment';
import { parseTrack } from '../../../hardware/swiper/tracks';

const parsed = (track: 1 | 2 | 3, text: string) => {
  const result = parseTrack(track, text);
  if (!result.ok) throw new Error(`fixture track does not parse: ${result.fault}`);
  return result.value;
};

describe('payment card recognition', () => {
  it('checks Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('12ab')).toBe(false);
  });

  it('treats a format-B track 1 as a payment card', () => {
    expect(isPaymentTrack(parsed(1, '%B4111111111111111^DOE/JOHN^2512101000000?'))).toBe(true);
    // Even when the PAN fails Luhn: format code B is reserved for financial cards.
    expect(isPaymentTrack(parsed(1, '%B1234567890^DOE/JOHN^2512101?'))).toBe(true);
  });

  it('treats a Luhn-valid PAN followed by expiry and service code as a payment card', () => {
    expect(isPaymentTrack(parsed(2, ';4111111111111111=25121010000000?'))).toBe(true);
    expect(isPaymentTrack(parsed(2, ';6212345678901232=3012220?'))).toBe(luhnValid('6212345678901232'));
    // Expiry absent (a separator in its place), service code present.
    expect(isPaymentTrack(parsed(2, ';4111111111111111==101?'))).toBe(true);
  });

  it('does not take a member number for a PAN when Luhn fails or no service code follows', () => {
    expect(isPaymentTrack(parsed(2, ';4111111111111112=25121010000000?'))).toBe(false);
    expect(isPaymentTrack(parsed(2, ';4111111111111111?'))).toBe(false);
    expect(isPaymentTrack(parsed(1, '%M6200123456^ZHANG/SAN^?'))).toBe(false);
  });
});

describe('the member number rule', () => {
  it('is checked when configured', () => {
    expect(() => checkMemberRule({ track: 4 as 1, field: 0 })).toThrow(
      expect.objectContaining({ code: 'SWIPER_CONFIG_INVALID' }),
    );
    expect(() => checkMemberRule({ track: 2, field: -1 })).toThrow(/field/);
    expect(() => checkMemberRule({ track: 2, field: 0, length: { min: 8, max: 4 } })).toThrow(/length/);
    expect(() => checkMemberRule({ track: 2, field: 0, stripPrefix: true })).toThrow(/prefix/);
    expect(checkMemberRule({ track: 1, field: 2, prefix: 'M', length: 9 })).toEqual({
      track: 1,
      field: 2,
      prefix: 'M',
      length: 9,
    });
  });
});

describe('interpreting a swipe', () => {
  const rule = DEFAULT_MEMBER_RULE;

  it('yields the member number and a masked track for a store card', () => {
    expect(interpretTrackText(';6200123456=991?\n', { rule })).toEqual({
      kind: 'member',
      memberNumber: '6200123456',
      maskedTrack: ';******3456=***?',
    });
  });

  it('refuses a bank card, whichever track gives it away', () => {
    const refused = { kind: 'refused', code: 'CARD_IS_PAYMENT_CARD' };
    expect(interpretTrackText('%B4111111111111111^DOE/JOHN^2512101?\n', { rule })).toEqual(refused);
    expect(interpretTrackText(';4111111111111111=2512101?\n', { rule })).toEqual(refused);
    // A damaged track 1 that still shows format B is refused, not "swipe again".
    expect(interpretTrackText('%B4111111111111111^DOE/J\n;6200123456?\n', { rule })).toEqual(refused);
  });

  it('asks for another swipe when the member track is damaged, never a wrong member', () => {
    const again = { kind: 'refused', code: 'SWIPE_UNREADABLE' };
    expect(interpretTrackText(';E?\n', { rule })).toEqual(again);
    expect(interpretTrackText(';6200123\n', { rule })).toEqual(again);
    expect(interpretTrackText(';6200&23456?\n', { rule })).toEqual(again);
    expect(interpretTrackText('', { rule })).toEqual(again);
    expect(interpretTrackText('%E?\n', { rule })).toEqual(again);
    expect(interpretSwipe({ tracks: { 2: { readerError: true } } }, { rule, sentinels: 'optional' })).toEqual(
      again,
    );
  });

  it('says "not a member card" for a clean read that does not fit the rule', () => {
    const store: MemberNumberRule = { track: 2, field: 0, prefix: '6200', length: 10 };
    expect(interpretTrackText(';6200123456?\n', { rule: store })).toMatchObject({
      memberNumber: '6200123456',
    });
    expect(interpretTrackText(';7700123456?\n', { rule: store })).toEqual({
      kind: 'refused',
      code: 'CARD_NOT_MEMBER_CARD',
    });
    expect(interpretTrackText(';62001234567?\n', { rule: store })).toMatchObject({
      code: 'CARD_NOT_MEMBER_CARD',
    });
    expect(interpretTrackText('%M6200123456^A^?\n', { rule: store })).toMatchObject({
      code: 'CARD_NOT_MEMBER_CARD',
    });
  });

  it('follows the rule to another track and field, stripping the prefix when asked', () => {
    const rule1: MemberNumberRule = {
      track: 1,
      field: 1,
      prefix: 'VIP',
      stripPrefix: true,
      length: { min: 5, max: 12 },
    };
    expect(interpretTrackText('%M123^VIP00042^X?\n', { rule: rule1 })).toMatchObject({
      memberNumber: '00042',
    });
    const rule3: MemberNumberRule = { track: 3, field: 1 };
    expect(interpretTrackText(';1?\n+77=8800123?\n', { rule: rule3 })).toMatchObject({
      memberNumber: '8800123',
    });
  });
});
