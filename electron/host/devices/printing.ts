/**
 * Receipts from operation to paper: the receipt templates make the document, the ESC/POS encoder makes the
 * bytes, the print queue (jobs kept in the ledger, so a crash or a paper-out loses none) sends them to the
 * printer, and queue events become `print.status`. The on-screen preview is the same bytes decoded by a
 * virtual printer, so what the cashier sees is what the paper says.
 *
 * Receipts go to the receipt printer the technician paired (serial, usblp or TCP, with its profile); with
 * none paired they go to the simulated printer, whose paper the simulator panel shows. The paired printer is
 * connected as soon as it is set, asked again every few seconds while it is away (a re-plugged USB-serial
 * cable or a printer switched back on comes back by itself), and its state is reported as `device.status`.
 */
import {
  DeviceFileTransport,
  EscPosPrinter,
  encodeDocument,
  InProcessTransport,
  type PrintDocument,
  type PrinterProblem,
  type PrinterProfile,
  type PrinterStatus,
  type PrinterTransport,
  type PrintJobStore,
  PrintQueue,
  problemOf,
  profileById,
  type QueueEvent,
  renderText,
  SerialTransport,
  TcpTransport,
  VirtualPrinter,
} from '../../../hardware/index';
import type { PrintedReceipt, PrinterPairing } from '../../contract';
import { ApiError } from '../../errors';
import { type ReceiptContext, type ReceiptModel, receiptBytes } from '../../receipts/index';
import type { DeviceHub } from '../hub';
import type { Logger } from '../logger';

export const SIMULATED_PRINTER = 'Simulated printer';
/** The paired printer's lane in the print queue; fixed, so jobs left before a restart find it again. */
export const RECEIPT_PRINTER = 'Receipt printer';
const DEFAULT_PROFILE_ID = 'pos58-203';
const RECONNECT_MS = 3_000;

