/** HID devices through node-hid, named from the known-id table and classed by usage page. */
import { createRequire } from 'node:module';
import { hidInterfaceKind, knownDevice } from './known-devices';
import { failedStatus, okStatus, type SourceResult, stableCode } from './source';
import { type HidDevice, hex4 } from './types';

/** One entry of node-hid's `devices()`. */
export interface HidInfo {
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

export type HidLister = () => readonly HidInfo[];

export const nodeHidLister: HidLister = () => {
  const hid = createRequire(import.meta.url)('node-hid') as { devices(): HidInfo[] };
  return hid.devices();
};

export function toHidDevice(info: HidInfo): HidDevice {
  const vid = hex4(info.vendorId);
  const pid = hex4(info.productId);
  return {
    kind: 'hid',
    id: `hid:${info.path ?? `${vid}:${pid}:${info.interface ?? 0}`}`,
    path: info.path,
    vendorId: info.vendorId,
    productId: info.productId,
    vid,
    pid,
    manufacturer: info.manufacturer || undefined,
    product: info.product || undefined,
    serialNumber: info.serialNumber || undefined,
    usagePage: info.usagePage,
    usage: info.usage,
    interfaceNumber: info.interface,
    interfaceKind: hidInterfaceKind(info.usagePage, info.usage),
    known: knownDevice(info.vendorId, info.productId),
  };
}

export async function discoverHid(list: HidLister = nodeHidLister): Promise<SourceResult<HidDevice>> {
  let infos: readonly HidInfo[];
  try {
    infos = list();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { devices: [], status: failedStatus('hid', stableCode(error) ?? 'HID_UNAVAILABLE', message) };
  }
  const devices = infos.map(toHidDevice);
  return { devices, status: okStatus('hid', devices.length) };
}
