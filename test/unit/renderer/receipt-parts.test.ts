/**
 * The receipt preview draws what the printer printed: the receipt's text as the host decodes it from the
 * printer's bytes, its QR code found where the paper has it, with the payload it encodes.
 */
import { describe, expect, it } from 'vitest';
import { documentPreview, receiptDocument } from '../../../electron/receipts/index';
import { profileById } from '../../../hardware/index';
import { receiptParts, receiptTitle } from '../../../renderer/src/receipt/parts';

const operationId = '01JD7ZK3Q8N2TOPUP0000000001';

/** A top-up receipt through the real template, encoder, virtual printer and text renderer. */
function printedText(profileId: string): string {
  return documentPreview(
    receiptDocument(
      {
        kind: 'topup',
        operationId,
        member: { maskedCard: '8800 **** 0001', maskedName: '陈*' },
        amount: 10_000,
        bonus: 2_000,
        tender: 'cash',
        balanceAfter: { principal: 60_000, bonus: 12_000, points: 600 },
      },
      {
        storeName: '街角咖啡',
        terminalId: 'terminal-demo-1',
        cashier: '王小明',
        at: Date.UTC(2026, 0, 5, 4),
      },
    ),
    profileById(profileId)!,
  );
}

describe('receiptParts', () => {
  it.each(['pos80-203', 'pos58-203'])(
    'finds the QR code of a %s receipt, with the operation id',
    (profile) => {
      const text = printedText(profile);
      const parts = receiptParts(text);
      expect(parts.filter((part) => part.kind === 'qr')).toEqual([{ kind: 'qr', data: operationId }]);
      const shown = parts.flatMap((part) => (part.kind === 'text' ? [part.text] : []));
      expect(shown.join('\n')).not.toContain('[QR');
      // Every other line is kept, in order, exactly as printed.
      expect(shown.join('\n')).toBe(
        text
          .split('\n')
          .filter((line) => !line.includes(`[QR ${operationId}]`))
          .join('\n'),
      );
      expect(parts[0]?.kind).toBe('text');
    },
  );

  it('keeps a line that only mentions a QR code as text', () => {
    expect(receiptParts('扫码 [QR x] 查询')).toEqual([{ kind: 'text', text: '扫码 [QR x] 查询' }]);
  });

  it('names a receipt by the title under the store name', () => {
    expect(receiptTitle(printedText('pos80-203'))).toBe('充值凭证');
  });
});
