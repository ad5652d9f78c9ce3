import { describe, expect, it } from 'vitest';
import { receiptBytes } from '../../../electron/receipts/index';
import {
  EscPosPrinter,
  InProcessTransport,
  MemoryPrintJobStore,
  PROFILES,
  PrintQueue,
  type QueueEvent,
  type Receipt,
  VirtualPrinter,
} from '../../../hardware/index';
import { context, models } from './fixtures';

const profile = PROFILES['pos80-203'];
const kinds = ['topup', 'charge', 'refund', 'card_issue', 'balance'] as const;
const bytesOf = (kind: (typeof kinds)[number]): Uint8Array => receiptBytes(models[kind], context, profile);

function setup(options: { retryDelayMs?: number } = {}) {
  const virtual = new VirtualPrinter();
  const transport = new InProcessTransport(virtual);
  const printer = new EscPosPrinter(transport, { replyTimeoutMs: 200 });
  const store = new MemoryPrintJobStore();
  let n = 0;
  const queue = new PrintQueue({
    store,
    printers: { front: printer },
    newId: () => `job-${++n}`,
    retryDelayMs: options.retryDelayMs ?? 30,
  });
  const events: QueueEvent[] = [];
  queue.on((event) => events.push(event));
  return { virtual, transport, printer, store, queue, events };
}

/** How many cut receipts carry each operation id in their QR code. */
function printedCount(receipts: Receipt[], operationId: string): number {
  return receipts.filter((receipt) =>
    receipt.items.some((item) => item.type === 'qr' && item.data === operationId),
  ).length;
}

