/**
 * Receipt printers: how fast a receipt is encoded, and what the print queue adds on the way to the wire
 * compared with a bare `SerialPort` write of the same bytes through the same kind of pty, in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { openLedger } from '../../db/index';
import { receiptBytes } from '../../electron/receipts/index';
import {
  EscPosPrinter,
  MemoryPrintJobStore,
  PROFILES,
  type PrintJobStore,
  PrintQueue,
  SerialTransport,
  VirtualPrinter,
  VirtualPrinterSerialEnd,
} from '../../hardware/index';
import { startPtyPair } from '../support/pty';
import { context, models } from '../unit/printer/fixtures';
import { type Emit, median, progress, quantile, since, timeEach } from './harness';

const profile = PROFILES['pos80-203'];
const BAUD = 115200;

export default async function (emit: Emit): Promise<void> {
  encodeBench(emit);
  await writeBench(emit);
}

function encodeBench(emit: Emit): void {
  const model = models.charge;
  for (let i = 0; i < 300; i += 1) receiptBytes(model, context, profile);
  const samples = timeEach(3000, () => {
    receiptBytes(model, context, profile);
  });
  const total = samples.reduce((sum, x) => sum + x, 0);
  progress(
    `encoded ${samples.length} charge receipts (template + ESC/POS, with logo and QR) for ${profile.id}`,
  );
  emit({ metric: 'receipt_encode_ms', value: median(samples), unit: 'ms', goal: '< 1 ms' });
  emit({ metric: 'receipt_encode_p99_ms', value: quantile(samples, 0.99), unit: 'ms' });
  emit({ metric: 'receipts_encoded_per_s', value: (samples.length / total) * 1000, unit: 'receipts/s' });
}

async function writeBench(emit: Emit): Promise<void> {
  const bytes = receiptBytes(models.charge, context, profile);
  const jobPty = await startPtyPair();
  const barePty = await startPtyPair();
  const dir = mkdtempSync(join(tmpdir(), 'printer-bench-'));
  const jobPaper = new VirtualPrinter();
  const barePaper = new VirtualPrinter();
  const jobEnd = new VirtualPrinterSerialEnd(jobPaper, jobPty.b, BAUD);
  const bareEnd = new VirtualPrinterSerialEnd(barePaper, barePty.b, BAUD);
  await jobEnd.open();
  await bareEnd.open();
  const bare = new SerialPort({ path: barePty.a, baudRate: BAUD, autoOpen: false });
  await new Promise<void>((resolve, reject) => bare.open((error) => (error ? reject(error) : resolve())));
  const ledger = openLedger({ path: join(dir, 'ledger.db'), checkpointIntervalMs: 0 });

  try {
    const memory = await jobVersusBare(bytes, jobPty.a, new MemoryPrintJobStore(), bare, barePaper, 'mem');
    progress(
      `${bytes.length}-byte receipt, ${memory.job.length} jobs interleaved with bare writes (in-memory job store)`,
    );
    emit({
      metric: 'job_vs_bare_write_ratio',
      value: median(memory.job) / median(memory.bare),
      unit: 'ratio',
      baseline: 1,
      goal: '<= 1.2',
    });
    emit({
      metric: 'job_to_last_byte_ms',
      value: median(memory.job),
      unit: 'ms',
      baseline: median(memory.bare),
    });
    emit({ metric: 'bare_serial_write_ms', value: median(memory.bare), unit: 'ms' });

    const durable = await jobVersusBare(bytes, jobPty.a, ledger.printJobs, bare, barePaper, 'db');
    progress('the same with the ledger SQLite print_jobs store (synchronous=FULL: the job is on disk first)');
    emit({
      metric: 'job_sqlite_vs_bare_write_ratio',
      value: median(durable.job) / median(durable.bare),
      unit: 'ratio',
      baseline: 1,
    });
    emit({
      metric: 'job_sqlite_to_last_byte_ms',
      value: median(durable.job),
      unit: 'ms',
      baseline: median(durable.bare),
    });

    emit({ metric: 'receipt_bytes', value: bytes.length, unit: 'bytes' });
    // 8N1: ten bit times per byte.
    emit({ metric: 'line_115200_ms', value: (bytes.length * 10 * 1000) / BAUD, unit: 'ms' });
    if (jobPaper.unknownBytes.length > 0 || barePaper.unknownBytes.length > 0)
      throw new Error('the printer saw bytes it did not understand');
    progress(
      `printed ${jobPaper.receipts.length} + ${barePaper.receipts.length} receipts on the virtual printers`,
    );
  } finally {
    ledger.close();
    await new Promise<void>((resolve) => bare.close(() => resolve()));
    await jobEnd.close();
    await bareEnd.close();
    await jobPty.stop();
    await barePty.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Alternates a queued job and a bare write of the same bytes; each sample ends when the last byte is drained. */
async function jobVersusBare(
  bytes: Uint8Array,
  path: string,
  store: PrintJobStore,
  bare: SerialPort,
  barePaper: VirtualPrinter,
  tag: string,
): Promise<{ job: number[]; bare: number[] }> {
  const printer = new EscPosPrinter(new SerialTransport({ path, baudRate: BAUD }), { replyTimeoutMs: 1000 });
  let n = 0;
  const queue = new PrintQueue({
    store,
    printers: { bench: printer },
    newId: () => `${tag}-${++n}-${Date.now()}`,
  });
  await printer.connect();
  const job: number[] = [];
  const bareSamples: number[] = [];
  const buffer = Buffer.from(bytes);
  const rounds = 500;
  // Each sample starts once the printer end has decoded everything sent before, so neither path pays for
  // the other's decoding; waiting on that (not on a timer) keeps the CPU equally warm for both.
  const settle = async (paper: VirtualPrinter, receipts: number): Promise<void> => {
    while (paper.receipts.length < receipts) await new Promise((resolve) => setImmediate(resolve));
  };
  const bareBefore = barePaper.receipts.length;
  for (let i = 0; i < rounds + 20; i += 1) {
    let start = process.hrtime.bigint();
    const written = new Promise<number>((resolve) => {
      const off = queue.on((event) => {
        if (event.type === 'written') {
          off();
          resolve(since(start));
        }
      });
    });
    // The clock starts at the call that hands the job over; setting up the listener is not the queue's cost.
    start = process.hrtime.bigint();
    queue.enqueue({ printerId: 'bench', kind: 'charge', bytes });
    const jobMs = await written;
    await queue.idle('bench');

    const bareStart = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      bare.write(buffer, (error) => {
        if (error) return reject(error);
        bare.drain((drainError) => (drainError ? reject(drainError) : resolve()));
      });
    });
    const bareMs = since(bareStart);
    await settle(barePaper, bareBefore + i + 1);
    if (i >= 20) {
      job.push(jobMs);
      bareSamples.push(bareMs);
    }
  }
  await queue.stop();
  await printer.close();
  return { job, bare: bareSamples };
}
