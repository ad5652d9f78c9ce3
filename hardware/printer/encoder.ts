/**
 * Turns a printer document into ESC/POS bytes for one printer profile. Styles, alignment and the text mode
 * are tracked so a command is only sent when the setting actually changes.
 */
import iconv from 'iconv-lite';
import { DeviceError } from '../errors';
import type { Block, PrintDocument, TextStyle } from './document';
import * as cmd from './escpos/commands';
import { pair, wrap } from './escpos/layout';
import { encodeText, type TextModeState, textColumns, unknownTextMode } from './escpos/text';
import type { PrinterProfile } from './profiles';
import { bytesPerRow } from './raster';

/** Line width in characters for a style on a profile (double width halves it, Font B widens it). */
export function lineWidth(profile: PrinterProfile, style?: TextStyle): number {
  const base = style?.font === 'B' ? profile.columnsFontB : profile.columnsFontA;
  return style?.doubleWidth ? Math.floor(base / 2) : base;
}

class Output {
  private buffer = new Uint8Array(4096);
  length = 0;

  push(bytes: ArrayLike<number>): void {
    const needed = this.length + bytes.length;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.length);
    this.length = needed;
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export class EscPosEncoder {
  private readonly out = new Output();
  private align: cmd.Align = 'left';
  private mode = 0;
  private reversed = false;
  private readonly text: TextModeState = unknownTextMode();
  private readonly scratch: number[] = [];

  constructor(private readonly profile: PrinterProfile) {
    this.out.push(cmd.init());
  }

  document(doc: PrintDocument): this {
    for (const block of doc.blocks) this.block(block);
    return this;
  }

  block(block: Block): this {
    switch (block.type) {
      case 'text': {
        this.setAlign(block.align ?? 'left');
        this.setStyle(block.style);
        for (const line of wrap(block.text, lineWidth(this.profile, block.style), this.profile))
          this.line(line);
        break;
      }
      case 'pair': {
        this.setAlign('left');
        this.setStyle(block.style);
        const width = lineWidth(this.profile, block.style);
        for (const line of pair(block.left, block.right, width, this.profile)) this.line(line);
        break;
      }
      case 'rule': {
        this.setAlign('left');
        this.setStyle(undefined);
        const char = block.char ?? '-';
        const width = lineWidth(this.profile);
        this.line(char.repeat(Math.max(1, Math.floor(width / textColumns(char, this.profile)))));
        break;
      }
      case 'feed':
        this.out.push(cmd.feedLines(block.lines));
        break;
      case 'lineSpacing':
        this.out.push(block.dots === null ? cmd.defaultLineSpacing() : cmd.lineSpacing(block.dots));
        break;
      case 'qr': {
        this.setAlign(block.align ?? 'center');
        const payload = iconv.encode(block.data, 'utf8');
        this.out.push(cmd.qrCode(payload, { moduleSize: block.moduleSize ?? 6, level: block.level ?? 'M' }));
        this.out.push(cmd.lineFeed());
        break;
      }
      case 'barcode': {
        this.setAlign(block.align ?? 'center');
        this.out.push(cmd.barcodeHeight(block.height ?? 80));
        this.out.push(cmd.barcodeModule(block.module ?? 2));
        this.out.push(cmd.barcodeHri(block.hri ?? 'below'));
        this.out.push(
          block.symbology === 'EAN13' ? cmd.barcodeEan13(block.data) : cmd.barcodeCode128(block.data),
        );
        this.out.push(cmd.lineFeed());
        break;
      }
      case 'image': {
        const { image } = block;
        if (image.width > this.profile.dots) {
          throw new DeviceError(
            'IMAGE_TOO_WIDE',
            `the image is wider than the ${this.profile.dots}-dot head`,
            {
              details: { width: image.width, dots: this.profile.dots, profile: this.profile.id },
            },
          );
        }
        this.setAlign(block.align ?? 'center');
        this.out.push(cmd.rasterImage(bytesPerRow(image.width), image.height, image.data));
        break;
      }
      case 'cut':
        this.out.push(cmd.cut(block.partial ? 'partial' : 'full', block.feed ?? 0));
        break;
      case 'drawer':
        this.out.push(cmd.drawerPulse(block.pin, block.onMs, block.offMs));
        break;
    }
    return this;
  }

  bytes(): Uint8Array {
    return this.out.bytes();
  }

  private line(text: string): void {
    this.scratch.length = 0;
    encodeText(text, this.profile, this.text, this.scratch);
    this.scratch.push(0x0a);
    this.out.push(this.scratch);
  }

  private setAlign(align: cmd.Align): void {
    if (align === this.align) return;
    this.out.push(cmd.align(align));
    this.align = align;
  }

  private setStyle(style: TextStyle | undefined): void {
    const mode = cmd.printMode({
      fontB: style?.font === 'B',
      bold: style?.bold,
      doubleHeight: style?.doubleHeight,
      doubleWidth: style?.doubleWidth,
      underline: style?.underline,
    });
    if (mode[2] !== this.mode) {
      this.out.push(mode);
      this.mode = mode[2]!;
    }
    const reverse = style?.reverse === true;
    if (reverse !== this.reversed) {
      this.out.push(cmd.reverse(reverse));
      this.reversed = reverse;
    }
  }
}

/** Encodes a whole document, starting with `ESC @` so no setting is inherited from the previous job. */
export function encodeDocument(doc: PrintDocument, profile: PrinterProfile): Uint8Array {
  return new EscPosEncoder(profile).document(doc).bytes();
}
