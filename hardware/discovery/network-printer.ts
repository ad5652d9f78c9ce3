/**
 * Network printers by address, probed on demand only (never by a scan): a TCP connect, then `DLE EOT 1`
 * (10 04 01) and one reply byte. A reply matches 0xx1xx10 (hardware reference §5.2); bit 3 set means
 * offline. A printer that accepts the connection but never answers is "no-status": it may still print,
 * but paper-out and cover-open will go unnoticed. Many printers serve one connection at a time, so a printer
 * busy with another client's job shows as "no-status" (or refuses) until that connection closes.
 */
import { connect, type Socket } from 'node:net';
import { DeviceError } from '../errors';
import type { NetworkPrinterDevice, NetworkPrinterState } from './types';

export interface PrinterAddress {
  readonly host: string;
  /** Default 9100 (raw printing). */
  readonly port?: number | undefined;
}

export const DLE_EOT_PRINTER_STATUS = Uint8Array.of(0x10, 0x04, 0x01);

const isRealtimeReply = (byte: number): boolean => (byte & 0x93) === 0x12;
const OFFLINE_BIT = 0x08;

/**
 * Parses what a technician types: "192.168.1.50", "192.168.1.50:9100", "printer.local" or "[fe80::1]:9100".
 * Throws DeviceError `PRINTER_ADDRESS_INVALID` for anything else.
 */
export function parsePrinterAddress(text: string): PrinterAddress {
  const trimmed = text.trim();
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(trimmed);
  const plain = /^([\w.-]+)(?::(\d{1,5}))?$/.exec(trimmed);
  const match = bracketed ?? plain;
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!match?.[1] || (port !== undefined && (port < 1 || port > 65535))) {
    throw new DeviceError(
      'PRINTER_ADDRESS_INVALID',
      `"${text}" is not a printer address (host or host:port)`,
      {
        details: { input: text },
      },
    );
  }
  return { host: match[1], port };
}

export async function probeNetworkPrinter(
  address: PrinterAddress,
  timeoutMs = 1_500,
): Promise<NetworkPrinterDevice> {
  const port = address.port ?? 9100;
  const started = performance.now();
  const result = (
    state: NetworkPrinterState,
    extra: { statusByte?: number; error?: string } = {},
  ): NetworkPrinterDevice => ({
    kind: 'network-printer',
    id: `network-printer:${address.host}:${port}`,
    host: address.host,
    port,
    state,
    statusByte: extra.statusByte,
    error: extra.error,
    latencyMs:
      extra.statusByte === undefined ? undefined : Math.round((performance.now() - started) * 100) / 100,
  });
  if (!Number.isInteger(port) || port < 1 || port > 65535 || address.host === '') {
    return result('unreachable', { error: 'BAD_ADDRESS' });
  }

  return new Promise<NetworkPrinterDevice>((resolve) => {
    let socket: Socket | undefined;
    let connected = false;
    let done = false;
    const finish = (device: NetworkPrinterDevice) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve(device);
    };
    const timer = setTimeout(
      () => finish(connected ? result('no-status') : result('unreachable', { error: 'TIMEOUT' })),
      timeoutMs,
    );
    socket = connect({ host: address.host, port });
    socket.on('connect', () => {
      connected = true;
      socket?.write(DLE_EOT_PRINTER_STATUS);
    });
    socket.on('data', (chunk: Buffer) => {
      // Skip ASB frames or stray bytes; the first byte shaped like a DLE EOT reply is the answer.
      for (const byte of chunk) {
        if (isRealtimeReply(byte)) {
          finish(result(byte & OFFLINE_BIT ? 'offline' : 'online', { statusByte: byte }));
          return;
        }
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish(
        connected ? result('no-status', { error: error.code }) : result('unreachable', { error: error.code }),
      ),
    );
    socket.on('close', () =>
      finish(connected ? result('no-status') : result('unreachable', { error: 'CLOSED' })),
    );
  });
}
