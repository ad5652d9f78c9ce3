/**
 * The permission check with the kernel's own answer: the check runs in a child process under an
 * unprivileged account (nobody), against device-node stand-ins whose owner, group and mode are set as udev
 * would set them, so `fs.access` really says yes or no.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../hardware/index';

const NOBODY = 65534;
const DIALOUT = 20;
const root = join(import.meta.dirname, '..', '..', '..');
const isRoot = process.getuid?.() === 0;
let tree: string;

function node(path: string, uid: number, gid: number, mode: number): string {
  const full = join(tree, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, '');
  chownSync(full, uid, gid);
  chmodSync(full, mode);
  return full;
}

/**
 * Runs checkPermissions as nobody and returns its findings. nobody may not be able to enter the checkout (a
 * clone in a home folder, or in a folder made by `mktemp -d`), so the check is bundled with esbuild into a
 * plain script in the world-readable test tree: the child needs nothing from the checkout, not even tsx. It
 * bundles the check's own module, not the folder's index, which also loads the serial port's native binding.
 */
async function checkAsNobody(): Promise<Finding[]> {
  const script = join(tree, 'check.mjs');
  const { build } = await import('esbuild');
  await build({
    stdin: {
      contents: `import { checkPermissions } from './hardware/diagnostics/permissions.ts';
const t = ${JSON.stringify(tree)};
const findings = await checkPermissions({ roots: { dev: t + '/dev', sys: t + '/sys', proc: t + '/proc', etc: t + '/etc' }, user: 'pos' });
process.stdout.write(JSON.stringify(findings));
`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    logLevel: 'silent',
  });
  chmodSync(script, 0o644);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script],
      { cwd: tree, uid: NOBODY, gid: NOBODY, env: { ...process.env, HOME: tree }, timeout: 30_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}

beforeAll(() => {
  if (!isRoot) return;
  tree = mkdtempSync(join(tmpdir(), 'devices-perm-'));
  chmodSync(tree, 0o755);
  mkdirSync(join(tree, 'sys'));
  mkdirSync(join(tree, 'proc'));
  mkdirSync(join(tree, 'etc'));
  writeFileSync(
    join(tree, 'etc', 'group'),
    `root:x:0:\ndialout:x:${DIALOUT}:\nlp:x:7:\nnogroup:x:${NOBODY}:\n`,
  );
  node('dev/ttyUSB0', 0, 0, 0o660); // no rule applied: root only
  node('dev/ttyUSB1', 0, DIALOUT, 0o660); // Debian's default: group dialout
  node('dev/ttyACM0', 0, DIALOUT, 0o666); // opened up by hand
  node('dev/usb/lp0', 0, NOBODY, 0o660); // a group the service account is in
});

afterAll(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
});

describe('permission check as an unprivileged user', () => {
  it('finds exactly the nodes the kernel refuses, with the fix that fits each', async (context) => {
    if (!isRoot) context.skip(); // only root can create nodes owned by others and drop to nobody
    const findings = await checkAsNobody();
    expect(findings.map((f) => [f.params.path, f.problem, f.fix, f.params.group, f.params.needs])).toEqual([
      [join(tree, 'dev/ttyUSB0'), 'PERMISSION_DENIED', 'INSTALL_UDEV_RULES', 'root', 'dialout'],
      [join(tree, 'dev/ttyUSB1'), 'PERMISSION_DENIED', 'JOIN_GROUP', 'dialout', 'dialout'],
    ]);
  }, 40_000);

  it('passes once the user may open every node', async (context) => {
    if (!isRoot) context.skip();
    chownSync(join(tree, 'dev/ttyUSB0'), 0, NOBODY);
    chownSync(join(tree, 'dev/ttyUSB1'), NOBODY, DIALOUT);
    const findings = await checkAsNobody();
    expect(findings).toEqual([
      { id: 'permissions', ok: true, severity: 'ok', problem: null, fix: null, params: { checked: '4' } },
    ]);
  }, 40_000);
});
