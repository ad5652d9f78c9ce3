/**
 * The print queue: jobs persist in a store, print one at a time per printer, pause with a reason the cashier
 * can act on (paper out, cover open, disconnected) and resume by themselves when the printer recovers.
 *
 * `enqueue` only records the job and returns; printing happens afterwards, so a printer problem never holds
 * up or undoes the operation that produced the receipt.
 *
 * Delivery rule. A job is marked done only when the printer has answered a status request sent after the
 * job's last byte: the printer handles the stream in order, so that reply proves it holds the whole job
 * (if the paper runs out half-way, the printer keeps the rest and prints it once paper is loaded, so the
 * job is not sent again). When the write fails or the reply never comes, the job goes back to 'queued' and
 * is sent again in full once the printer is back. A job found in 'printing' after a restart was cut off by
 * the crash and is also sent again in full. In both cases the most the paper can show twice is the uncut
 * fragment of the interrupted attempt; the complete, cut receipt is printed once. Transports that cannot
 * read back (usblp) mark a job done when the kernel has taken every byte.
 */
import { DeviceError } from '../errors';
import type { NewPrintJob, PrintJobRecord, PrintJobStore } from './job-store';
import type { EscPosPrinter } from './printer';
import { type PrinterProblem, type PrinterStatus, problemOf } from './status';

export type QueueEvent =
  | { type: 'queued'; job: PrintJobRecord }
  | { type: 'written'; jobId: string; printerId: string; at: number }
  | { type: 'done'; jobId: string; printerId: string }
  | { type: 'retry'; jobId: string; printerId: string; error: string }
  | { type: 'failed'; jobId: string; printerId: string; error: string }
  | { type: 'paused'; printerId: string; reason: PrinterProblem }
  /** The job store failed (e.g. the database is closed); the lane stops until the next enqueue or start. */
  | { type: 'error'; printerId: string; error: string }
  | { type: 'resumed'; printerId: string };

export interface QueueOptions {
  store: PrintJobStore;
  printers: Record<string, EscPosPrinter>;
  newId: () => string;
  now?: () => number;
  /** How often a paused printer is asked again when it sends no status by itself. */
  retryDelayMs?: number;
  /** Printing attempts after which a job is given up as failed (it can still be reprinted). */
  maxAttempts?: number;
  /**
   * How long to wait for the status reply that confirms a job. It queues behind the job's bytes, and a busy
   * printer with a full receive buffer reads them only as fast as it prints, so this is generous: giving up
   * too early would print the receipt twice.
   */
  confirmTimeoutMs?: number;
}

export interface PrinterQueueState {
  paused: boolean;
  reason: PrinterProblem | null;
  /** Jobs not yet printed. */
  waiting: number;
}

interface Lane {
  printerId: string;
  printer: EscPosPrinter;
  running: Promise<void> | null;
  busy: boolean;
  again: boolean;
  reason: PrinterProblem | null;
  wake: (() => void) | null;
  /** Length of a job whose write was cut off; the printer may still be inside one of its commands. */
  interruptedBytes: number;
}

export class PrintQueue {
  private readonly store: PrintJobStore;
  private readonly lanes = new Map<string, Lane>();
  private readonly listeners = new Set<(event: QueueEvent) => void>();
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly retryDelayMs: number;
  private readonly maxAttempts: number;
  private readonly confirmTimeoutMs: number;
  private stopped = false;

  constructor(options: QueueOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.newId = options.newId;
    this.retryDelayMs = options.retryDelayMs ?? 2000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 15_000;
    for (const [printerId, printer] of Object.entries(options.printers)) {
      const lane: Lane = {
        printerId,
        printer,
        running: null,
        busy: false,
        again: false,
        reason: null,
        wake: null,
        interruptedBytes: 0,
      };
      printer.onStatus((status) => this.onPrinterStatus(lane, status));
      this.lanes.set(printerId, lane);
    }
  }

