/**
 * A printer document: what a receipt says, in blocks, before it is laid out for a particular printer.
 * Templates build documents; the encoder turns one into ESC/POS bytes for a profile.
 */
import type { Align, DrawerPin, Font, QrErrorLevel } from './escpos/commands';
import type { MonoImage } from './raster';

export interface TextStyle {
  bold?: boolean;
  underline?: boolean;
  doubleWidth?: boolean;
  doubleHeight?: boolean;
  reverse?: boolean;
  font?: Font;
}

export type Block =
  /** Wrapped to the line width; `\n` starts a new line. */
  | { type: 'text'; text: string; align?: Align; style?: TextStyle }
  /** A label on the left and a value on the right of the same line (the value wraps below if needed). */
  | { type: 'pair'; left: string; right: string; style?: TextStyle }
  /** A full-width line of one character. */
  | { type: 'rule'; char?: string }
  | { type: 'feed'; lines: number }
  | { type: 'lineSpacing'; dots: number | null }
  | { type: 'qr'; data: string; moduleSize?: number; level?: QrErrorLevel; align?: Align }
  | {
      type: 'barcode';
      symbology: 'CODE128' | 'EAN13';
      data: string;
      height?: number;
      module?: number;
      hri?: 'none' | 'above' | 'below' | 'both';
      align?: Align;
    }
  | { type: 'image'; image: MonoImage; align?: Align }
  | { type: 'cut'; partial?: boolean; feed?: number }
  | { type: 'drawer'; pin: DrawerPin; onMs?: number; offMs?: number };

export interface PrintDocument {
  blocks: Block[];
}
