/**
 * The technician's commands (see `contract/devices.ts`): discovery, pairing, a test for each device, live
 * status, diagnostics with the fix in plain words, the support bundle, and the kiosk and start-at-login
 * settings. Permission checks (`devices.read`, `devices.pair`) have already happened in `api.ts`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ulid } from 'ulid';
import {
  type DiscoveredDevice,
  type DiscoveryResult,
  describeFinding,
  discoverDevices,
  PROFILES,
  type PrintDocument,
  type PrinterAddress,
  parsePrinterAddress,
  runDiagnostics,
  type SerialPrinterAddress,
  writeDiagnosticsBundle,
} from '../../../hardware/index';
import type { DiscoveredDeviceView, PairInput } from '../../contract';
import { ApiError } from '../../errors';
import { documentPreview } from '../../receipts/index';
import type { Handlers } from '../api';
import type { PairedDevices } from '../devices/paired';
import type { Printing } from '../devices/printing';
import type { DeviceHub } from '../hub';

export type DeviceHandlerNames =
  | 'devices.discover'
  | 'devices.status'
  | 'devices.pair'
  | 'devices.unpair'
  | 'devices.testReader'
  | 'devices.testSwiper'
  | 'devices.testPrint'
  | 'devices.openDrawer'
  | 'devices.diagnose'
  | 'devices.bundle'
  | 'devices.setSettings';

export interface DeviceHandlerDeps {
  paired: PairedDevices;
  printing: Printing;
  hub: DeviceHub;
  identity: { storeId: string; terminalId: string };
  storeName: () => string;
  version: string;
  dataDir: string;
  logFile: string;
  /** Where the packaged udev rules and modprobe file are, named in the fixes. */
  resourcesDir: string;
}

/** A member number as the test shows it: the first four and the last four digits. */
export function maskNumber(number: string): string {
  if (number.length <= 8) return `${number.slice(0, 2)}${'*'.repeat(Math.max(0, number.length - 2))}`;
  return `${number.slice(0, 4)}${'*'.repeat(number.length - 8)}${number.slice(-4)}`;
}

function viewOf(device: DiscoveredDevice): DiscoveredDeviceView {
  const base = { id: device.id, path: null, vendorId: null, productId: null, serialNumber: null };
  switch (device.kind) {
    case 'pcsc-reader':
      return {
        ...base,
        kind: device.kind,
        name: device.name,
        suggested: { role: 'reader', reader: device.name },
      };
    case 'hid': {
      const name =
        [device.manufacturer, device.product].filter(Boolean).join(' ') || `HID ${device.vid}:${device.pid}`;
      const swiper = device.known?.role === 'swiper' || /swipe|magstripe|msr|card reader/i.test(name);
      const mode =
        device.interfaceKind === 'keyboard' ? 'keyboard' : /id ?tech/i.test(name) ? 'idtech' : 'magtek';
      const suggested: PairInput | null =
        swiper || device.interfaceKind === 'vendor'
          ? {
              role: 'swiper',
              vendorId: device.vendorId,
              productId: device.productId,
              mode,
              name,
              ...(device.serialNumber ? { serialNumber: device.serialNumber } : {}),
            }
          : null;
      return {
        ...base,
        kind: device.kind,
        name,
        path: device.path ?? null,
        vendorId: device.vendorId,
        productId: device.productId,
        serialNumber: device.serialNumber ?? null,
        suggested,
      };
    }
    case 'serial': {
      // A /dev/serial/by-id link survives re-plugging into another port; pair with it when there is one.
      const path = device.byId[0] ?? device.path;
      return {
        ...base,
        kind: device.kind,
        name: [device.manufacturer, device.known?.model, device.path].filter(Boolean).join(' · '),
        path,
        vendorId: device.vendorId ?? null,
        productId: device.productId ?? null,
        serialNumber: device.serialNumber ?? null,
        suggested: {
          role: 'printer',
          profileId: 'pos58-203',
          transport: { kind: 'serial', path, baudRate: 9600 },
          drawer: false,
        },
      };
    }
    case 'usb-printer':
      return {
        ...base,
        kind: device.kind,
        name: [device.manufacturer, device.product, device.path].filter(Boolean).join(' · '),
        path: device.path,
        vendorId: device.vendorId ?? null,
        productId: device.productId ?? null,
        suggested: {
          role: 'printer',
          profileId: 'pos80-203',
          transport: { kind: 'usblp', path: device.path },
          drawer: false,
        },
      };
    case 'network-printer':
      return {
        ...base,
        kind: device.kind,
        name: `${device.host}:${device.port} (${device.state})`,
        suggested:
          device.state === 'unreachable'
            ? null
            : {
                role: 'printer',
                profileId: 'pos80-203',
                transport: { kind: 'tcp', host: device.host, port: device.port },
                drawer: false,
              },
      };
  }
}

/** The page a technician prints to check a printer: Chinese text, a QR code, and the cut. */
export function testPage(facts: {
  storeName: string;
  terminalId: string;
  version: string;
  printer: string;
  jobId: string;
}): PrintDocument {
  return {
    blocks: [
      { type: 'text', text: '打印测试页', align: 'center', style: { bold: true, doubleHeight: true } },
      { type: 'text', text: 'Printer test page', align: 'center' },
      { type: 'rule' },
      { type: 'pair', left: '门店', right: facts.storeName },
      { type: 'pair', left: '终端', right: facts.terminalId },
      { type: 'pair', left: '打印机', right: facts.printer },
      { type: 'pair', left: '版本', right: `v${facts.version}` },
      { type: 'rule' },
      { type: 'text', text: '中文打印正常：会员储值卡 充值 消费 ¥100.00' },
      { type: 'text', text: '扫描二维码应显示下面的编号', align: 'center' },
      { type: 'qr', data: `POS-TEST ${facts.jobId}`, moduleSize: 5, level: 'M', align: 'center' },
      { type: 'text', text: facts.jobId, align: 'center' },
      { type: 'feed', lines: 3 },
      { type: 'cut', partial: true, feed: 0 },
    ],
  };
}

