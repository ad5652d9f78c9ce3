import type { TerminalInfo } from '../../../electron/contract/index';
import { useT } from '../i18n/use-t';
import { useApp } from '../store/app';

const KIND_WORDS = { reader: 'device.reader', swiper: 'device.swiper', printer: 'device.printer' } as const;

/** One light per kind of device: green when one works, grey when only simulated, red when one is in trouble. */
function DeviceLights({ devices }: { devices: TerminalInfo['devices'] }) {
  const t = useT();
  return (
    <span className="devices">
      {(['reader', 'swiper', 'printer'] as const).map((kind) => {
        const mine = devices.filter((device) => device.kind === kind);
        const state = mine.some((device) => device.state === 'error')
          ? 'error'
          : mine.some((device) => device.state === 'connected')
            ? 'connected'
            : mine.some((device) => device.state === 'simulated')
              ? 'simulated'
              : 'disconnected';
        const detail = mine.map(
          (device) => `${device.device}: ${device.state}${device.detail ? ` (${device.detail})` : ''}`,
        );
        return (
          <span key={kind} className={`light light-${state}`} title={detail.join('\n')} data-kind={kind}>
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
      <span className="store">{info?.storeName ?? t('appTitle')}</span>
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
      {info ? (
        <span className="version" data-testid="app-version">
          {t('status.version', { version: `v${info.version}` })}
        </span>
      ) : null}
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
        <span className="staff" data-testid="staff-name">
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
