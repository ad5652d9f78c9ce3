/**
 * Money as people read it, from integer fen with integer arithmetic only (BigInt, so every safe integer is
 * exact: no ¥0.30000000000000004). One formatter for the screen, the receipts, the exports and HQ's pages;
 * each says which sign and grouping it wants.
 */
export interface YuanFormat {
  /** '¥' on screens (the default), '￥' (fullwidth) on Chinese receipts, '' for spreadsheet columns. */
  symbol?: '¥' | '￥' | '';
  /** Thousands separators: `¥1,234.00` (the default) or `1234.00` for a spreadsheet. */
  grouped?: boolean;
  /** Always show the sign, as on movements: `+¥20.00` / `-¥20.00`. */
  signed?: boolean;
}

export function formatFen(fen: number, format: YuanFormat = {}): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  const negative = fen < 0;
  const abs = negative ? -BigInt(fen) : BigInt(fen);
  const whole = (abs / 100n).toString();
  const cents = (abs % 100n).toString().padStart(2, '0');
  const yuan = format.grouped === false ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = negative ? '-' : format.signed && fen > 0 ? '+' : '';
  return `${sign}${format.symbol ?? '¥'}${yuan}.${cents}`;
}
