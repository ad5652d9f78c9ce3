/**
 * USB ids the terminal knows by name (hardware reference §4.2, §6; usb.ids). Unknown ids are still listed;
 * this table only adds a vendor name, a model name where one is certain, and the role the device can take.
 */

export type DeviceRole = 'card-reader' | 'swiper' | 'receipt-printer';

export interface KnownDevice {
  readonly vendor: string;
  readonly model: string | undefined;
  readonly role: DeviceRole;
}

interface VendorEntry {
  readonly vendor: string;
  readonly role: DeviceRole;
  readonly models: Readonly<Record<number, string>>;
}

export const VENDOR_MAGTEK = 0x0801;
export const VENDOR_IDTECH = 0x0acd;
export const VENDOR_ACS = 0x072f;
export const VENDOR_EPSON = 0x04b8;

/** ACR122U: the reader the kernel's pn533_usb driver claims before pcscd can. */
export const ACR122U = { vendorId: VENDOR_ACS, productId: 0x2200 } as const;

const VENDORS: ReadonlyMap<number, VendorEntry> = new Map<number, VendorEntry>([
  [
    VENDOR_MAGTEK,
    {
      vendor: 'MagTek',
      role: 'swiper',
      models: {
        1: 'Mini Swipe Reader (keyboard emulation)',
        2: 'Mini Swipe Reader (HID)',
        3: 'Insert reader',
        17: 'DynaMag',
      },
    },
  ],
  [
    VENDOR_IDTECH,
    {
      vendor: 'ID TECH',
      role: 'swiper',
      models: { 8240: 'ValueMag', 1584: 'Spectrum III (USB-CDC)', 14096: 'ViVOpay Kiosk III' },
    },
  ],
  [
    VENDOR_ACS,
    {
      vendor: 'ACS',
      role: 'card-reader',
      models: { 8704: 'ACR122U', 8763: 'ACR1252U', 8766: 'ACR1252U' },
    },
  ],
  [VENDOR_EPSON, { vendor: 'Epson', role: 'receipt-printer', models: { 514: 'Receipt printer (UB-U05)' } }],
]);

export function knownDevice(
  vendorId: number | undefined,
  productId: number | undefined,
): KnownDevice | undefined {
  if (vendorId === undefined) return undefined;
  const entry = VENDORS.get(vendorId);
  if (!entry) return undefined;
  const model = productId === undefined ? undefined : entry.models[productId];
  return { vendor: entry.vendor, model, role: entry.role };
}

/** HID usage page 0x01 (Generic Desktop) usage 0x06 is a keyboard; pages 0xFF00–0xFFFF are vendor-defined. */
export function hidInterfaceKind(
  usagePage: number | undefined,
  usage: number | undefined,
): 'keyboard' | 'vendor' | 'other' {
  if (usagePage === 0x01 && usage === 0x06) return 'keyboard';
  if (usagePage !== undefined && usagePage >= 0xff00) return 'vendor';
  return 'other';
}
