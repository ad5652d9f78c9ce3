/**
 * A usblp-style printer: ESC/POS by plain write() to a device file. A file stands in for /dev/usb/lp0 (no
 * USB printer here); the transport is the same code. Such a link cannot read back, so status is unknown.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { receiptBytes } from '../../../electron/receipts/index';
import {
  DeviceFileTransport,
  EscPosPrinter,
  MemoryPrintJobStore,
  PROFILES,
  PrintQueue,
  VirtualPrinter,
} from '../../../hardware/index';
import { context, models } from '../../unit/printer/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'usblp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const profile = PROFILES['pos80-180'];

describe('a usblp device file', () => {
  it('takes a job by plain write and reports its status as unknown, never as ok', async () => {
    const path = join(dir, 'lp0');
    writeFileSync(path, '');
    const printer = new EscPosPrinter(new DeviceFileTransport(path));
    await printer.connect();
    expect(await printer.status()).toEqual({ known: false, reason: 'NO_READ_BACK' });
    expect(printer.cachedStatus).toEqual({ known: false, reason: 'NO_READ_BACK' });

    const store = new MemoryPrintJobStore();
    const queue = new PrintQueue({ store, printers: { lp0: printer }, newId: () => 'u1', retryDelayMs: 20 });
    const bytes = receiptBytes(models.card_issue, context, profile);
    const job = queue.enqueue({ printerId: 'lp0', kind: 'card_issue', bytes });
    await queue.idle('lp0');
    expect(store.get(job.id)!.state).toBe('done');
    await printer.close();

    const written = new Uint8Array(readFileSync(path));
    expect(written).toEqual(bytes);
    const paper = new VirtualPrinter();
    paper.receive(written);
    expect(paper.receipts[0]!.items).toContainEqual(
      expect.objectContaining({ type: 'qr', data: models.card_issue.operationId }),
    );
  });

  it('does not create the node when the printer is unplugged, and says so with its own code', async () => {
    const path = join(dir, 'lp9');
    const transport = new DeviceFileTransport(path);
    await expect(transport.open()).rejects.toMatchObject({ code: 'PRINTER_NOT_FOUND' });
    expect(existsSync(path)).toBe(false);
  });
});
