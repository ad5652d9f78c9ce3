/**
 * The Electron transport's rules, checked without Electron (its binary cannot run here): one channel per
 * command, every call's sender checked against the window and the page it must show, events only to a
 * logged-in window. `ipcMain` and the window's `webContents` are the two small objects Electron would hand in;
 * the API, host and ledger behind them are real.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { COMMAND_NAMES, IPC_EVENT_CHANNEL, ipcChannel } from '../../../electron/contract';
import { createHost, type Host } from '../../../electron/host/compose';
import { attachIpc } from '../../../electron/transports/ipc';

const TRUSTED = 'file:///opt/member-card-pos/renderer/dist/index.html';

type Handler = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;

class Contents extends EventEmitter {
  readonly sent: [string, ...unknown[]][] = [];
  isDestroyed() {
    return false;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, ...args]);
  }
}

const handlers = new Map<string, Handler>();
const ipcMain = {
  handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
  removeHandler: (channel: string) => handlers.delete(channel),
} as unknown as IpcMain;

const window = new Contents();
/** The customer window on the second display. */
const customerWindow = new Contents();
let dataDir: string;
let host: Host;
let detach: () => void;

function event(
  sender: Contents,
  frame: { url: string; parent: unknown } | null = { url: TRUSTED, parent: null },
): IpcMainInvokeEvent {
  return { sender, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

function invoke(command: string, input: unknown, from: IpcMainInvokeEvent = event(window)) {
  const handler = handlers.get(`pos:${command}`);
  if (handler === undefined) throw new Error(`no handler for ${command}`);
  return handler(from, input);
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-ipc-'));
  host = createHost({ book: 'demo', dataDir });
  detach = attachIpc({
    ipcMain,
    api: host.api,
    hub: host.hub,
    logger: host.logger,
    contents: window as unknown as WebContents,
    trustedUrl: TRUSTED,
    customerContents: () => customerWindow as unknown as WebContents,
  });
});

afterAll(async () => {
  detach();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the Electron IPC transport', () => {
  it('has one channel per command and nothing else', () => {
    expect([...handlers.keys()].sort()).toEqual(COMMAND_NAMES.map(ipcChannel).sort());
  });

  it('answers the window showing our page', async () => {
    expect(await invoke('terminal.info', {})).toMatchObject({
      ok: true,
      value: { terminalId: DEMO.terminalId },
    });
  });

  it('refuses another window, another page, a frame inside the page, and a sender without a frame', async () => {
    const refused = { ok: false, error: { code: 'SENDER_REFUSED' } };
    expect(await invoke('terminal.info', {}, event(new Contents()))).toMatchObject(refused);
    expect(
      await invoke('terminal.info', {}, event(window, { url: 'https://evil.example/', parent: null })),
    ).toMatchObject(refused);
    expect(await invoke('terminal.info', {}, event(window, { url: TRUSTED, parent: {} }))).toMatchObject(
      refused,
    );
    expect(await invoke('terminal.info', {}, event(window, null))).toMatchObject(refused);
  });

  it('lets the customer window ask what it shows and give its stars, and call nothing else', async () => {
    const refused = { ok: false, error: { code: 'SENDER_REFUSED' } };
    const fromCustomer = event(customerWindow, { url: `${TRUSTED}#customer`, parent: null });
    expect(await invoke('display.current', {}, fromCustomer)).toMatchObject({ ok: true });
    // No charge is on show, so the stars are refused by the host itself, not by the transport.
    const stars = await invoke('display.rate', { stars: 5 }, fromCustomer);
    expect(stars).toMatchObject({ ok: false, error: { code: 'RATING_NOT_RATEABLE' } });
    for (const command of ['terminal.info', 'session.login', 'wallet.topUp', 'reports.ratings']) {
      expect(await invoke(command, {}, fromCustomer)).toMatchObject(refused);
    }
    // Another page in the customer window gets nothing, not even its two commands.
    const elsewhere = event(customerWindow, { url: 'https://evil.example/#customer', parent: null });
    expect(await invoke('display.current', {}, elsewhere)).toMatchObject(refused);
  });

  it('sends card events to the window only once someone has logged in', async () => {
    const before = host.hub.next('card.presented');
    host.simulator!.presentCard(DEMO.cards.uid.uid);
    await before;
    expect(window.sent.filter(([, name]) => name === 'card.presented')).toHaveLength(0);

    const staff = DEMO.staff.cashier;
    expect(await invoke('session.login', { staffNo: staff.code, pin: staff.pin })).toMatchObject({
      ok: true,
    });
    const after = host.hub.next('card.presented');
    host.simulator!.presentCard(DEMO.cards.uid.uid);
    await after;
    expect(window.sent).toContainEqual([
      IPC_EVENT_CHANNEL,
      'card.presented',
      expect.objectContaining({ uid: DEMO.cards.uid.uid }),
    ]);
  });

  it('validates input and permissions exactly as the WebSocket does', async () => {
    expect(await invoke('wallet.charge', { amountFen: 1.5 })).toMatchObject({
      ok: false,
      error: { code: 'INPUT_INVALID' },
    });
  });
});
