/**
 * ESC/POS command bytes, one function per command. Pure and byte-exact: every function here has a golden
 * test. Arguments are range-checked because a wrong parameter byte silently eats the text that follows.
 */
import { DeviceError } from '../../errors';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;

export type Align = 'left' | 'center' | 'right';
export type Font = 'A' | 'B';
export type DrawerPin = 2 | 5;
export type QrErrorLevel = 'L' | 'M' | 'Q' | 'H';

function checkRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DeviceError('ESCPOS_ARGUMENT_INVALID', `${name} must be an integer from ${min} to ${max}`, {
      details: { name, value, min, max },
    });
  }
  return value;
}

export const init = (): number[] => [ESC, 0x40];

/** ESC ! n: bit0 font B, bit3 emphasized, bit4 double height, bit5 double width, bit7 underline. */
export function printMode(mode: {
  fontB?: boolean;
  bold?: boolean;
  doubleHeight?: boolean;
  doubleWidth?: boolean;
  underline?: boolean;
}): number[] {
  const n =
    (mode.fontB ? 0x01 : 0) |
    (mode.bold ? 0x08 : 0) |
    (mode.doubleHeight ? 0x10 : 0) |
    (mode.doubleWidth ? 0x20 : 0) |
    (mode.underline ? 0x80 : 0);
  return [ESC, 0x21, n];
}

export const bold = (on: boolean): number[] => [ESC, 0x45, on ? 1 : 0];

/** ESC - n: 0 off, 1 one dot, 2 two dots. */
export const underline = (dots: 0 | 1 | 2): number[] => [ESC, 0x2d, checkRange('underline', dots, 0, 2)];

export const font = (which: Font): number[] => [ESC, 0x4d, which === 'A' ? 0 : 1];

/** GS ! n: character size, width and height multipliers 1–8. */
export function characterSize(width: number, height: number): number[] {
  checkRange('width', width, 1, 8);
  checkRange('height', height, 1, 8);
  return [GS, 0x21, ((width - 1) << 4) | (height - 1)];
}

/** GS B n: white on black. */
export const reverse = (on: boolean): number[] => [GS, 0x42, on ? 1 : 0];

export const align = (where: Align): number[] => [
  ESC,
  0x61,
  where === 'left' ? 0 : where === 'center' ? 1 : 2,
];

/** ESC 3 n: line spacing in motion units (dots at 203 dpi); ESC 2 restores the default (about 1/6 inch). */
export const lineSpacing = (dots: number): number[] => [ESC, 0x33, checkRange('line spacing', dots, 0, 255)];
export const defaultLineSpacing = (): number[] => [ESC, 0x32];

export const lineFeed = (): number[] => [0x0a];

/** ESC d n: print and feed n lines. */
export const feedLines = (lines: number): number[] => [ESC, 0x64, checkRange('lines', lines, 0, 255)];

/** ESC t n: select a single-byte character table. */
export const codeTable = (n: number): number[] => [ESC, 0x74, checkRange('code table', n, 0, 255)];

/** ESC R n: international character set. */
export const internationalSet = (n: number): number[] => [ESC, 0x52, checkRange('character set', n, 0, 255)];

/** FS &: enter the double-byte (GB) mode of Chinese firmware. */
export const chineseOn = (): number[] => [FS, 0x26];
/** FS .: leave it; bytes ≥ 0x80 are then single-byte characters of the ESC t table. */
export const chineseOff = (): number[] => [FS, 0x2e];

/**
 * GS V: cut. Without `feed` the paper is cut where it is; with `feed` (GS V 65/66 n) the printer first feeds
 * to the cutter plus n motion units, so the last line is not cut through.
 */
export function cut(kind: 'full' | 'partial', feed?: number): number[] {
  if (feed === undefined) return [GS, 0x56, kind === 'full' ? 0 : 1];
  return [GS, 0x56, kind === 'full' ? 0x41 : 0x42, checkRange('cut feed', feed, 0, 255)];
}

/** ESC p m t1 t2: pulse the drawer kick-out connector. Times are in milliseconds, sent as 2 ms units. */
export function drawerPulse(pin: DrawerPin, onMs = 50, offMs = 240): number[] {
  const t1 = checkRange('drawer on time', Math.round(onMs / 2), 1, 255);
  const t2 = checkRange('drawer off time', Math.round(offMs / 2), 1, 255);
  return [ESC, 0x70, pin === 2 ? 0 : 1, t1, t2];
}

