import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkAcr122,
  checkPcscd,
  checkPermissions,
  type DiagnosticRoots,
  describeFinding,
  FIXES,
  type Finding,
  PROBLEMS,
  pcscdSocketPath,
  printerFinding,
  runDiagnostics,
} from '../../../hardware/diagnostics/index';
import { type FakeTree, fakeTree } from './fake-tree';

let tree: FakeTree;
let roots: DiagnosticRoots;
const servers: Server[] = [];

beforeEach(() => {
  tree = fakeTree();
  roots = { dev: tree.dev, sys: tree.sys, proc: tree.proc, etc: tree.etc };
  tree.file('proc/1/comm', 'systemd\n');
  tree.file('proc/77/comm', 'node\n');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  tree.remove();
});

/** A real UNIX socket that accepts connections, as pcscd's does. */
async function listeningSocket(path: string): Promise<void> {
  const server = createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
}

describe('pcscd check', () => {
  const binary = () => tree.file('usr/sbin/pcscd', '#!/bin/sh\n');

  it('passes when the daemon runs and its socket accepts connections', async () => {
    tree.file('proc/4242/comm', 'pcscd\n');
    const socketPath = join(tree.root, 'pcscd.comm');
    await listeningSocket(socketPath);
    const finding = await checkPcscd({ roots, socketPath, binaries: [binary()] });
    expect(finding).toMatchObject({ id: 'pcscd', ok: true, severity: 'ok', problem: null, fix: null });
    expect(finding.params.pid).toBe('4242');
  });

  it('passes for a socket-activated pcscd: no process yet, but the socket answers', async () => {
    const socketPath = join(tree.root, 'pcscd.comm');
    await listeningSocket(socketPath);
    expect((await checkPcscd({ roots, socketPath, binaries: [] })).ok).toBe(true);
  });

  it('checks the socket the PC/SC client uses: PCSCLITE_CSOCK_NAME before the default', async () => {
    const socketPath = join(tree.root, 'elsewhere.comm');
    await listeningSocket(socketPath);
    expect(pcscdSocketPath({})).toBe('/run/pcscd/pcscd.comm');
    expect(pcscdSocketPath({ PCSCLITE_CSOCK_NAME: socketPath })).toBe(socketPath);
    const named = await checkPcscd({ roots, env: { PCSCLITE_CSOCK_NAME: socketPath }, binaries: [] });
    expect(named).toMatchObject({ ok: true, params: { socket: socketPath } });
    // Pointed at a socket nobody listens on, it says so, as discovery's "pcscd not running" does.
    const gone = await checkPcscd({
      roots,
      env: { PCSCLITE_CSOCK_NAME: join(tree.root, 'gone.comm') },
      binaries: [binary()],
    });
    expect(gone).toMatchObject({
      ok: false,
      problem: 'PCSCD_NOT_RUNNING',
      params: { socket: join(tree.root, 'gone.comm') },
    });
  });

  it('says "not running" and how to start it when the binary is there but nothing else', async () => {
    const finding = await checkPcscd({ roots, socketPath: join(tree.root, 'none'), binaries: [binary()] });
    expect(finding).toMatchObject({
      ok: false,
      severity: 'error',
      problem: 'PCSCD_NOT_RUNNING',
      fix: 'START_PCSCD',
    });
    expect(describeFinding(finding).fix).toContain('systemctl enable --now pcscd.socket');
  });

  it('says "not installed" when no pcscd binary exists', async () => {
    const finding = await checkPcscd({
      roots,
      socketPath: join(tree.root, 'none'),
      binaries: [join(tree.root, 'usr/sbin/pcscd')],
    });
    expect(finding).toMatchObject({ problem: 'PCSCD_NOT_INSTALLED', fix: 'INSTALL_PCSCD' });
    expect(describeFinding(finding, 'zh-CN').fix).toContain('sudo apt install pcscd');
  });

  it('tells a dead socket left behind from a live one', async () => {
    const socketPath = tree.file('pcscd.comm', 'not a socket');
    const withoutDaemon = await checkPcscd({ roots, socketPath, binaries: [binary()] });
    expect(withoutDaemon).toMatchObject({ problem: 'PCSCD_NOT_RUNNING', fix: 'RESTART_PCSCD' });
    tree.file('proc/900/comm', 'pcscd\n');
    const withDaemon = await checkPcscd({ roots, socketPath, binaries: [binary()] });
    expect(withDaemon).toMatchObject({ problem: 'PCSCD_SOCKET_STALE', fix: 'RESTART_PCSCD' });
  });

  it('reports a running daemon whose socket is missing', async () => {
    tree.file('proc/900/comm', 'pcscd\n');
    const finding = await checkPcscd({ roots, socketPath: join(tree.root, 'gone'), binaries: [binary()] });
    expect(finding).toMatchObject({ problem: 'PCSCD_SOCKET_MISSING' });
    expect(describeFinding(finding).problem).toContain(join(tree.root, 'gone'));
  });
});

