/**
 * Payment codes from a barcode scanner: the code's prefix tells WeChat Pay from Alipay; a burst of digits
 * ending in Enter is a code, the same digits at a person's pace are the confirmation's keys; and the swipe
 * wedge lets a payment code's burst through untouched, never mistaking it for a bank card.
 */
import { describe, expect, it } from 'vitest';
import { tenderOfPayCode } from '../../../electron/contract/pay-code';
import { WedgeDetector } from '../../../renderer/src/wedge/detector';
import { PayCodeBurst } from '../../../renderer/src/wedge/pay-code';

const WECHAT = '134567890123456789';
const ALIPAY = '281234567890123456';

describe('tenderOfPayCode', () => {
  it('tells the wallet by the prefix and refuses anything else', () => {
    expect(tenderOfPayCode(WECHAT)).toBe('wechat');
    expect(tenderOfPayCode('101234567890123456')).toBe('wechat');
    expect(tenderOfPayCode(ALIPAY)).toBe('alipay');
    expect(tenderOfPayCode('3012345678901234')).toBe('alipay');
    expect(tenderOfPayCode('301234567890123456789012')).toBe('alipay');
    // A 19-digit WeChat-looking number, a bank card number, a member card number: none is a code.
    expect(tenderOfPayCode('1345678901234567890')).toBeNull();
    expect(tenderOfPayCode('6222021234567890123')).toBeNull();
    expect(tenderOfPayCode('8800000000000001')).toBeNull();
  });
});

/** Feeds keys `gapMs` apart from `start`; returns every decision. */
function feed(burst: PayCodeBurst, keys: readonly string[], gapMs: number, start = 1_000) {
  return keys.map((key, index) => burst.key(key, start + index * gapMs));
}

describe('PayCodeBurst', () => {
  it('reads a scanner burst ending in Enter as a code, holding every key of it', () => {
    const decisions = feed(new PayCodeBurst(), [...WECHAT, 'Enter'], 3);
    expect(decisions.every((d) => d.hold && d.release.length === 0)).toBe(true);
    expect(decisions.at(-1)?.code).toBe(WECHAT);
  });

  it("gives a person's digit back once its deadline passes, and lets their Enter through", () => {
    const burst = new PayCodeBurst(50);
    expect(burst.key('2', 1_000)).toEqual({ hold: true, release: [] });
    expect(burst.poll(1_020)).toEqual([]);
    expect(burst.poll(1_050)).toEqual(['2']);
    expect(burst.key('Enter', 1_400)).toEqual({ hold: false, release: [] });
  });

  it('releases held digits before an Enter that ends too short a burst', () => {
    const decisions = feed(new PayCodeBurst(), ['2', 'Enter'], 5);
    expect(decisions[1]).toEqual({ hold: false, release: ['2'] });
  });

  it("treats digits at a person's pace as keys, even sixteen of them", () => {
    const decisions = feed(new PayCodeBurst(50), [...ALIPAY, 'Enter'], 120);
    expect(decisions.at(-1)?.code).toBeUndefined();
    // Each digit gives the one before it back; the Enter gives back the last.
    expect(decisions.flatMap((d) => d.release).join('')).toBe(ALIPAY);
  });
});

describe('the swipe wedge', () => {
  it('passes a payment code burst through untouched: no swipe, no bank-card refusal', () => {
    const wedge = new WedgeDetector();
    const keys = [...WECHAT, 'Enter'].map((key, index) => ({
      key,
      code: key === 'Enter' ? 'Enter' : `Digit${key}`,
      timeStamp: 1_000 + index * 3,
    }));
    const decisions = keys.map((key) => wedge.handle(key));
    expect(decisions.every((d) => !d.swallow && d.release.length === 0)).toBe(true);
    expect(decisions.some((d) => d.swipe !== undefined || d.refused !== undefined)).toBe(false);
  });
});
