/** Receipt templates: typed receipt models in, printer documents (and ESC/POS bytes) out. */
import {
  encodeDocument,
  type PrintDocument,
  type PrinterProfile,
  renderText,
  VirtualPrinter,
} from '../../hardware/index';
import type { ReceiptContext, ReceiptModel } from './model';
import { receiptDocument } from './templates';

export * from './model';
export { formatFen, formatPoints } from './money';
export {
  balanceStatement,
  cardCloseReceipt,
  cardIssueReceipt,
  chargeReceipt,
  dayCloseReport,
  formatTime,
  receiptDocument,
  refundReceipt,
  shiftReport,
  topUpReceipt,
} from './templates';

/** The bytes to queue for a receipt on a given printer. */
export function receiptBytes(
  model: ReceiptModel,
  context: ReceiptContext,
  profile: PrinterProfile,
): Uint8Array {
  return encodeDocument(receiptDocument(model, context), profile);
}

/**
 * What a document (a receipt's `receiptDocument`, a test page) looks like on paper: its bytes go through the
 * virtual printer and its text renderer, so the preview cannot drift from the printout.
 */
export function documentPreview(document: PrintDocument, profile: PrinterProfile): string {
  const printer = new VirtualPrinter();
  printer.receive(encodeDocument(document, profile));
  return renderText(printer.receipts[0] ?? printer.pending, profile);
}
