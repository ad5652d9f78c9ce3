/**
 * The desktop shell's hardening, read from the shell's own code (Electron's binary cannot run here, so the
 * few Electron objects are recorders; the options, handlers and policy under test are the shipped ones):
 * the window's web preferences, the CSP on every response, navigation/redirect/new-window/webview/permission
 * refusals, the order `main.ts` applies them in, and a preload that exposes one function per command and
 * nothing else. The IPC sender check itself is exercised in test/unit/api/ipc-transport.test.ts.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { App, BrowserWindow, Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, EVENT_NAMES } from '../../../electron/contract/names';
import { contentSecurityPolicy } from '../../../electron/security';
import { APP_INDEX_URL } from '../../../electron/shell/app-protocol';
import { createCounterWindow, devToolsAllowed, lockDown } from '../../../electron/shell/window';

const TRUSTED = APP_INDEX_URL;

function recordWindow() {
  const made: Array<Record<string, unknown>> = [];
  class Recorder {
    constructor(options: Record<string, unknown>) {
      made.push(options);
    }
  }
  return { made, BrowserWindow: Recorder as unknown as typeof BrowserWindow };
}

function policy(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

function lockedDown() {
  const app = new EventEmitter();
  let onHeaders: ((details: unknown, callback: (response: unknown) => void) => void) | undefined;
  let permissionRequest:
    | ((contents: unknown, permission: string, cb: (ok: boolean) => void) => void)
    | undefined;
  let permissionCheck: ((...args: unknown[]) => boolean) | undefined;
  const session = {
    webRequest: { onHeadersReceived: (handler: typeof onHeaders) => (onHeaders = handler) },
    setPermissionRequestHandler: (handler: typeof permissionRequest) => (permissionRequest = handler),
    setPermissionCheckHandler: (handler: typeof permissionCheck) => (permissionCheck = handler),
  };
  lockDown(app as unknown as App, session as unknown as Session, TRUSTED);
  const contents = Object.assign(new EventEmitter(), {
    openHandler: undefined as undefined | ((details: { url: string }) => { action: string }),
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    },
  });
  app.emit('web-contents-created', {}, contents);
  const fire = (name: string, ...args: unknown[]) => {
    const event = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    contents.emit(name, event, ...args);
    return event.prevented;
  };
  return {
    onHeaders: onHeaders!,
    permissionRequest: permissionRequest!,
    permissionCheck: permissionCheck!,
    contents,
    fire,
  };
}

describe('Electron shell hardening', () => {
  it('opens the counter window isolated, sandboxed, without Node, web security on, no webviews', () => {
    const { made, BrowserWindow } = recordWindow();
    createCounterWindow({
      BrowserWindow,
      preload: '/app/dist/electron/preload.cjs',
      kiosk: false,
      devTools: false,
    });
    expect(made).toHaveLength(1);
    expect(made[0]!.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    const prefs = made[0]!.webPreferences as Record<string, unknown>;
    expect(prefs.nodeIntegrationInSubFrames ?? false).toBe(false);
    expect(prefs.experimentalFeatures ?? false).toBe(false);
  });

  it('serves every response with a CSP of our own scripts only: no inline code, no eval, no framing', () => {
    const { onHeaders } = lockedDown();
    let response: { responseHeaders: Record<string, string[]> } | undefined;
    onHeaders({ responseHeaders: { 'X-Other': ['kept'] } }, (r) => {
      response = r as typeof response;
    });
    expect(response!.responseHeaders['X-Other']).toEqual(['kept']);
    const csp = response!.responseHeaders['Content-Security-Policy']![0]!;
    expect(csp).toBe(contentSecurityPolicy());
    const rules = policy(csp);
    expect(rules.get('default-src')).toEqual(["'none'"]);
    expect(rules.get('script-src')).toEqual(["'self'"]);
    expect(rules.get('connect-src')).toEqual(["'self'"]);
    expect(rules.get('object-src')).toEqual(["'none'"]);
    expect(rules.get('frame-ancestors')).toEqual(["'none'"]);
    expect(rules.get('base-uri')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('denies navigation away, redirects, new windows, webviews and every permission', () => {
    const { contents, fire, permissionRequest, permissionCheck } = lockedDown();
    expect(contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: TRUSTED })).toEqual({ action: 'deny' });
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'app://counter/other.html')).toBe(true);
    expect(fire('will-navigate', `${TRUSTED}#/counter`)).toBe(false);
    expect(fire('will-redirect', TRUSTED)).toBe(true);
    expect(fire('will-attach-webview', {}, {})).toBe(true);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'hid',
      'usb',
      'serial',
      'clipboard-read',
    ]) {
      const answer = vi.fn();
      permissionRequest({}, permission, answer);
      expect(answer).toHaveBeenCalledWith(false);
      expect(permissionCheck({}, permission, TRUSTED, {})).toBe(false);
    }
  });

  it('main.ts locks the session down before the window exists and the page loads, and checks IPC senders', () => {
    const main = readFileSync(new URL('../../../electron/main.ts', import.meta.url), 'utf8');
    const at = (text: string) => {
      const index = main.indexOf(text);
      expect(index, text).toBeGreaterThan(-1);
      return index;
    };
    expect(at('requestSingleInstanceLock()')).toBeLessThan(at('whenReady()'));
    expect(at('lockDown(app, session.defaultSession, trustedUrl)')).toBeLessThan(at('createCounterWindow({'));
    expect(at('attachIpc({')).toBeLessThan(at('window.loadURL(trustedUrl)'));
    expect(main.slice(at('attachIpc({'), at('window.loadURL(trustedUrl)'))).toMatch(/trustedUrl/);
    expect(main).not.toMatch(/nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false/);
  });

  it('main.ts serves the page from app://, not file://, with no menu and devtools by rule', () => {
    const main = readFileSync(new URL('../../../electron/main.ts', import.meta.url), 'utf8');
    const at = (text: string) => main.indexOf(text);
    expect(at('const trustedUrl = APP_INDEX_URL;')).toBeGreaterThan(-1);
    expect(main).not.toMatch(/pathToFileURL|file:\/\//);
    expect(at('protocol.registerSchemesAsPrivileged(')).toBeGreaterThan(-1);
    expect(at('protocol.registerSchemesAsPrivileged(')).toBeLessThan(at('whenReady()'));
    expect(at('protocol.handle(APP_SCHEME')).toBeLessThan(at('window.loadURL(trustedUrl)'));
    expect(at('Menu.setApplicationMenu(null)')).toBeLessThan(at('createCounterWindow({'));
    expect(main).toMatch(/devTools: devToolsAllowed\(\{ packaged: app\.isPackaged, args \}\)/);
  });

  it('a packaged app opens devtools only for a technician’s --devtools', () => {
    expect(devToolsAllowed({ packaged: true, args: [] })).toBe(false);
    expect(devToolsAllowed({ packaged: true, args: ['--kiosk'] })).toBe(false);
    expect(devToolsAllowed({ packaged: true, args: ['--devtools'] })).toBe(true);
    expect(devToolsAllowed({ packaged: false, args: [] })).toBe(true);
  });

  it('the preload exposes one function per command and `on`, each bound to its own channel', async () => {
    const exposed: Record<string, Record<string, unknown>> = {};
    const invoke = vi.fn(async (channel: string, input: unknown) => ({ channel, input }));
    vi.doMock('electron', () => ({
      contextBridge: {
        exposeInMainWorld: (key: string, value: Record<string, unknown>) => (exposed[key] = value),
      },
      ipcRenderer: { on: vi.fn(), invoke, send: vi.fn(), sendSync: vi.fn() },
    }));
    await import('../../../electron/preload');
    vi.doUnmock('electron');
    expect(Object.keys(exposed)).toEqual(['pos']);
    const pos = exposed.pos!;
    expect(Object.keys(pos).sort()).toEqual(['on', ...COMMAND_NAMES].sort());
    for (const name of COMMAND_NAMES) {
      await expect((pos[name] as (input: unknown) => Promise<unknown>)({ x: 1 })).resolves.toEqual({
        channel: `pos:${name}`,
        input: { x: 1 },
      });
    }
    expect(invoke).toHaveBeenCalledTimes(COMMAND_NAMES.length);
    const on = pos.on as (event: unknown, listener: unknown) => () => void;
    expect(() => on('ipc.raw', () => undefined)).toThrow(TypeError);
    expect(typeof on(EVENT_NAMES[0], () => undefined)).toBe('function');
    const preload = readFileSync(new URL('../../../electron/preload.ts', import.meta.url), 'utf8');
    expect(preload).not.toMatch(/ipcRenderer\.send|exposeInMainWorld\([^)]*ipcRenderer/);
  });
});
