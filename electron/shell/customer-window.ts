/**
 * The customer window on the second display: the renderer's customer view (`#customer`), full screen on the
 * first display that is not the cashier's. The host pushes each `customer.display` view to it (and the current
 * one once it has loaded); the window itself may call only what the customer does there, the stars after a
 * charge (`CUSTOMER_WINDOW_COMMANDS` in the IPC transport), and every other command stays bound to the cashier's.
 * With one display there is no customer window (the LED pole display, if paired, still works).
 */
import type { BrowserWindow as BrowserWindowType, Screen } from 'electron';
import { IPC_EVENT_CHANNEL } from '../contract/bridge';
import type { CustomerView } from '../contract/display';
import type { DeviceHub } from '../host/hub';

export interface CustomerWindowOptions {
  BrowserWindow: typeof BrowserWindowType;
  screen: Screen;
  preload: string;
  /** The renderer's page; the window shows it with `#customer`. */
  url: string;
  hub: DeviceHub;
  current: () => CustomerView;
}

export function openCustomerWindow(options: CustomerWindowOptions): BrowserWindowType | null {
  const primary = options.screen.getPrimaryDisplay();
  const second = options.screen.getAllDisplays().find((display) => display.id !== primary.id);
  if (second === undefined) return null;
  const window = new options.BrowserWindow({
    ...second.bounds,
    fullscreen: true,
    frame: false,
    focusable: false,
    autoHideMenuBar: true,
    backgroundColor: '#10233f',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const contents = window.webContents;
  const push = (view: CustomerView) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, 'customer.display', view);
  };
  const unsubscribe = options.hub.subscribe((event, payload) => {
    if (event === 'customer.display') push(payload as CustomerView);
  });
  contents.on('did-finish-load', () => push(options.current()));
  window.once('closed', unsubscribe);
  void window.loadURL(`${options.url}#customer`);
  return window;
}
