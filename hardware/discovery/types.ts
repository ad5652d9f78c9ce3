/**
 * What discovery reports: one list of devices from every source, plus one status entry per source, so a
 * source that failed (pcscd not running, node-hid not loadable, no udevadm) shows up as a finding rather
 * than as an exception that hides what the other sources found.
 */
import type { KnownDevice } from './known-devices';

export type DiscoverySource = 'pcsc' | 'hid' | 'serial' | 'usb-printer' | 'network-printer';

export interface PcscReaderDevice {
  readonly kind: 'pcsc-reader';
  /** Stable within one discovery: the source and the reader's own name. */
  readonly id: string;
  /** The reader name as pcscd reports it ("ACS ACR122U PICC Interface 00 00"). */
  readonly name: string;
}

/** Keyboard-wedge swipers and keyboards look alike; a vendor usage page means a raw (vendor-mode) device. */
export type HidInterfaceKind = 'keyboard' | 'vendor' | 'other';

export interface HidDevice {
  readonly kind: 'hid';
  readonly id: string;
  /** The hidraw path node-hid opens (Linux: /dev/hidrawN). */
  readonly path: string | undefined;
  readonly vendorId: number;
  readonly productId: number;
  /** VID and PID as 4 lower-case hex digits, as udev rules and lsusb write them. */
  readonly vid: string;
  readonly pid: string;
  readonly manufacturer: string | undefined;
  readonly product: string | undefined;
  readonly serialNumber: string | undefined;
  readonly usagePage: number | undefined;
  readonly usage: number | undefined;
  readonly interfaceNumber: number | undefined;
  readonly interfaceKind: HidInterfaceKind;
  readonly known: KnownDevice | undefined;
}

export interface SerialDevice {
  readonly kind: 'serial';
  readonly id: string;
  /** The tty node (/dev/ttyUSB0, /dev/ttyACM0). */
  readonly path: string;
  /** `/dev/serial/by-id/…` links that point at this tty; they survive re-plugging, so pairing prefers them. */
  readonly byId: readonly string[];
  readonly vendorId: number | undefined;
  readonly productId: number | undefined;
  readonly manufacturer: string | undefined;
  readonly serialNumber: string | undefined;
  readonly known: KnownDevice | undefined;
  /** Which listings found it: serialport's list (needs udev), the by-id links, or a plain readdir of /dev. */
  readonly foundBy: readonly ('serialport' | 'by-id' | 'dev')[];
}

export interface UsbPrinterDevice {
  readonly kind: 'usb-printer';
  readonly id: string;
  /** /dev/usb/lpN, written to with plain write() of ESC/POS bytes. */
  readonly path: string;
  /** From sysfs (`/sys/class/usbmisc/lpN`), when the node is a USB device. */
  readonly vendorId: number | undefined;
  readonly productId: number | undefined;
  readonly manufacturer: string | undefined;
  readonly product: string | undefined;
}

/** The answer of a network printer to `DLE EOT 1`. */
export type NetworkPrinterState = 'online' | 'offline' | 'no-status' | 'unreachable';

export interface NetworkPrinterDevice {
  readonly kind: 'network-printer';
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly state: NetworkPrinterState;
  /** The DLE EOT 1 reply byte when one came. */
  readonly statusByte: number | undefined;
  /** Why it is unreachable (ECONNREFUSED, TIMEOUT…) when it is. */
  readonly error: string | undefined;
  /** Connect plus status round trip, in milliseconds, when the printer answered. */
  readonly latencyMs: number | undefined;
}

export type DiscoveredDevice =
  | PcscReaderDevice
  | HidDevice
  | SerialDevice
  | UsbPrinterDevice
  | NetworkPrinterDevice;

export interface SourceStatus {
  readonly source: DiscoverySource;
  readonly ok: boolean;
  /** Stable code when the source could not be read (PCSCD_NOT_RUNNING, HID_UNAVAILABLE…). */
  readonly code: string | undefined;
  readonly message: string | undefined;
  readonly count: number;
}

export interface DiscoveryResult {
  /** UTC epoch milliseconds. */
  readonly at: number;
  readonly devices: readonly DiscoveredDevice[];
  readonly sources: readonly SourceStatus[];
}

/** The file-system roots discovery reads; tests point them at a temporary tree. */
export interface FsRoots {
  /** Default `/dev`. */
  readonly dev: string;
  /** Default `/sys`. */
  readonly sys: string;
  /** Default `/proc`. */
  readonly proc: string;
}

export const SYSTEM_ROOTS: FsRoots = { dev: '/dev', sys: '/sys', proc: '/proc' };

/** Lower-case 4-digit hex, as udev and lsusb write USB ids. */
export const hex4 = (id: number): string => id.toString(16).padStart(4, '0');
