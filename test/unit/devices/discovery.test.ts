import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  discoverDevices,
  discoverPcscReaders,
  type HidDevice,
  type HidInfo,
  hidInterfaceKind,
  knownDevice,
  parsePrinterAddress,
  type SerialDevice,
  type UsbPrinterDevice,
} from '../../../hardware/discovery/index';
import { type FakeTree, fakeTree } from './fake-tree';

/** node-hid `devices()` entries as recorded on a terminal with two swipers, a keyboard and a mouse. */
const RECORDED_HID: HidInfo[] = [
  {
    vendorId: 0x0801,
    productId: 0x0002,
    path: '/dev/hidraw3',
    manufacturer: 'Mag-Tek',
    product: 'USB Swipe Reader',
    serialNumber: '',
    interface: 0,
    usagePage: 0xff00,
    usage: 0x01,
  },
  {
    vendorId: 0x0acd,
    productId: 0x2030,
    path: '/dev/hidraw4',
    manufacturer: 'ID TECH',
    product: 'TM3 Magstripe USB-HID Keyboard Reader',
    interface: 0,
    usagePage: 0x01,
    usage: 0x06,
  },
  {
    vendorId: 0x046d,
    productId: 0xc31c,
    path: '/dev/hidraw0',
    product: 'USB Keyboard',
    usagePage: 1,
    usage: 6,
  },
  {
    vendorId: 0x046d,
    productId: 0xc077,
    path: '/dev/hidraw1',
    product: 'USB Optical Mouse',
    usagePage: 1,
    usage: 2,
  },
];

const only = <K extends string>(result: { devices: readonly { kind: string }[] }, kind: K) =>
  result.devices.filter((d) => d.kind === kind);

describe('known device table', () => {
  it('names the vendors a store plugs in and the role each can take', () => {
    expect(knownDevice(0x0801, 0x0002)).toEqual({
      vendor: 'MagTek',
      model: 'Mini Swipe Reader (HID)',
      role: 'swiper',
    });
    expect(knownDevice(0x0acd, 0x9999)).toEqual({ vendor: 'ID TECH', model: undefined, role: 'swiper' });
    expect(knownDevice(0x072f, 0x2200)?.model).toBe('ACR122U');
    expect(knownDevice(0x04b8, 0x0202)?.role).toBe('receipt-printer');
    expect(knownDevice(0x046d, 0xc31c)).toBeUndefined();
    expect(knownDevice(undefined, undefined)).toBeUndefined();
  });

  it('tells keyboards from vendor-defined HID interfaces by usage page', () => {
    expect(hidInterfaceKind(0x01, 0x06)).toBe('keyboard');
    expect(hidInterfaceKind(0xff00, 0x01)).toBe('vendor');
    expect(hidInterfaceKind(0xffa0, 0x01)).toBe('vendor');
    expect(hidInterfaceKind(0x01, 0x02)).toBe('other');
    expect(hidInterfaceKind(undefined, undefined)).toBe('other');
  });
});

