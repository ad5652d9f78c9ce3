/**
 * A serial receipt printer through a real pty pair (socat): the host side uses `serialport` exactly as for a
 * USB-serial printer, the virtual printer answers on the other end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptBytes } from '../../../electron/receipts/index';
import {
  EscPosPrinter,
  MemoryPrintJobStore,
  PROFILES,
  PrintQueue,
  type Receipt,
  SerialTransport,
  VirtualPrinter,
  VirtualPrinterSerialEnd,
} from '../../../hardware/index';
import { type PtyPair, startPtyPair } from '../../support/pty';
import { context, models } from '../../unit/printer/fixtures';

const profile = PROFILES['pos58-203'];
let pty: PtyPair;
let paper: VirtualPrinter;
let printerEnd: VirtualPrinterSerialEnd;
let printer: EscPosPrinter;
let queue: PrintQueue;
const store = new MemoryPrintJobStore();

const printedCount = (receipts: Receipt[], operationId: string): number =>
  receipts.filter((r) => r.items.some((i) => i.type === 'qr' && i.data === operationId)).length;

const until = async (condition: () => boolean, ms = 8000): Promise<void> => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

beforeAll(async () => {
  pty = await startPtyPair();
  paper = new VirtualPrinter();
  printerEnd = new VirtualPrinterSerialEnd(paper, pty.b);
  await printerEnd.open();
  printer = new EscPosPrinter(new SerialTransport({ path: pty.a, baudRate: 115200 }), {
    replyTimeoutMs: 300,
  });
  let n = 0;
  queue = new PrintQueue({ store, printers: { counter: printer }, newId: () => `s${++n}`, retryDelayMs: 50 });
});

afterAll(async () => {
  await queue?.stop();
  await printer?.close();
  await printerEnd?.close();
  await pty?.stop();
});

describe('a serial printer on a real pty', () => {
  it('answers DLE EOT status through the tty layer', async () => {
    await printer.connect();
    const status = await printer.status();
    expect(status).toMatchObject({ known: true, online: true, paperOut: false, coverOpen: false });
  });

  it('prints a queued receipt byte for byte', async () => {
    const bytes = receiptBytes(models.topup, context, profile);
    const job = queue.enqueue({ printerId: 'counter', kind: 'topup', bytes });
    await until(() => store.get(job.id)?.state === 'done');
    expect(printedCount(paper.receipts, models.topup.operationId)).toBe(1);
    expect(paper.unknownBytes).toEqual([]);
  });

  it('learns of paper out from automatic status back and resumes when paper is loaded', async () => {
    paper.setPaperOut(true);
    await until(() => printer.cachedStatus.known && printer.cachedStatus.paperOut);
    const job = queue.enqueue({
      printerId: 'counter',
      kind: 'charge',
      bytes: receiptBytes(models.charge, context, profile),
    });
    await until(() => queue.state('counter').reason === 'PAPER_OUT');
    expect(store.get(job.id)!.attempts).toBe(0);
    paper.setPaperOut(false);
    await until(() => store.get(job.id)?.state === 'done');
    expect(printedCount(paper.receipts, models.charge.operationId)).toBe(1);
  });

  it('pauses DISCONNECTED when the line goes away and prints the waiting receipt once it is back', async () => {
    await printerEnd.close();
    await pty.unplug();
    const job = queue.enqueue({
      printerId: 'counter',
      kind: 'refund',
      bytes: receiptBytes(models.refund, context, profile),
    });
    await until(() => queue.state('counter').reason === 'DISCONNECTED');
    expect(queue.state('counter')).toMatchObject({ paused: true, waiting: 1 });
    await pty.plugIn();
    printerEnd = new VirtualPrinterSerialEnd(paper, pty.b);
    await printerEnd.open();
    await until(() => store.get(job.id)?.state === 'done');
    expect(printedCount(paper.receipts, models.refund.operationId)).toBe(1);
    expect(printedCount(paper.receipts, models.topup.operationId)).toBe(1);
  });

  it('opens with the configured parity, stop bits and flow control', async () => {
    await queue.stop();
    await printer.close();
    for (const settings of [
      { parity: 'even', stopBits: 2, rtscts: true },
      { parity: 'odd', dataBits: 8, xonxoff: true },
    ] as const) {
      const configured = new EscPosPrinter(
        new SerialTransport({ path: pty.a, baudRate: 9600, ...settings }),
        {
          replyTimeoutMs: 300,
        },
      );
      await configured.connect();
      expect(await configured.status()).toMatchObject({ known: true, online: true });
      await configured.close();
    }
  });
});
