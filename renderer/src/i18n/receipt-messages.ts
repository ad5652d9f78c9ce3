/** The receipt preview's words: its QR code, named for a screen reader. */

export const receiptZh = {
  'receipt.qr': '小票二维码：{data}',
};

export const receiptEn: Record<keyof typeof receiptZh, string> = {
  'receipt.qr': 'Receipt QR code: {data}',
};
