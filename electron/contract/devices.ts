/**
 * The technician's commands: discover the devices on this machine, pair one to each role (member-card reader,
 * magstripe swiper, receipt printer with its cash drawer), test each, watch their status, diagnose problems with
 * the fix in plain words, download a support bundle, and the terminal's kiosk and start-at-login settings.
 * Pairings are kept per terminal in the ledger's settings and applied again at every start.
 */
import { z } from 'zod';
import type { CommandDefinition } from './definition';
import { deviceKind, deviceState, epochMs } from './schemas';

export const PAIRING_ROLES = ['reader', 'swiper', 'printer'] as const;
export const pairingRole = z.enum(PAIRING_ROLES);
export type PairingRole = z.infer<typeof pairingRole>;

export const PRINTER_PROFILE_IDS = ['pos58-203', 'pos80-203', 'pos80-180'] as const;
export const SERIAL_BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;
export const SWIPER_MODES = ['magtek', 'idtech', 'keyboard'] as const;

/** An absolute device path: /dev/ttyUSB0, /dev/serial/by-id/usb-…-if00-port0, /dev/usb/lp0. */
const devicePath = z
  .string()
  .max(255)
  .regex(/^\/[A-Za-z0-9_.:+@/-]+$/, 'must be an absolute device path');
const usbId = z.number().int().min(0).max(0xffff);
const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or an IP address');

export const printerTransport = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('serial'),
      path: devicePath,
      baudRate: z
        .number()
        .int()
        .refine((rate) => (SERIAL_BAUD_RATES as readonly number[]).includes(rate), {
          message: `must be one of ${SERIAL_BAUD_RATES.join(', ')}`,
        }),
    })
    .strict(),
  z
    .object({
      kind: z.literal('usblp'),
      path: z.string().regex(/^\/dev\/usb\/lp[0-9]{1,2}$/, 'must be /dev/usb/lpN'),
    })
    .strict(),
  z.object({ kind: z.literal('tcp'), host: hostName, port: z.number().int().min(1).max(65535) }).strict(),
]);
export type PrinterTransportConfig = z.infer<typeof printerTransport>;

export const readerPairing = z.object({ reader: z.string().min(1).max(128) }).strict();
export const swiperPairing = z
  .object({
    vendorId: usbId,
    productId: usbId,
    serialNumber: z.string().min(1).max(64).optional(),
    mode: z.enum(SWIPER_MODES),
    name: z.string().min(1).max(128).optional(),
  })
  .strict();
export const printerPairing = z
  .object({
    profileId: z.enum(PRINTER_PROFILE_IDS),
    transport: printerTransport,
    /** A cash drawer hangs on the printer's drawer port and opens with its pulse. */
    drawer: z.boolean().default(false),
  })
  .strict();
export type ReaderPairing = z.infer<typeof readerPairing>;
export type SwiperPairing = z.infer<typeof swiperPairing>;
export type PrinterPairing = z.output<typeof printerPairing>;

export const pairInput = z.discriminatedUnion('role', [
  readerPairing.extend({ role: z.literal('reader') }).strict(),
  swiperPairing.extend({ role: z.literal('swiper') }).strict(),
  printerPairing.extend({ role: z.literal('printer') }).strict(),
]);
export type PairInput = z.input<typeof pairInput>;

export const terminalSettings = z.object({ kioskMode: z.boolean(), startAtLogin: z.boolean() });
export type TerminalSettings = z.infer<typeof terminalSettings>;

export const pairingView = z.object({
  terminalId: z.string(),
  reader: readerPairing.nullable(),
  swiper: swiperPairing.nullable(),
  printer: printerPairing.nullable(),
  settings: terminalSettings,
});
export type PairingView = z.infer<typeof pairingView>;

/** One role's live state: the device in use (paired, or the simulator standing in) and how it is. */
export const roleStatus = z.object({
  role: pairingRole,
  paired: z.boolean(),
  device: z.string().nullable(),
  state: deviceState,
  detail: z.string().optional(),
});
export type RoleStatus = z.infer<typeof roleStatus>;

export const devicesStatus = z.object({
  pairing: pairingView,
  roles: z.array(roleStatus),
  /** Every device the hub has heard of, simulator included. */
  devices: z.array(
    z.object({ device: z.string(), kind: deviceKind, state: deviceState, detail: z.string().optional() }),
  ),
});
export type DevicesStatus = z.infer<typeof devicesStatus>;

