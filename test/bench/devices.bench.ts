/**
 * Devices: what a technician waits for. A network printer status probe against a bare TCP connect to the same
 * listener; log redaction against a bare JSON parse and stringify of the same lines; a support bundle of
 * 1000 log lines; a file-system discovery pass (HID, serial, USB printers) on this machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  discoverDevices,
  probeNetworkPrinter,
  redactLine,
  VirtualPrinter,
  VirtualPrinterTcpServer,
  writeDiagnosticsBundle,
} from '../../hardware/index';
import { type Emit, median, progress, quantile, timeEach, timeEachAsync } from './harness';

function logLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    i % 3 === 0
      ? JSON.stringify({
          level: 30,
          time: 1_795_333_322_705 + i,
          pid: 4242,
          msg: `card presented uid 04A22B1C5E80${String(i % 100).padStart(2, '0')} member 1381234${String(i % 10_000).padStart(4, '0')}`,
          operationId: '0190c3e4-1234-7abc-8def-0123456789ab',
        })
      : i % 3 === 1
        ? `swipe refused %B4111111111111111^DOE/JOHN^2512101? at reader ${i}`
        : `top-up card 62220212345678${String(i % 100_000).padStart(5, '0')} amount 10000 printed on counter`,
  );
}

export default async function devices(emit: Emit): Promise<void> {
  const printer = new VirtualPrinter();
  const server = new VirtualPrinterTcpServer(printer);
  const port = await server.listen(0);
  try {
    progress('network printer probe vs bare TCP connect (200 each)');
    const bare = await timeEachAsync(
      200,
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port }, () => {
            socket.destroy();
            resolve();
          });
          socket.on('error', reject);
        }),
    );
    const probes = await timeEachAsync(200, async () => {
      const device = await probeNetworkPrinter({ host: '127.0.0.1', port }, 2_000);
      if (device.state !== 'online') throw new Error(`probe said ${device.state}`);
    });
    emit({
      metric: 'network_printer_probe_p50_ms',
      value: median(probes),
      unit: 'ms',
      baseline: median(bare),
      ratio: median(probes) / median(bare),
    });
    emit({ metric: 'network_printer_probe_p99_ms', value: quantile(probes, 0.99), unit: 'ms' });
  } finally {
    await server.close();
  }

  progress('log redaction vs bare JSON round trip (20 x 1000 lines)');
  const lines = logLines(1000);
  const bareJson = timeEach(20, () => {
    for (const line of lines) {
      if (line.startsWith('{')) JSON.stringify(JSON.parse(line));
      else line.split(' ').join(' ');
    }
  });
  const redaction = timeEach(20, () => {
    for (const line of lines) redactLine(line);
  });
  emit({
    metric: 'redact_1000_lines_ms',
    value: median(redaction),
    unit: 'ms',
    baseline: median(bareJson),
    ratio: median(redaction) / median(bareJson),
  });

  const dir = mkdtempSync(join(tmpdir(), 'devices-bench-'));
  try {
    const log = join(dir, 'pos.log');
    writeFileSync(log, `${lines.join('\n')}\n`);
    progress('support bundle with 1000 log lines (10 runs)');
    const bundle = await timeEachAsync(10, async (i) => {
      await writeDiagnosticsBundle({ file: join(dir, `b${i}.tar.gz`), appVersion: '0.0.0', logFile: log });
    });
    emit({ metric: 'bundle_1000_lines_ms', value: median(bundle), unit: 'ms' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  progress('file-system discovery: HID, serial, USB printers (10 runs)');
  const discovery = await timeEachAsync(10, async () => {
    await discoverDevices({ sources: ['hid', 'serial', 'usb-printer'] });
  });
  emit({ metric: 'discovery_local_p50_ms', value: median(discovery), unit: 'ms' });
}
