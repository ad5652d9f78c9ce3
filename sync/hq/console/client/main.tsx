/**
 * The HQ console: sign in as an HQ user, then one page per job. Which pages show depends on the role
 * (finance sees money, support sees terminals); HQ checks the role again on every request.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { call, SIGNED_OUT } from './api';
import { type Lang, type MessageKey, translate, wordFor } from './i18n';
import { AuditPage } from './pages/audit';
import { CardsPage } from './pages/cards';
import { ChainPage } from './pages/chain';
import { FlagsPage } from './pages/flags';
import { LiabilityPage } from './pages/liability';
import { RatingsPage } from './pages/ratings';
import { RulesPage } from './pages/rules';
import { SettlementPage } from './pages/settlement';
import { TerminalsPage } from './pages/terminals';
import { Console, ErrorNote, type Principal } from './shared';

const LANG_KEY = 'hq-console-lang';

type Tab =
  | 'terminals'
  | 'chain'
  | 'cards'
  | 'rules'
  | 'flags'
  | 'settlement'
  | 'liability'
  | 'audit'
  | 'ratings';

const TABS: { tab: Tab; roles: Principal['role'][] }[] = [
  { tab: 'terminals', roles: ['chain_admin', 'support', 'finance'] },
  { tab: 'chain', roles: ['chain_admin', 'support', 'finance'] },
  { tab: 'cards', roles: ['chain_admin', 'support', 'finance'] },
  { tab: 'rules', roles: ['chain_admin', 'support', 'finance'] },
  { tab: 'flags', roles: ['chain_admin', 'support', 'finance'] },
  { tab: 'settlement', roles: ['chain_admin', 'finance'] },
  { tab: 'liability', roles: ['chain_admin', 'finance'] },
  { tab: 'audit', roles: ['chain_admin', 'support', 'finance'] },
  { tab: 'ratings', roles: ['chain_admin', 'support', 'finance'] },
];

function initialLang(): Lang {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh-CN';
}

function SignIn({ lang, onSignedIn }: { lang: Lang; onSignedIn: (user: Principal) => void }) {
  const t = (key: MessageKey) => translate(lang, key);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      onSignedIn(await call<Principal>('POST', '/admin/session', { username, password }));
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form className="login" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('title')}</h1>
      <label>
        {t('username')}
        <input
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
      </label>
      <label>
        {t('password')}
        <input
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      <button type="submit">{t('signIn')}</button>
      <ErrorNote error={error} />
    </form>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [user, setUser] = useState<Principal | null | undefined>(undefined);
  const [tab, setTab] = useState<Tab>('terminals');
  useEffect(() => {
    call<Principal>('GET', '/admin/session').then(setUser, () => setUser(null));
    const signedOut = () => setUser(null);
    window.addEventListener(SIGNED_OUT, signedOut);
    return () => window.removeEventListener(SIGNED_OUT, signedOut);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'title');
    localStorage.setItem(LANG_KEY, lang);
  }, [lang]);
  const toggle = (
    <button type="button" className="lang" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
      {translate(lang, 'language')}
    </button>
  );
  if (user === undefined) return <p>{translate(lang, 'loading')}</p>;
  if (user === null) {
    return (
      <Console.Provider value={{ lang, user: { username: '', role: 'support' } }}>
        {toggle}
        <SignIn lang={lang} onSignedIn={setUser} />
      </Console.Provider>
    );
  }
  const signOut = async () => {
    await call('DELETE', '/admin/session').catch(() => {});
    setUser(null);
  };
  const tabs = TABS.filter((entry) => entry.roles.includes(user.role));
  return (
    <Console.Provider value={{ lang, user }}>
      <header>
        <h1>{translate(lang, 'title')}</h1>
        <span className="who">
          {translate(lang, 'signedInAs')} <b>{user.username}</b> ({wordFor(lang, 'role', user.role)})
        </span>
        {toggle}
        <button type="button" onClick={signOut}>
          {translate(lang, 'signOut')}
        </button>
      </header>
      <nav aria-label={translate(lang, 'pages')}>
        {tabs.map(({ tab: name }) => (
          <button
            type="button"
            key={name}
            className={name === tab ? 'current' : ''}
            aria-current={name === tab ? 'page' : undefined}
            onClick={() => setTab(name)}
          >
            {translate(lang, `tab.${name}` as MessageKey)}
          </button>
        ))}
      </nav>
      <main>
        {tab === 'terminals' && <TerminalsPage />}
        {tab === 'chain' && <ChainPage />}
        {tab === 'cards' && <CardsPage />}
        {tab === 'rules' && <RulesPage />}
        {tab === 'flags' && <FlagsPage />}
        {tab === 'settlement' && <SettlementPage />}
        {tab === 'liability' && <LiabilityPage />}
        {tab === 'audit' && <AuditPage />}
        {tab === 'ratings' && <RatingsPage />}
      </main>
    </Console.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
