/** Receipt templates: typed receipt models in, printer documents (and ESC/POS bytes) out. */
import {
  encodeDocument,
  type PrintDocument,
  type PrinterProfile,
  renderSvg,
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

/** What a document looks like on paper: its bytes through the virtual printer and its text renderer. */
export function documentPreview(document: PrintDocument, profile: PrinterProfile): string {
  const printer = new VirtualPrinter();
  printer.receive(encodeDocument(document, profile));
  return renderText(printer.receipts[0] ?? printer.pending, profile);
}

/**
 * A preview of a receipt as it will come out of the printer: the bytes go through the virtual printer and
 * its renderer, the same path the training screen uses, so the preview cannot drift from the printout.
 */
export function receiptPreview(
  model: ReceiptModel,
  context: ReceiptContext,
  profile: PrinterProfile,
): { text: string; svg: string } {
  const printer = new VirtualPrinter();
  printer.receive(receiptBytes(model, context, profile));
  const receipt = printer.receipts[0] ?? printer.pending;
  return { text: renderText(receipt, profile), svg: renderSvg(receipt, profile) };
}
