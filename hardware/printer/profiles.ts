/**
 * Printer profiles as data: paper width, dots, columns and the code pages a model understands.
 * The column count belongs to the printer, not the paper: 80 mm paper is 48 columns at 203 dpi but only
 * 42 at 180 dpi (Epson TM-T88 family).
 */

/** A single-byte code page the printer selects with `ESC t n`, and the iconv-lite name of the same table. */
export interface CodePage {
  readonly name: 'cp437' | 'cp850' | 'cp852' | 'cp858' | 'cp866' | 'windows1252';
  readonly escT: number;
}

export interface PrinterProfile {
  readonly id: string;
  readonly description: string;
  readonly paperMm: 58 | 80;
  readonly dpi: 180 | 203;
  /** Printable width in dots; raster images are cropped or centred to it. */
  readonly dots: number;
  /** Characters per line in Font A (12×24). */
  readonly columnsFontA: number;
  /** Characters per line in Font B (9×17). */
  readonly columnsFontB: number;
  /** The firmware has a GB double-byte mode entered with `FS &` (Chinese firmware). */
  readonly chinese: boolean;
  /** Single-byte tables in order of preference for Latin text outside ASCII. */
  readonly codePages: readonly CodePage[];
}

const EPSON_TABLES: readonly CodePage[] = [
  { name: 'cp437', escT: 0 },
  { name: 'cp850', escT: 2 },
  { name: 'windows1252', escT: 16 },
  { name: 'cp866', escT: 17 },
  { name: 'cp852', escT: 18 },
  { name: 'cp858', escT: 19 },
];

export const PROFILES = {
  /** POS-5890 class: 58 mm, 203 dpi, Chinese firmware. */
  'pos58-203': {
    id: 'pos58-203',
    description: '58 mm, 203 dpi (POS-5890, TM-P20II)',
    paperMm: 58,
    dpi: 203,
    dots: 384,
    columnsFontA: 32,
    columnsFontB: 42,
    chinese: true,
    codePages: EPSON_TABLES,
  },
  /** Xprinter XP-N160II / TM-T20III class: 80 mm, 203 dpi. */
  'pos80-203': {
    id: 'pos80-203',
    description: '80 mm, 203 dpi (TM-T20III, XP-N160II)',
    paperMm: 80,
    dpi: 203,
    dots: 576,
    columnsFontA: 48,
    columnsFontB: 64,
    chinese: true,
    codePages: EPSON_TABLES,
  },
  /** Epson TM-T88 family: 80 mm, 180 dpi, 42 columns. */
  'pos80-180': {
    id: 'pos80-180',
    description: '80 mm, 180 dpi (TM-T88II–VII, TM-T70, SRP-350)',
    paperMm: 80,
    dpi: 180,
    dots: 504,
    columnsFontA: 42,
    columnsFontB: 56,
    chinese: true,
    codePages: EPSON_TABLES,
  },
} as const satisfies Record<string, PrinterProfile>;

export type ProfileId = keyof typeof PROFILES;

export function profileById(id: string): PrinterProfile | undefined {
  return (PROFILES as Record<string, PrinterProfile>)[id];
}
