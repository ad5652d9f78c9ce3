import { describe, expect, it } from 'vitest';
import {
  encodeDocument,
  PROFILES,
  receiptLines,
  renderSvg,
  renderText,
  VirtualPrinter,
} from '../../../hardware/index';
import { EscPosFramer } from '../../../hardware/printer/virtual/framer';

const p58 = PROFILES['pos58-203'];

describe('the virtual printer decodes ESC/POS', () => {
  const bytes = encodeDocument(
    {
      blocks: [
        { type: 'text', text: '会员 Café ￥1.00', align: 'center', style: { bold: true, underline: true } },
        { type: 'qr', data: 'OP-1 会员' },
        { type: 'barcode', symbology: 'CODE128', data: 'A{1' },
        { type: 'cut' },
        { type: 'text', text: 'second' },
        { type: 'drawer', pin: 5 },
        { type: 'cut', partial: true },
      ],
    },
    p58,
  );

  it('into receipts with styled lines, QR payloads, barcodes, cuts and drawer pulses', () => {
    const printer = new VirtualPrinter();
    printer.receive(bytes);
    expect(printer.unknownBytes).toEqual([]);
    expect(printer.receipts).toHaveLength(2);
    const [first, second] = printer.receipts;
    expect(first!.cut).toBe('full');
    expect(first!.items[0]).toMatchObject({
      type: 'line',
      text: '会员 Café ￥1.00',
      align: 'center',
      spans: [{ style: { bold: true, underline: true } }],
    });
    expect(first!.items[1]).toMatchObject({ type: 'qr', data: 'OP-1 会员', moduleSize: 6, level: 'M' });
    expect(first!.items.find((item) => item.type === 'barcode')).toMatchObject({
      symbology: 'CODE128',
      data: 'A{1',
    });
    expect(receiptLines(second!)).toEqual(['second']);
    expect(second!.cut).toBe('partial');
    expect(printer.drawerPulses).toEqual([{ pin: 5, onMs: 50, offMs: 240 }]);
  });

  it('the same way when the bytes arrive one at a time', () => {
    const printer = new VirtualPrinter();
    for (const byte of bytes) printer.receive(Uint8Array.of(byte));
    const whole = new VirtualPrinter();
    whole.receive(bytes);
    expect(printer.receipts).toEqual(whole.receipts);
  });

  it('prints single-byte Latin as Hanzi when FS . is missing, as Chinese firmware does', () => {
    const printer = new VirtualPrinter();
    printer.receive(Uint8Array.of(0x1b, 0x40, 0x43, 0x61, 0x66, 0x82, 0x41, 0x0a));
    expect(receiptLines(printer.pending)[0]).not.toBe('CaféA');
    const fixed = new VirtualPrinter();
    fixed.receive(Uint8Array.of(0x1b, 0x40, 0x43, 0x61, 0x66, 0x1c, 0x2e, 0x82, 0x41, 0x0a));
    expect(receiptLines(fixed.pending)).toEqual(['CaféA']);
  });

  it('does not take image bytes for commands', () => {
    const framer = new EscPosFramer();
    const frames = framer.push(Uint8Array.of(0x1d, 0x76, 0x30, 0, 3, 0, 1, 0, 0x10, 0x04, 0x01, 0x0a));
    expect(frames.map((frame) => frame.kind)).toEqual(['command', 'lf']);
  });
});

describe('the virtual printer answers status', () => {
  function printerWithReplies(): { printer: VirtualPrinter; replies: number[] } {
    const printer = new VirtualPrinter();
    const replies: number[] = [];
    printer.onReply((bytes) => replies.push(...bytes));
    return { printer, replies };
  }

  it('answers DLE EOT 1–4 for a ready printer', () => {
    const { printer, replies } = printerWithReplies();
    printer.receive(Uint8Array.of(0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4));
    expect(replies).toEqual([0x12, 0x12, 0x12, 0x12]);
  });

  it('reports paper out and cover open, and sends ASB frames on change once GS a is on', () => {
    const { printer, replies } = printerWithReplies();
    printer.receive(Uint8Array.of(0x1d, 0x61, 0x0f));
    expect(replies).toEqual([0x10, 0x00, 0x00, 0x00]);
    replies.length = 0;
    printer.setCoverOpen(true);
    expect(replies).toEqual([0x38, 0x00, 0x00, 0x00]);
    replies.length = 0;
    printer.receive(Uint8Array.of(0x10, 0x04, 2));
    expect(replies).toEqual([0x16]);
    replies.length = 0;
    printer.setCoverOpen(false);
    printer.setPaperOut(true);
    expect(replies).toEqual([0x10, 0, 0, 0, 0x18, 0x00, 0x0f, 0x00]);
  });

  it('holds what it receives while stopped and prints it, in order, after recovery', () => {
    const { printer, replies } = printerWithReplies();
    printer.setPaperOut(true);
    printer.receive(encodeDocument({ blocks: [{ type: 'text', text: '一' }, { type: 'cut' }] }, p58));
    printer.receive(Uint8Array.of(0x10, 0x04, 4));
    expect(replies).toEqual([0x7e]);
    expect(printer.receipts).toHaveLength(0);
    expect(printer.heldFrames).toBeGreaterThan(0);
    printer.setPaperOut(false);
    expect(printer.receipts.map(receiptLines)).toEqual([['一']]);
  });
});

describe('rendering', () => {
  const printer = new VirtualPrinter();
  printer.receive(
    encodeDocument(
      {
        blocks: [
          { type: 'text', text: '收银 & <POS>', align: 'right' },
          { type: 'pair', left: '合计', right: '￥9.90' },
          { type: 'qr', data: 'X' },
          { type: 'cut' },
        ],
      },
      p58,
    ),
  );
  const receipt = printer.receipts[0]!;

  it('renders text with alignment at the profile width', () => {
    const lines = renderText(receipt, p58).split('\n');
    expect(lines[0]).toBe(`${' '.repeat(20)}收银 & <POS>`);
    expect(lines[1]).toBe(`合计${' '.repeat(22)}￥9.90`);
    expect(lines).toContain(`${' '.repeat(13)}[QR X]`);
  });

  it('renders an SVG of the paper width with escaped text and QR modules', () => {
    const svg = renderSvg(receipt, p58);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="384"')).toBe(true);
    expect(svg).toContain('收银 &amp; &lt;POS&gt;');
    expect(svg).toMatch(/<path d="(M\d+ \d+h6v6h-6z)+"\/>/);
  });
});