describe('discoverDevices', () => {
  let tree: FakeTree;
  beforeEach(() => {
    tree = fakeTree();
  });
  afterEach(() => tree.remove());

  const roots = () => ({ dev: tree.dev, sys: tree.sys, proc: tree.proc });

  it('lists HID devices with lower-case VID/PID, names and the known-device entry', async () => {
    const result = await discoverDevices({ sources: ['hid'], hid: () => RECORDED_HID });
    const hid = only(result, 'hid') as HidDevice[];
    expect(hid.map((d) => `${d.vid}:${d.pid}`)).toEqual(['0801:0002', '0acd:2030', '046d:c31c', '046d:c077']);
    expect(hid[0]).toMatchObject({
      path: '/dev/hidraw3',
      manufacturer: 'Mag-Tek',
      serialNumber: undefined,
      interfaceKind: 'vendor',
      known: { vendor: 'MagTek', role: 'swiper' },
    });
    expect(hid[1]).toMatchObject({ interfaceKind: 'keyboard', known: { vendor: 'ID TECH' } });
    expect(hid[2]?.known).toBeUndefined();
    expect(result.sources).toEqual([
      { source: 'hid', ok: true, code: undefined, message: undefined, count: 4 },
    ]);
  });

  it('finds USB serial ports by readdir and by-id links, with ids from sysfs, when serialport lists nothing', async () => {
    tree.file('dev/ttyUSB0');
    tree.file('dev/ttyACM0');
    tree.file('dev/ttyS0');
    tree.link(
      'dev/serial/by-id/usb-Prolific_Technology_Inc._USB-Serial_Controller-if00-port0',
      '../../ttyUSB0',
    );
    const bridge = tree.usbDevice('1-1', '067b', '2303', { manufacturer: 'Prolific Technology Inc.' });
    tree.file(`${bridge}/1-1:1.0/ttyUSB0/.keep`);
    tree.link('sys/class/tty/ttyUSB0/device', `../../../../${bridge}/1-1:1.0/ttyUSB0`);
    const acm = tree.usbDevice('1-4', '04b8', '0e28');
    tree.file(`${acm}/1-4:1.0/.keep`);
    tree.link('sys/class/tty/ttyACM0/device', `../../../../${acm}/1-4:1.0`);

    const result = await discoverDevices({ roots: roots(), sources: ['serial'], serial: async () => [] });
    const serial = only(result, 'serial') as SerialDevice[];
    expect(serial.map((d) => d.path)).toEqual([`${tree.dev}/ttyACM0`, `${tree.dev}/ttyUSB0`]);
    const usb = serial[1] as SerialDevice;
    expect(usb.byId).toEqual([
      `${tree.dev}/serial/by-id/usb-Prolific_Technology_Inc._USB-Serial_Controller-if00-port0`,
    ]);
    expect(usb.id).toBe(`serial:${usb.byId[0]}`);
    expect(usb).toMatchObject({
      vendorId: 0x067b,
      productId: 0x2303,
      manufacturer: 'Prolific Technology Inc.',
    });
    expect([...usb.foundBy].sort()).toEqual(['by-id', 'dev']);
    expect(serial[0]).toMatchObject({ vendorId: 0x04b8, known: { vendor: 'Epson' }, foundBy: ['dev'] });
  });

  it('merges serialport entries with what the file system shows, keeping serialport ids', async () => {
    tree.file('dev/ttyUSB0');
    const path = `${tree.dev}/ttyUSB0`;
    const result = await discoverDevices({
      roots: roots(),
      sources: ['serial'],
      serial: async () => [{ path, vendorId: '1a86', productId: '7523', manufacturer: 'wch.cn' }],
    });
    expect(only(result, 'serial')).toEqual([
      expect.objectContaining({ path, vendorId: 0x1a86, productId: 0x7523, foundBy: ['serialport', 'dev'] }),
    ]);
  });

  it('reports a failed serialport listing as a status and still returns the ports found on disk', async () => {
    tree.file('dev/ttyUSB0');
    const result = await discoverDevices({
      roots: roots(),
      sources: ['serial'],
      serial: async () => {
        throw new Error('spawn udevadm ENOENT');
      },
    });
    expect(only(result, 'serial')).toHaveLength(1);
    expect(result.sources[0]).toMatchObject({ ok: false, code: 'SERIAL_LIST_FAILED', count: 1 });
    expect(result.sources[0]?.message).toContain('udevadm');
  });

  it('gives up on a serialport listing that hangs', async () => {
    const result = await discoverDevices({
      roots: roots(),
      sources: ['serial'],
      serial: () => new Promise(() => undefined),
      serialTimeoutMs: 100,
    });
    expect(result.sources[0]).toMatchObject({ ok: false, code: 'SERIAL_LIST_FAILED' });
    expect(result.sources[0]?.message).toMatch(/longer than 100 ms/);
  });

  it('lists /dev/usb/lp* printers with their USB ids from sysfs', async () => {
    tree.file('dev/usb/lp0');
    tree.file('dev/usb/hiddev0');
    const printer = tree.usbDevice('1-2', '04b8', '0202', { product: 'Receipt Printer M129C' });
    tree.file(`${printer}/1-2:1.0/usbmisc/lp0/.keep`);
    tree.link('sys/class/usbmisc/lp0/device', `../../../../${printer}/1-2:1.0`);

    const result = await discoverDevices({ roots: roots(), sources: ['usb-printer'] });
    expect(only(result, 'usb-printer') as UsbPrinterDevice[]).toEqual([
      {
        kind: 'usb-printer',
        id: `usb-printer:${tree.dev}/usb/lp0`,
        path: `${tree.dev}/usb/lp0`,
        vendorId: 0x04b8,
        productId: 0x0202,
        manufacturer: undefined,
        product: 'Receipt Printer M129C',
      },
    ]);
  });

  it('counts a machine without /dev/usb as having no USB printers, not as a failure', async () => {
    const result = await discoverDevices({ roots: roots(), sources: ['usb-printer'] });
    expect(result.sources).toEqual([expect.objectContaining({ source: 'usb-printer', ok: true, count: 0 })]);
  });

  it('keeps going when a source throws: the failure is a status entry and the rest still report', async () => {
    tree.file('dev/usb/lp1');
    const result = await discoverDevices({
      roots: roots(),
      sources: ['hid', 'usb-printer', 'network-printer'],
      hid: () => {
        throw new Error('libusb not found');
      },
    });
    expect(result.sources).toEqual([
      { source: 'hid', ok: false, code: 'HID_UNAVAILABLE', message: 'libusb not found', count: 0 },
      expect.objectContaining({ source: 'usb-printer', ok: true, count: 1 }),
      expect.objectContaining({ source: 'network-printer', ok: true, count: 0 }),
    ]);
  });

  it("keeps a source's own stable error code, and uses the source default for an errno", async () => {
    const coded = await discoverDevices({
      sources: ['hid'],
      hid: () => {
        throw Object.assign(new Error('no hidraw'), { code: 'HID_ENUMERATION_FAILED' });
      },
    });
    expect(coded.sources[0]?.code).toBe('HID_ENUMERATION_FAILED');
    tree.file('dev/usb', 'a file where a directory should be');
    const errno = await discoverDevices({ roots: roots(), sources: ['usb-printer'] });
    expect(errno.sources[0]).toMatchObject({ ok: false, code: 'USB_PRINTER_LIST_FAILED' });
    expect(errno.sources[0]?.message).toMatch(/ENOTDIR/);
  });

  it('stamps the result with the time it was taken', async () => {
    const result = await discoverDevices({ sources: [], now: () => 1_700_000_000_000 });
    expect(result).toEqual({ at: 1_700_000_000_000, devices: [], sources: [] });
  });
});