describe('ACR122U and the kernel pn533 driver', () => {
  const plugAcr122 = () => {
    tree.file('sys/bus/usb/devices/1-3/idVendor', '072f\n');
    tree.file('sys/bus/usb/devices/1-3/idProduct', '2200\n');
    tree.file('sys/bus/usb/drivers/pn533_usb/.keep');
    tree.file('sys/bus/usb/devices/1-3:1.0/bInterfaceClass', 'ff\n');
  };

  it('is an error when an ACR122U interface is bound to pn533_usb, with blacklist instructions', async () => {
    plugAcr122();
    tree.link('sys/bus/usb/devices/1-3:1.0/driver', '../../../../bus/usb/drivers/pn533_usb');
    const finding = await checkAcr122({ roots });
    expect(finding).toMatchObject({
      ok: false,
      severity: 'error',
      problem: 'ACR122U_CLAIMED_BY_PN533',
      fix: 'BLACKLIST_PN533',
    });
    const words = describeFinding(finding);
    expect(words.problem).toContain('pn533_usb');
    expect(words.fix).toContain('blacklist pn533_usb');
    expect(words.fix).toContain('/etc/modprobe.d/');
  });

  it('warns when the module is loaded even though it has not bound the reader yet', async () => {
    plugAcr122();
    tree.file(
      'proc/modules',
      'nfc 135168 1 pn533, Live 0x0\npn533_usb 20480 0 - Live 0x0\nusbhid 65536 0 - Live 0x0\n',
    );
    expect(await checkAcr122({ roots })).toMatchObject({
      severity: 'warning',
      problem: 'PN533_MODULE_LOADED',
    });
  });

  it('also sees the module through /sys/module', async () => {
    plugAcr122();
    tree.file('sys/module/pn533/refcnt', '1\n');
    expect(await checkAcr122({ roots })).toMatchObject({
      problem: 'PN533_MODULE_LOADED',
      params: { module: 'pn533' },
    });
  });

  it('passes when the reader is bound to nothing and no NFC module is loaded', async () => {
    plugAcr122();
    tree.file('proc/modules', 'usbhid 65536 0 - Live 0x0\n');
    expect((await checkAcr122({ roots })).ok).toBe(true);
  });

  it('passes when no ACR122U is plugged in, whatever modules are loaded', async () => {
    tree.file('sys/bus/usb/devices/1-4/idVendor', '072f\n');
    tree.file('sys/bus/usb/devices/1-4/idProduct', '223b\n');
    tree.file('proc/modules', 'pn533_usb 20480 0 - Live 0x0\n');
    expect((await checkAcr122({ roots })).ok).toBe(true);
  });
});

describe('device permissions', () => {
  const deny = (denied: string[]) => async (path: string) => {
    if (denied.includes(path)) throw Object.assign(new Error(`EACCES: ${path}`), { code: 'EACCES' });
  };
  const gid = process.getgid?.() ?? 0;
  const swiperHidraw = (name: string, vendor: string) => {
    const usb = tree.usbDevice('1-5', vendor, '0002');
    tree.file(`${usb}/1-5:1.0/0003:${vendor.toUpperCase()}:0002.0001/hidraw/${name}/.keep`);
    tree.link(
      `sys/class/hidraw/${name}/device`,
      `../../../../${usb}/1-5:1.0/0003:${vendor.toUpperCase()}:0002.0001`,
    );
    return tree.file(`dev/${name}`);
  };

  it('offers the udev rules for a swiper hidraw node that only root may open', async () => {
    tree.file('etc/group', `root:x:${gid}:\nplugdev:x:46:\n`);
    const node = swiperHidraw('hidraw3', '0801');
    const [finding, ...rest] = await checkPermissions({ roots, access: deny([node]), user: 'pos' });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      id: `permission:${node}`,
      severity: 'error',
      problem: 'PERMISSION_DENIED',
      fix: 'INSTALL_UDEV_RULES',
      params: { path: node, group: 'root', needs: 'plugdev', user: 'pos', device: 'MagTek swiper' },
    });
    const words = describeFinding(finding as Finding);
    expect(words.fix).toContain('/lib/udev/rules.d/70-member-card-pos.rules');
    expect(words.fix).toContain('udevadm control --reload-rules');
    expect(words.fix).toContain('usermod -aG plugdev pos');
  });

  it('says "join dialout" when a serial port already belongs to dialout', async () => {
    tree.file('etc/group', `dialout:x:${gid}:\n`);
    const node = tree.file('dev/ttyUSB0');
    const findings = await checkPermissions({ roots, access: deny([node]), user: 'pos' });
    expect(findings).toEqual([
      expect.objectContaining({ fix: 'JOIN_GROUP', params: expect.objectContaining({ needs: 'dialout' }) }),
    ]);
    expect(describeFinding(findings[0] as Finding, 'zh-CN').fix).toBe(
      '把运行本程序的用户加入 dialout 组：sudo usermod -aG dialout pos，然后注销并重新登录。',
    );
  });

  it('checks ttyACM and usb/lp nodes, and hidraw nodes of swipers only', async () => {
    tree.file('etc/group', `root:x:${gid}:\n`);
    const acm = tree.file('dev/ttyACM0');
    const lp = tree.file('dev/usb/lp0');
    tree.file('dev/hidraw0'); // a keyboard: not ours to open
    tree.file('dev/tty1');
    const findings = await checkPermissions({
      roots,
      access: deny([acm, lp, `${tree.dev}/hidraw0`]),
      user: 'pos',
    });
    expect(findings.map((f) => [f.params.path, f.params.needs])).toEqual([
      [acm, 'dialout'],
      [lp, 'lp'],
    ]);
  });

  it('passes with a count when every node opens', async () => {
    tree.file('dev/ttyUSB0');
    tree.file('dev/usb/lp0');
    expect(await checkPermissions({ roots, access: async () => undefined })).toEqual([
      { id: 'permissions', ok: true, severity: 'ok', problem: null, fix: null, params: { checked: '2' } },
    ]);
  });
});