  on(listener: (event: QueueEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Picks up jobs left from before a restart. */
  start(): void {
    this.stopped = false;
    for (const lane of this.lanes.values()) this.kick(lane);
  }

  /** Records a job and returns at once; printing follows in the background. */
  enqueue(job: {
    printerId: string;
    kind: string;
    bytes: Uint8Array;
    id?: string;
    reprintOf?: string | null;
  }): PrintJobRecord {
    const lane = this.lane(job.printerId);
    if (job.bytes.length === 0) {
      throw new DeviceError('PRINT_JOB_EMPTY', 'a print job needs at least one byte', {
        details: { kind: job.kind },
      });
    }
    const record: NewPrintJob = {
      id: job.id ?? this.newId(),
      printerId: job.printerId,
      kind: job.kind,
      bytes: job.bytes,
      reprintOf: job.reprintOf ?? null,
      createdAt: this.now(),
    };
    const stored = this.store.add(record);
    this.emit({ type: 'queued', job: stored });
    this.kick(lane);
    return stored;
  }

  /** Prints a stored job again as a new job that points back at the original. */
  reprint(jobId: string, printerId?: string): PrintJobRecord {
    const original = this.store.get(jobId);
    if (!original)
      throw new DeviceError('PRINT_JOB_NOT_FOUND', `no print job ${jobId}`, { details: { jobId } });
    return this.enqueue({
      printerId: printerId ?? original.printerId,
      kind: original.kind,
      bytes: original.bytes,
      reprintOf: original.reprintOf ?? original.id,
    });
  }

  state(printerId: string): PrinterQueueState {
    const lane = this.lane(printerId);
    const waiting = this.store.list({ printerId, states: ['queued', 'printing'], limit: 100_000 }).length;
    return { paused: lane.reason !== null, reason: lane.reason, waiting };
  }

  /** Resolves when the printer has no job left to print (tests, shutdown). */
  async idle(printerId: string): Promise<void> {
    const lane = this.lane(printerId);
    while (lane.running) await lane.running;
  }

  /** Stops taking jobs to the printers; a write in progress finishes first. Jobs stay in the store. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running: Promise<void>[] = [];
    for (const lane of this.lanes.values()) {
      lane.wake?.();
      if (lane.running) running.push(lane.running);
    }
    await Promise.all(running);
  }

  private lane(printerId: string): Lane {
    const lane = this.lanes.get(printerId);
    if (!lane)
      throw new DeviceError('PRINTER_UNKNOWN', `no printer ${printerId} is configured`, {
        details: { printerId },
      });
    return lane;
  }

  private emit(event: QueueEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener must not stop the queue.
      }
    }
  }

  private kick(lane: Lane): void {
    if (this.stopped) return;
    if (lane.busy) {
      lane.again = true;
      return;
    }
    // `busy` is set before drain runs, because drain's first steps run synchronously and may re-enter here.
    lane.busy = true;
    lane.running = this.drain(lane)
      .catch((error: unknown) => {
        this.emit({
          type: 'error',
          printerId: lane.printerId,
          error: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        lane.busy = false;
        lane.running = null;
        if (lane.again && !this.stopped) {
          lane.again = false;
          this.kick(lane);
        }
      });
  }

  /**
   * Prints the lane's jobs one after the other. When the printer is connected and its last status is good,
   * the first write starts inside `enqueue`: `write()` only hands the bytes to the operating system, so the
   * caller still gets its answer at once, without waiting a turn of the event loop.
   */
  private async drain(lane: Lane): Promise<void> {
    while (!this.stopped) {
      lane.again = false;
      const job = this.store.next(lane.printerId);
      if (!job) return;
      if (job.attempts >= this.maxAttempts) {
        const error = job.lastError ?? 'too many attempts';
        this.store.setState(job.id, 'failed', error, this.now());
        this.emit({ type: 'failed', jobId: job.id, printerId: lane.printerId, error });
        continue;
      }
      // A job still 'printing' when it is picked was cut off by a crash or restart.
      if (job.state === 'printing') lane.interruptedBytes = Math.max(lane.interruptedBytes, job.bytes.length);
      const problem = this.readyNow(lane) ? null : await this.readiness(lane);
      if (problem) {
        this.pause(lane, problem);
        await this.waitForChange(lane);
        continue;
      }
      this.resume(lane);
      await this.print(lane, job);
    }
  }

  /**
   * Status reports wake a paused lane; while no job is printing they also keep the lane's reason current,
   * so the cashier sees "cover open" before the next sale, not after it.
   */
  private onPrinterStatus(lane: Lane, status: PrinterStatus): void {
    lane.wake?.();
    if (lane.busy || (!status.known && status.reason === 'NO_READ_BACK')) return;
    const problem = problemOf(status);
    if (problem) this.pause(lane, problem);
    else this.resume(lane);
  }

  /** Connected, and the last status (kept current by ASB) says the printer can print. */
  private readyNow(lane: Lane): boolean {
    if (!lane.printer.connected || lane.interruptedBytes > 0) return false;
    const status = lane.printer.cachedStatus;
    return (status.known || status.reason === 'NO_READ_BACK') && problemOf(status) === null;
  }

  private async readiness(lane: Lane): Promise<PrinterProblem | null> {
    try {
      await lane.printer.connect();
    } catch {
      return 'DISCONNECTED';
    }
    let status = lane.printer.cachedStatus;
    if (!status.known && status.reason === 'NO_REPLY' && lane.interruptedBytes > 0) {
      status = await this.resync(lane);
    } else if ((!status.known && status.reason !== 'NO_READ_BACK') || problemOf(status) !== null) {
      // ASB keeps the cached status current; ask only when it is not known or shows a problem.
      status = await lane.printer.status();
    }
    if (status.known) lane.interruptedBytes = 0;
    else if (status.reason === 'NO_REPLY') {
      // A link that is open but silent (a serial device gone from under its descriptor) is reopened.
      await lane.printer.close().catch(() => undefined);
    }
    return problemOf(status);
  }

  /**
   * A printer whose cable came out in the middle of a command (a logo, a QR payload) is still waiting for
   * that command's data and takes the status request for it, so it never answers. NUL bytes complete any
   * command of the cut-off job (as white pixels or ignored padding); the job is then sent again from its
   * ESC @, which clears what the padding left behind.
   */
  private async resync(lane: Lane): Promise<PrinterStatus> {
    // Kept until the printer answers: if it still does not, the next attempt pads again (NULs are harmless).
    const padding = new Uint8Array(lane.interruptedBytes);
    try {
      await lane.printer.write(padding);
    } catch {
      return { known: false, reason: 'DISCONNECTED' };
    }
    return lane.printer.status();
  }

  private async print(lane: Lane, job: PrintJobRecord): Promise<void> {
    const { printer, printerId } = lane;
    this.store.setState(job.id, 'printing', null, this.now());
    try {
      await printer.write(job.bytes);
    } catch (error) {
      lane.interruptedBytes = job.bytes.length;
      this.requeue(lane, job, error instanceof Error ? error.message : String(error));
      await printer.close().catch(() => undefined);
      return;
    }
    this.emit({ type: 'written', jobId: job.id, printerId, at: this.now() });
    const after = await printer.status(this.confirmTimeoutMs);
    if (!after.known && after.reason !== 'NO_READ_BACK') {
      lane.interruptedBytes = job.bytes.length;
      this.requeue(lane, job, 'the printer did not confirm the job');
      await printer.close().catch(() => undefined);
      return;
    }
    this.store.setState(job.id, 'done', null, this.now());
    this.emit({ type: 'done', jobId: job.id, printerId });
    // The printer holds the rest of a job when it stops part-way; say why it stopped.
    const problem = problemOf(after);
    if (problem) this.pause(lane, problem);
  }

  private requeue(lane: Lane, job: PrintJobRecord, error: string): void {
    this.store.setState(job.id, 'queued', error, this.now());
    this.emit({ type: 'retry', jobId: job.id, printerId: lane.printerId, error });
    this.pause(lane, 'DISCONNECTED');
  }

  private pause(lane: Lane, reason: PrinterProblem): void {
    if (lane.reason === reason) return;
    lane.reason = reason;
    this.emit({ type: 'paused', printerId: lane.printerId, reason });
  }

  private resume(lane: Lane): void {
    if (lane.reason === null) return;
    lane.reason = null;
    this.emit({ type: 'resumed', printerId: lane.printerId });
  }

  /** Waits for a status report from the printer or the retry delay, whichever comes first. */
  private waitForChange(lane: Lane): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.retryDelayMs);
      function done(): void {
        clearTimeout(timer);
        lane.wake = null;
        resolve();
      }
      lane.wake = done;
    });
  }
}
