/**
 * Global setup of the browser tests: the renderer is built once (before any file could start building it
 * at the same time as another) and one headless Chromium serves every file, each in a context of its own
 * (`launchChromium()` in test/support/chromium.ts).
 */
import { ensureRendererBuilt } from '../../electron/launch/renderer-build';
import { chromiumAvailable, SHARED_CHROMIUM_ENV, startChromiumServer } from '../support/chromium';

export default async function setup(): Promise<() => Promise<void>> {
  await ensureRendererBuilt();
  if (process.env[SHARED_CHROMIUM_ENV] || !chromiumAvailable()) return async () => {};
  const server = await startChromiumServer();
  process.env[SHARED_CHROMIUM_ENV] = server.wsEndpoint;
  return async () => {
    delete process.env[SHARED_CHROMIUM_ENV];
    await server.close();
  };
}
