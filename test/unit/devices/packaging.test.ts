import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml, type YamlValue } from './yaml-subset';

const root = join(import.meta.dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
type Dict = { [key: string]: YamlValue };
const dict = (value: YamlValue | undefined): Dict => {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`expected a mapping, got ${JSON.stringify(value)}`);
  }
  return value;
};
const list = (value: YamlValue | undefined): YamlValue[] => {
  if (!Array.isArray(value)) throw new Error(`expected a sequence, got ${JSON.stringify(value)}`);
  return value;
};
/** electron-builder accepts a target as a name or as `{ target, arch }`. */
const targetNames = (value: YamlValue | undefined): string[] =>
  list(value).map((t) => (typeof t === 'string' ? t : String(dict(t).target)));

const config = dict(parseYaml(read('electron-builder.yml')));
const RULES = 'electron/build/udev/70-member-card-pos.rules';

describe('electron-builder.yml', () => {
  it('builds AppImage and deb for Linux and NSIS for Windows', () => {
    expect(targetNames(dict(config.linux).target)).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(targetNames(dict(config.win).target)).toContain('nsis');
  });

  it('makes the deb depend on pcscd and the CCID driver', () => {
    const depends = list(dict(config.deb).depends);
    expect(depends).toContain('pcscd');
    expect(depends).toContain('libccid');
  });

  it('rebuilds native modules for Electron only while packaging', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
    expect(list(config.asarUnpack)).toContain('**/*.node');
  });

  it('ships the udev rules in the resources and installs them from the deb postinst', () => {
    const shipped = list(config.extraResources).map(dict);
    const udev = shipped.find((entry) => entry.from === 'electron/build/udev');
    expect(udev?.to).toBe('udev');
    expect(existsSync(join(root, RULES))).toBe(true);

    const deb = dict(config.deb);
    const postinst = read(String(deb.afterInstall));
    expect(postinst).toContain('/resources/udev/$RULES');
    expect(postinst).toMatch(/install -m 0644 .*\/lib\/udev\/rules\.d\/\$RULES/);
    expect(postinst).toContain("RULES='70-member-card-pos.rules'");
    expect(read(String(deb.afterRemove))).toContain('rm -f "/lib/udev/rules.d/$RULES"');
  });

  it('keeps earlier installers out of the packaged files', () => {
    expect(list(config.files)).toContain('!dist/installers/**');
  });

  it('ships every resource folder it names', () => {
    for (const entry of list(config.extraResources).map(dict)) {
      expect(statSync(join(root, String(entry.from))).isDirectory()).toBe(true);
    }
  });
});

describe('deb maintainer scripts', () => {
  const scripts = ['electron/build/deb/postinst', 'electron/build/deb/postrm'];

  it.each(scripts)('%s is valid POSIX sh and executable', (script) => {
    execFileSync('sh', ['-n', join(root, script)]);
    expect(statSync(join(root, script)).mode & 0o111).not.toBe(0);
  });

  it.each(scripts)(
    '%s uses only the brace macros electron-builder defines (it throws on others)',
    (script) => {
      const macros = [...read(script).matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]);
      for (const macro of macros)
        expect(['executable', 'sanitizedProductName', 'productFilename']).toContain(macro);
    },
  );
});

interface Clause {
  key: string;
  op: string;
  value: string;
}

/** Splits a udev rule line into `KEY{attr}OP"value"` clauses; throws on anything else. */
function parseRule(line: string): Clause[] {
  const clause = /^\s*([A-Z_]+(?:\{[^}]+\})?)\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(?:,|$)/;
  const clauses: Clause[] = [];
  let rest = line;
  while (rest.trim() !== '') {
    const match = clause.exec(rest);
    if (!match) throw new Error(`cannot parse "${rest}" in: ${line}`);
    clauses.push({ key: match[1] as string, op: match[2] as string, value: match[3] as string });
    rest = rest.slice(match[0].length);
  }
  return clauses;
}

const MATCH_KEYS =
  /^(ACTION|SUBSYSTEM|SUBSYSTEMS|KERNEL|KERNELS|DRIVER|DRIVERS|ATTR\{.+\}|ATTRS\{.+\}|ENV\{.+\})$/;
const ASSIGN_KEYS = /^(TAG|GROUP|MODE|OWNER|SYMLINK|ENV\{.+\}|RUN\{.+\})$/;

