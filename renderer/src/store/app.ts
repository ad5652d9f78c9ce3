/** Who is at the till, in which language, and whether the host is reachable. */
import { create } from 'zustand';
import type { SessionView, TerminalInfo } from '../../../electron/contract/index';
import { asFailure, call, onSessionEnded, PosFailure } from '../api/client';
import type { Locale } from '../i18n/messages';

const LOCALE_KEY = 'pos.locale';

function initialLocale(): Locale {
  return localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN';
}

interface AppState {
  locale: Locale;
  connection: 'connecting' | 'open' | 'closed';
  info: TerminalInfo | null;
  session: SessionView | null;
  /** True until the first `session.current` answer, so a reload does not flash the login screen. */
  restoring: boolean;
  /** The terminal has no book yet: the setup screen, not the login. */
  setupNeeded: boolean;
  loginError: PosFailure | null;
  loggingIn: boolean;
  setLocale(locale: Locale): void;
  toggleLocale(): void;
  setConnection(state: AppState['connection']): void;
  /** Keeps the status bar current as devices and the sync worker report. */
  deviceChanged(status: TerminalInfo['devices'][number]): void;
  syncChanged(status: TerminalInfo['sync']): void;
  restore(): Promise<void>;
  logIn(staffNo: string, pin: string): Promise<void>;
  logOut(): Promise<void>;
  /**
   * Asks the host who is logged in (a public command, so asking is not activity): when the host has locked
   * the session after idle, the screen goes back to the login with the reason, taking the member on screen
   * with it.
   */
  checkSession(): Promise<void>;
}

/** How often the screen asks whether the host locked the session after idle. */
export const IDLE_CHECK_MS = 15_000;

export const useApp = create<AppState>((set, get) => ({
  locale: initialLocale(),
  connection: 'connecting',
  info: null,
  session: null,
  restoring: true,
  setupNeeded: false,
  loginError: null,
  loggingIn: false,
  setLocale(locale) {
    localStorage.setItem(LOCALE_KEY, locale);
    document.documentElement.lang = locale;
    set({ locale });
  },
  toggleLocale() {
    get().setLocale(get().locale === 'en' ? 'zh-CN' : 'en');
  },
  setConnection(connection) {
    set({ connection });
    // A new socket is a new host session: ask again who is logged in.
    if (connection === 'open') void get().restore();
  },
  deviceChanged(status) {
    const info = get().info;
    if (info === null) return;
    const devices = info.devices.filter((device) => device.device !== status.device);
    set({ info: { ...info, devices: [...devices, status] } });
  },
  syncChanged(sync) {
    const info = get().info;
    if (info !== null) set({ info: { ...info, sync } });
  },
  async restore() {
    try {
      if ((await call('setup.status', {})).needed) {
        set({ setupNeeded: true, info: null, session: null, restoring: false });
        return;
      }
      const [info, session] = await Promise.all([call('terminal.info', {}), call('session.current', {})]);
      set({ setupNeeded: false, info, session, restoring: false });
    } catch {
      set({ restoring: false });
    }
  },
  async logIn(staffNo, pin) {
    if (get().loggingIn) return;
    set({ loggingIn: true, loginError: null });
    try {
      const session = await call('session.login', { staffNo, pin });
      set({ session, loggingIn: false });
    } catch (error) {
      set({ loginError: asFailure(error), loggingIn: false });
    }
  },
  async logOut() {
    await call('session.logout', {}).catch(() => undefined);
    set({ session: null });
  },
  async checkSession() {
    if (get().session === null) return;
    try {
      const session = await call('session.current', {});
      if (session === null && get().session !== null) {
        set({
          session: null,
          loginError: new PosFailure({ code: 'SESSION_EXPIRED', message: 'locked after idle' }),
        });
      } else if (session !== null && session.staff.role !== get().session?.staff.role) {
        // An admin changed this staff member's role: the buttons follow the new permissions.
        set({ session });
      }
    } catch {
      // A deactivated login is handled by onSessionEnded below; the connection's own state says when the
      // host is away.
    }
  },
}));

// The host ended the login (deactivated, or locked after idle): back to the login screen, saying why.
onSessionEnded((failure) => {
  if (useApp.getState().session !== null) useApp.setState({ session: null, loginError: failure });
});

/** Starts the idle check; returns the function that stops it. */
export function watchIdleLock(): () => void {
  const timer = setInterval(() => void useApp.getState().checkSession(), IDLE_CHECK_MS);
  return () => clearInterval(timer);
}
