/**
 * Receipts from operation to paper: the receipt templates make the document, the ESC/POS encoder makes the
 * bytes, the print queue (jobs kept in the ledger, so a crash or a paper-out loses none) sends them to the
 * printer, and queue events become `print.status`. The on-screen preview is the same bytes decoded by a
 * virtual printer, so what the cashier sees is what the paper says.
 */
import {
  EscPosPrinter,
  InProcessTransport,
  type PrinterProfile,
  type PrintJobStore,
  PrintQueue,
  profileById,
  renderText,
  VirtualPrinter,
} from '../../../hardware/index';
import type { PrintedReceipt } from '../../contract';
import { type ReceiptContext, type ReceiptModel, receiptBytes } from '../../receipts/index';
import type { DeviceHub } from '../hub';
import type { Logger } from '../logger';

export const SIMULATED_PRINTER = 'Simulated printer';
const PROFILE_ID = 'pos58-203';

export interface Printing {
  /** The receipt's bytes and the text a printer makes of them. */
  render(model: ReceiptModel, context: ReceiptContext): { bytes: Uint8Array; text: string };
  /** Queues a receipt; the job id makes a repeated request for the same receipt a no-op. */
  print(jobId: string, kind: string, bytes: Uint8Array): void;
  /** What the simulated printer has printed, newest first. */
  printed(limit: number): PrintedReceipt[];
  stop(): Promise<void>;
}

function profile(): PrinterProfile {
  const found = profileById(PROFILE_ID);
  if (found === undefined) throw new Error(`printer profile ${PROFILE_ID} is missing`);
  return found;
}

function decode(bytes: Uint8Array, printerProfile: PrinterProfile): string {
  const paper = new VirtualPrinter();
  paper.receive(bytes);
  return paper.receipts.map((receipt) => renderText(receipt, printerProfile)).join('\n');
}

export function startPrinting(options: {
  hub: DeviceHub;
  logger: Logger;
  store: PrintJobStore;
  newId: () => string;
  now?: () => number;
}): Printing {
  const { hub, logger } = options;
  const now = options.now ?? Date.now;
  const printerProfile = profile();
  const paper = new VirtualPrinter();
  const printedAt: number[] = [];
  const printer = new EscPosPrinter(new InProcessTransport(paper));
  const queue = new PrintQueue({
    store: options.store,
    printers: { [SIMULATED_PRINTER]: printer },
    newId: options.newId,
    now,
  });
  const stopListening = queue.on((event) => {
    switch (event.type) {
      case 'queued':
        hub.emit('print.status', { jobId: event.job.id, state: 'queued' });
        break;
      case 'written':
        hub.emit('print.status', { jobId: event.jobId, state: 'printing' });
        break;
      case 'done':
        while (printedAt.length < paper.receipts.length) printedAt.push(now());
        hub.emit('print.status', { jobId: event.jobId, state: 'printed' });
        break;
      case 'failed':
        logger.warn({ jobId: event.jobId, error: event.error }, 'receipt not printed');
        hub.emit('print.status', { jobId: event.jobId, state: 'failed', message: event.error });
        break;
      case 'paused':
        hub.emit('device.status', {
          device: event.printerId,
          kind: 'printer',
          state: 'error',
          detail: event.reason,
        });
        break;
      case 'resumed':
        hub.emit('device.status', { device: event.printerId, kind: 'printer', state: 'simulated' });
        break;
      case 'retry':
      case 'error':
        logger.warn({ event }, 'print queue trouble');
        break;
    }
  });
  queue.start();
  hub.emit('device.status', { device: SIMULATED_PRINTER, kind: 'printer', state: 'simulated' });

  return {
    render(model, context) {
      const bytes = receiptBytes(model, context, printerProfile);
      return { bytes, text: decode(bytes, printerProfile) };
    },
    print(jobId, kind, bytes) {
      try {
        queue.enqueue({ id: jobId, printerId: SIMULATED_PRINTER, kind, bytes });
      } catch (error) {
        // A receipt that cannot be queued never undoes the sale it belongs to.
        logger.error({ err: error, jobId }, 'receipt could not be queued');
        hub.emit('print.status', { jobId, state: 'failed', message: 'could not be queued' });
      }
    },
    printed(limit) {
      const out: PrintedReceipt[] = [];
      for (let index = paper.receipts.length - 1; index >= 0 && out.length < limit; index -= 1) {
        out.push({
          jobId: `paper-${index + 1}`,
          text: renderText(paper.receipts[index]!, printerProfile),
          at: printedAt[index] ?? now(),
        });
      }
      return out;
    },
    async stop() {
      stopListening();
      await queue.stop();
    },
  };
}
