/**
 * The staged app electron-builder packages: the built files copied, and a package.json that carries the app's
 * identity and runtime dependencies only, so electron-builder installs and rebuilds just those, in the staged
 * directory, for Electron.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appManifest, STAGED_PATHS, stageApp } from '../../../electron/shell/stage';

const root = mkdtempSync(join(tmpdir(), 'pos-stage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const project = {
  name: 'member-card-pos',
  version: '1.2.3',
  type: 'module',
  main: 'dist/electron/main.cjs',
  scripts: { test: 'vitest run' },
  dependencies: { 'better-sqlite3': '^12.0.0', 'node-hid': '^3.0.0' },
  devDependencies: { electron: '^41.0.0', vitest: '^3.0.0' },
  allowScripts: { electron: false },
};

describe('stageApp', () => {
  it('writes the runtime manifest: no scripts, no dev dependencies, electron nowhere in it', () => {
    const manifest = appManifest(project);
    expect(manifest).toEqual({
      name: 'member-card-pos',
      version: '1.2.3',
      type: 'module',
      main: 'dist/electron/main.cjs',
      dependencies: { 'better-sqlite3': '^12.0.0', 'node-hid': '^3.0.0' },
    });
    expect(JSON.stringify(manifest)).not.toContain('electron"');
  });

  it('copies the built shell, renderer and migrations next to it', () => {
    writeFileSync(join(root, 'package.json'), JSON.stringify(project));
    for (const path of STAGED_PATHS) mkdirSync(join(root, path), { recursive: true });
    writeFileSync(join(root, 'dist/electron/main.cjs'), '// main');
    writeFileSync(join(root, 'db/migrations/0000_init.sql'), 'select 1;');
    writeFileSync(join(root, 'renderer/dist/index.html'), '<!doctype html>');
    const out = stageApp({ root, out: join(root, 'dist', 'app') });
    expect(readFileSync(join(out, 'dist/electron/main.cjs'), 'utf8')).toBe('// main');
    expect(existsSync(join(out, 'db/migrations/0000_init.sql'))).toBe(true);
    expect(existsSync(join(out, 'renderer/dist/index.html'))).toBe(true);
    expect(existsSync(join(out, 'node_modules'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')).devDependencies).toBeUndefined();
  });

  it('refuses to stage before the shell is built', () => {
    const empty = mkdtempSync(join(tmpdir(), 'pos-stage-empty-'));
    writeFileSync(join(empty, 'package.json'), JSON.stringify(project));
    expect(() => stageApp({ root: empty, out: join(empty, 'dist', 'app') })).toThrow(/npm run build/);
    rmSync(empty, { recursive: true, force: true });
  });
});
