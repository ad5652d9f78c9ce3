/**
 * The desktop shell. Thin on purpose: one instance, one locked-down window, the host composed in this
 * (main) process, and the IPC transport between them. Options: `--kiosk`, `--training`, `--demo`, and
 * `--devtools` (a technician's flag: devtools in a packaged app).
 * A data directory without a book shows the setup screen; the host is composed when setup is done.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session } from 'electron';
import { resolveDataDir } from './host/data-dir';
import { defaultAutostartDir } from './host/devices/autostart';
import { openDesktopKeys } from './host/keys';
import { openTerminal, type Terminal } from './host/setup/first-start';
import { loadSafeStorageWrapper } from './keystore/safe-storage';
import { APP_INDEX_URL, APP_SCHEME, appProtocolHandler } from './shell/app-protocol';
import { openCustomerWindow } from './shell/customer-window';
import { createCounterWindow, devToolsAllowed, lockDown } from './shell/window';
import { attachIpc } from './transports/ipc';

// The bundle lives in dist/electron/; the renderer build in renderer/dist/ (same layout inside the package).
const appRoot = join(__dirname, '..', '..');
const rendererDir = join(appRoot, 'renderer', 'dist');
const trustedUrl = APP_INDEX_URL;
const args = process.argv.slice(1);

// The page gets an origin of its own (app://counter), not a file URL; the scheme is declared before ready.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let terminal: Terminal | null = null;
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
      protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir));
      // A till has no menu bar to wander into; devtools only in a working tree or with --devtools.
      Menu.setApplicationMenu(null);
      const dataDir = resolveDataDir();
      // A basic_text key store (Linux without a keyring) refuses to start unless the store accepted the risk.
      const wrapper = await loadSafeStorageWrapper({
        insecureBackend: args.includes('--allow-insecure-keystore') ? 'warn' : 'refuse',
      });
      const keys = await openDesktopKeys(dataDir, wrapper);
      terminal = openTerminal({
        dataDir,
        trainingMode: args.includes('--training'),
        ...(args.includes('--demo') ? { book: 'demo' as const } : {}),
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
        terminal.logger.warn({ keys: keys.path }, 'started with --allow-insecure-keystore');
      }
      window = createCounterWindow({
        BrowserWindow,
        preload: join(__dirname, 'preload.cjs'),
        // The technician's kiosk setting (Devices screen), or --kiosk for this start only.
        kiosk: args.includes('--kiosk') || (terminal.host()?.paired.settings.kioskMode ?? false),
        devTools: devToolsAllowed({ packaged: app.isPackaged, args }),
      });
      let customer: BrowserWindow | null = null;
      attachIpc({
        ipcMain,
        api: terminal.api,
        hub: terminal.hub,
        logger: terminal.logger,
        contents: window.webContents,
        trustedUrl,
        customerContents: () => (customer === null || customer.isDestroyed() ? null : customer.webContents),
      });
      window.once('ready-to-show', () => window?.show());
      await window.loadURL(trustedUrl);
      // The customer window on a second display, when there is one and the host is running.
      const host = terminal.host();
      if (host !== null) {
        const display = host.customerDisplay;
        customer = openCustomerWindow({
          BrowserWindow,
          screen,
          preload: join(__dirname, 'preload.cjs'),
          url: trustedUrl,
          hub: terminal.hub,
          current: () => display.current(),
        });
        // The customer window goes with the cashier's, so closing the counter still quits the app.
        window.once('closed', () => customer?.destroy());
      }
    })
    .catch((error: unknown) => {
      // The host refuses to start on a broken book (INVARIANT_BROKEN) or an unreadable data directory: say so
      // in words and stop, rather than show a counter that cannot sell.
      const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
      terminal?.logger.fatal({ err: error }, 'terminal could not start');
      dialog.showErrorBox(
        '会员卡收银无法启动 / The terminal could not start',
        `${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`,
      );
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    // The ledger closes only after the print queue and the devices have stopped; then the app may go.
    const closing = terminal;
    terminal = null;
    void (closing?.close() ?? Promise.resolve()).finally(() => app.quit());
  });
}