describe('PC/SC readers from a running transport', () => {
  it('uses the transport reader list as it is', async () => {
    const result = await discoverPcscReaders({
      transport: {
        status: () => ({ state: 'ready' }),
        readers: () => ['ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader PICC] 00 00'],
      },
    });
    expect(result.devices).toEqual([
      {
        kind: 'pcsc-reader',
        id: 'pcsc:ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader PICC] 00 00',
        name: 'ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader PICC] 00 00',
      },
    ]);
    expect(result.status.ok).toBe(true);
  });

  it('reports an unavailable transport as pcscd not running', async () => {
    const result = await discoverPcscReaders({
      transport: {
        status: () => ({ state: 'unavailable', message: 'pcscd not running' }),
        readers: () => [],
      },
    });
    expect(result.status).toMatchObject({
      ok: false,
      code: 'PCSCD_NOT_RUNNING',
      message: 'pcscd not running',
    });
  });
});

describe('network printer addresses', () => {
  it('reads host, host:port and [ipv6]:port', () => {
    expect(parsePrinterAddress('192.168.1.50')).toEqual({ host: '192.168.1.50', port: undefined });
    expect(parsePrinterAddress(' 192.168.1.50:9101 ')).toEqual({ host: '192.168.1.50', port: 9101 });
    expect(parsePrinterAddress('[fe80::1]:9100')).toEqual({ host: 'fe80::1', port: 9100 });
    expect(parsePrinterAddress('[fe80::1]')).toEqual({ host: 'fe80::1', port: undefined });
    expect(parsePrinterAddress('printer-2.local')).toEqual({ host: 'printer-2.local', port: undefined });
  });

  it.each(['', '192.168.1.50:0', '192.168.1.50:70000', 'a b', 'http://192.168.1.50', '[fe80::1]:x'])(
    'refuses %j with PRINTER_ADDRESS_INVALID',
    (input) => {
      expect(() => parsePrinterAddress(input)).toThrow(
        expect.objectContaining({ code: 'PRINTER_ADDRESS_INVALID' }),
      );
    },
  );
});
