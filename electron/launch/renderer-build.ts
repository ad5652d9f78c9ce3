/**
 * Makes sure `renderer/dist` holds a build of the current renderer sources, building it with Vite when it is
 * missing or older than any source file. Browser mode and the Electron shell both serve this folder.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RENDERER_DIST = join(REPO_ROOT, 'renderer', 'dist');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function rendererIsStale(): boolean {
  const built = join(RENDERER_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const sources = [
    join(REPO_ROOT, 'renderer', 'src'),
    join(REPO_ROOT, 'renderer', 'index.html'),
    join(REPO_ROOT, 'renderer', 'public'),
    join(REPO_ROOT, 'electron', 'contract'),
    join(REPO_ROOT, 'electron', 'security.ts'),
    join(REPO_ROOT, 'vite.config.ts'),
  ];
  const newestSource = Math.max(...sources.map(newestMtime));
  return newestSource > statSync(built).mtimeMs;
}

export async function ensureRendererBuilt(
  log: (line: string) => void = () => {},
  options: { force?: boolean } = {},
): Promise<string> {
  if (options.force === true || rendererIsStale()) {
    log('building the renderer…');
    const { build } = await import('vite');
    // A test runner sets NODE_ENV=test, which would give React's development build: always ship production.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(REPO_ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
  }
  return RENDERER_DIST;
}
