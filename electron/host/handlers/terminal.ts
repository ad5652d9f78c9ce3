/**
 * Logging in and out, and what the terminal tells its screens when they open: the store, the book's mode,
 * the devices and sync, and in a demo or training book the demo staff's logins and the simulator panel.
 */
import type { Ledger, Store } from '../../../db';
import { DEMO } from '../../../db';
import type { CommandName } from '../../contract';
import type { Handlers } from '../api';
import { allowsPractice, type BookMode } from '../book-mode';
import type { DeviceHub } from '../hub';

export type TerminalHandlerNames = Extract<CommandName, `session.${string}` | 'terminal.info'>;

/** The demo café's staff, as the login screen of a demo or training book lists them. */
function demoLogins() {
  return (['cashier', 'manager', 'technician', 'admin'] as const).map((role) => ({
    role,
    staffNo: DEMO.staff[role].code,
    pin: DEMO.staff[role].pin,
    name: DEMO.staff[role].name,
  }));
}

export function terminalHandlers(deps: {
  ledger: Ledger;
  hub: DeviceHub;
  identity: { terminalId: string };
  store: () => Store;
  version: string;
  mode: BookMode;
  trainingMode: boolean;
  /** False in a live book, where the simulator does not exist. */
  hasSimulator: boolean;
}): Pick<Handlers, TerminalHandlerNames> {
  const { ledger, hub, identity } = deps;
  return {
    'session.login': ({ staffNo, pin }, { session }) => {
      const staff = ledger.authenticateStaff({ code: staffNo, pin, terminalId: identity.terminalId });
      session.logIn({ id: staff.id, staffNo: staff.code, name: staff.name, role: staff.role });
      return session.view()!;
    },
    'session.logout': (_input, { session }) => {
      session.logOut();
      return { ok: true };
    },
    'session.current': (_input, { session }) => session.view(),
    'terminal.info': () => ({
      storeName: deps.store().name,
      terminalId: identity.terminalId,
      version: deps.version,
      mode: deps.mode,
      trainingMode: deps.trainingMode,
      ...(allowsPractice(deps.mode) ? { demoLogins: demoLogins() } : {}),
      // The simulator panel is for training, and for a demo terminal with no reader or swiper connected; never
      // for a live book.
      simulator:
        deps.hasSimulator &&
        (deps.trainingMode ||
          !hub.deviceList().some((device) => device.kind !== 'printer' && device.state === 'connected')),
      devices: hub.deviceList(),
      sync: hub.syncStatus(),
      ...(ledger.auditChainAtOpen === null ? {} : { auditChainBrokenAt: ledger.auditChainAtOpen.brokenAt }),
    }),
  };
}
