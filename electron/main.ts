/**
 * The desktop shell. Thin on purpose: one instance, one locked-down window, the host composed in this
 * (main) process, and the IPC transport between them. Options: `--kiosk`, `--training`.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import { createHost, type Host } from './host/compose';
import { resolveDataDir } from './host/data-dir';
import { defaultAutostartDir } from './host/devices/autostart';
import { openDesktopKeys } from './host/keys';
import { loadSafeStorageWrapper } from './keystore/safe-storage';
import { createCounterWindow, lockDown } from './shell/window';
import { attachIpc } from './transports/ipc';

// The bundle lives in dist/electron/; the renderer build in renderer/dist/ (same layout inside the package).
const appRoot = join(__dirname, '..', '..');
const rendererIndex = join(appRoot, 'renderer', 'dist', 'index.html');
const trustedUrl = pathToFileURL(rendererIndex).href;
const args = process.argv.slice(1);

let host: Host | null = null;
let window: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window === null) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app
    .whenReady()
    .then(async () => {
      lockDown(app, session.defaultSession, trustedUrl);
      const dataDir = resolveDataDir();
      // A basic_text key store (Linux without a keyring) refuses to start unless the store accepted the risk.
      const wrapper = await loadSafeStorageWrapper({
        insecureBackend: args.includes('--allow-insecure-keystore') ? 'warn' : 'refuse',
      });
      const keys = await openDesktopKeys(dataDir, wrapper);
      host = createHost({
        dataDir,
        trainingMode: args.includes('--training'),
        hardware: true,
        keyring: keys.keyring,
        secrets: keys.secrets,
        // Start at login starts this very binary (the AppImage file itself, not its mount point).
        autostart: {
          dir: defaultAutostartDir(),
          exec: process.env.APPIMAGE ?? process.execPath,
          args: args.filter((arg) => arg === '--kiosk' || arg === '--training'),
          // Windows keeps login items itself.
          ...(process.platform === 'win32'
            ? { apply: (openAtLogin: boolean) => app.setLoginItemSettings({ openAtLogin }) }
            : {}),
        },
      });
      if (args.includes('--allow-insecure-keystore')) {
        host.logger.warn({ keys: keys.path }, 'started with --allow-insecure-keystore');
      }
      window = createCounterWindow({
        BrowserWindow,
        preload: join(__dirname, 'preload.cjs'),
        // The technician's kiosk setting (Devices screen), or --kiosk for this start only.
        kiosk: args.includes('--kiosk') || host.paired.settings.kioskMode,
      });
      attachIpc({
        ipcMain,
        api: host.api,
        hub: host.hub,
        logger: host.logger,
        contents: window.webContents,
        trustedUrl,
      });
      window.once('ready-to-show', () => window?.show());
      await window.loadURL(trustedUrl);
    })
    .catch((error: unknown) => {
      // The host refuses to start on a broken book (INVARIANT_BROKEN) or an unreadable data directory: say so
      // in words and stop, rather than show a counter that cannot sell.
      const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
      host?.logger.fatal({ err: error }, 'terminal could not start');
      dialog.showErrorBox(
        '会员卡收银无法启动 / The terminal could not start',
        `${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`,
      );
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    // The ledger closes only after the print queue and the devices have stopped; then the app may go.
    const closing = host;
    host = null;
    void (closing?.close() ?? Promise.resolve()).finally(() => app.quit());
  });
}
