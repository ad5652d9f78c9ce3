/**
 * A virtual ESC/POS printer: decodes what it receives into receipts, answers `DLE EOT` at once, sends
 * automatic status back when enabled, and can be told that its paper ran out or its cover is open.
 *
 * Like a real printer, it stops printing while the paper is out or the cover is open and keeps the bytes it
 * receives in its buffer; they print when the condition clears. Real-time status requests are answered
 * even while it is stopped.
 */
import iconv from 'iconv-lite';
import type { Align } from '../escpos/commands';
import { asbFrame, type PrinterCondition, readyCondition, realtimeReply } from '../status';
import { EscPosFramer, type Frame } from './framer';
import { type DrawerPulse, type LineStyle, plainStyle, type Receipt, type Span } from './model';

/** ESC t numbers this printer knows, with the iconv-lite name of each table. */
const TABLES: Record<number, string> = {
  0: 'cp437',
  2: 'cp850',
  16: 'windows1252',
  17: 'cp866',
  18: 'cp852',
  19: 'cp858',
};

export interface VirtualPrinterOptions {
  /** Chinese firmware powers on in GB double-byte mode, so single-byte Latin needs `FS .` first. */
  chineseAtPowerOn?: boolean;
}

type Listener<T> = (value: T) => void;

export class VirtualPrinter {
  readonly receipts: Receipt[] = [];
  readonly drawerPulses: DrawerPulse[] = [];
  /** Commands the printer did not understand, as their first byte; an encoder bug shows up here. */
  readonly unknownBytes: number[] = [];

  private readonly framer = new EscPosFramer();
  private readonly held: Frame[] = [];
  private readonly replyListeners = new Set<Listener<Uint8Array>>();
  private readonly condition: PrinterCondition = readyCondition();
  private readonly chineseAtPowerOn: boolean;

  private current: Receipt = { items: [], cut: null };
  private spans: Span[] = [];
  private style: LineStyle = plainStyle();
  private align: Align = 'left';
  private chinese: boolean;
  private table = 0;
  private asbMask = 0;
  private qrStore: Uint8Array | null = null;
  private qrModule = 3;
  private qrLevel: 'L' | 'M' | 'Q' | 'H' = 'L';
  private pendingLead = -1; // first byte of a split double-byte character
  private paperLeft: number | null = null;

  constructor(options: VirtualPrinterOptions = {}) {
    this.chineseAtPowerOn = options.chineseAtPowerOn ?? true;
    this.chinese = this.chineseAtPowerOn;
  }

  /** Bytes from the host. */
  receive(chunk: Uint8Array): void {
    for (const frame of this.framer.push(chunk)) {
      if (frame.kind === 'realtime') this.answerRealtime(frame.n);
      else if (this.stopped() || this.held.length > 0) this.held.push(frame);
      else this.execute(frame);
    }
  }

  /** Subscribes to bytes the printer sends back (status replies, ASB frames). */
  onReply(listener: Listener<Uint8Array>): () => void {
    this.replyListeners.add(listener);
    return () => this.replyListeners.delete(listener);
  }

  setPaperOut(out: boolean): void {
    this.change({ paperOut: out });
  }

  setPaperNearEnd(near: boolean): void {
    this.change({ paperNearEnd: near });
  }

  setCoverOpen(open: boolean): void {
    this.change({ coverOpen: open });
  }

  /**
   * Loads a roll that runs out after `lines` more printed lines (`null`: endless). The paper then ends in
   * the middle of whatever is printing, as on a real roll.
   */
  loadPaper(lines: number | null = null): void {
    this.paperLeft = lines;
    this.change({ paperOut: lines === 0 });
  }

  setCutterError(error: boolean): void {
    this.change({ cutterError: error });
  }

  /** The condition as status replies report it; offline whenever printing is stopped. */
  status(): PrinterCondition {
    return { ...this.condition, offline: this.stopped() || this.condition.cutterError };
  }

  /** The receipt still on the roll (not cut yet). */
  get pending(): Receipt {
    return this.current;
  }

  /** Frames received but waiting for the printer to recover. */
  get heldFrames(): number {
    return this.held.length;
  }

