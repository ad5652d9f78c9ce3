/** USB printer-class nodes the kernel's usblp driver makes: `/dev/usb/lp*` (hardware reference §6). */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { okStatus, type SourceResult } from './source';
import { usbIdsOfClassDevice } from './sysfs';
import type { FsRoots, UsbPrinterDevice } from './types';

const LP = /^lp\d+$/;

export async function discoverUsbPrinters(roots: FsRoots): Promise<SourceResult<UsbPrinterDevice>> {
  let names: string[];
  try {
    names = await readdir(join(roots.dev, 'usb'));
  } catch (error) {
    // No /dev/usb at all just means no usblp device has ever been plugged in.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { devices: [], status: okStatus('usb-printer', 0) };
    throw error;
  }
  const devices: UsbPrinterDevice[] = [];
  for (const name of names.filter((n) => LP.test(n)).sort()) {
    const path = join(roots.dev, 'usb', name);
    const ids = await usbIdsOfClassDevice(roots.sys, 'usbmisc', name);
    devices.push({
      kind: 'usb-printer',
      id: `usb-printer:${path}`,
      path,
      vendorId: ids?.vendorId,
      productId: ids?.productId,
      manufacturer: ids?.manufacturer,
      product: ids?.product,
    });
  }
  return { devices, status: okStatus('usb-printer', devices.length) };
}
