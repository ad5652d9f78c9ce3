/**
 * The seam between the swiper driver and the HID stack. Production uses node-hid (hidraw); the simulator
 * and the tests provide their own backend, because this kernel offers no way (no /dev/uhid) to create a
 * virtual HID device that node-hid could open.
 */
import { createRequire } from 'node:module';
import { DeviceError } from '../errors';

export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string | undefined;
  readonly serialNumber?: string | undefined;
  readonly manufacturer?: string | undefined;
  readonly product?: string | undefined;
  readonly interface?: number | undefined;
  readonly usagePage?: number | undefined;
  readonly usage?: number | undefined;
}

/** An open HID device: it emits input reports and errors (an unplug shows up as an error) until closed. */
export interface HidConnection {
  on(event: 'data', listener: (report: Uint8Array) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): void;
}

export interface HidBackend {
  devices(): HidDeviceInfo[];
  open(path: string): HidConnection;
}

interface NodeHidModule {
  devices(): HidDeviceInfo[];
  HID: new (path: string) => HidConnection & { removeAllListeners(): unknown };
}

let nodeHid: NodeHidModule | undefined;

/** node-hid is loaded on first use, so code that only parses tracks never loads the native module. */
function loadNodeHid(): NodeHidModule {
  if (nodeHid === undefined) {
    try {
      nodeHid = createRequire(import.meta.url)('node-hid') as NodeHidModule;
    } catch (cause) {
      throw new DeviceError('HID_UNAVAILABLE', 'The HID library (node-hid) could not be loaded', { cause });
    }
  }
  return nodeHid;
}

/** The production backend: hidraw through node-hid. */
export const nodeHidBackend: HidBackend = {
  devices() {
    try {
      return loadNodeHid().devices();
    } catch (cause) {
      if (cause instanceof DeviceError) throw cause;
      throw new DeviceError('HID_ENUMERATION_FAILED', 'Could not list HID devices', { cause });
    }
  },
  open(path) {
    const { HID } = loadNodeHid();
    try {
      return new HID(path);
    } catch (cause) {
      throw new DeviceError('HID_OPEN_FAILED', 'Could not open the HID device', { cause, details: { path } });
    }
  },
};

/** Which device a paired swiper is. Unset fields match anything; at least one must be set. */
export interface HidSelector {
  readonly vendorId?: number;
  readonly productId?: number;
  readonly serialNumber?: string;
  /** A hidraw path changes when the device is re-plugged; prefer VID/PID/serial for pairing. */
  readonly path?: string;
  /** For readers with several HID interfaces (keyboard and vendor), the one to read. */
  readonly interface?: number;
  readonly usagePage?: number;
}

export function matchesSelector(info: HidDeviceInfo, selector: HidSelector): boolean {
  if (selector.vendorId !== undefined && info.vendorId !== selector.vendorId) return false;
  if (selector.productId !== undefined && info.productId !== selector.productId) return false;
  if (selector.serialNumber !== undefined && info.serialNumber !== selector.serialNumber) return false;
  if (selector.path !== undefined && info.path !== selector.path) return false;
  if (selector.interface !== undefined && info.interface !== selector.interface) return false;
  if (selector.usagePage !== undefined && info.usagePage !== selector.usagePage) return false;
  return true;
}

/** Known swiper vendors (hardware reference §4.2). */
export const MAGTEK_VENDOR_ID = 0x0801;
export const IDTECH_VENDOR_ID = 0x0acd;

/** HID devices that look like swipers: a known swiper vendor, or whatever matches the given selector. */
export function findSwipers(backend: HidBackend, selector?: HidSelector): HidDeviceInfo[] {
  return backend
    .devices()
    .filter((info) =>
      selector
        ? matchesSelector(info, selector)
        : info.vendorId === MAGTEK_VENDOR_ID || info.vendorId === IDTECH_VENDOR_ID,
    );
}
