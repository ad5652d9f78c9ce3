/**
 * Stages the app electron-builder packages: `dist/app/` with the built shell, the renderer, the migrations
 * and a package.json that lists only the runtime dependencies. electron-builder (`directories.app`) installs
 * and rebuilds the native modules (better-sqlite3, pcsclite, node-hid, serialport) for Electron's ABI in
 * `dist/app/node_modules`, so the working tree's node_modules keep Node's builds and the tests, browser mode
 * and the bench keep running under Node after a packaging run.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const APP_DIR = join('dist', 'app');

/** What the packaged app needs next to its package.json, relative to the project root. */
export const STAGED_PATHS = [
  'dist/electron',
  'renderer/dist',
  'db/migrations',
  'electron/build/linux',
] as const;

interface PackageJson {
  name: string;
  productName?: string;
  version: string;
  description?: string;
  type?: string;
  main: string;
  author?: unknown;
  license?: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** The staged package.json: the app's identity and runtime dependencies, no scripts, no dev tools. */
export function appManifest(project: PackageJson): PackageJson {
  const { name, productName, version, description, type, main, author, license, dependencies } = project;
  return {
    name,
    ...(productName === undefined ? {} : { productName }),
    version,
    ...(description === undefined ? {} : { description }),
    ...(type === undefined ? {} : { type }),
    main,
    ...(author === undefined ? {} : { author }),
    ...(license === undefined ? {} : { license }),
    dependencies: { ...(dependencies ?? {}) },
  };
}

export function stageApp(options: { root?: string; out?: string } = {}): string {
  const root = options.root ?? ROOT;
  const out = options.out ?? join(root, APP_DIR);
  const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  if (!existsSync(join(root, project.main))) {
    throw new Error(`${project.main} is missing: run \`npm run build\` first`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const path of STAGED_PATHS) {
    if (existsSync(join(root, path))) cpSync(join(root, path), join(out, path), { recursive: true });
  }
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(appManifest(project), null, 2)}\n`);
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stderr.write(`staged ${stageApp()}\n`);
}
