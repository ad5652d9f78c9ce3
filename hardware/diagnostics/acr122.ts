/**
 * The ACR122U gotcha (hardware reference §6): the kernel's `pn533_usb` driver binds the reader before
 * pcscd's libccid can, and pcscd then logs "Unable to claim USB interface". Finds ACR122U devices in
 * `/sys/bus/usb/devices`, and reports an error when one of its interfaces is bound to pn533_usb, a
 * warning when the module is loaded (it will take the reader on the next plug).
 */
import { join } from 'node:path';
import { type Finding, failed, passed } from './finding';
import { PN533_BLACKLIST_FILE } from './paths';
import { boundDriver, type DiagnosticRoots, listDir, loadedModules, readText } from './system';

const NFC_MODULES = ['pn533_usb', 'pn533'];

export interface Acr122CheckOptions {
  readonly roots: DiagnosticRoots;
  /** Where the packaged blacklist file sits (offered to copy). */
  readonly shippedBlacklist?: string | undefined;
}

async function acr122Devices(sysRoot: string): Promise<string[]> {
  const base = join(sysRoot, 'bus', 'usb', 'devices');
  const found: string[] = [];
  for (const name of await listDir(base)) {
    const vendor = (await readText(join(base, name, 'idVendor')))?.trim().toLowerCase();
    const product = (await readText(join(base, name, 'idProduct')))?.trim().toLowerCase();
    if (vendor === '072f' && product === '2200') found.push(name);
  }
  return found;
}

export async function checkAcr122(options: Acr122CheckOptions): Promise<Finding> {
  const id = 'acr122u-pn533';
  const { roots } = options;
  const readers = await acr122Devices(roots.sys);
  if (readers.length === 0) return passed(id);

  const params = {
    blacklist: PN533_BLACKLIST_FILE,
    shipped:
      options.shippedBlacklist ??
      '/opt/Member Card POS/resources/modprobe/member-card-pos-blacklist-pn533.conf',
    reader: readers.join(', '),
  };
  const base = join(roots.sys, 'bus', 'usb', 'devices');
  // Interfaces of USB device "1-2" are "1-2:1.0", "1-2:1.1"…
  for (const entry of await listDir(base)) {
    const owner = readers.find((reader) => entry.startsWith(`${reader}:`));
    if (!owner) continue;
    const driver = await boundDriver(join(base, entry));
    if (driver !== undefined && NFC_MODULES.includes(driver)) {
      return failed(id, 'error', 'ACR122U_CLAIMED_BY_PN533', 'BLACKLIST_PN533', {
        ...params,
        module: driver,
      });
    }
  }
  const modules = await loadedModules(roots);
  const loaded = NFC_MODULES.find((name) => modules.has(name));
  const sysModule = (await listDir(join(roots.sys, 'module'))).find((name) => NFC_MODULES.includes(name));
  const module = loaded ?? sysModule;
  if (module !== undefined) {
    return failed(id, 'warning', 'PN533_MODULE_LOADED', 'BLACKLIST_PN533', { ...params, module });
  }
  return passed(id, params);
}
