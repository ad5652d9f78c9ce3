/** Device discovery: PC/SC readers, HID devices, serial ports, USB and network printers. */
export type { DiscoveryOptions } from './discover';
export { ALL_SOURCES, discoverDevices } from './discover';
export type { HidInfo, HidLister } from './hid';
export { discoverHid, nodeHidLister, toHidDevice } from './hid';
export type { DeviceRole, KnownDevice } from './known-devices';
export {
  ACR122U,
  hidInterfaceKind,
  knownDevice,
  VENDOR_ACS,
  VENDOR_EPSON,
  VENDOR_IDTECH,
  VENDOR_MAGTEK,
} from './known-devices';
export type { PrinterAddress } from './network-printer';
export { DLE_EOT_PRINTER_STATUS, parsePrinterAddress, probeNetworkPrinter } from './network-printer';
export type { PcscDiscoveryOptions, PcscReaderList } from './pcsc';
export { discoverPcscReaders } from './pcsc';
export type { SerialDiscoveryOptions, SerialLister, SerialPortInfo } from './serial';
export { discoverSerialPorts, serialportLister } from './serial';
export type { UsbIds } from './sysfs';
export { usbIdsAt, usbIdsOfClassDevice } from './sysfs';
export type {
  DiscoveredDevice,
  DiscoveryResult,
  DiscoverySource,
  FsRoots,
  HidDevice,
  HidInterfaceKind,
  NetworkPrinterDevice,
  NetworkPrinterState,
  PcscReaderDevice,
  SerialDevice,
  SourceStatus,
  UsbPrinterDevice,
} from './types';
export { hex4, SYSTEM_ROOTS } from './types';
export { discoverUsbPrinters } from './usb-printer';
