/**
 * Where print jobs live. The ledger implements this on its `print_jobs` SQLite table so jobs survive a
 * restart; the in-memory version serves tests and training mode.
 */

export type PrintJobState = 'queued' | 'printing' | 'done' | 'failed';

export interface PrintJobRecord {
  id: string;
  printerId: string;
  kind: string;
  bytes: Uint8Array;
  state: PrintJobState;
  attempts: number;
  lastError: string | null;
  reprintOf: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewPrintJob {
  id: string;
  printerId: string;
  kind: string;
  bytes: Uint8Array;
  reprintOf?: string | null;
  createdAt: number;
}

export interface PrintJobStore {
  /** Idempotent on `id`: adding the same id again returns the stored job unchanged. */
  add(job: NewPrintJob): PrintJobRecord;
  /** The oldest job of the printer in 'printing' (interrupted) or 'queued'. */
  next(printerId: string): PrintJobRecord | undefined;
  /** Moving to 'printing' counts an attempt. */
  setState(id: string, state: PrintJobState, error?: string | null, at?: number): void;
  get(id: string): PrintJobRecord | undefined;
  /** Newest first. */
  list(filter?: { printerId?: string; states?: PrintJobState[]; limit?: number }): PrintJobRecord[];
}

export class MemoryPrintJobStore implements PrintJobStore {
  private readonly jobs = new Map<string, PrintJobRecord>();
  private sequence = 0;
  private readonly order = new Map<string, number>();
  /** Ids of jobs still to print, so `next` does not scan the whole history. */
  private readonly open = new Set<string>();

  add(job: NewPrintJob): PrintJobRecord {
    const existing = this.jobs.get(job.id);
    if (existing) return { ...existing };
    const record: PrintJobRecord = {
      id: job.id,
      printerId: job.printerId,
      kind: job.kind,
      bytes: job.bytes.slice(),
      state: 'queued',
      attempts: 0,
      lastError: null,
      reprintOf: job.reprintOf ?? null,
      createdAt: job.createdAt,
      updatedAt: job.createdAt,
    };
    this.jobs.set(job.id, record);
    this.order.set(job.id, this.sequence++);
    this.open.add(job.id);
    return { ...record };
  }

  next(printerId: string): PrintJobRecord | undefined {
    let best: PrintJobRecord | undefined;
    for (const id of this.open) {
      const job = this.jobs.get(id)!;
      if (job.printerId !== printerId) continue;
      // An interrupted job goes first, as in the ledger's table.
      if (!best || rank(job) < rank(best) || (rank(job) === rank(best) && this.before(job, best))) best = job;
    }
    return best && { ...best };
  }

  setState(id: string, state: PrintJobState, error: string | null = null, at: number = Date.now()): void {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no print job ${id}`);
    job.state = state;
    job.lastError = error;
    job.updatedAt = at;
    if (state === 'printing') job.attempts += 1;
    if (state === 'queued' || state === 'printing') this.open.add(id);
    else this.open.delete(id);
  }

  get(id: string): PrintJobRecord | undefined {
    const job = this.jobs.get(id);
    return job && { ...job };
  }

  list(filter: { printerId?: string; states?: PrintJobState[]; limit?: number } = {}): PrintJobRecord[] {
    return [...this.jobs.values()]
      .filter(
        (job) =>
          (filter.printerId === undefined || job.printerId === filter.printerId) &&
          (filter.states === undefined || filter.states.includes(job.state)),
      )
      .sort((a, b) => (this.before(a, b) ? 1 : -1))
      .slice(0, filter.limit ?? Number.POSITIVE_INFINITY)
      .map((job) => ({ ...job }));
  }

  private before(a: PrintJobRecord, b: PrintJobRecord): boolean {
    if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
    return (this.order.get(a.id) ?? 0) < (this.order.get(b.id) ?? 0);
  }
}

const rank = (job: PrintJobRecord): number => (job.state === 'printing' ? 0 : 1);