export function createDeviceHandlers(deps: DeviceHandlerDeps): Pick<Handlers, DeviceHandlerNames> {
  const { paired, printing, hub } = deps;

  const discover = (networkPrinters: readonly PrinterAddress[] = []): Promise<DiscoveryResult> =>
    discoverDevices({
      hid: () => paired.hid.devices(),
      networkPrinters,
      serialTimeoutMs: 2_000,
      networkTimeoutMs: 1_500,
      pcsc: { timeoutMs: 1_500 },
    });

  const pairedPrinters = () => {
    const printer = paired.printer();
    const serial: SerialPrinterAddress[] = [];
    const network: PrinterAddress[] = [];
    if (printer?.transport.kind === 'serial') {
      serial.push({ path: printer.transport.path, baudRate: printer.transport.baudRate });
    } else if (printer?.transport.kind === 'tcp') {
      network.push({ host: printer.transport.host, port: printer.transport.port });
    }
    return { serial, network };
  };

  const diagnose = async () => {
    const discovery = await discover(pairedPrinters().network);
    const printers = pairedPrinters();
    // The paired serial printer is in use by the print queue; probing it from a second handle would steal
    // its replies, so it is probed only when the queue has no link to it.
    const serialPrinters = printing.current().state.state === 'connected' ? [] : printers.serial;
    const report = await runDiagnostics({
      discovery,
      networkPrinters: printers.network,
      serialPrinters,
      resourcesDir: deps.resourcesDir,
      printerTimeoutMs: 1_500,
    });
    return { discovery, report };
  };

  return {
    'devices.discover': async ({ networkPrinters }) => {
      const addresses = networkPrinters.map((text) => {
        const address = parsePrinterAddress(text);
        return { host: address.host, port: address.port ?? 9100 };
      });
      const result = await discover(addresses);
      return {
        at: result.at,
        devices: result.devices.map(viewOf),
        sources: result.sources.map((source) => ({
          source: source.source,
          ok: source.ok,
          code: source.code ?? null,
          message: source.message ?? null,
          count: source.count,
        })),
      };
    },
    'devices.status': () => ({ pairing: paired.view(), roles: paired.roles(), devices: hub.deviceList() }),
    'devices.pair': (input, { session }) => paired.pair(input, session.staff?.id ?? null),
    'devices.unpair': ({ role }, { session }) => paired.unpair(role, session.staff?.id ?? null),
    'devices.testReader': async ({ timeoutMs }) => {
      const card = await paired.readCard(timeoutMs);
      return {
        reader: card.reader,
        atr: card.atr,
        cardType: String(card.cardType),
        uid: card.uid ?? null,
        cardNumber: card.cardNumber ?? null,
      };
    },
    'devices.testSwiper': async ({ timeoutMs }) => {
      const swipe = await paired.nextSwipe(timeoutMs);
      return {
        masked: swipe.memberNumber === null ? null : maskNumber(swipe.memberNumber),
        refused: swipe.refused,
      };
    },
    'devices.testPrint': async () => {
      const jobId = `test-${ulid()}`;
      const current = printing.current();
      const page = testPage({
        storeName: deps.storeName(),
        terminalId: deps.identity.terminalId,
        version: deps.version,
        printer: current.description,
        jobId,
      });
      const printer = await printing.printDocument(jobId, 'test', page);
      // What came out, as the technician sees it on screen: the same bytes through the virtual printer.
      const profile = PROFILES[paired.printer()?.profileId ?? 'pos58-203'];
      return { jobId, printer, preview: documentPreview(page, profile) };
    },
    'devices.openDrawer': async () => {
      const printer = paired.printer();
      if (printer === null || !printer.drawer) {
        throw new ApiError(
          'DEVICE_NOT_PAIRED',
          'No cash drawer is paired: pair a receipt printer with its drawer first',
          { details: { role: 'printer' } },
        );
      }
      const jobId = `drawer-${ulid()}`;
      const used = await printing.printDocument(jobId, 'drawer', {
        blocks: [{ type: 'drawer', pin: 2 }],
      });
      return { jobId, printer: used };
    },
    'devices.diagnose': async ({ language }) => {
      const { report } = await diagnose();
      return {
        at: report.at,
        ok: report.ok,
        findings: report.findings.map((finding) => {
          const text = describeFinding(finding, language);
          return {
            id: finding.id,
            ok: finding.ok,
            severity: finding.severity,
            problemCode: finding.problem,
            problem: text.problem,
            fix: text.fix,
          };
        }),
      };
    },
    'devices.bundle': async () => {
      const { discovery, report } = await diagnose();
      const dir = join(deps.dataDir, 'diagnostics');
      mkdirSync(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const fileName = `member-card-pos-diagnostics-${stamp}.tar.gz`;
      const result = await writeDiagnosticsBundle({
        file: join(dir, fileName),
        appVersion: deps.version,
        devices: discovery,
        diagnostics: report,
        logFile: deps.logFile,
      });
      return { fileName, bytes: result.bytes, base64: readFileSync(result.file).toString('base64') };
    },
    'devices.setSettings': (patch, { session }) => paired.setSettings(patch, session.staff?.id ?? null),
  };
}
