/**
 * The ways money comes in at the counter, in the order every list, slip and report shows them. Adding a
 * tender here adds it to the contract's validator, the keypad, the shift count, the Z report and the receipts.
 */
export const TENDERS = ['cash', 'wechat', 'alipay', 'unionpay', 'bank_transfer'] as const;

export type Tender = (typeof TENDERS)[number];
