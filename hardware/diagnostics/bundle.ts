/**
 * The diagnostics bundle a technician sends to support: versions, the device list, the diagnostic
 * findings, and the last lines of the app's log with personal and card data masked. Written as one
 * `.tar.gz`; nothing in it is read back by the app.
 */
import { execFile } from 'node:child_process';
import { open, readFile, writeFile } from 'node:fs/promises';
import { arch, platform, release, type } from 'node:os';
import { join } from 'node:path';
import type { DiscoveryResult } from '../discovery/index';
import { describeFinding } from './messages';
import { redactLine } from './redact';
import type { DiagnosticsReport } from './run';
import { tarGz } from './tar';

export interface Versions {
  readonly app: string;
  readonly node: string;
  readonly electron: string | undefined;
  readonly os: string;
  readonly osRelease: string | undefined;
  readonly arch: string;
  /** `pcscd --version`, or undefined when pcscd is not installed. */
  readonly pcscd: string | undefined;
}

export interface BundleOptions {
  /** The archive to write (…/member-card-pos-diagnostics-<time>.tar.gz). */
  readonly file: string;
  readonly appVersion: string;
  readonly devices?: DiscoveryResult | undefined;
  readonly diagnostics?: DiagnosticsReport | undefined;
  /** The app's log file; its last lines go into the bundle, masked. */
  readonly logFile?: string | undefined;
  /** How many of the last log lines to include. Default 1000. */
  readonly logLines?: number | undefined;
  /** Where `os-release` is read from; default `/etc`. */
  readonly etcRoot?: string | undefined;
  /** The pcscd binary to ask for its version; default `pcscd` on PATH. */
  readonly pcscdCommand?: string | undefined;
  readonly now?: (() => number) | undefined;
}

export interface BundleResult {
  readonly file: string;
  readonly bytes: number;
  readonly entries: readonly string[];
  readonly logLinesIncluded: number;
}

/** The last bytes of a log are enough for the last lines; a multi-gigabyte log is never read whole. */
const TAIL_BYTES = 4 * 1024 * 1024;

export async function tailLines(file: string, count: number): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    if (length < size) lines.shift(); // the first line is cut in the middle
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-count);
  } finally {
    await handle.close();
  }
}

function pcscdVersion(command: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, ['--version'], { timeout: 3_000 }, (error, stdout, stderr) => {
      const text = `${stdout}\n${stderr}`;
      const match = /pcsc-lite version (\d[\w.~+-]*?)\.?(?:\s|$)/i.exec(text);
      resolve(match?.[1] ?? (error ? undefined : text.trim().split('\n')[0]));
    });
  });
}

async function osRelease(etcRoot: string): Promise<string | undefined> {
  try {
    const text = await readFile(join(etcRoot, 'os-release'), 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

export async function collectVersions(
  appVersion: string,
  options: { etcRoot?: string | undefined; pcscdCommand?: string | undefined } = {},
): Promise<Versions> {
  return {
    app: appVersion,
    node: process.versions.node,
    electron: process.versions.electron,
    os: `${type()} ${release()} (${platform()})`,
    osRelease: await osRelease(options.etcRoot ?? '/etc'),
    arch: arch(),
    pcscd: await pcscdVersion(options.pcscdCommand ?? 'pcscd'),
  };
}

export async function writeDiagnosticsBundle(options: BundleOptions): Promise<BundleResult> {
  const now = (options.now ?? Date.now)();
  const versions = await collectVersions(options.appVersion, options);
  const log = options.logFile
    ? (await tailLines(options.logFile, options.logLines ?? 1_000).catch(() => [] as string[])).map(
        redactLine,
      )
    : [];
  const findings = options.diagnostics?.findings.map((finding) => ({
    ...finding,
    en: describeFinding(finding, 'en'),
    'zh-CN': describeFinding(finding, 'zh-CN'),
  }));

  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  // Device names and serial numbers can carry a member's card number only through a misbehaving reader,
  // but the device list is masked with the same rules as the log, to be sure.
  const devices = options.devices ? redactLine(JSON.stringify(options.devices)) : 'null';
  const entries = [
    { name: 'manifest.json', content: json({ createdAt: now, format: 1, logLines: log.length }), mtime: now },
    { name: 'versions.json', content: json(versions), mtime: now },
    { name: 'devices.json', content: json(JSON.parse(devices)), mtime: now },
    {
      name: 'diagnostics.json',
      content: json(options.diagnostics ? { ...options.diagnostics, findings } : null),
      mtime: now,
    },
    { name: 'log.txt', content: log.length === 0 ? '' : `${log.join('\n')}\n`, mtime: now },
  ];
  const archive = tarGz(entries);
  await writeFile(options.file, archive, { mode: 0o600 });
  return {
    file: options.file,
    bytes: archive.length,
    entries: entries.map((e) => e.name),
    logLinesIncluded: log.length,
  };
}
