/**
 * Printer probes against real sockets and ttys: the virtual ESC/POS printer on loopback TCP and on a socat
 * pty pair, a TCP listener and a pty end that never answer, and a closed port.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkNetworkPrinters,
  checkSerialPrinters,
  describeFinding,
  discoverDevices,
  probeNetworkPrinter,
  probeSerialPrinter,
  VirtualPrinter,
  VirtualPrinterSerialEnd,
  VirtualPrinterTcpServer,
} from '../../../hardware/index';
import { type PtyPair, startPtyPair } from '../../support/pty';

const paper = new VirtualPrinter();
const tcpPrinter = new VirtualPrinterTcpServer(paper);
let printerPort: number;
let silent: Server;
let silentPort: number;
const silentSockets = new Set<Socket>();
let closedPort: number;
let pty: PtyPair;
let serialEnd: VirtualPrinterSerialEnd;
let mutePty: PtyPair;

beforeAll(async () => {
  printerPort = await tcpPrinter.listen(0);
  // Accepts and reads, never answers: a raw-print box without status back.
  silent = createServer((socket) => {
    silentSockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
  // A port that was free a moment ago and is closed now.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));

  pty = await startPtyPair();
  serialEnd = new VirtualPrinterSerialEnd(paper, pty.b, 9600);
  await serialEnd.open();
  mutePty = await startPtyPair();
});

afterAll(async () => {
  await serialEnd?.close();
  await pty?.stop();
  await mutePty?.stop();
  await tcpPrinter.close();
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
});

describe('network printer probe', () => {
  it('finds a printer that answers DLE EOT 1 online', async () => {
    const device = await probeNetworkPrinter({ host: '127.0.0.1', port: printerPort }, 2_000);
    expect(device).toMatchObject({
      kind: 'network-printer',
      state: 'online',
      statusByte: 0x12,
      error: undefined,
    });
    expect(device.latencyMs).toBeGreaterThan(0);
  });

  it('reads the offline bit when the cover is open', async () => {
    paper.setCoverOpen(true);
    try {
      const device = await probeNetworkPrinter({ host: '127.0.0.1', port: printerPort }, 2_000);
      expect(device.state).toBe('offline');
      expect(device.statusByte! & 0x08).toBe(0x08);
    } finally {
      paper.setCoverOpen(false);
    }
  });

  it('calls a listener that never answers "no status" after the timeout', async () => {
    const device = await probeNetworkPrinter({ host: '127.0.0.1', port: silentPort }, 300);
    expect(device).toMatchObject({ state: 'no-status', statusByte: undefined, latencyMs: undefined });
  });

  it('calls a closed port unreachable with the socket error', async () => {
    const device = await probeNetworkPrinter({ host: '127.0.0.1', port: closedPort }, 2_000);
    expect(device).toMatchObject({ state: 'unreachable', error: 'ECONNREFUSED' });
  });

  it('turns the probes into findings, with the silent printer explained in plain words', async () => {
    const findings = await checkNetworkPrinters(
      [
        { host: '127.0.0.1', port: printerPort },
        { host: '127.0.0.1', port: silentPort },
      ],
      300,
    );
    expect(findings.map((f) => [f.id, f.ok, f.problem])).toEqual([
      [`printer:127.0.0.1:${printerPort}`, true, null],
      [`printer:127.0.0.1:${silentPort}`, false, 'PRINTER_NO_STATUS'],
    ]);
    const words = describeFinding(findings[1]!);
    expect(words.problem).toBe(
      `The printer at 127.0.0.1:${silentPort} accepts data but answers no status request, so paper-out and cover-open go unnoticed.`,
    );
    expect(words.fix).toMatch(/status back/);
  });

  it('probes network printers during discovery only when addresses are given', async () => {
    const none = await discoverDevices({ sources: ['network-printer'] });
    expect(none.devices).toEqual([]);
    const some = await discoverDevices({
      sources: ['network-printer'],
      networkPrinters: [
        { host: '127.0.0.1', port: printerPort },
        { host: '127.0.0.1', port: closedPort },
      ],
    });
    expect(some.devices.map((d) => (d.kind === 'network-printer' ? d.state : d.kind))).toEqual([
      'online',
      'unreachable',
    ]);
  });
});

describe('serial printer probe', () => {
  it('finds the virtual printer online through the tty layer', async () => {
    expect(await probeSerialPrinter({ path: pty.a, baudRate: 9600 }, 2_000)).toEqual({
      address: pty.a,
      state: 'online',
    });
  });

  it('says "no status" for a line where nothing answers, and lets the port go again', async () => {
    expect(await probeSerialPrinter({ path: mutePty.a }, 300)).toEqual({
      address: mutePty.a,
      state: 'no-status',
    });
    // The probe closed the port: a second probe can open it again.
    expect((await probeSerialPrinter({ path: mutePty.a }, 100)).state).toBe('no-status');
  });

  it('reports a port another driver holds open as unreachable instead of stealing its replies', async () => {
    const holder = new SerialPort({ path: mutePty.a, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => holder.open((error) => (error ? reject(error) : resolve())));
    try {
      const probe = await probeSerialPrinter({ path: mutePty.a }, 300);
      expect(probe.state).toBe('unreachable');
      expect(probe.error).toMatch(/lock/i);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('calls a missing port unreachable', async () => {
    const [finding] = await checkSerialPrinters([{ path: `${mutePty.a}-missing` }], 300);
    expect(finding).toMatchObject({ ok: false, severity: 'error', problem: 'PRINTER_UNREACHABLE' });
    expect(finding?.params.error).not.toBe('');
  });
});
