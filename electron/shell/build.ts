/**
 * Bundles the shell for Electron: `dist/electron/main.cjs` (main process, host included) and
 * `dist/electron/preload.cjs` (sandboxed preload: CommonJS, `electron` its only import). npm packages stay
 * external, so native modules load from node_modules: Node's builds in the working tree, Electron's ABI builds
 * in the packaged app (electron-builder rebuilds them there).
 */
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { nativeModulesPlugin } from '../launch/electron-native';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const SHELL_OUT = join(root, 'dist', 'electron');

/**
 * Our modules find files next to themselves with `import.meta.url`; in a CommonJS bundle that is empty, so
 * each module gets its own original location, expressed relative to the bundle so it holds when packaged.
 */
const importMetaUrl: Plugin = {
  name: 'import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const fromRoot = relative(root, args.path).split('\\').join('/');
      const url = `require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', '..', ${JSON.stringify(fromRoot)})).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

/**
 * `nativeModulesDir`: a folder of Electron-ABI builds the bundle loads the native packages from (the
 * working tree's desktop start); packaging leaves it out, electron-builder rebuilds in the app itself.
 */
export async function buildShell(options: { nativeModulesDir?: string } = {}): Promise<string> {
  const native =
    options.nativeModulesDir === undefined ? [] : [nativeModulesPlugin(options.nativeModulesDir)];
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node20',
    packages: 'external' as const,
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning' as const,
  };
  await build({
    ...common,
    entryPoints: [join(root, 'electron', 'main.ts')],
    outfile: join(SHELL_OUT, 'main.cjs'),
    plugins: [...native, importMetaUrl],
  });
  await build({
    ...common,
    entryPoints: [join(root, 'electron', 'preload.ts')],
    outfile: join(SHELL_OUT, 'preload.cjs'),
  });
  return join(SHELL_OUT, 'main.cjs');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stderr.write(`built ${await buildShell()}\n`);
}
