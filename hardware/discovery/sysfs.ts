/**
 * USB ids of a device node, read from sysfs without udev: `/sys/class/<class>/<name>/device` links into the
 * USB tree, and the USB device directory (the one holding `idVendor`) is a few levels above the interface
 * the node hangs off (one for ttyACM and lp, two for ttyUSB, three or more for hidraw).
 */
import { readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface UsbIds {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturer: string | undefined;
  readonly product: string | undefined;
  readonly serialNumber: string | undefined;
}

async function readTrimmed(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Reads the ids of the USB device at `dir` (a directory with idVendor/idProduct), or undefined. */
export async function usbIdsAt(dir: string): Promise<UsbIds | undefined> {
  const vendor = await readTrimmed(join(dir, 'idVendor'));
  const product = await readTrimmed(join(dir, 'idProduct'));
  if (vendor === undefined || product === undefined) return undefined;
  const vendorId = Number.parseInt(vendor, 16);
  const productId = Number.parseInt(product, 16);
  if (!Number.isInteger(vendorId) || !Number.isInteger(productId)) return undefined;
  return {
    vendorId,
    productId,
    manufacturer: await readTrimmed(join(dir, 'manufacturer')),
    product: await readTrimmed(join(dir, 'product')),
    serialNumber: await readTrimmed(join(dir, 'serial')),
  };
}

/** USB ids of `/sys/class/<className>/<name>`, walking up from its device link; undefined when not USB. */
export async function usbIdsOfClassDevice(
  sysRoot: string,
  className: string,
  name: string,
): Promise<UsbIds | undefined> {
  let dir: string;
  try {
    dir = await realpath(join(sysRoot, 'class', className, name, 'device'));
  } catch {
    return undefined;
  }
  for (let level = 0; level < 6 && dir.startsWith(sysRoot) && dir !== sysRoot; level += 1) {
    const ids = await usbIdsAt(dir);
    if (ids) return ids;
    dir = dirname(dir);
  }
  return undefined;
}
