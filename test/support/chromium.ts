/**
 * Debian's Chromium driven by playwright-core: headless, a fresh profile per launch, nothing phoning home.
 * `launchChromium()` returns a browser context; `close()` also deletes the profile. In a test run the global
 * setup starts one Chromium for every file (`startChromiumServer`, its endpoint in POS_TEST_CHROMIUM_WS):
 * each launch is then a fresh incognito context in that browser, which starts in milliseconds, not seconds.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Download } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface LaunchedChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export const SHARED_CHROMIUM_ENV = 'POS_TEST_CHROMIUM_WS';

export interface ChromiumServer {
  wsEndpoint: string;
  close(): Promise<void>;
}

/** One headless Chromium that test processes connect to over its WebSocket endpoint. */
export async function startChromiumServer(): Promise<ChromiumServer> {
  const server = await chromium.launchServer({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return { wsEndpoint: server.wsEndpoint(), close: () => server.close() };
}

type LaunchOptions = { viewport?: { width: number; height: number }; locale?: string };

/** The counter's screen size, Chinese unless a test asks otherwise, and the store's time zone. */
function contextOptions(options: LaunchOptions) {
  return {
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  };
}

export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
  const shared = process.env[SHARED_CHROMIUM_ENV];
  if (shared) {
    const browser = await chromium.connect(shared);
    const context = await browser.newContext(contextOptions(options));
    return {
      context,
      close: async () => {
        await context.close().catch(() => undefined);
        await browser.close().catch(() => undefined);
      },
    };
  }
  const profile = mkdtempSync(join(tmpdir(), 'pos-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...contextOptions(options),
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The downloaded file on this machine's disk. A download from the shared Chromium has no local `path()`
 * (the browser is reached over its endpoint), so it is saved into a temp folder that goes with the process.
 */
export async function downloadedFile(download: Download): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-download-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}