const until = async (condition: () => boolean, ms = 3000): Promise<void> => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('the print queue', () => {
  it('accepts a job at once, before any byte is written, and prints it exactly once', async () => {
    const { virtual, queue, store } = setup();
    const job = queue.enqueue({ printerId: 'front', kind: 'topup', bytes: bytesOf('topup') });
    expect(job.state).toBe('queued');
    expect(virtual.receipts).toHaveLength(0);
    await queue.idle('front');
    expect(store.get(job.id)).toMatchObject({ state: 'done', attempts: 1, lastError: null });
    expect(printedCount(virtual.receipts, models.topup.operationId)).toBe(1);
    await queue.stop();
  });

  it('prints jobs in the order they were accepted', async () => {
    const { virtual, queue } = setup();
    for (const kind of kinds) queue.enqueue({ printerId: 'front', kind, bytes: bytesOf(kind) });
    await queue.idle('front');
    const order = virtual.receipts.map((r) => r.items.find((i) => i.type === 'qr'));
    expect(order.map((item) => (item as { data: string }).data)).toEqual(
      kinds.map((k) => models[k].operationId),
    );
    await queue.stop();
  });

  it('pauses with PAPER_OUT while the paper is out and resumes by itself when paper is loaded', async () => {
    const { virtual, queue, events, store } = setup({ retryDelayMs: 10_000 });
    virtual.setPaperOut(true);
    const job = queue.enqueue({ printerId: 'front', kind: 'topup', bytes: bytesOf('topup') });
    await until(() => queue.state('front').reason === 'PAPER_OUT');
    expect(queue.state('front')).toEqual({ paused: true, reason: 'PAPER_OUT', waiting: 1 });
    expect(store.get(job.id)!.attempts).toBe(0);
    // The printer's automatic status back wakes the queue; the long retry delay shows it did not poll.
    virtual.setPaperOut(false);
    await queue.idle('front');
    expect(events.map((e) => e.type)).toEqual(['queued', 'paused', 'resumed', 'written', 'done']);
    expect(printedCount(virtual.receipts, models.topup.operationId)).toBe(1);
    await queue.stop();
  });

  it('pauses with COVER_OPEN between jobs and prints the rest after the cover is closed', async () => {
    const { virtual, queue } = setup();
    queue.enqueue({ printerId: 'front', kind: 'topup', bytes: bytesOf('topup') });
    await queue.idle('front');
    virtual.setCoverOpen(true);
    queue.enqueue({ printerId: 'front', kind: 'charge', bytes: bytesOf('charge') });
    await until(() => queue.state('front').reason === 'COVER_OPEN');
    expect(virtual.receipts).toHaveLength(1);
    virtual.setCoverOpen(false);
    await until(() => !queue.state('front').paused);
    await queue.idle('front');
    expect(queue.state('front')).toEqual({ paused: false, reason: null, waiting: 0 });
    expect(printedCount(virtual.receipts, models.charge.operationId)).toBe(1);
    await queue.stop();
  });

  it('does not resend a job when the paper runs out in the middle of it: the printer finishes it after reload', async () => {
    const { virtual, queue, store } = setup();
    virtual.loadPaper(10);
    const first = queue.enqueue({ printerId: 'front', kind: 'topup', bytes: bytesOf('topup') });
    const second = queue.enqueue({ printerId: 'front', kind: 'charge', bytes: bytesOf('charge') });
    await until(() => queue.state('front').reason === 'PAPER_OUT');
    expect(store.get(first.id)!.state).toBe('done');
    expect(store.get(second.id)!.state).toBe('queued');
    expect(virtual.receipts).toHaveLength(0);
    virtual.loadPaper();
    await queue.idle('front');
    expect(printedCount(virtual.receipts, models.topup.operationId)).toBe(1);
    expect(printedCount(virtual.receipts, models.charge.operationId)).toBe(1);
    expect(store.get(second.id)!.attempts).toBe(1);
    await queue.stop();
  });

  it('survives an unplug in the middle of a job: pauses DISCONNECTED, then sends the job again in full', async () => {
    const { virtual, transport, queue, store, events } = setup();
    transport.unplugAfter(300);
    const job = queue.enqueue({ printerId: 'front', kind: 'charge', bytes: bytesOf('charge') });
    await until(() => queue.state('front').reason === 'DISCONNECTED');
    expect(store.get(job.id)).toMatchObject({ state: 'queued', attempts: 1 });
    expect(virtual.receipts).toHaveLength(0);
    transport.plugIn();
    await queue.idle('front');
    expect(store.get(job.id)).toMatchObject({ state: 'done', attempts: 2 });
    expect(events.some((e) => e.type === 'retry')).toBe(true);
    // The uncut fragment of the first attempt is on the same piece of paper; the receipt itself is printed once.
    expect(virtual.receipts).toHaveLength(1);
    expect(printedCount(virtual.receipts, models.charge.operationId)).toBe(1);
    await queue.stop();
  });

  it('reprints any job as a new job that points at the original', async () => {
    const { virtual, queue, store } = setup();
    const job = queue.enqueue({ printerId: 'front', kind: 'topup', bytes: bytesOf('topup') });
    await queue.idle('front');
    const again = queue.reprint(job.id);
    expect(again).toMatchObject({ reprintOf: job.id, kind: 'topup', state: 'queued' });
    const third = queue.reprint(again.id);
    expect(third.reprintOf).toBe(job.id);
    await queue.idle('front');
    expect(store.get(again.id)!.state).toBe('done');
    expect(printedCount(virtual.receipts, models.topup.operationId)).toBe(3);
    expect(() => queue.reprint('nope')).toThrow(/no print job/);
    await queue.stop();
  });

  it('gives a job up as failed after too many attempts and goes on with the next', async () => {
    /** A cable that comes loose during the first two receipts and is pushed back in each time. */
    class LooseCable extends InProcessTransport {
      failures = 2;
      override async open(): Promise<void> {
        this.plugIn();
        return super.open();
      }
      override async write(bytes: Uint8Array): Promise<void> {
        if (bytes.length > 64 && bytes[0] !== 0 && this.failures > 0) {
          this.failures -= 1;
          this.unplugAfter(40);
        }
        return super.write(bytes);
      }
    }
    const transport = new LooseCable(new VirtualPrinter());
    const store = new MemoryPrintJobStore();
    let n = 0;
    const queue = new PrintQueue({
      store,
      printers: { front: new EscPosPrinter(transport, { replyTimeoutMs: 100 }) },
      newId: () => `j${++n}`,
      retryDelayMs: 5,
      maxAttempts: 2,
    });
    const job = queue.enqueue({ printerId: 'front', kind: 'topup', bytes: bytesOf('topup') });
    const next = queue.enqueue({ printerId: 'front', kind: 'charge', bytes: bytesOf('charge') });
    await until(() => store.get(next.id)!.state === 'done');
    expect(store.get(job.id)).toMatchObject({ state: 'failed', attempts: 2 });
    expect(store.get(job.id)!.lastError).toMatch(/unplugged/);
    expect(store.get(next.id)!.attempts).toBe(1);
    await queue.stop();
  });

  it('refuses a job for a printer that is not configured, and an empty job', () => {
    const { queue } = setup();
    expect(() => queue.enqueue({ printerId: 'back', kind: 'topup', bytes: bytesOf('topup') })).toThrow(
      /no printer back/,
    );
    expect(() => queue.enqueue({ printerId: 'front', kind: 'topup', bytes: new Uint8Array(0) })).toThrow(
      /at least one byte/,
    );
  });

  it('a printer that never answers status pauses as DISCONNECTED, unless it is configured as one that cannot', async () => {
    /** A printer whose firmware ignores DLE EOT: nothing ever comes back. */
    class MuteLink extends InProcessTransport {
      override onData(): () => void {
        return () => undefined;
      }
    }
    const mute = new EscPosPrinter(new MuteLink(new VirtualPrinter()), { replyTimeoutMs: 50 });
    const store = new MemoryPrintJobStore();
    const queue = new PrintQueue({ store, printers: { mute }, newId: () => 'm1', retryDelayMs: 20 });
    queue.enqueue({ printerId: 'mute', kind: 'topup', bytes: bytesOf('topup') });
    await until(() => queue.state('mute').reason === 'DISCONNECTED');
    await queue.stop();

    const paper = new VirtualPrinter();
    const writeOnly = new EscPosPrinter(new MuteLink(paper), { replyTimeoutMs: 50, readsStatus: false });
    expect(await writeOnly.status()).toEqual({ known: false, reason: 'DISCONNECTED' });
    await writeOnly.connect();
    expect(await writeOnly.status()).toEqual({ known: false, reason: 'NO_READ_BACK' });
    const store2 = new MemoryPrintJobStore();
    const queue2 = new PrintQueue({
      store: store2,
      printers: { writeOnly },
      newId: () => 'w1',
      retryDelayMs: 20,
    });
    const job = queue2.enqueue({ printerId: 'writeOnly', kind: 'topup', bytes: bytesOf('topup') });
    await queue2.idle('writeOnly');
    expect(store2.get(job.id)!.state).toBe('done');
    expect(printedCount(paper.receipts, models.topup.operationId)).toBe(1);
    await queue2.stop();
  });

  it('waits for a busy printer to confirm a long job instead of sending it twice', async () => {
    /** Once a receipt is sent, the printer answers only after it has worked through its buffer. */
    class BusyLink extends InProcessTransport {
      delayMs = 0;
      override onData(listener: (chunk: Uint8Array) => void): () => void {
        return super.onData((chunk) => {
          if (this.delayMs > 0) setTimeout(() => listener(chunk), this.delayMs);
          else listener(chunk);
        });
      }
      override async write(bytes: Uint8Array): Promise<void> {
        if (bytes.length > 64) this.delayMs = 150;
        return super.write(bytes);
      }
    }
    const paper = new VirtualPrinter();
    const printer = new EscPosPrinter(new BusyLink(paper), { replyTimeoutMs: 50 });
    const store = new MemoryPrintJobStore();
    const queue = new PrintQueue({
      store,
      printers: { busy: printer },
      newId: () => 'b1',
      confirmTimeoutMs: 1000,
    });
    const job = queue.enqueue({ printerId: 'busy', kind: 'charge', bytes: bytesOf('charge') });
    await queue.idle('busy');
    expect(store.get(job.id)).toMatchObject({ state: 'done', attempts: 1 });
    expect(printedCount(paper.receipts, models.charge.operationId)).toBe(1);
    await queue.stop();
  });

  it('reports a failing job store as an error event instead of an unhandled rejection', async () => {
    const { printer } = setup();
    const store = new MemoryPrintJobStore();
    store.next = () => {
      throw new Error('database is closed');
    };
    const queue = new PrintQueue({ store, printers: { front: printer }, newId: () => 'e1' });
    const events: QueueEvent[] = [];
    queue.on((event) => events.push(event));
    const job = queue.enqueue({ printerId: 'front', kind: 'topup', bytes: bytesOf('topup') });
    expect(job.state).toBe('queued');
    await queue.idle('front');
    expect(events).toContainEqual({ type: 'error', printerId: 'front', error: 'database is closed' });
  });

  it('does not take a late answer to a timed-out status request for the answer to the next one', async () => {
    /** A slow printer: every status reply takes 30 ms, and the very first one 80 ms, after the host gave up. */
    class SlowReplies extends InProcessTransport {
      private first = true;
      override onData(listener: (chunk: Uint8Array) => void): () => void {
        return super.onData((chunk) => {
          if (chunk.length !== 1) return listener(chunk);
          const delay = this.first ? 80 : 30;
          this.first = false;
          setTimeout(() => listener(chunk), delay);
        });
      }
    }
    const paper = new VirtualPrinter();
    paper.setPaperNearEnd(true);
    const printer = new EscPosPrinter(new SlowReplies(paper), { replyTimeoutMs: 50 });
    await printer.connect();
    expect(printer.cachedStatus).toEqual({ known: false, reason: 'NO_REPLY' });
    // Asked at once: the late reply to the first request comes in while this one waits.
    const status = await printer.status();
    expect(status).toMatchObject({ known: true, paperNearEnd: true, paperOut: false });
    await printer.close();
  });
});
