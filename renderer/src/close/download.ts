/**
 * Files the manager takes away: a CSV built on the screen from a table, or the bytes of an export the host
 * wrote. Either way the browser saves it as a download; nothing is kept on the terminal.
 */
import { formatFen } from '../../../common/money';

/** One CSV field: quoted when it holds a comma, quote or line break; formula-looking text defused. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A table as CSV in UTF-8 with a byte-order mark, so spreadsheets read the Chinese headers. */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>,
): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export function download(fileName: string, mimeType: string, content: BlobPart): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The click has handed the blob to the browser's download; the URL can go once it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(
  fileName: string,
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>,
): void {
  download(fileName, 'text/csv;charset=utf-8', toCsv(header, rows));
}

export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Fen as yuan with two decimals, no currency sign: what a spreadsheet column of amounts wants. */
export function yuan(fen: number): string {
  return formatFen(fen, { symbol: '', grouped: false });
}
