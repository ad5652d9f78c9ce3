/**
 * A receipt's text as the printer printed it, split into what the preview draws: runs of text lines, and the
 * QR codes. The host decodes the printer's own bytes into this text, where a QR code stands as one line,
 * `[QR <payload>]`, placed as it is on paper; the payload is what the code encodes (the operation id).
 */
export type ReceiptPart = { kind: 'text'; text: string } | { kind: 'qr'; data: string };

const QR_LINE = /^\s*\[QR (.+)\]\s*$/;

export function receiptParts(text: string): ReceiptPart[] {
  const parts: ReceiptPart[] = [];
  let run: string[] = [];
  const endRun = () => {
    if (run.length > 0) parts.push({ kind: 'text', text: run.join('\n') });
    run = [];
  };
  for (const line of text.split('\n')) {
    const qr = QR_LINE.exec(line);
    if (qr?.[1] === undefined) {
      run.push(line);
      continue;
    }
    endRun();
    parts.push({ kind: 'qr', data: qr[1] });
  }
  endRun();
  return parts;
}

/** The receipt's title (充值凭证, 日结报表…): the line under the store's name, graphics skipped. */
export function receiptTitle(text: string): string {
  const words = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('['));
  return words[1] ?? words[0] ?? '';
}
