/**
 * What came out of the virtual printer: receipts made of styled lines, QR codes, barcodes and images,
 * closed by a cut. Tests and the training screen read receipts in this shape.
 */
import type { Align } from '../escpos/commands';
import type { MonoImage } from '../raster';

export interface LineStyle {
  bold: boolean;
  underline: boolean;
  doubleWidth: boolean;
  doubleHeight: boolean;
  reverse: boolean;
  font: 'A' | 'B';
}

export interface Span {
  text: string;
  style: LineStyle;
}

export type ReceiptItem =
  | { type: 'line'; text: string; align: Align; spans: Span[] }
  | { type: 'qr'; data: string; moduleSize: number; level: 'L' | 'M' | 'Q' | 'H'; align: Align }
  | { type: 'barcode'; symbology: string; data: string; align: Align }
  | { type: 'image'; image: MonoImage; align: Align }
  | { type: 'feed'; lines: number };

export interface Receipt {
  items: ReceiptItem[];
  /** How the receipt left the printer; `null` while it is still on the roll. */
  cut: 'full' | 'partial' | null;
}

export interface DrawerPulse {
  pin: 2 | 5;
  onMs: number;
  offMs: number;
}

export const plainStyle = (): LineStyle => ({
  bold: false,
  underline: false,
  doubleWidth: false,
  doubleHeight: false,
  reverse: false,
  font: 'A',
});

/** The plain text of every line of a receipt, for assertions. */
export function receiptLines(receipt: Receipt): string[] {
  return receipt.items.flatMap((item) => (item.type === 'line' ? [item.text] : []));
}
