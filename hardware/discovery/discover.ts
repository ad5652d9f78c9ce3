/**
 * `discoverDevices()`: every source at once, each independent. A source that fails adds a status entry
 * (`ok: false` with a stable code) and the others still report what they found.
 */
import { discoverHid, type HidLister } from './hid';
import { type PrinterAddress, probeNetworkPrinter } from './network-printer';
import { discoverPcscReaders, type PcscDiscoveryOptions } from './pcsc';
import { discoverSerialPorts, type SerialLister } from './serial';
import { guarded, okStatus, type SourceResult } from './source';
import type { DiscoveredDevice, DiscoveryResult, DiscoverySource, FsRoots } from './types';
import { SYSTEM_ROOTS } from './types';
import { discoverUsbPrinters } from './usb-printer';

export interface DiscoveryOptions {
  /** File-system roots; tests point them at a temporary tree. */
  readonly roots?: Partial<FsRoots> | undefined;
  readonly pcsc?: PcscDiscoveryOptions | undefined;
  /** Lists HID devices; default node-hid's `devices()`. */
  readonly hid?: HidLister | undefined;
  /** Lists serial ports; default serialport's `SerialPort.list()`. */
  readonly serial?: SerialLister | undefined;
  /** Longest wait for the serial port listing. Default 3000 ms. */
  readonly serialTimeoutMs?: number | undefined;
  /** Network printers to probe. Nothing is probed unless addresses are given. */
  readonly networkPrinters?: readonly PrinterAddress[] | undefined;
  readonly networkTimeoutMs?: number | undefined;
  /** Which sources to run; default all. */
  readonly sources?: readonly DiscoverySource[] | undefined;
  readonly now?: (() => number) | undefined;
}

export const ALL_SOURCES: readonly DiscoverySource[] = [
  'pcsc',
  'hid',
  'serial',
  'usb-printer',
  'network-printer',
];

export async function discoverDevices(options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const roots: FsRoots = { ...SYSTEM_ROOTS, ...options.roots };
  const wanted = new Set(options.sources ?? ALL_SOURCES);
  const runs: Promise<SourceResult>[] = [];

  if (wanted.has('pcsc'))
    runs.push(guarded('pcsc', 'PCSC_UNAVAILABLE', () => discoverPcscReaders(options.pcsc)));
  if (wanted.has('hid')) runs.push(guarded('hid', 'HID_UNAVAILABLE', () => discoverHid(options.hid)));
  if (wanted.has('serial')) {
    runs.push(
      guarded('serial', 'SERIAL_LIST_FAILED', () =>
        discoverSerialPorts({ roots, list: options.serial, timeoutMs: options.serialTimeoutMs }),
      ),
    );
  }
  if (wanted.has('usb-printer')) {
    runs.push(guarded('usb-printer', 'USB_PRINTER_LIST_FAILED', () => discoverUsbPrinters(roots)));
  }
  if (wanted.has('network-printer')) {
    const addresses = options.networkPrinters ?? [];
    runs.push(
      guarded('network-printer', 'NETWORK_PROBE_FAILED', async () => {
        const devices = await Promise.all(
          addresses.map((address) => probeNetworkPrinter(address, options.networkTimeoutMs)),
        );
        return { devices, status: okStatus('network-printer', devices.length) };
      }),
    );
  }

  const results = await Promise.all(runs);
  const devices: DiscoveredDevice[] = results.flatMap((r) => r.devices);
  return { at: (options.now ?? Date.now)(), devices, sources: results.map((r) => r.status) };
}
