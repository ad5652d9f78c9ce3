/**
 * A seeded demo book per test, fast: the demo is seeded once into a template file (PIN hashing is slow on
 * purpose) and each test opens its own copy, with a clock the test controls.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, type Ledger, openLedger, seedDemo } from '../../../db/index';

export { DEMO };

/** 2026-03-02 10:00 in Shanghai (UTC+8). */
export const START = Date.UTC(2026, 2, 2, 2, 0, 0);

export interface Clock {
  now: () => number;
  set(at: number): void;
  advance(ms: number): void;
}

export function clock(start = START): Clock {
  let current = start;
  return {
    // Every reading moves forward by a millisecond, so operations never share a timestamp.
    now: () => current++,
    set: (at) => {
      current = at;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

let template: { dir: string; path: string } | undefined;
const opened: Array<{ ledger: Ledger; dir: string }> = [];

function templatePath(): string {
  if (!template) {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-template-'));
    const path = join(dir, 'demo.sqlite');
    const ledger = openLedger({ path, now: clock().now, checkpointIntervalMs: 0 });
    seedDemo(ledger, { now: START });
    ledger.close();
    template = { dir, path };
  }
  return template.path;
}

/** A fresh copy of the seeded demo book, opened with its own clock. */
export function demoLedger(time: Clock = clock(START + 60_000)): {
  ledger: Ledger;
  time: Clock;
  path: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-test-'));
  const path = join(dir, 'ledger.sqlite');
  copyFileSync(templatePath(), path);
  const ledger = openLedger({ path, now: time.now, checkpointIntervalMs: 0 });
  opened.push({ ledger, dir });
  return { ledger, time, path };
}

/** Closes every ledger this file opened and removes the files. */
export function closeAll(): void {
  for (const { ledger, dir } of opened.splice(0)) {
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (template) {
    rmSync(template.dir, { recursive: true, force: true });
    template = undefined;
  }
}

export const cashier = DEMO.staff.cashier.id;
export const manager = DEMO.staff.manager.id;
export const terminalId = DEMO.terminalId;

/** Calls fn and returns the LedgerError code it throws (or fails if it does not throw). */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code ?? `not a coded error: ${String(error)}`;
  }
  throw new Error('expected the call to be refused');
}
