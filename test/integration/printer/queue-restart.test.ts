/**
 * The print queue across a restart, on the ledger's real SQLite `print_jobs` table: jobs accepted while the
 * printer is unplugged, and one cut off half-way by a crash, all print exactly once after the restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../../db/index';
import { receiptBytes } from '../../../electron/receipts/index';
import {
  EscPosPrinter,
  InProcessTransport,
  PROFILES,
  PrintQueue,
  type Receipt,
  VirtualPrinter,
} from '../../../hardware/index';
import { context, models } from '../../unit/printer/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'print-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const profile = PROFILES['pos58-203'];
const kinds = ['topup', 'charge', 'refund'] as const;

/** A cable whose next long write stops after `bytes` and then hangs, as when the process dies mid-write. */
class DyingCable extends InProcessTransport {
  dieAfter: number | null = null;
  override async write(bytes: Uint8Array): Promise<void> {
    if (this.dieAfter !== null && bytes.length > this.dieAfter) {
      await super.write(bytes.slice(0, this.dieAfter));
      return new Promise(() => undefined);
    }
    return super.write(bytes);
  }
}

const printedCount = (receipts: Receipt[], operationId: string): number =>
  receipts.filter((r) => r.items.some((i) => i.type === 'qr' && i.data === operationId)).length;

const until = async (condition: () => boolean, ms = 5000): Promise<void> => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('the print queue across a restart (ledger SQLite store)', () => {
  it('prints every accepted receipt exactly once, including one interrupted by the crash', async () => {
    const path = join(dir, 'ledger.db');
    const paper = new VirtualPrinter();
    let n = 0;
    const newId = (): string => `01JD-PRINT-${++n}`;

    // Before the crash: the first receipt is cut off after 200 bytes, the others wait behind it.
    const ledgerA = openLedger({ path, checkpointIntervalMs: 0 });
    const cableA = new DyingCable(paper);
    cableA.dieAfter = 200;
    const queueA = new PrintQueue({
      store: ledgerA.printJobs,
      printers: { front: new EscPosPrinter(cableA, { replyTimeoutMs: 200 }) },
      newId,
      retryDelayMs: 20,
    });
    const ids = kinds.map(
      (kind) =>
        queueA.enqueue({ printerId: 'front', kind, bytes: receiptBytes(models[kind], context, profile) }).id,
    );
    await until(() => ledgerA.printJobs.get(ids[0]!)?.state === 'printing');
    expect(ids.map((id) => ledgerA.printJobs.get(id)!.state)).toEqual(['printing', 'queued', 'queued']);
    // The process dies: the queue is never stopped, the database is closed under it.
    ledgerA.close();
    expect(paper.receipts).toHaveLength(0);

    // After the restart: the same file, a new queue, the same printer (still mid-command from the cut).
    const ledgerB = openLedger({ path, checkpointIntervalMs: 0 });
    const queueB = new PrintQueue({
      store: ledgerB.printJobs,
      printers: { front: new EscPosPrinter(new InProcessTransport(paper), { replyTimeoutMs: 200 }) },
      newId,
      retryDelayMs: 20,
    });
    queueB.start();
    await until(() => ids.every((id) => ledgerB.printJobs.get(id)?.state === 'done'));
    await queueB.stop();

    for (const kind of kinds) expect(printedCount(paper.receipts, models[kind].operationId)).toBe(1);
    expect(ledgerB.printJobs.get(ids[0]!)!.attempts).toBe(2);
    expect(ledgerB.printJobs.get(ids[1]!)!.attempts).toBe(1);
    // Jobs keep their bytes in the store, so any of them can be reprinted later.
    const again = queueB.reprint(ids[1]!);
    expect(ledgerB.printJobs.get(again.id)).toMatchObject({ reprintOf: ids[1], state: 'queued' });
    ledgerB.close();
  });
});