export const discoveredDevice = z.object({
  id: z.string(),
  kind: z.enum(['pcsc-reader', 'hid', 'serial', 'usb-printer', 'network-printer']),
  name: z.string(),
  path: z.string().nullable(),
  vendorId: z.number().int().nullable(),
  productId: z.number().int().nullable(),
  serialNumber: z.string().nullable(),
  /** The role this device most likely plays, and the pairing a technician would send for it. */
  suggested: pairInput.nullable(),
});
export type DiscoveredDeviceView = z.infer<typeof discoveredDevice>;

export const discoveryView = z.object({
  at: epochMs,
  devices: z.array(discoveredDevice),
  sources: z.array(
    z.object({
      source: z.string(),
      ok: z.boolean(),
      code: z.string().nullable(),
      message: z.string().nullable(),
      count: z.number().int(),
    }),
  ),
});
export type DiscoveryView = z.infer<typeof discoveryView>;

export const diagnosisView = z.object({
  at: epochMs,
  ok: z.boolean(),
  findings: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      severity: z.enum(['ok', 'info', 'warning', 'error']),
      problemCode: z.string().nullable(),
      /** What is wrong and what to do about it, in the language asked for. */
      problem: z.string().nullable(),
      fix: z.string().nullable(),
    }),
  ),
});
export type DiagnosisView = z.infer<typeof diagnosisView>;

const none = z.object({}).strict();
const testTimeout = z.number().int().min(1_000).max(120_000).default(30_000);
const language = z.enum(['zh-CN', 'en']).default('zh-CN');

function command<I extends z.ZodType, O extends z.ZodType>(definition: CommandDefinition<I, O>) {
  return definition;
}

export const deviceCommands = {
  'devices.discover': command({
    summary: 'List the readers, HID devices, serial ports and printers this machine has',
    access: 'devices.read',
    input: z
      .object({ networkPrinters: z.array(z.string().max(260)).max(8).default([]) })
      .strict()
      .describe('network printers to probe, as host:port'),
    output: discoveryView,
  }),
  'devices.status': command({
    summary: "This terminal's pairings and each role's live state",
    access: 'devices.read',
    input: none,
    output: devicesStatus,
  }),
  'devices.pair': command({
    summary: 'Pair a device to a role on this terminal; it is used at once and after every restart',
    access: 'devices.pair',
    input: pairInput,
    output: pairingView,
  }),
  'devices.unpair': command({
    summary: 'Forget the device paired to a role; the simulator stands in again',
    access: 'devices.pair',
    input: z.object({ role: pairingRole }).strict(),
    output: pairingView,
  }),
  'devices.testReader': command({
    summary: 'Wait for a card on the paired reader and show its ATR, type and UID',
    access: 'devices.pair',
    input: z.object({ timeoutMs: testTimeout }).strict(),
    output: z.object({
      reader: z.string(),
      atr: z.string(),
      cardType: z.string(),
      uid: z.string().nullable(),
      cardNumber: z.string().nullable(),
    }),
  }),
  'devices.testSwiper': command({
    summary: 'Wait for a swipe on the paired swiper and show the member number masked, or why it was refused',
    access: 'devices.pair',
    input: z.object({ timeoutMs: testTimeout }).strict(),
    output: z.object({ masked: z.string().nullable(), refused: z.string().nullable() }),
  }),
  'devices.testPrint': command({
    summary:
      'Print a test page (Chinese text, a QR code, a cut) on the receipt printer and wait until it is out',
    access: 'devices.pair',
    input: none,
    /** `preview`: the test page as it came out, drawn as text for the screen. */
    output: z.object({ jobId: z.string(), printer: z.string(), preview: z.string() }),
  }),
  'devices.openDrawer': command({
    summary: "Open the cash drawer on the receipt printer's drawer port",
    access: 'devices.pair',
    input: none,
    output: z.object({ jobId: z.string(), printer: z.string() }),
  }),
  'devices.diagnose': command({
    summary: 'Check pcscd, drivers, permissions and printers, each problem with its fix in plain words',
    access: 'devices.read',
    input: z.object({ language }).strict(),
    output: diagnosisView,
  }),
  'devices.bundle': command({
    summary: 'A diagnostics bundle (versions, devices, findings, the masked log tail) to send to support',
    access: 'devices.read',
    input: none,
    output: z.object({ fileName: z.string(), bytes: z.number().int(), base64: z.string() }),
  }),
  'devices.setSettings': command({
    summary: 'Kiosk mode and start at login for this terminal',
    access: 'devices.pair',
    input: terminalSettings.partial().strict(),
    output: terminalSettings,
  }),
};

export const DEVICE_COMMAND_NAMES = Object.keys(deviceCommands) as (keyof typeof deviceCommands)[];