export interface Printing {
  /** The receipt's bytes (for the printer in use) and the text a printer makes of them. */
  render(model: ReceiptModel, context: ReceiptContext): { bytes: Uint8Array; text: string };
  /**
   * Queues a receipt and says where it stands: queued, or held when the printer in use cannot print now
   * (the receipt then waits for the printer, and the cashier can print it again instead). The job id makes a
   * repeated request for the same receipt a no-op.
   */
  print(jobId: string, kind: string, bytes: Uint8Array): ReceiptPrintState;
  /**
   * Prints a receipt again as a new job. An earlier copy still waiting for the printer is withdrawn first,
   * so a customer whose receipt did not print gets exactly one, whenever the printer is back.
   */
  reprint(jobId: string, kind: string, bytes: Uint8Array, supersedes: readonly string[]): ReceiptPrintState;
  /** Where a receipt stands now (undefined: never queued). */
  receiptState(jobId: string): ReceiptPrintState | undefined;
  /** What the simulated printer has printed, newest first. */
  printed(limit: number): PrintedReceipt[];
  /** Uses this printer for receipts from now on (null: the simulated printer again). */
  setPrinter(pairing: PrinterPairing | null): Promise<void>;
  /** The printer receipts go to now, and how it is. */
  current(): { printer: string; paired: boolean; description: string; state: PrinterState };
  /** Queues a document on the printer in use and resolves when it is out (or fails with the reason). */
  printDocument(jobId: string, kind: string, document: PrintDocument, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export type PrinterState = { state: 'connected' | 'disconnected' | 'error' | 'simulated'; detail?: string };

/** How the printer in use is reached; the advice for a printer that does not answer depends on it. */
export type PrinterLink = PrinterPairing['transport']['kind'] | 'simulated';

/** Why a receipt is not on paper, as an error code the screens have words for (PRINTER_PAPER_OUT, …). */
export type PrintProblemCode =
  | 'PRINTER_DISCONNECTED'
  | 'PRINTER_COVER_OPEN'
  | 'PRINTER_PAPER_OUT'
  | 'PRINTER_CUTTER_JAMMED'
  | 'PRINTER_FAULT'
  | 'PRINTER_OFFLINE';

const PROBLEM_CODES: Record<PrinterProblem, PrintProblemCode> = {
  DISCONNECTED: 'PRINTER_DISCONNECTED',
  COVER_OPEN: 'PRINTER_COVER_OPEN',
  PAPER_OUT: 'PRINTER_PAPER_OUT',
  CUTTER_ERROR: 'PRINTER_CUTTER_JAMMED',
  PRINTER_ERROR: 'PRINTER_FAULT',
  OFFLINE: 'PRINTER_OFFLINE',
};

/** The code for a printer state that keeps paper from coming out; null when the printer can print. */
export function problemCodeOf(state: PrinterState): PrintProblemCode | null {
  if (state.state === 'connected' || state.state === 'simulated') return null;
  // A printer just paired has not been tried yet: not a problem until the first attempt says so.
  if (state.state === 'disconnected' && state.detail === undefined) return null;
  const detail = state.detail as PrinterProblem | undefined;
  if (detail !== undefined && detail in PROBLEM_CODES) return PROBLEM_CODES[detail];
  return 'PRINTER_DISCONNECTED';
}

/** The refusal for a page the printer cannot print now, with how it is reached so the advice fits. */
export function printerProblem(code: PrintProblemCode, link: PrinterLink, printer: string): ApiError {
  return new ApiError(code, `The receipt printer (${printer}) cannot print: ${code}`, {
    details: { link, printer },
  });
}

/** Where a receipt is: on its way, on paper, held by a printer problem, or given up. */
export interface ReceiptPrintState {
  jobId: string;
  state: 'queued' | 'printing' | 'printed' | 'held' | 'failed';
  /** For held and failed: why, as a code the screens have words for. */
  code?: PrintProblemCode | 'PRINT_FAILED';
  /** How the printer is reached, so the advice fits (address and cable, USB cable, serial port). */
  link?: PrinterLink;
}

function profileOf(id: string): PrinterProfile {
  const found = profileById(id);
  if (found === undefined) throw new Error(`printer profile ${id} is missing`);
  return found;
}

function decode(bytes: Uint8Array, printerProfile: PrinterProfile): string {
  const paper = new VirtualPrinter();
  paper.receive(bytes);
  return paper.receipts.map((receipt) => renderText(receipt, printerProfile)).join('\n');
}

export function transportFor(pairing: PrinterPairing): PrinterTransport {
  const { transport } = pairing;
  switch (transport.kind) {
    case 'serial':
      return new SerialTransport({ path: transport.path, baudRate: transport.baudRate });
    case 'usblp':
      return new DeviceFileTransport(transport.path);
    case 'tcp':
      return new TcpTransport({ host: transport.host, port: transport.port });
  }
}

function stateOf(status: PrinterStatus): PrinterState {
  if (!status.known) {
    if (status.reason === 'NO_READ_BACK') return { state: 'connected', detail: 'NO_STATUS' };
    if (status.reason === 'NO_REPLY') return { state: 'error', detail: 'NO_REPLY' };
    return { state: 'disconnected', detail: 'DISCONNECTED' };
  }
  const problem = problemOf(status);
  return problem === null ? { state: 'connected' } : { state: 'error', detail: problem };
}

interface Paired {
  pairing: PrinterPairing;
  printer: EscPosPrinter;
  profile: PrinterProfile;
  state: PrinterState;
  timer: ReturnType<typeof setInterval>;
  offStatus: () => void;
}

export function startPrinting(options: {
  hub: DeviceHub;
  logger: Logger;
  store: PrintJobStore;
  newId: () => string;
  now?: () => number;
  /** Printed at the foot of every receipt, so a receipt says which release made it. */
  version?: string;
  /** The printer paired to this terminal, used from the first receipt on. */
  printer?: PrinterPairing | null;
  /** A practice book's mark, printed on every receipt it renders. */
  practice?: 'demo' | 'training';
}): Printing {
  const { hub, logger } = options;
  const now = options.now ?? Date.now;
  const simulatedProfile = profileOf(DEFAULT_PROFILE_ID);
  const paper = new VirtualPrinter();
  const printedAt: number[] = [];
  const simulated = new EscPosPrinter(new InProcessTransport(paper));
  let paired: Paired | null = null;
  const waiting = new Map<string, { resolve: (printer: string) => void; reject: (error: Error) => void }>();

  const emitPrinter = () => {
    if (paired === null) {
      hub.emit('device.status', { device: SIMULATED_PRINTER, kind: 'printer', state: 'simulated' });
      return;
    }
    const { state, detail } = paired.state;
    hub.emit('device.status', {
      device: RECEIPT_PRINTER,
      kind: 'printer',
      state,
      ...(detail === undefined ? {} : { detail }),
    });
  };

  const onQueue = (event: QueueEvent) => {
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
        waiting.get(event.jobId)?.resolve(event.printerId);
        break;
      case 'failed':
        logger.warn({ jobId: event.jobId, error: event.error }, 'receipt not printed');
        hub.emit('print.status', {
          jobId: event.jobId,
          state: 'failed',
          code: 'PRINT_FAILED',
          message: event.error,
        });
        waiting.get(event.jobId)?.reject(new ApiError('PRINT_FAILED', event.error));
        break;
      case 'paused':
        if (event.printerId === RECEIPT_PRINTER && paired !== null) {
          paired.state = { state: 'error', detail: event.reason };
        }
        hub.emit('device.status', {
          device: event.printerId,
          kind: 'printer',
          state: 'error',
          detail: event.reason,
        });
        announceHeld(event.printerId, PROBLEM_CODES[event.reason]);
        break;
      case 'resumed':
        if (event.printerId === RECEIPT_PRINTER && paired !== null) paired.state = { state: 'connected' };
        if (event.printerId === SIMULATED_PRINTER || paired !== null) emitPrinter();
        break;
      case 'retry':
        logger.warn({ event }, 'receipt held until the printer is back');
        if (paired !== null && event.printerId === RECEIPT_PRINTER) {
          paired.state = { state: 'disconnected', detail: 'DISCONNECTED' };
          emitPrinter();
        }
        announceHeld(event.printerId, 'PRINTER_DISCONNECTED');
        break;
      case 'error':
        logger.warn({ event }, 'print queue trouble');
        break;
    }
  };

  const newQueue = () => {
    const printers: Record<string, EscPosPrinter> = { [SIMULATED_PRINTER]: simulated };
    if (paired !== null) printers[RECEIPT_PRINTER] = paired.printer;
    const created = new PrintQueue({ store: options.store, printers, newId: options.newId, now });
    created.on(onQueue);
    created.start();
    return created;
  };

  const connectPaired = (entry: Paired) => {
    if (entry.printer.connected) return;
    entry.printer.connect().then(
      () => {
        if (paired !== entry) return;
        entry.state = stateOf(entry.printer.cachedStatus);
        emitPrinter();
      },
      (error: unknown) => {
        if (paired !== entry) return;
        const detail =
          error instanceof Error ? ((error as { code?: string }).code ?? error.message) : 'OPEN_FAILED';
        if (entry.state.state !== 'disconnected' || entry.state.detail !== detail) {
          entry.state = { state: 'disconnected', detail };
          emitPrinter();
        }
      },
    );
  };

  const dropPaired = async () => {
    const old = paired;
    paired = null;
    if (old === null) return;
    clearInterval(old.timer);
    old.offStatus();
    await old.printer.close().catch(() => undefined);
    hub.emit('device.status', {
      device: RECEIPT_PRINTER,
      kind: 'printer',
      state: 'disconnected',
      detail: 'unpaired',
    });
  };

  const pairPrinter = (pairing: PrinterPairing) => {
    const printer = new EscPosPrinter(transportFor(pairing));
    const entry: Paired = {
      pairing,
      printer,
      profile: profileOf(pairing.profileId),
      state: { state: 'disconnected' },
      timer: setInterval(() => connectPaired(entry), RECONNECT_MS),
      offStatus: printer.onStatus((status) => {
        if (paired !== entry) return;
        entry.state = stateOf(status);
        emitPrinter();
      }),
    };
    entry.timer.unref?.();
    paired = entry;
    connectPaired(entry);
  };

  const link = (): PrinterLink => (paired === null ? 'simulated' : paired.pairing.transport.kind);

  /** Why the paired printer's lane cannot print now: the queue's pause reason, else the printer's state. */
  const heldCode = (printerId: string): PrintProblemCode | null => {
    if (printerId !== RECEIPT_PRINTER || paired === null) return null;
    const { reason } = queue.state(printerId);
    return reason === null ? problemCodeOf(paired.state) : PROBLEM_CODES[reason];
  };

  /** Tells the screens that every receipt waiting on the paired printer is held, and why. */
  const announceHeld = (printerId: string, code: PrintProblemCode) => {
    if (printerId !== RECEIPT_PRINTER || paired === null) return;
    for (const job of options.store.list({ printerId, states: ['queued', 'printing'], limit: 50 })) {
      hub.emit('print.status', { jobId: job.id, state: 'held', code, link: link() });
      // A test page or a drawer kick is wanted now or not at all: it is withdrawn and its caller told.
      const waiter = waiting.get(job.id);
      if (waiter !== undefined && job.state === 'queued') {
        options.store.setState(job.id, 'failed', code, now());
        waiter.reject(printerProblem(code, link(), paired.printer.transport.description));
      }
    }
  };

  const inUse = () =>
    paired === null
      ? { id: SIMULATED_PRINTER, profile: simulatedProfile }
      : { id: RECEIPT_PRINTER, profile: paired.profile };

  if (options.printer) pairPrinter(options.printer);
  let queue = newQueue();
  emitPrinter();

  return {
    render(model, context) {
      const { profile } = inUse();
      const footer = [...(context.footer ?? [])];
      if (options.version !== undefined) footer.push(`会员卡收银 v${options.version}`);
      const practice = options.practice === undefined ? {} : { practice: options.practice };
      const bytes = receiptBytes(model, { ...context, ...practice, footer }, profile);
      return { bytes, text: decode(bytes, profile) };
    },
    print(jobId, kind, bytes) {
      try {
        queue.enqueue({ id: jobId, printerId: inUse().id, kind, bytes });
      } catch (error) {
        // A receipt that cannot be queued never undoes the sale it belongs to.
        logger.error({ err: error, jobId }, 'receipt could not be queued');
        hub.emit('print.status', {
          jobId,
          state: 'failed',
          code: 'PRINT_FAILED',
          message: 'could not be queued',
        });
        return { jobId, state: 'failed', code: 'PRINT_FAILED', link: link() };
      }
      const state = this.receiptState(jobId) ?? { jobId, state: 'queued', link: link() };
      // Said as an event too, after 'queued', so a screen following the events ends on the same state.
      if (state.state === 'held') hub.emit('print.status', state);
      return state;
    },
    reprint(jobId, kind, bytes, supersedes) {
      for (const earlier of supersedes) {
        const job = options.store.get(earlier);
        // A copy being written now is left alone: withdrawing it could cut it off half-way.
        if (job?.state === 'queued') {
          options.store.setState(earlier, 'failed', 'superseded by a reprint', now());
          hub.emit('print.status', { jobId: earlier, state: 'failed', code: 'PRINT_SUPERSEDED' });
        }
      }
      return this.print(jobId, kind, bytes);
    },
    receiptState(jobId) {
      const job = options.store.get(jobId);
      if (job === undefined) return undefined;
      if (job.state === 'done') return { jobId, state: 'printed', link: link() };
      if (job.state === 'failed') return { jobId, state: 'failed', code: 'PRINT_FAILED', link: link() };
      const problem = heldCode(job.printerId);
      if (problem !== null) return { jobId, state: 'held', code: problem, link: link() };
      return { jobId, state: job.state === 'printing' ? 'printing' : 'queued', link: link() };
    },
    printed(limit) {
      const out: PrintedReceipt[] = [];
      for (let index = paper.receipts.length - 1; index >= 0 && out.length < limit; index -= 1) {
        out.push({
          jobId: `paper-${index + 1}`,
          text: renderText(paper.receipts[index]!, simulatedProfile),
          at: printedAt[index] ?? now(),
        });
      }
      return out;
    },
    async setPrinter(pairing) {
      await queue.stop();
      await dropPaired();
      if (pairing !== null) pairPrinter(pairing);
      emitPrinter();
      queue = newQueue();
    },
    current() {
      if (paired === null) {
        return {
          printer: SIMULATED_PRINTER,
          paired: false,
          description: 'virtual printer',
          state: { state: 'simulated' },
        };
      }
      return {
        printer: RECEIPT_PRINTER,
        paired: true,
        description: paired.printer.transport.description,
        state: paired.state,
      };
    },
    printDocument(jobId, kind, document, timeoutMs = 12_000) {
      const { id, profile } = inUse();
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(jobId);
          reject(
            new ApiError('PRINT_TIMEOUT', 'The printer did not finish the page in time', {
              details: { jobId },
            }),
          );
        }, timeoutMs);
        const settle = () => {
          clearTimeout(timer);
          waiting.delete(jobId);
        };
        waiting.set(jobId, {
          resolve: (printer) => {
            settle();
            resolve(printer);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        });
        try {
          queue.enqueue({ id: jobId, printerId: id, kind, bytes: encodeDocument(document, profile) });
        } catch (error) {
          settle();
          reject(error);
          return;
        }
        // A printer already known to be away or out of paper is said at once, not after the timeout.
        const { reason } = queue.state(id);
        if (reason !== null) announceHeld(id, PROBLEM_CODES[reason]);
      });
    },
    async stop() {
      for (const { reject } of waiting.values())
        reject(new ApiError('HOST_STOPPING', 'The terminal is stopping'));
      await queue.stop();
      await dropPaired();
    },
  };
}
