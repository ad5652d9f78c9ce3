/**
 * The Electron fuses a packaged terminal must ship with, and the check that a packaged layout has them.
 * Fuses are bits in the Electron binary itself: once flipped at packaging they cannot be turned back by an
 * environment variable or a command-line switch, which is what stops someone at the till from running the
 * app's binary as a plain Node (ELECTRON_RUN_AS_NODE), injecting code through NODE_OPTIONS or attaching a
 * debugger with --inspect, and from swapping the app's code beside an unchanged binary.
 *
 * electron-builder flips them (`electronFuses` in electron-builder.yml, kept equal to REQUIRED_FUSES by a
 * test); `npm run package` then reads them back from every unpacked layout with `checkPackagedFuses`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';

/** electron-builder's `electronFuses` names, with the value each must have. */
export const REQUIRED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
} as const;

export type FuseName = keyof typeof REQUIRED_FUSES;

/** Where each named fuse sits on Electron's V1 fuse wire. */
export const WIRE_INDEX: Record<FuseName, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

export interface FuseMismatch {
  fuse: FuseName;
  wanted: boolean;
  /** What the binary holds: on, off, or a fuse this Electron no longer has. */
  found: 'on' | 'off' | 'removed' | 'missing';
}

function stateWord(state: number | undefined): FuseMismatch['found'] {
  if (state === FuseState.ENABLE) return 'on';
  if (state === FuseState.DISABLE) return 'off';
  if (state === FuseState.REMOVED) return 'removed';
  return 'missing';
}

/** Every required fuse the binary at `binaryPath` does not hold as required (empty when all are right). */
export async function fuseMismatches(binaryPath: string): Promise<FuseMismatch[]> {
  const wire = (await getCurrentFuseWire(binaryPath)) as unknown as Record<number, number | undefined>;
  const mismatches: FuseMismatch[] = [];
  for (const [fuse, wanted] of Object.entries(REQUIRED_FUSES) as [FuseName, boolean][]) {
    const found = stateWord(wire[WIRE_INDEX[fuse]]);
    if (found !== (wanted ? 'on' : 'off')) mismatches.push({ fuse, wanted, found });
  }
  return mismatches;
}

/**
 * The Electron binaries electron-builder left in `installersDir`: one per `*-unpacked` layout (Linux and
 * Windows name the binary after the app; macOS keeps its framework, which @electron/fuses finds from the
 * `.app`).
 */
export function packagedBinaries(installersDir: string, executableNames: readonly string[]): string[] {
  if (!existsSync(installersDir)) return [];
  const binaries: string[] = [];
  for (const entry of readdirSync(installersDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const layout = join(installersDir, entry.name);
    if (entry.name.endsWith('-unpacked')) {
      for (const name of executableNames) {
        if (existsSync(join(layout, name))) binaries.push(join(layout, name));
      }
    } else if (entry.name.startsWith('mac')) {
      for (const app of readdirSync(layout).filter((name) => name.endsWith('.app'))) {
        binaries.push(join(layout, app));
      }
    }
  }
  return binaries;
}

/** Reads the fuses of every packaged layout; throws naming each wrong fuse, or when no layout was found. */
export async function checkPackagedFuses(
  installersDir: string,
  executableNames: readonly string[],
): Promise<string[]> {
  const binaries = packagedBinaries(installersDir, executableNames);
  if (binaries.length === 0) {
    throw new Error(`no packaged Electron binary under ${installersDir}: run electron-builder first`);
  }
  const problems: string[] = [];
  for (const binary of binaries) {
    for (const { fuse, wanted, found } of await fuseMismatches(binary)) {
      problems.push(`${binary}: fuse ${fuse} must be ${wanted ? 'on' : 'off'}, found ${found}`);
    }
  }
  if (problems.length > 0) throw new Error(`the packaged app's fuses are wrong:\n${problems.join('\n')}`);
  return binaries;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { productName?: string };
  // electron-builder.yml names the Linux binary; Windows uses the product name.
  const names = ['member-card-pos', `${project.productName ?? 'Member Card POS'}.exe`];
  const checked = await checkPackagedFuses(join(root, 'dist', 'installers'), names);
  for (const binary of checked) process.stderr.write(`fuses checked: ${binary}\n`);
}
