/**
 * The cashier's window and the rules every web page in the app lives under: sandboxed, isolated, no Node,
 * our CSP on every response, no navigation away, no new windows, no permissions (camera, USB, …) granted to
 * web content. Devices are the host's business, never the page's.
 */
import type { App, BrowserWindow as BrowserWindowType, Session } from 'electron';
import { contentSecurityPolicy } from '../security';

export interface WindowOptions {
  BrowserWindow: typeof BrowserWindowType;
  preload: string;
  kiosk: boolean;
  /** Chromium's devtools: never for a cashier (they run code against the page and its IPC bridge). */
  devTools: boolean;
}

/** A packaged app opens devtools only for a technician who starts it with `--devtools`. */
export function devToolsAllowed(options: { packaged: boolean; args: readonly string[] }): boolean {
  return !options.packaged || options.args.includes('--devtools');
}

export function lockDown(app: App, session: Session, trustedUrl: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] },
    });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (url.split('#')[0] !== trustedUrl) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

export function createCounterWindow(options: WindowOptions): BrowserWindowType {
  return new options.BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    kiosk: options.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#f6f7f9',
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
}
