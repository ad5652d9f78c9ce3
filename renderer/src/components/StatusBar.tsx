import { useT } from '../i18n/use-t';
import { useApp } from '../store/app';

export function StatusBar() {
  const t = useT();
  const { info, session, connection, toggleLocale, logOut } = useApp();
  return (
    <header className="status-bar">
      <span className="store">{info?.storeName ?? t('appTitle')}</span>
      {info?.trainingMode ? <span className="badge training">{t('status.training')}</span> : null}
      {connection === 'closed' ? (
        <span className="badge offline" role="status">
          {t('status.offline')}
        </span>
      ) : null}
      <span className="spacer" />
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
