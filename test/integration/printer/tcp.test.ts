/** A network receipt printer over real TCP on loopback (raw port, 9100-style, on a random port). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptBytes } from '../../../electron/receipts/index';
import {
  EscPosPrinter,
  MemoryPrintJobStore,
  PROFILES,
  PrintQueue,
  type Receipt,
  TcpTransport,
  VirtualPrinter,
  VirtualPrinterTcpServer,
} from '../../../hardware/index';
import { context, models } from '../../unit/printer/fixtures';

const profile = PROFILES['pos80-203'];
const paper = new VirtualPrinter();
const server = new VirtualPrinterTcpServer(paper);
const store = new MemoryPrintJobStore();
let port: number;
let printer: EscPosPrinter;
let queue: PrintQueue;

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
  port = await server.listen(0);
  printer = new EscPosPrinter(new TcpTransport({ host: '127.0.0.1', port, connectTimeoutMs: 500 }), {
    replyTimeoutMs: 300,
  });
  let n = 0;
  queue = new PrintQueue({ store, printers: { kitchen: printer }, newId: () => `t${++n}`, retryDelayMs: 50 });
});

afterAll(async () => {
  await queue?.stop();
  await printer?.close();
  await server.close();
});

describe('a network printer over TCP', () => {
  it('prints every template sent through the queue, in order, once each', async () => {
    const kinds = ['topup', 'charge', 'card_issue', 'balance', 'shift', 'day_close'] as const;
    const jobs = kinds.map((kind) =>
      queue.enqueue({ printerId: 'kitchen', kind, bytes: receiptBytes(models[kind], context, profile) }),
    );
    await until(() => jobs.every((job) => store.get(job.id)?.state === 'done'));
    for (const kind of kinds) expect(printedCount(paper.receipts, models[kind].operationId)).toBe(1);
    expect(paper.unknownBytes).toEqual([]);
  });

  it('reports cover open through DLE EOT over the socket', async () => {
    paper.setCoverOpen(true);
    expect(await printer.status()).toMatchObject({ known: true, coverOpen: true, online: false });
    paper.setCoverOpen(false);
    expect(await printer.status()).toMatchObject({ known: true, coverOpen: false, online: true });
  });

  it('pauses DISCONNECTED while the printer is off and prints the waiting receipt when it is back', async () => {
    await server.close();
    const job = queue.enqueue({
      printerId: 'kitchen',
      kind: 'refund',
      bytes: receiptBytes(models.refund, context, profile),
    });
    await until(() => queue.state('kitchen').reason === 'DISCONNECTED');
    expect(store.get(job.id)!.state).not.toBe('done');
    await server.listen(port);
    await until(() => store.get(job.id)?.state === 'done');
    expect(printedCount(paper.receipts, models.refund.operationId)).toBe(1);
  });
});
