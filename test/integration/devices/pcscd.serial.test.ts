/**
 * Discovery and the pcscd diagnosis against the real daemon: pcscd with the vpcd driver (two virtual
 * readers), then, for a daemon this process started, the same calls after it has been stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPcscd,
  describeFinding,
  discoverDevices,
  discoverPcscReaders,
  PcscliteTransport,
  runDiagnostics,
  SYSTEM_DIAGNOSTIC_ROOTS,
} from '../../../hardware/index';
import { killOwnedPcscd, type PcscdHandle, respawnOwnedPcscd, startPcscd } from '../../support/pcscd';

const READERS = ['Virtual PCD 00 00', 'Virtual PCD 00 01'];
let pcscd: PcscdHandle;

beforeAll(async () => {
  pcscd = await startPcscd();
});
afterAll(async () => {
  await pcscd?.stop();
});

describe('with pcscd running', () => {
  it('lists the vpcd readers through pcsclite', async () => {
    const result = await discoverPcscReaders();
    expect(result.status).toMatchObject({ source: 'pcsc', ok: true, count: 2 });
    expect(result.devices.map((d) => d.name)).toEqual(READERS);
  });

  it('finds the daemon and its socket', async () => {
    const finding = await checkPcscd({ roots: SYSTEM_DIAGNOSTIC_ROOTS });
    expect(finding).toMatchObject({ id: 'pcscd', ok: true, problem: null });
    expect(finding.params.pid).toMatch(/^\d+/);
  });

  it('runs a whole discovery of this machine without throwing, one status per source', async () => {
    const result = await discoverDevices();
    expect(result.sources.map((s) => s.source)).toEqual([
      'pcsc',
      'hid',
      'serial',
      'usb-printer',
      'network-printer',
    ]);
    expect(result.devices.filter((d) => d.kind === 'pcsc-reader')).toHaveLength(2);
    for (const status of result.sources) expect(typeof status.ok).toBe('boolean');
  });

  it('takes the reader list from the PC/SC transport the host already runs', async () => {
    const transport = new PcscliteTransport();
    const added: string[] = [];
    transport.events.on('reader.added', (name) => added.push(name));
    transport.start();
    try {
      const deadline = Date.now() + 5_000;
      while (added.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const result = await discoverDevices({ sources: ['pcsc'], pcsc: { transport } });
      expect(result.sources[0]).toMatchObject({ ok: true, count: 2 });
      expect(result.devices.map((d) => (d.kind === 'pcsc-reader' ? d.name : d.kind)).sort()).toEqual(READERS);
    } finally {
      await transport.stop();
    }
  });

  it('opens and closes its short-lived context cleanly, time after time', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await discoverPcscReaders()).devices).toHaveLength(2);
    }
  });
});

describe('after pcscd has stopped', () => {
  it('reports "pcscd not running" as a discovery status instead of throwing', async (context) => {
    if (!pcscd.owned) context.skip(); // another process's pcscd cannot be stopped from here
    await killOwnedPcscd();
    try {
      const result = await discoverDevices({ sources: ['pcsc', 'usb-printer'] });
      expect(result.sources[0]).toEqual({
        source: 'pcsc',
        ok: false,
        code: 'PCSCD_NOT_RUNNING',
        message: 'pcscd not running',
        count: 0,
      });
      expect(result.sources[1]).toMatchObject({ ok: true });

      const report = await runDiagnostics();
      const finding = report.findings.find((f) => f.id === 'pcscd');
      expect(finding).toMatchObject({
        ok: false,
        severity: 'error',
        problem: 'PCSCD_NOT_RUNNING',
        fix: 'START_PCSCD',
      });
      expect(describeFinding(finding!, 'zh-CN').problem).toBe(
        '智能卡服务 (pcscd) 未运行，系统找不到读卡器。',
      );
    } finally {
      await respawnOwnedPcscd();
    }
    expect((await discoverPcscReaders()).devices.map((d) => d.name)).toEqual(READERS);
  });
});
