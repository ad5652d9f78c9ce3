/**
 * The packaged terminal's fuses: electron-builder.yml asks for exactly the fuses the packaging check reads
 * back, and the check tells a flipped binary from one left as Electron ships it. Electron's own binary cannot
 * be downloaded on this machine, so the layout holds a stand-in binary carrying Electron's fuse wire (the
 * sentinel, version 1 and the wire as shipped); @electron/fuses flips and reads it as it would the real one.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FuseV1Config, FuseVersion, flipFuses } from '@electron/fuses';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkPackagedFuses,
  fuseMismatches,
  REQUIRED_FUSES,
  WIRE_INDEX,
} from '../../../electron/shell/fuses';
import { parseYaml, type YamlValue } from '../devices/yaml-subset';

const root = join(import.meta.dirname, '..', '..', '..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's shipped wire: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, … */
const SHIPPED_WIRE = '101100011';

function standInBinary(path: string, wire = SHIPPED_WIRE): void {
  const padding = Buffer.alloc(64 * 1024, 0x90);
  const fuse = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire)]);
  writeFileSync(path, Buffer.concat([padding, fuse, padding]), { mode: 0o755 });
}

/** The config electron-builder hands @electron/fuses for the yml's `electronFuses`. */
function builderFuseConfig(): FuseV1Config {
  const config: Record<number, boolean> = {};
  for (const [name, value] of Object.entries(REQUIRED_FUSES)) {
    config[WIRE_INDEX[name as keyof typeof REQUIRED_FUSES]] = value;
  }
  return { version: FuseVersion.V1, ...config } as FuseV1Config;
}

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function layout(): { installers: string; binary: string } {
  dir = mkdtempSync(join(tmpdir(), 'pos-fuses-'));
  const unpacked = join(dir, 'linux-unpacked');
  mkdirSync(unpacked, { recursive: true });
  return { installers: dir, binary: join(unpacked, 'member-card-pos') };
}

describe('the packaged app’s fuses', () => {
  it('are asked of electron-builder exactly as the packaging check reads them', () => {
    const config = parseYaml(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
      [key: string]: YamlValue;
    };
    expect(config.electronFuses).toEqual(REQUIRED_FUSES);
    expect(config.asar).toBe(true);
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    expect(scripts.package).toMatch(/electron-builder.*&& tsx electron\/shell\/fuses\.ts$/);
  });

  it('pass the check once flipped as electron-builder flips them', async () => {
    const { installers, binary } = layout();
    standInBinary(binary);
    await flipFuses(binary, builderFuseConfig());
    expect(await fuseMismatches(binary)).toEqual([]);
    await expect(checkPackagedFuses(installers, ['member-card-pos'])).resolves.toEqual([binary]);
  });

  it('name every fuse left as Electron ships it', async () => {
    const { installers, binary } = layout();
    standInBinary(binary);
    expect((await fuseMismatches(binary)).map((m) => `${m.fuse}=${m.found}`)).toEqual([
      'runAsNode=on',
      'enableCookieEncryption=off',
      'enableNodeOptionsEnvironmentVariable=on',
      'enableNodeCliInspectArguments=on',
      'enableEmbeddedAsarIntegrityValidation=off',
      'onlyLoadAppFromAsar=off',
      'grantFileProtocolExtraPrivileges=on',
    ]);
    await expect(checkPackagedFuses(installers, ['member-card-pos'])).rejects.toThrow(
      /fuse runAsNode must be off, found on/,
    );
  });

  it('refuse a packaging run that left no layout to check', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-fuses-'));
    await expect(checkPackagedFuses(dir, ['member-card-pos'])).rejects.toThrow(/no packaged Electron binary/);
  });
});
