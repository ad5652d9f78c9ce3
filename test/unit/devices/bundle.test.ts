import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tailLines, tarGz, writeDiagnosticsBundle } from '../../../hardware/diagnostics/index';
import type { DiscoveryResult } from '../../../hardware/discovery/index';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bundle-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const extract = (archive: string) => {
  const out = join(dir, 'out');
  execFileSync('mkdir', ['-p', out]);
  execFileSync('tar', ['-xzf', archive, '-C', out]);
  return (name: string) => readFileSync(join(out, name), 'utf8');
};

describe('tar.gz writer', () => {
  it('writes archives that tar reads back byte for byte', () => {
    const exact = 'x'.repeat(512);
    const archive = join(dir, 'a.tar.gz');
    writeFileSync(
      archive,
      tarGz([
        { name: 'empty.txt', content: '', mtime: 1_700_000_000_000 },
        { name: 'exact.txt', content: exact, mtime: 1_700_000_000_000 },
        { name: '中文.txt', content: '收银 ¥100\n', mtime: 1_700_000_000_000 },
      ]),
    );
    const listing = execFileSync('tar', ['-tvzf', archive], { encoding: 'utf8' });
    expect(listing).toMatch(/empty\.txt/);
    expect(listing).toMatch(/2023-11-1[45]/);
    const read = extract(archive);
    expect(read('empty.txt')).toBe('');
    expect(read('exact.txt')).toBe(exact);
    expect(read('中文.txt')).toBe('收银 ¥100\n');
  });

  it('refuses names longer than a ustar header holds', () => {
    expect(() => tarGz([{ name: 'n'.repeat(101), content: '', mtime: 0 }])).toThrow(/too long/);
  });
});

describe('log tail', () => {
  it('returns the last lines, without a cut first line or a trailing empty one', async () => {
    const log = join(dir, 'app.log');
    writeFileSync(log, Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n') + '\n');
    expect(await tailLines(log, 3)).toEqual(['line 47', 'line 48', 'line 49']);
    expect(await tailLines(log, 100)).toHaveLength(50);
  });
});

describe('diagnostics bundle', () => {
  const SECRETS = [
    '13812345678',
    '11010519491231002X',
    '6222021234567890123',
    '4111111111111111',
    '%B4111111111111111^DOE/JOHN^2512101?',
    ';4111111111111111=2512101?',
    '04A22B1C5E8080',
    '139-0000-1111',
  ];

  it('holds versions, devices, findings and the recent log, with every planted secret masked', async () => {
    const log = join(dir, 'pos.log');
    const lines = [
      JSON.stringify({ level: 30, time: 1_795_333_322_705, msg: 'card presented', uid: '04A22B1C5E8080' }),
      JSON.stringify({ level: 30, time: 1_795_333_322_706, msg: 'member 13812345678 id 11010519491231002X' }),
      'swipe refused: %B4111111111111111^DOE/JOHN^2512101?;4111111111111111=2512101?',
      'top-up card 6222021234567890123 amount 10000 phone 139-0000-1111',
      'printer online',
    ];
    writeFileSync(log, `${lines.join('\n')}\n`);
    const devices: DiscoveryResult = {
      at: 1,
      devices: [{ kind: 'pcsc-reader', id: 'pcsc:Virtual PCD 00 00', name: 'Virtual PCD 00 00' }],
      sources: [{ source: 'pcsc', ok: true, code: undefined, message: undefined, count: 1 }],
    };
    const file = join(dir, 'bundle.tar.gz');
    const result = await writeDiagnosticsBundle({
      file,
      appVersion: '0.1.0',
      devices,
      diagnostics: {
        at: 2,
        ok: false,
        findings: [
          {
            id: 'pcscd',
            ok: false,
            severity: 'error',
            problem: 'PCSCD_NOT_RUNNING',
            fix: 'START_PCSCD',
            params: {},
          },
        ],
      },
      logFile: log,
      now: () => 1_795_333_400_000,
    });
    expect(result.entries).toEqual([
      'manifest.json',
      'versions.json',
      'devices.json',
      'diagnostics.json',
      'log.txt',
    ]);
    expect(result.logLinesIncluded).toBe(5);

    // The whole archive, decompressed, contains none of the secrets.
    const raw = gunzipSync(readFileSync(file)).toString('utf8');
    for (const secret of SECRETS) expect(raw).not.toContain(secret);

    const read = extract(file);
    const versions = JSON.parse(read('versions.json'));
    expect(versions).toMatchObject({ app: '0.1.0', node: process.versions.node });
    expect(versions.os).toMatch(/Linux/);
    expect(JSON.parse(read('devices.json')).devices[0].name).toBe('Virtual PCD 00 00');
    const findings = JSON.parse(read('diagnostics.json')).findings;
    expect(findings[0].en.fix).toContain('systemctl enable --now pcscd.socket');
    expect(findings[0]['zh-CN'].problem).toContain('pcscd');
    const logText = read('log.txt');
    expect(logText).toContain('printer online');
    expect(logText).toContain('"time":1795333322705');
    expect(logText.trim().split('\n')).toHaveLength(5);
  });

  it('is written readable by its owner only', async () => {
    const file = join(dir, 'b.tar.gz');
    await writeDiagnosticsBundle({ file, appVersion: '0.1.0' });
    expect(execFileSync('stat', ['-c', '%a', file], { encoding: 'utf8' }).trim()).toBe('600');
    expect(extract(file)('log.txt')).toBe('');
  });
});
