/** Receipt templates: typed receipt models in, printer documents (and ESC/POS bytes) out. */
import { encodeDocument, type PrinterProfile } from '../../hardware/index';
import type { ReceiptContext, ReceiptModel } from './model';
import { receiptDocument } from './templates';

export * from './model';
export { formatFen, formatPoints } from './money';
export {
  balanceStatement,
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
