/**
 * The deb's maintainer scripts, run for real as dpkg would run them, inside a private mount namespace: /opt
 * is a fresh tmpfs holding an installed app, and /usr/bin and /lib/udev/rules.d are overlays whose writes
 * vanish with the namespace. udevadm and systemctl are stand-ins on PATH that record their calls, so no
 * uevent reaches the machine. The rules file is also fed to `udevadm test` (a dry run) the same way, so
 * udev's own parser judges its syntax. Needs root (mounts); skipped otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const RULES = '70-member-card-pos.rules';
/** What electron-builder substitutes for the brace macros (productName "Member Card POS"). */
const MACROS: Record<string, string> = {
  executable: 'member-card-pos',
  sanitizedProductName: 'Member Card POS',
  productFilename: 'Member Card POS',
};
const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;
let work: string;

const expand = (script: string) =>
  readFileSync(join(root, 'electron/build/deb', script), 'utf8').replace(
    /\$\{([a-zA-Z]+)\}/g,
    (_, name: string) => {
      const value = MACROS[name];
      if (value === undefined) throw new Error(`Macro ${name} is not defined`);
      return value;
    },
  );

beforeAll(() => {
  if (!canMount) return;
  work = mkdtempSync(join(tmpdir(), 'deb-scripts-'));
  mkdirSync(join(work, 'stub'));
  for (const tool of ['udevadm', 'systemctl']) {
    const stub = join(work, 'stub', tool);
    writeFileSync(stub, `#!/bin/sh\necho "${tool} $*" >> ${join(work, 'calls.log')}\n`);
    chmodSync(stub, 0o755);
  }
  for (const script of ['postinst', 'postrm']) {
    writeFileSync(join(work, script), expand(script));
    chmodSync(join(work, script), 0o755);
  }
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Installs the app into a private /opt, runs postinst (and postrm when asked), and reports what it left. */
function runInNamespace(steps: string): Record<string, string> {
  const app = '/opt/Member Card POS';
  // Fresh overlay layers for every run, so one run never sees what an earlier one wrote.
  const layers = mkdtempSync(join(work, 'layers-'));
  for (const dir of ['bin-up', 'bin-work', 'rules-up', 'rules-work']) mkdirSync(join(layers, dir));
  const script = `
set -e
mount -t tmpfs tmpfs /opt
mount -t overlay overlay -o lowerdir=/usr/bin,upperdir=${layers}/bin-up,workdir=${layers}/bin-work /usr/bin
mount -t overlay overlay -o lowerdir=/lib/udev/rules.d,upperdir=${layers}/rules-up,workdir=${layers}/rules-work /lib/udev/rules.d
mkdir -p "${app}/resources/udev"
cp "${root}/electron/build/udev/${RULES}" "${app}/resources/udev/${RULES}"
printf '#!/bin/sh\\n' > "${app}/member-card-pos"; chmod 755 "${app}/member-card-pos"
export PATH="${work}/stub:$PATH"
${steps}
echo "rules=$(stat -c %a /lib/udev/rules.d/${RULES} 2>/dev/null || echo absent)"
echo "same=$(cmp -s /lib/udev/rules.d/${RULES} "${root}/electron/build/udev/${RULES}" && echo yes || echo no)"
echo "link=$(readlink /usr/bin/member-card-pos || echo absent)"
`;
  const out = execFileSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8', timeout: 20_000 });
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('deb maintainer scripts, run for real', () => {
  it('postinst installs the shipped udev rules, reloads udev, links the launcher', (context) => {
    if (!canMount) context.skip();
    rmSync(join(work, 'calls.log'), { force: true });
    const state = runInNamespace(`sh ${work}/postinst configure`);
    expect(state).toEqual({ rules: '644', same: 'yes', link: '/opt/Member Card POS/member-card-pos' });
    const calls = readFileSync(join(work, 'calls.log'), 'utf8').trim().split('\n');
    expect(calls).toEqual([
      'udevadm control --reload-rules',
      'udevadm trigger --subsystem-match=hidraw --subsystem-match=tty --subsystem-match=usbmisc',
    ]);
  });

  it('postrm on removal takes the rules and the launcher away again', (context) => {
    if (!canMount) context.skip();
    const state = runInNamespace(`sh ${work}/postinst configure && sh ${work}/postrm remove`);
    expect(state).toEqual({ rules: 'absent', same: 'no', link: 'absent' });
  });

  it('postrm on upgrade leaves the rules in place for the new version', (context) => {
    if (!canMount) context.skip();
    const state = runInNamespace(`sh ${work}/postinst configure && sh ${work}/postrm upgrade`);
    expect(state.rules).toBe('644');
  });

  it('leaves the machine untouched', () => {
    expect(spawnSync('test', ['-e', `/lib/udev/rules.d/${RULES}`]).status).not.toBe(0);
    expect(spawnSync('test', ['-e', '/usr/bin/member-card-pos']).status).not.toBe(0);
  });
});

describe('the udev rules file, read by udev itself', () => {
  /** Runs `udevadm test` (a dry run) with the given rules files added to a private /lib/udev/rules.d. */
  function udevComplaints(files: Record<string, string>): string[] {
    const layers = mkdtempSync(join(work, 'udev-'));
    mkdirSync(join(layers, 'up'));
    mkdirSync(join(layers, 'work'));
    const copies = Object.entries(files).map(([name, content]) => {
      writeFileSync(join(layers, name), content);
      return `cp ${join(layers, name)} /lib/udev/rules.d/${name}`;
    });
    const script = `
set -e
mount -t overlay overlay -o lowerdir=/lib/udev/rules.d,upperdir=${layers}/up,workdir=${layers}/work /lib/udev/rules.d
${copies.join('\n')}
udevadm test --action=add /sys/class/tty/tty0 2>&1 || true
`;
    const out = execFileSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8', timeout: 20_000 });
    const names = Object.keys(files);
    return out.split('\n').filter((line) => names.some((n) => line.includes(`${n}:`)));
  }

  it('parses every line of the shipped rules without a complaint', (context) => {
    if (!canMount) context.skip();
    const rules = readFileSync(join(root, 'electron/build/udev', RULES), 'utf8');
    expect(udevComplaints({ [RULES]: rules })).toEqual([]);
  });

  it('does complain about a malformed rule, so the check above can fail', (context) => {
    if (!canMount) context.skip();
    const complaints = udevComplaints({ '71-broken.rules': 'SUBSYSTEM=="tty", GROUP="dialout", BOGUS\n' });
    expect(complaints.join('\n')).toMatch(/71-broken\.rules:1 Invalid key\/value pair/);
  });
});
