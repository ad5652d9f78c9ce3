/**
 * PC/SC readers. When the host already runs a reader transport it passes it in and its reader list is
 * used as is; otherwise a short-lived pcsclite context is opened, the readers it announces within a short
 * settle time are collected, and the context is closed. pcscd missing is a status ("PCSCD_NOT_RUNNING"),
 * never an exception.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { failedStatus, okStatus, type SourceResult } from './source';
import type { PcscReaderDevice } from './types';

/** What discovery needs from a running reader transport (the PC/SC transport satisfies it). */
export interface PcscReaderList {
  status(): { state: string; message?: string | undefined };
  readers(): string[];
}

export interface PcscDiscoveryOptions {
  /** A transport the host already runs; discovery then opens no context of its own. */
  readonly transport?: PcscReaderList | undefined;
  /** Longest wait for pcscd to list its readers. Default 2000 ms. */
  readonly timeoutMs?: number | undefined;
  /** Quiet time after the last reader appeared before the list counts as complete. Default 250 ms. */
  readonly settleMs?: number | undefined;
}

type NativeReader = EventEmitter & { name: string; close(): void };
type PcscContext = EventEmitter & { close(): void };

/** SCARD_E_NO_SERVICE: pcscd is not running (or its socket is unreachable). */
const NO_SERVICE = /0x8010001d|Service not available/i;

const readerDevice = (name: string): PcscReaderDevice => ({ kind: 'pcsc-reader', id: `pcsc:${name}`, name });

function fromTransport(transport: PcscReaderList): SourceResult<PcscReaderDevice> {
  const status = transport.status();
  const devices = transport.readers().map(readerDevice);
  if (status.state === 'unavailable') {
    return {
      devices,
      status: failedStatus(
        'pcsc',
        'PCSCD_NOT_RUNNING',
        status.message ?? 'pcscd not running',
        devices.length,
      ),
    };
  }
  return { devices, status: okStatus('pcsc', devices.length) };
}

function openContext(): PcscContext {
  const factory = createRequire(import.meta.url)('pcsclite') as () => PcscContext;
  return factory();
}

export async function discoverPcscReaders(
  options: PcscDiscoveryOptions = {},
): Promise<SourceResult<PcscReaderDevice>> {
  if (options.transport) return fromTransport(options.transport);
  const timeoutMs = options.timeoutMs ?? 2_000;
  const settleMs = options.settleMs ?? 250;

  let context: PcscContext;
  try {
    context = openContext();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (NO_SERVICE.test(message)) {
      return { devices: [], status: failedStatus('pcsc', 'PCSCD_NOT_RUNNING', 'pcscd not running') };
    }
    return { devices: [], status: failedStatus('pcsc', 'PCSC_UNAVAILABLE', message) };
  }

  const natives: NativeReader[] = [];
  const names: string[] = [];
  const outcome = await new Promise<{ error?: string }>((resolve) => {
    let settle: NodeJS.Timeout | undefined;
    const finish = (result: { error?: string }) => {
      clearTimeout(settle);
      clearTimeout(deadline);
      resolve(result);
    };
    const deadline = setTimeout(() => finish({}), timeoutMs);
    const quiet = () => {
      clearTimeout(settle);
      settle = setTimeout(() => finish({}), settleMs);
    };
    context.on('error', (error: unknown) => finish({ error: String(error) }));
    context.on('reader', (native: NativeReader) => {
      // A reader's status thread reports pcscd going away as an error; this short-lived probe ignores it.
      native.on('error', () => undefined);
      natives.push(native);
      names.push(native.name);
      quiet();
    });
    quiet();
  });

  for (const native of natives) {
    try {
      native.close();
    } catch {
      // already gone with pcscd
    }
  }
  // Closing cancels the pending status change, which pcsclite reports as an error event: keep a listener.
  context.removeAllListeners('error');
  context.on('error', () => undefined);
  context.close();

  const devices = names.map(readerDevice);
  if (outcome.error !== undefined) {
    const code = NO_SERVICE.test(outcome.error) ? 'PCSCD_NOT_RUNNING' : 'PCSC_UNAVAILABLE';
    return { devices, status: failedStatus('pcsc', code, outcome.error, devices.length) };
  }
  return { devices, status: okStatus('pcsc', devices.length) };
}