describe('udev rules', () => {
  const lines = read(RULES)
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const rules = lines.map(parseRule);
  const find = (predicate: (clauses: Clause[]) => boolean) => rules.filter(predicate);
  const has = (clauses: Clause[], key: string, op: string, value: string) =>
    clauses.some((c) => c.key === key && c.op === op && c.value === value);

  it('has only well-formed rules: matches use == or !=, assignments =, += or :=', () => {
    expect(rules.length).toBeGreaterThanOrEqual(5);
    for (const clauses of rules) {
      for (const { key, op } of clauses) {
        if (op === '==' || op === '!=') expect(key).toMatch(MATCH_KEYS);
        else expect(key).toMatch(ASSIGN_KEYS);
      }
      expect(clauses.some((c) => c.op === '==')).toBe(true);
      expect(clauses.some((c) => c.op !== '==' && c.op !== '!=')).toBe(true);
    }
  });

  it('writes USB ids as four lower-case hex digits', () => {
    const ids = rules.flat().filter((c) => /idVendor|idProduct/.test(c.key));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id.value).toMatch(/^[0-9a-f]{4}$/);
  });

  it.each([
    ['MagTek', '0801'],
    ['ID TECH', '0acd'],
  ])('gives %s swipers on hidraw to the seated user and to plugdev', (_, vid) => {
    const matching = find((c) => has(c, 'ATTRS{idVendor}', '==', vid) && has(c, 'SUBSYSTEM', '==', 'hidraw'));
    expect(matching).toHaveLength(1);
    const [rule] = matching as [Clause[]];
    expect(has(rule, 'TAG', '+=', 'uaccess')).toBe(true);
    expect(has(rule, 'GROUP', '=', 'plugdev')).toBe(true);
    expect(has(rule, 'MODE', '=', '0660')).toBe(true);
  });

  it('gives USB printers to lp and USB serial ports to dialout', () => {
    expect(find((c) => has(c, 'KERNEL', '==', 'lp[0-9]*') && has(c, 'GROUP', '=', 'lp'))).toHaveLength(1);
    for (const tty of ['ttyUSB[0-9]*', 'ttyACM[0-9]*']) {
      expect(find((c) => has(c, 'KERNEL', '==', tty) && has(c, 'GROUP', '=', 'dialout'))).toHaveLength(1);
    }
  });

  it('sorts before 73-seat-late.rules so that uaccess takes effect', () => {
    expect(Number(/(\d+)-[^/]+\.rules$/.exec(RULES)?.[1])).toBeLessThan(73);
  });
});

describe('the YAML reader used here', () => {
  it('refuses what it does not understand rather than misreading it', () => {
    expect(() => parseYaml('a: &anchor 1')).toThrow(/outside the subset/);
    expect(() => parseYaml('a:\n  b: 1\n    c: 2')).toThrow(/indentation/);
    expect(() => parseYaml('a: 1\na: 2')).toThrow(/duplicate/);
  });

  it('reads sequences of mappings and flow sequences', () => {
    expect(parseYaml('x:\n  - from: a\n    to: b\n  - c\ny: [1, "two", three]')).toEqual({
      x: [{ from: 'a', to: 'b' }, 'c'],
      y: [1, 'two', 'three'],
    });
  });
});

describe('start-at-login entry template', () => {
  const entry = read('electron/build/linux/member-card-pos-autostart.desktop');
  const keys = new Map(
    entry
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );

  it('is a desktop entry whose command the app fills in when the setting is switched on', () => {
    expect(entry.startsWith('[Desktop Entry]\n')).toBe(true);
    expect(keys.get('Type')).toBe('Application');
    expect(keys.get('Exec')).toBe('@EXEC@ @ARGS@');
    expect(keys.get('Name[zh_CN]')).toBe('会员卡收银');
    for (const line of entry.split('\n').slice(1)) {
      if (line !== '') expect(line).toMatch(/^[A-Za-z-]+(\[[A-Za-z_@]+\])?=.*$/);
    }
  });

  it('is shipped with the app resources', () => {
    const shipped = list(config.extraResources).map(dict);
    expect(shipped.some((e) => e.from === 'electron/build/linux' && e.to === 'linux')).toBe(true);
  });
});

describe('packaging leaves the working tree to Node', () => {
  it('packages a staged app directory, so the native rebuild never touches the project node_modules', () => {
    const app = String(dict(config.directories).app);
    expect(app).toBe('dist/app');
    // npmRebuild acts on the app directory; the project root would mean an in-place Electron rebuild.
    expect(['.', './', '']).not.toContain(app);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.package).toMatch(/electron\/shell\/stage\.ts.*electron-builder/);
    expect(scripts.test).not.toMatch(/electron-builder|electron-rebuild/);
  });
});