  private stopped(): boolean {
    return this.condition.paperOut || this.condition.coverOpen;
  }

  private change(patch: Partial<PrinterCondition>): void {
    const before = JSON.stringify(this.status());
    Object.assign(this.condition, patch);
    if (this.asbMask !== 0 && JSON.stringify(this.status()) !== before) this.sendAsb();
    while (!this.stopped() && this.held.length > 0) this.execute(this.held.shift()!);
  }

  /** Counts one printed line against the roll; at its end the printer stops. */
  private consumePaperLine(): void {
    if (this.paperLeft === null) return;
    this.paperLeft -= 1;
    if (this.paperLeft <= 0) {
      this.paperLeft = 0;
      this.change({ paperOut: true });
    }
  }

  private reply(bytes: number[]): void {
    const data = Uint8Array.from(bytes);
    for (const listener of this.replyListeners) listener(data);
  }

  private answerRealtime(n: number): void {
    if (n >= 1 && n <= 4) this.reply([realtimeReply(n as 1 | 2 | 3 | 4, this.status())]);
  }

  private sendAsb(): void {
    this.reply(asbFrame(this.status()));
  }

  private execute(frame: Frame): void {
    switch (frame.kind) {
      case 'text':
        this.text(frame.bytes);
        break;
      case 'lf':
        this.endLine();
        break;
      case 'command':
        this.command(frame.prefix, frame.code, frame.args, frame.data);
        break;
      case 'unknown':
        this.unknownBytes.push(frame.byte);
        break;
      case 'realtime':
        break;
    }
  }

  private text(bytes: Uint8Array): void {
    let decoded = '';
    let at = 0;
    if (this.pendingLead >= 0) {
      bytes = Uint8Array.from([this.pendingLead, ...bytes]);
      this.pendingLead = -1;
    }
    while (at < bytes.length) {
      const byte = bytes[at]!;
      if (byte < 0x80) {
        decoded += String.fromCharCode(byte);
        at += 1;
      } else if (!this.chinese) {
        decoded += iconv.decode(Buffer.from([byte]), TABLES[this.table] ?? 'cp437');
        at += 1;
      } else {
        // GB18030: two bytes, or four when the second byte is a digit 0x30–0x39.
        const second = bytes[at + 1];
        const length = second !== undefined && second >= 0x30 && second <= 0x39 ? 4 : 2;
        if (at + length > bytes.length) {
          if (length === 2) this.pendingLead = byte;
          else decoded += '\ufffd';
          break;
        }
        decoded += iconv.decode(Buffer.from(bytes.subarray(at, at + length)), 'gb18030');
        at += length;
      }
    }
    if (decoded === '') return;
    // Text that arrives in pieces (mode switches, chunk boundaries) joins the span of the same style.
    const last = this.spans.at(-1);
    if (last && sameStyle(last.style, this.style)) last.text += decoded;
    else this.spans.push({ text: decoded, style: { ...this.style } });
  }

  private endLine(): void {
    const text = this.spans.map((span) => span.text).join('');
    this.current.items.push({ type: 'line', text, align: this.align, spans: this.spans });
    this.spans = [];
    this.consumePaperLine();
  }

  private flushLine(): void {
    if (this.spans.length > 0) this.endLine();
  }

