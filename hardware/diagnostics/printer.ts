/**
 * Printer status findings. A network printer is probed with `DLE EOT 1`; one that accepts the connection
 * but never answers gets "answers no status" with the fix in plain words. Serial printers are probed the
 * same way through serialport (raw mode, the paired baud rate).
 */
import { SerialPort } from 'serialport';
import {
  DLE_EOT_PRINTER_STATUS,
  type NetworkPrinterDevice,
  type PrinterAddress,
  probeNetworkPrinter,
} from '../discovery/index';
import { type Finding, failed, passed } from './finding';

export type PrinterProbeState = 'online' | 'offline' | 'no-status' | 'unreachable';

export interface PrinterProbe {
  /** What the technician sees: "192.168.1.50:9100", "/dev/ttyUSB0". */
  readonly address: string;
  readonly state: PrinterProbeState;
  readonly error?: string | undefined;
}

export function printerFinding(probe: PrinterProbe): Finding {
  const id = `printer:${probe.address}`;
  const params = { address: probe.address, error: probe.error ?? '' };
  switch (probe.state) {
    case 'online':
      return passed(id, params);
    case 'offline':
      return failed(id, 'warning', 'PRINTER_OFFLINE', 'CLEAR_PRINTER_FAULT', params);
    case 'no-status':
      return failed(id, 'warning', 'PRINTER_NO_STATUS', 'CHECK_PRINTER_STATUS', params);
    case 'unreachable':
      return failed(id, 'error', 'PRINTER_UNREACHABLE', 'CHECK_PRINTER_NETWORK', params);
  }
}

export const probeFromNetwork = (device: NetworkPrinterDevice): PrinterProbe => ({
  address: `${device.host}:${device.port}`,
  state: device.state,
  error: device.error,
});

export async function checkNetworkPrinters(
  addresses: readonly PrinterAddress[],
  timeoutMs?: number,
): Promise<Finding[]> {
  const devices = await Promise.all(addresses.map((address) => probeNetworkPrinter(address, timeoutMs)));
  return devices.map((device) => printerFinding(probeFromNetwork(device)));
}

export interface SerialPrinterAddress {
  readonly path: string;
  /** The printer's configured rate; default 9600. */
  readonly baudRate?: number | undefined;
}

const isRealtimeReply = (byte: number): boolean => (byte & 0x93) === 0x12;

/**
 * Opens the port, sends `DLE EOT 1` and waits for a reply byte; closes the port in every case. serialport
 * locks the port it opens, so this is for a port no driver holds: a paired printer in use is asked for its
 * status through its own driver, and a probe of its port reports the lock as unreachable.
 */
export async function probeSerialPrinter(
  address: SerialPrinterAddress,
  timeoutMs = 1_500,
): Promise<PrinterProbe> {
  const port = new SerialPort({ path: address.path, baudRate: address.baudRate ?? 9600, autoOpen: false });
  try {
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  } catch (error) {
    const code =
      (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    return { address: address.path, state: 'unreachable', error: code };
  }
  port.on('error', () => undefined);
  try {
    const reply = await new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      port.on('data', (chunk: Buffer) => {
        const byte = chunk.find(isRealtimeReply);
        if (byte !== undefined) {
          clearTimeout(timer);
          resolve(byte);
        }
      });
      port.write(Buffer.from(DLE_EOT_PRINTER_STATUS));
    });
    if (reply === undefined) return { address: address.path, state: 'no-status' };
    return { address: address.path, state: reply & 0x08 ? 'offline' : 'online' };
  } finally {
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

export async function checkSerialPrinters(
  addresses: readonly SerialPrinterAddress[],
  timeoutMs?: number,
): Promise<Finding[]> {
  const probes = await Promise.all(addresses.map((address) => probeSerialPrinter(address, timeoutMs)));
  return probes.map(printerFinding);
}
