/**
 * WeChat Pay and Alipay payment codes (付款码), as a barcode scanner reads them off the customer's phone:
 * WeChat's are 18 digits starting 10–15, Alipay's 16 to 24 digits starting 25–30. The prefix tells the
 * tender, so the cashier never picks it. Free of the validators: the counter's keyboard handling uses it.
 */
export type PayCodeTender = 'wechat' | 'alipay';

const WECHAT = /^1[0-5][0-9]{16}$/;
const ALIPAY = /^(2[5-9]|30)[0-9]{14,22}$/;

/** The tender a payment code belongs to, or null for anything that is not one. */
export function tenderOfPayCode(code: string): PayCodeTender | null {
  if (WECHAT.test(code)) return 'wechat';
  if (ALIPAY.test(code)) return 'alipay';
  return null;
}

/** Whether a reference was typed or scanned as a payment code (all digits, code-length): it is collected. */
export function looksLikePayCode(reference: string): boolean {
  return /^[0-9]{16,24}$/.test(reference);
}
