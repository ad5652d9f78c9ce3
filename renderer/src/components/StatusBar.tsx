import type { TerminalInfo } from '../../../electron/contract/index';
import { describePrintProblem, type T, useT } from '../i18n/use-t';
import { useApp } from '../store/app';

const KIND_WORDS = { reader: 'device.reader', swiper: 'device.swiper', printer: 'device.printer' } as const;

type Device = TerminalInfo['devices'][number];

/** What the printer's own status says, as the code the counter has words for. */
const PRINTER_PROBLEMS: Record<string, string> = {
  PAPER_OUT: 'PRINTER_PAPER_OUT',
  COVER_OPEN: 'PRINTER_COVER_OPEN',
  CUTTER_ERROR: 'PRINTER_CUTTER_JAMMED',
  PRINTER_ERROR: 'PRINTER_FAULT',
  OFFLINE: 'PRINTER_OFFLINE',
};

/**
 * A paired printer that is away is trouble (red), whatever the link reports: receipts are not coming out.
 * Only "no printer paired" is grey.
 */
function lightOf(device: Device): Device['state'] {
  if (device.kind === 'printer' && device.state === 'disconnected' && device.detail !== 'unpaired')
    return 'error';
  return device.state;
}

/** The light's tooltip line for one device, in the screen's language. */
function deviceWords(t: T, device: Device): string {
  if (device.kind !== 'printer') return `${device.device}: ${t(`devices.state.${device.state}`)}`;
  const state = lightOf(device);
  if (state === 'connected') return t('printer.light.ok');
  if (state === 'simulated') return t('printer.light.simulated');
  if (state === 'disconnected') return t('printer.light.unpaired');
  return describePrintProblem(t, PRINTER_PROBLEMS[device.detail ?? ''] ?? 'PRINTER_DISCONNECTED', undefined);
}

/** One light per kind of device: green when one works, grey when only simulated, red when one is in trouble. */
function DeviceLights({ devices }: { devices: TerminalInfo['devices'] }) {
  const t = useT();
  return (
    <span className="devices">
      {(['reader', 'swiper', 'printer'] as const).map((kind) => {
        const all = devices.filter((device) => device.kind === kind);
        // A real device speaks for its kind; the simulated one is only the fallback.
        const real = all.filter((device) => device.state !== 'simulated' && device.detail !== 'unpaired');
        const mine = real.length > 0 ? real : all;
        const lights = mine.map(lightOf);
        const state = lights.includes('error')
          ? 'error'
          : lights.includes('connected')
            ? 'connected'
            : lights.includes('simulated')
              ? 'simulated'
              : 'disconnected';
        const words = mine.map((device) => deviceWords(t, device)).join('\n');
        return (
          <span
            key={kind}
            className={`light light-${state}`}
            title={words === '' ? `${t(KIND_WORDS[kind])}: ${t('devices.state.disconnected')}` : words}
            data-kind={kind}
            data-state={state}
          >
            {t(KIND_WORDS[kind])}
          </span>
        );
      })}
    </span>
  );
}

export function StatusBar() {
  const t = useT();
  const { info, session, connection, toggleLocale, logOut } = useApp();
  return (
    <header className="status-bar">
      <span className="store" title={info?.storeName}>
        {info?.storeName ?? t('appTitle')}
      </span>
      {info?.mode === 'training' ? (
        <span className="badge training" data-testid="book-mode">
          {t('status.training')}
        </span>
      ) : info?.mode === 'demo' ? (
        <span className="badge demo" data-testid="book-mode">
          {t('status.demo')}
        </span>
      ) : null}
      {info?.auditChainBrokenAt != null ? (
        <span className="badge offline" role="alert" data-testid="audit-broken">
          {t('status.auditBroken', { line: String(info.auditChainBrokenAt) })}
        </span>
      ) : null}
      {connection === 'closed' ? (
        <span className="badge offline" role="status">
          {t('status.offline')}
        </span>
      ) : null}
      <span className="spacer" />
      {info ? <span className="version">{t('status.version', { version: `v${info.version}` })}</span> : null}
      {info ? <DeviceLights devices={info.devices} /> : null}
      {info ? (
        <span className={`sync sync-${info.sync.state}`} data-testid="sync-status">
          {info.sync.state === 'disabled'
            ? t('status.syncOff', { pending: String(info.sync.pending) })
            : info.sync.state === 'revoked'
              ? t('status.syncRevoked', { pending: String(info.sync.pending) })
              : t('status.sync', { pending: String(info.sync.pending) })}
        </span>
      ) : null}
      {session ? (
        <span className="staff">
          {session.staff.name} · {session.staff.staffNo}
        </span>
      ) : null}
      <button type="button" className="link" onClick={toggleLocale} data-testid="toggle-language">
        {t('status.language')}
      </button>
      {session ? (
        <button type="button" className="link" onClick={() => void logOut()}>
          {t('status.logout')}
        </button>
      ) : null}
    </header>
  );
}