describe('printer findings', () => {
  it('turns "answers no status" into a warning with the fix in plain words', () => {
    const finding = printerFinding({ address: '192.168.1.50:9100', state: 'no-status' });
    expect(finding).toMatchObject({
      severity: 'warning',
      problem: 'PRINTER_NO_STATUS',
      fix: 'CHECK_PRINTER_STATUS',
    });
    expect(describeFinding(finding).problem).toContain('192.168.1.50:9100');
    expect(describeFinding(finding, 'zh-CN').problem).toContain('不回应状态查询');
  });

  it('treats unreachable as an error and offline as a fault to clear', () => {
    expect(printerFinding({ address: 'x:1', state: 'unreachable', error: 'ECONNREFUSED' })).toMatchObject({
      severity: 'error',
      problem: 'PRINTER_UNREACHABLE',
    });
    expect(printerFinding({ address: 'x:1', state: 'offline' }).fix).toBe('CLEAR_PRINTER_FAULT');
    expect(printerFinding({ address: 'x:1', state: 'online' }).ok).toBe(true);
  });
});

describe('message table', () => {
  it('has English and Chinese words for every problem and fix', () => {
    for (const table of [PROBLEMS, FIXES]) {
      for (const [code, text] of Object.entries(table)) {
        expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
        expect(text.en.length).toBeGreaterThan(10);
        expect(text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
        const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(placeholders(text['zh-CN'])).toEqual(placeholders(text.en));
      }
    }
  });
});

describe('discovery sources as findings', () => {
  it('explains a source that failed, and leaves "pcscd not running" to the pcscd check', async () => {
    const discovery = {
      at: 1,
      devices: [],
      sources: [
        {
          source: 'pcsc' as const,
          ok: false,
          code: 'PCSCD_NOT_RUNNING',
          message: 'pcscd not running',
          count: 0,
        },
        {
          source: 'serial' as const,
          ok: false,
          code: 'SERIAL_LIST_FAILED',
          message: 'spawn udevadm ENOENT',
          count: 1,
        },
        { source: 'hid' as const, ok: true, code: undefined, message: undefined, count: 0 },
      ],
    };
    const report = await runDiagnostics({ roots, platform: 'win32', discovery });
    expect(report.findings).toEqual([
      {
        id: 'discovery:serial',
        ok: false,
        severity: 'warning',
        problem: 'DISCOVERY_SOURCE_FAILED',
        fix: 'INSTALL_UDEV',
        params: { source: 'serial', code: 'SERIAL_LIST_FAILED', error: 'spawn udevadm ENOENT' },
      },
    ]);
    expect(describeFinding(report.findings[0] as Finding).fix).toContain('sudo apt install udev');
  });
});

describe('runDiagnostics', () => {
  it('runs only the printer checks off Linux, where pcscd and device nodes do not exist', async () => {
    const report = await runDiagnostics({ roots, platform: 'win32', pcscdBinaries: [] });
    expect(report).toMatchObject({ ok: true, findings: [] });
  });

  it('runs every check against the given roots and puts the worst findings first', async () => {
    tree.file('etc/group', `root:x:${process.getgid?.() ?? 0}:\n`);
    const tty = tree.file('dev/ttyUSB0');
    const report = await runDiagnostics({
      roots,
      pcscdSocket: join(tree.root, 'none'),
      pcscdBinaries: [],
      access: async (path) => {
        if (path === tty) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      },
      user: 'pos',
      resourcesDir: '/opt/pos/resources',
      platform: 'linux',
      now: () => 42,
    });
    expect(report.at).toBe(42);
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => [f.id, f.severity])).toEqual([
      ['pcscd', 'error'],
      [`permission:${tty}`, 'error'],
      ['acr122u-pn533', 'ok'],
    ]);
    expect(report.findings[1]?.params.shipped).toBe('/opt/pos/resources/udev/70-member-card-pos.rules');
    for (const finding of report.findings) {
      const words = describeFinding(finding);
      expect(`${words.problem} ${words.fix}`).not.toMatch(/\{\w+\}/);
    }
  });
});