  private command(prefix: 'ESC' | 'GS' | 'FS', code: number, args: Uint8Array, data?: Uint8Array): void {
    const a0 = args[0] ?? 0;
    const key = `${prefix} ${String.fromCharCode(code)}`;
    switch (key) {
      case 'ESC @':
        this.flushLine();
        this.style = plainStyle();
        this.align = 'left';
        this.table = 0;
        this.chinese = this.chineseAtPowerOn;
        break;
      case 'ESC !':
        this.style = {
          ...this.style,
          font: a0 & 0x01 ? 'B' : 'A',
          bold: (a0 & 0x08) !== 0,
          doubleHeight: (a0 & 0x10) !== 0,
          doubleWidth: (a0 & 0x20) !== 0,
          underline: (a0 & 0x80) !== 0,
        };
        break;
      case 'ESC E':
        this.style = { ...this.style, bold: (a0 & 1) === 1 };
        break;
      case 'ESC -':
        this.style = { ...this.style, underline: a0 % 48 !== 0 };
        break;
      case 'ESC M':
        this.style = { ...this.style, font: a0 % 48 === 1 ? 'B' : 'A' };
        break;
      case 'GS !':
        this.style = { ...this.style, doubleWidth: a0 >> 4 > 0, doubleHeight: (a0 & 0x0f) > 0 };
        break;
      case 'GS B':
        this.style = { ...this.style, reverse: (a0 & 1) === 1 };
        break;
      case 'ESC a':
        this.align = (['left', 'center', 'right'] as const)[a0 % 48] ?? 'left';
        break;
      case 'ESC t':
        this.table = a0;
        break;
      case 'FS &':
        this.chinese = true;
        break;
      case 'FS .':
        this.chinese = false;
        break;
      case 'ESC d':
        this.flushLine();
        this.current.items.push({ type: 'feed', lines: a0 });
        break;
      case 'ESC p':
        this.drawerPulses.push({
          pin: a0 % 48 === 0 ? 2 : 5,
          onMs: (args[1] ?? 0) * 2,
          offMs: (args[2] ?? 0) * 2,
        });
        break;
      case 'GS V':
        this.flushLine();
        this.current.cut = a0 === 0 || a0 === 48 || a0 === 0x41 ? 'full' : 'partial';
        this.receipts.push(this.current);
        this.current = { items: [], cut: null };
        break;
      case 'GS a': {
        const wasOff = this.asbMask === 0;
        this.asbMask = a0;
        // A printer sends its first ASB frame as soon as ASB is enabled.
        if (wasOff && a0 !== 0) this.sendAsb();
        break;
      }
      case 'GS k':
        this.flushLine();
        this.barcode(a0, data ?? new Uint8Array(0));
        break;
      case 'GS (':
        if (args[0] === 0x6b && data) this.qr(data);
        break;
      case 'GS v':
        if (data) {
          this.flushLine();
          const width = ((args[2] ?? 0) + (args[3] ?? 0) * 256) * 8;
          const height = (args[4] ?? 0) + (args[5] ?? 0) * 256;
          this.current.items.push({ type: 'image', image: { width, height, data }, align: this.align });
        }
        break;
      default:
        // Settings without a visible effect in the model (line spacing, barcode size, code pages by ESC R).
        break;
    }
  }

  private barcode(m: number, data: Uint8Array): void {
    const symbology: Record<number, string> = {
      0: 'UPC-A',
      2: 'EAN13',
      3: 'EAN8',
      4: 'CODE39',
      67: 'EAN13',
      73: 'CODE128',
    };
    let text = Buffer.from(data).toString('latin1');
    if (m === 73) text = text.replace(/^\{[ABC]/, '').replace(/\{\{/g, '{');
    this.current.items.push({
      type: 'barcode',
      symbology: symbology[m] ?? `GS k ${m}`,
      data: text,
      align: this.align,
    });
  }

  /** GS ( k function data: cn (0x31 = QR) fn … */
  private qr(data: Uint8Array): void {
    if (data[0] !== 0x31) return;
    const fn = data[1];
    if (fn === 0x43) this.qrModule = data[2] ?? 3;
    else if (fn === 0x45) this.qrLevel = (['L', 'M', 'Q', 'H'] as const)[(data[2] ?? 0x30) - 0x30] ?? 'L';
    else if (fn === 0x50) this.qrStore = data.slice(3);
    else if (fn === 0x51 && this.qrStore) {
      this.flushLine();
      this.current.items.push({
        type: 'qr',
        data: iconv.decode(Buffer.from(this.qrStore), 'utf8'),
        moduleSize: this.qrModule,
        level: this.qrLevel,
        align: this.align,
      });
    }
  }
}

function sameStyle(a: LineStyle, b: LineStyle): boolean {
  return (
    a.bold === b.bold &&
    a.underline === b.underline &&
    a.doubleWidth === b.doubleWidth &&
    a.doubleHeight === b.doubleHeight &&
    a.reverse === b.reverse &&
    a.font === b.font
  );
}