/** GS h: barcode height in dots. */
export const barcodeHeight = (dots: number): number[] => [
  GS,
  0x68,
  checkRange('barcode height', dots, 1, 255),
];
/** GS w: barcode module width in dots. */
export const barcodeModule = (dots: number): number[] => [GS, 0x77, checkRange('barcode width', dots, 1, 6)];
/** GS H: human-readable text position: 0 none, 1 above, 2 below, 3 both. */
export const barcodeHri = (position: 'none' | 'above' | 'below' | 'both'): number[] => [
  GS,
  0x48,
  ['none', 'above', 'below', 'both'].indexOf(position),
];

/** GS k 67 (function B, EAN13): 12 digits (the printer adds the check digit) or 13 with a correct one. */
export function barcodeEan13(digits: string): number[] {
  if (!/^\d{12,13}$/.test(digits)) {
    throw new DeviceError('ESCPOS_BARCODE_INVALID', 'EAN-13 data must be 12 or 13 digits', {
      details: { digits },
    });
  }
  const body = digits.slice(0, 12);
  const check = ean13CheckDigit(body);
  if (digits.length === 13 && Number(digits[12]) !== check) {
    throw new DeviceError('ESCPOS_BARCODE_INVALID', 'EAN-13 check digit is wrong', {
      details: { digits, expected: check },
    });
  }
  const data = [...body].map((c) => c.charCodeAt(0));
  return [GS, 0x6b, 0x43, data.length, ...data];
}

export function ean13CheckDigit(twelve: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** GS k 73 (function B, CODE128) in code set B: printable ASCII; `{` is escaped as `{{`. */
export function barcodeCode128(text: string): number[] {
  if (!/^[\x20-\x7e]+$/.test(text)) {
    throw new DeviceError('ESCPOS_BARCODE_INVALID', 'CODE128 set B takes printable ASCII only', {
      details: { text },
    });
  }
  const data = [0x7b, 0x42, ...[...text.replace(/\{/g, '{{')].map((c) => c.charCodeAt(0))];
  checkRange('CODE128 length', data.length, 3, 255);
  return [GS, 0x6b, 0x49, data.length, ...data];
}

const QR_LEVEL: Record<QrErrorLevel, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };

/** The GS ( k sequence that stores and prints one QR code (model 2). Payload bytes are UTF-8. */
export function qrCode(
  payload: Uint8Array,
  options: { moduleSize?: number; level?: QrErrorLevel } = {},
): number[] {
  const size = checkRange('QR module size', options.moduleSize ?? 6, 1, 16);
  const length = payload.length + 3;
  checkRange('QR payload length', payload.length, 1, 7089);
  return [
    ...[GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00],
    ...[GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, size],
    ...[GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, QR_LEVEL[options.level ?? 'M']],
    ...[GS, 0x28, 0x6b, length & 0xff, length >> 8, 0x31, 0x50, 0x30],
    ...payload,
    ...[GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30],
  ];
}

/** GS v 0 m xL xH yL yH d…: raster image; `bytesPerRow` × `height` bytes, MSB leftmost, 1 = black. */
export function rasterImage(bytesPerRow: number, height: number, data: Uint8Array): Uint8Array {
  checkRange('raster bytes per row', bytesPerRow, 1, 0xffff);
  checkRange('raster height', height, 1, 0xffff);
  if (data.length !== bytesPerRow * height) {
    throw new DeviceError('ESCPOS_IMAGE_INVALID', 'raster data length does not match its size', {
      details: { bytesPerRow, height, length: data.length },
    });
  }
  const out = new Uint8Array(8 + data.length);
  out.set([GS, 0x76, 0x30, 0, bytesPerRow & 0xff, bytesPerRow >> 8, height & 0xff, height >> 8]);
  out.set(data, 8);
  return out;
}

/** DLE EOT n: real-time status. 1 printer, 2 offline cause, 3 error cause, 4 paper roll sensor. */
export const realtimeStatus = (n: 1 | 2 | 3 | 4): number[] => [DLE, 0x04, n];

/** GS a n: automatic status back. */
export function automaticStatusBack(enable: {
  drawer?: boolean;
  online?: boolean;
  error?: boolean;
  paper?: boolean;
}): number[] {
  const n =
    (enable.drawer ? 0x01 : 0) |
    (enable.online ? 0x02 : 0) |
    (enable.error ? 0x04 : 0) |
    (enable.paper ? 0x08 : 0);
  return [GS, 0x61, n];
}
