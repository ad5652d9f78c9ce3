/**
 * Serial ports from three listings merged by tty path:
 * - serialport's `SerialPort.list()`, which on Linux asks udev (`udevadm`) and so misses ports when udev
 *   is absent (containers, minimal images);
 * - the `/dev/serial/by-id/*` links udev makes, resolved to their ttys (the names pairing should keep,
 *   because ttyUSB numbers change on re-plug);
 * - a plain readdir of `/dev` for ttyUSB* and ttyACM* (USB-serial bridges and CDC-ACM printers).
 * USB ids missing from the first listing are read from sysfs.
 */
import { readdir, readlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { knownDevice } from './known-devices';
import { failedStatus, okStatus, type SourceResult } from './source';
import { usbIdsOfClassDevice } from './sysfs';
import type { FsRoots, SerialDevice } from './types';

/** One entry of serialport's `SerialPort.list()` (ids are hex strings there). */
export interface SerialPortInfo {
  readonly path: string;
  readonly manufacturer?: string | undefined;
  readonly serialNumber?: string | undefined;
  readonly vendorId?: string | undefined;
  readonly productId?: string | undefined;
}

export type SerialLister = () => Promise<readonly SerialPortInfo[]>;

export const serialportLister: SerialLister = async () => {
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
};

const USB_TTY = /^tty(USB|ACM)\d+$/;

interface Draft {
  path: string;
  byId: string[];
  vendorId: number | undefined;
  productId: number | undefined;
  manufacturer: string | undefined;
  serialNumber: string | undefined;
  foundBy: Set<'serialport' | 'by-id' | 'dev'>;
}

const parseHex = (value: string | undefined): number | undefined => {
  if (value === undefined || !/^[0-9a-f]{1,4}$/i.test(value)) return undefined;
  return Number.parseInt(value, 16);
};

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`serial port listing took longer than ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolvePromise(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export interface SerialDiscoveryOptions {
  readonly roots: FsRoots;
  readonly list?: SerialLister | undefined;
  /** Longest wait for serialport's listing (it spawns udevadm). Default 3000 ms. */
  readonly timeoutMs?: number | undefined;
}

export async function discoverSerialPorts(
  options: SerialDiscoveryOptions,
): Promise<SourceResult<SerialDevice>> {
  const { roots } = options;
  const drafts = new Map<string, Draft>();
  const draft = (path: string): Draft => {
    let entry = drafts.get(path);
    if (!entry) {
      entry = {
        path,
        byId: [],
        vendorId: undefined,
        productId: undefined,
        manufacturer: undefined,
        serialNumber: undefined,
        foundBy: new Set(),
      };
      drafts.set(path, entry);
    }
    return entry;
  };

  let listError: string | undefined;
  try {
    const ports = await withTimeout((options.list ?? serialportLister)(), options.timeoutMs ?? 3_000);
    for (const port of ports) {
      const entry = draft(port.path);
      entry.foundBy.add('serialport');
      entry.vendorId = parseHex(port.vendorId);
      entry.productId = parseHex(port.productId);
      entry.manufacturer = port.manufacturer || undefined;
      entry.serialNumber = port.serialNumber || undefined;
    }
  } catch (error) {
    listError = error instanceof Error ? error.message : String(error);
  }

  const byIdDir = join(roots.dev, 'serial', 'by-id');
  for (const link of (await listDir(byIdDir)).sort()) {
    try {
      const target = resolve(byIdDir, await readlink(join(byIdDir, link)));
      const entry = draft(target);
      entry.foundBy.add('by-id');
      entry.byId.push(join(byIdDir, link));
    } catch {
      // not a link, or it vanished with an unplug between readdir and readlink
    }
  }

  for (const name of await listDir(roots.dev)) {
    if (USB_TTY.test(name)) draft(join(roots.dev, name)).foundBy.add('dev');
  }

  const devices: SerialDevice[] = [];
  for (const entry of [...drafts.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    if (entry.vendorId === undefined) {
      const ids = await usbIdsOfClassDevice(roots.sys, 'tty', basename(entry.path));
      if (ids) {
        entry.vendorId = ids.vendorId;
        entry.productId = ids.productId;
        entry.manufacturer ??= ids.manufacturer;
        entry.serialNumber ??= ids.serialNumber;
      }
    }
    devices.push({
      kind: 'serial',
      id: `serial:${entry.byId[0] ?? entry.path}`,
      path: entry.path,
      byId: entry.byId,
      vendorId: entry.vendorId,
      productId: entry.productId,
      manufacturer: entry.manufacturer,
      serialNumber: entry.serialNumber,
      known: knownDevice(entry.vendorId, entry.productId),
      foundBy: [...entry.foundBy],
    });
  }

  if (listError !== undefined) {
    // The other listings still count; the status says why serialport's own listing is missing.
    return { devices, status: failedStatus('serial', 'SERIAL_LIST_FAILED', listError, devices.length) };
  }
  return { devices, status: okStatus('serial', devices.length) };
}
