/**
 * The receipt as it came out of the printer, shown once beside the operation it belongs to: its lines in the
 * printer's monospaced layout and its QR code drawn, so the cashier sees the paper the customer gets.
 */
import { useMemo } from 'react';
import { useT } from '../i18n/use-t';
import { receiptParts } from './parts';
import { QrCode } from './QrCode';

export function ReceiptPreview({
  text,
  testId,
  small = false,
}: {
  text: string;
  /** Kept per place (`receipt`, `activation-slip`, …) so a test can read the slip it means. */
  testId: string;
  small?: boolean;
}) {
  const t = useT();
  const parts = useMemo(() => receiptParts(text), [text]);
  return (
    <figure
      className={small ? 'receipt receipt-preview small' : 'receipt receipt-preview'}
      aria-label={t('result.receipt')}
      data-testid={testId}
    >
      {parts.map((part, index) =>
        part.kind === 'qr' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one receipt never move.
          <QrCode key={index} data={part.data} label={t('receipt.qr', { data: part.data })} />
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one receipt never move.
          <pre key={index}>{part.text}</pre>
        ),
      )}
    </figure>
  );
}
