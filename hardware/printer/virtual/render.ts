/**
 * Renders virtual-printer receipts for people: as monospaced text (logs, tests, a terminal) and as an SVG
 * image of the paper (the receipt preview and the training screen).
 */
import QRCode from 'qrcode';
import { textColumns } from '../escpos/text';
import type { PrinterProfile } from '../profiles';
import { pixel } from '../raster';
import type { Receipt, ReceiptItem } from './model';

function placeText(text: string, width: number, align: 'left' | 'center' | 'right', columns: number): string {
  const missing = width - columns;
  if (missing <= 0 || align === 'left') return text;
  return ' '.repeat(align === 'center' ? Math.floor(missing / 2) : missing) + text;
}

/** Text as it would look on paper, one string per printed line; styles are not shown. */
export function renderText(receipt: Receipt, profile: PrinterProfile): string {
  const width = profile.columnsFontA;
  const out: string[] = [];
  for (const item of receipt.items) {
    switch (item.type) {
      case 'line': {
        // Double-width text takes twice its columns on paper; the text is shown once, placed by that width.
        const columns = item.spans.reduce(
          (sum, span) => sum + textColumns(span.text, profile) * (span.style.doubleWidth ? 2 : 1),
          0,
        );
        out.push(placeText(item.text, width, item.align, columns).trimEnd());
        break;
      }
      case 'qr':
      case 'barcode':
      case 'image': {
        const label = describe(item);
        out.push(placeText(label, width, item.align, textColumns(label, profile)));
        break;
      }
      case 'feed':
        for (let i = 0; i < item.lines; i += 1) out.push('');
        break;
    }
  }
  if (receipt.cut) out.push(receipt.cut === 'full' ? '='.repeat(width) : '- '.repeat(width / 2).trimEnd());
  return out.join('\n');
}

function describe(item: ReceiptItem): string {
  if (item.type === 'qr') return `[QR ${item.data}]`;
  if (item.type === 'barcode') return `[${item.symbology} ${item.data}]`;
  if (item.type === 'image') return `[image ${item.image.width}x${item.image.height}]`;
  return '';
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);

/**
 * SVG of the paper at one unit per printer dot: Font A cells are 12×24 dots, Hanzi 24×24, as on the printer.
 */
export function renderSvg(receipt: Receipt, profile: PrinterProfile): string {
  const paper = profile.dots;
  const cell = 12;
  const lineHeight = 30;
  const parts: string[] = [];
  let y = 8;
  const xFor = (align: 'left' | 'center' | 'right', width: number): number =>
    align === 'left' ? 0 : align === 'center' ? Math.floor((paper - width) / 2) : paper - width;
  for (const item of receipt.items) {
    switch (item.type) {
      case 'line': {
        const tall = item.spans.some((span) => span.style.doubleHeight);
        const height = tall ? lineHeight * 2 : lineHeight;
        let width = 0;
        for (const span of item.spans)
          width += textColumns(span.text, profile) * cell * (span.style.doubleWidth ? 2 : 1);
        let x = xFor(item.align, width);
        for (const span of item.spans) {
          const spanWidth = textColumns(span.text, profile) * cell * (span.style.doubleWidth ? 2 : 1);
          const scaleX = span.style.doubleWidth ? 2 : 1;
          const scaleY = span.style.doubleHeight ? 2 : 1;
          if (span.style.reverse)
            parts.push(`<rect x="${x}" y="${y}" width="${spanWidth}" height="${height}"/>`);
          parts.push(
            `<text transform="translate(${x} ${y + 24 * scaleY}) scale(${scaleX} ${scaleY})"` +
              ` textLength="${spanWidth / scaleX}" lengthAdjust="spacingAndGlyphs"` +
              `${span.style.bold ? ' font-weight="bold"' : ''}${span.style.underline ? ' text-decoration="underline"' : ''}` +
              `${span.style.reverse ? ' fill="#fff"' : ''}>${escapeXml(span.text)}</text>`,
          );
          x += spanWidth;
        }
        y += height;
        break;
      }
      case 'qr': {
        const modules = QRCode.create(item.data, { errorCorrectionLevel: item.level }).modules;
        const size = modules.size * item.moduleSize;
        const x0 = xFor(item.align, size);
        const cells: string[] = [];
        for (let row = 0; row < modules.size; row += 1) {
          for (let col = 0; col < modules.size; col += 1) {
            if (modules.get(row, col))
              cells.push(
                `M${x0 + col * item.moduleSize} ${y + row * item.moduleSize}h${item.moduleSize}v${item.moduleSize}h-${item.moduleSize}z`,
              );
          }
        }
        parts.push(`<path d="${cells.join('')}"/>`);
        y += size + 8;
        break;
      }
      case 'image': {
        const { image } = item;
        const x0 = xFor(item.align, image.width);
        const runs: string[] = [];
        for (let row = 0; row < image.height; row += 1) {
          let col = 0;
          while (col < image.width) {
            if (!pixel(image, col, row)) {
              col += 1;
              continue;
            }
            const start = col;
            while (col < image.width && pixel(image, col, row)) col += 1;
            runs.push(`M${x0 + start} ${y + row}h${col - start}v1h-${col - start}z`);
          }
        }
        parts.push(`<path d="${runs.join('')}"/>`);
        y += image.height;
        break;
      }
      case 'barcode': {
        const label = describe(item);
        parts.push(`<text x="${paper / 2}" y="${y + 24}" text-anchor="middle">${escapeXml(label)}</text>`);
        y += lineHeight;
        break;
      }
      case 'feed':
        y += item.lines * lineHeight;
        break;
    }
  }
  if (receipt.cut)
    parts.push(
      `<line x1="0" y1="${y + 8}" x2="${paper}" y2="${y + 8}" stroke="#000" stroke-dasharray="6 4"/>`,
    );
  const height = y + 16;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${paper}" height="${height}" viewBox="0 0 ${paper} ${height}"` +
    ` font-family="'WenQuanYi Micro Hei Mono', 'WenQuanYi Micro Hei', monospace" font-size="24">` +
    `<rect width="${paper}" height="${height}" fill="#fff"/>${parts.join('')}</svg>`
  );
}
