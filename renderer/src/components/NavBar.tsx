import { useT } from '../i18n/use-t';
import type { ScreenEntry } from '../screens/registry';

/** Tabs across the top; hidden when the role has a single screen, so a cashier sees only the counter. */
export function NavBar({
  screens,
  current,
  onChoose,
}: {
  screens: readonly ScreenEntry[];
  current: string;
  onChoose: (id: string) => void;
}) {
  const t = useT();
  if (screens.length < 2) return null;
  return (
    <nav className="nav-bar" aria-label={t('nav.label')}>
      {screens.map((screen) => (
        <button
          key={screen.id}
          type="button"
          className={screen.id === current ? 'nav-tab current' : 'nav-tab'}
          aria-current={screen.id === current ? 'page' : undefined}
          data-testid={`nav-${screen.id}`}
          onClick={() => onChoose(screen.id)}
        >
          {t(screen.label)}
        </button>
      ))}
    </nav>
  );
}
