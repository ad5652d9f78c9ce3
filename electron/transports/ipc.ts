/**
 * The Electron transport: one `ipcMain.handle` channel per command, one event channel pushed to the window.
 * Every message's sender is checked against the window and the page we loaded before anything runs. Electron
 * is only a type here (the caller hands in `ipcMain`), so this module loads under plain Node too.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  COMMAND_NAMES,
  type CommandName,
  type EventName,
  IPC_EVENT_CHANNEL,
  ipcChannel,
  type Reply,
} from '../contract';
import type { Api } from '../host/api';
import type { DeviceHub } from '../host/hub';
import type { Logger } from '../host/logger';
import { Session } from '../host/session';

const PUBLIC_EVENTS: ReadonlySet<EventName> = new Set(['device.status', 'sync.status', 'customer.display']);

/**
 * What the customer window on the second display may call: what it shows, and the customer's stars for the
 * charge on show. Both are public commands that need no login; everything else stays bound to the cashier's
 * window, so a customer-facing screen can never reach the till's commands.
 */
export const CUSTOMER_WINDOW_COMMANDS: ReadonlySet<CommandName> = new Set([
  'display.current',
  'display.rate',
]);

export interface IpcTransportOptions {
  ipcMain: IpcMain;
  api: Api;
  hub: DeviceHub;
  logger: Logger;
  /** The one window allowed to call, and the URL of the page it must be showing. */
  contents: WebContents;
  trustedUrl: string;
  /** The customer window's contents once it is open: it may call `CUSTOMER_WINDOW_COMMANDS` and nothing else. */
  customerContents?: () => WebContents | null;
}

export function attachIpc(options: IpcTransportOptions): () => void {
  const { contents, logger } = options;
  const session = new Session('ipc');
  // The customer window never logs in; its session only ever carries its two public commands.
  const customerSession = new Session('ipc');

  const showsOurPage = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && frame.url.split('#')[0] === options.trustedUrl;
  };
  const fromCustomerWindow = (event: IpcMainInvokeEvent): boolean => {
    const customer = options.customerContents?.() ?? null;
    return customer !== null && event.sender === customer && showsOurPage(event);
  };

  for (const name of COMMAND_NAMES) {
    options.ipcMain.handle(ipcChannel(name), async (event, input: unknown): Promise<Reply<unknown>> => {
      if (event.sender === contents && showsOurPage(event)) return options.api.call(session, name, input);
      if (CUSTOMER_WINDOW_COMMANDS.has(name) && fromCustomerWindow(event))
        return options.api.call(customerSession, name, input);
      logger.warn({ command: name, url: event.senderFrame?.url }, 'ipc from an untrusted sender refused');
      return { ok: false, error: { code: 'SENDER_REFUSED', message: 'This window may not call the host' } };
    });
  }

  const unsubscribe = options.hub.subscribe((event, payload) => {
    if (contents.isDestroyed()) return;
    if (session.staff !== null || PUBLIC_EVENTS.has(event)) contents.send(IPC_EVENT_CHANNEL, event, payload);
  });
  contents.once('destroyed', () => session.logOut());

  return () => {
    unsubscribe();
    for (const name of COMMAND_NAMES) options.ipcMain.removeHandler(ipcChannel(name));
  };
}
