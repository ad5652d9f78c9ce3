/** How the host is put together from a data directory: the book it opens, its first run, its log. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { createHost, LEDGER_FILE, TRAINING_LEDGER_FILE } from '../../../electron/host/compose';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-compose-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('composing the host', () => {
  it('creates the demo store when asked for it and reopens it unchanged on the next start', async () => {
    const dir = dataDir();
    const first = createHost({ dataDir: dir, book: 'demo' });
    expect(first.identity).toEqual({ storeId: DEMO.storeId, terminalId: DEMO.terminalId });
    expect(first.mode).toBe('demo');
    const operations = first.ledger.operationsOf({ limit: 1000 }).length;
    await first.close();
    const second = createHost({ dataDir: dir });
    expect(second.identity).toEqual(first.identity);
    expect(second.mode).toBe('demo');
    expect(second.ledger.operationsOf({ limit: 1000 }).length).toBe(operations);
    await second.close();
  });

  it('keeps training in a book of its own', async () => {
    const dir = dataDir();
    const host = createHost({ dataDir: dir, trainingMode: true });
    expect(host.mode).toBe('training');
    await host.close();
    expect(existsSync(join(dir, TRAINING_LEDGER_FILE))).toBe(true);
    expect(existsSync(join(dir, LEDGER_FILE))).toBe(false);
  });

  it('opens no book in an empty data directory unless asked for the demo, and writes none', () => {
    const dir = dataDir();
    expect(() => createHost({ dataDir: dir })).toThrow(expect.objectContaining({ code: 'BOOK_NOT_SET_UP' }));
    expect(existsSync(join(dir, LEDGER_FILE))).toBe(false);
  });

  it('writes its log as JSON lines in the data directory', async () => {
    const dir = dataDir();
    const host = createHost({ dataDir: dir, book: 'demo' });
    await host.close();
    const lines = readFileSync(host.logFile, 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).msg)).toContain('host ready');
  });
});
