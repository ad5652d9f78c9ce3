import { useEffect, useRef, useState } from 'react';
import { ErrorNote } from '../components/ErrorNote';
import { LoginHelp } from '../components/LoginHelp';
import { useT } from '../i18n/use-t';
import { useApp } from '../store/app';

/** The demo staff and their PINs: the host sends them only for the demo café and the training book. */
function DemoLogins() {
  const t = useT();
  const logins = useApp((state) => state.info?.demoLogins);
  if (logins === undefined || logins.length === 0) return null;
  return (
    <section className="demo-logins" aria-label={t('login.demo.title')} data-testid="demo-logins">
      <h2>{t('login.demo.title')}</h2>
      <ul>
        {logins.map((login) => (
          <li key={login.staffNo}>
            {t('login.demo.line', {
              role: t(`staff.role.${login.role}`),
              staffNo: login.staffNo,
              pin: login.pin,
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function LoginScreen() {
  const t = useT();
  const { logIn, loginError, loggingIn } = useApp();
  const [staffNo, setStaffNo] = useState('');
  const [pin, setPin] = useState('');
  const pinInput = useRef<HTMLInputElement>(null);
  const staffInput = useRef<HTMLInputElement>(null);
  // The till is a kiosk: the first key a cashier presses must land in the staff number.
  useEffect(() => staffInput.current?.focus(), []);

  return (
    <main className="login">
      <form
        className="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (staffNo === '') return;
          if (pin === '') {
            pinInput.current?.focus();
            return;
          }
          void logIn(staffNo, pin).then(() => setPin(''));
        }}
      >
        <h1>{t('login.title')}</h1>
        <label className="field">
          {t('login.staffNo')}
          <input
            ref={staffInput}
            inputMode="numeric"
            autoComplete="username"
            value={staffNo}
            onChange={(event) => setStaffNo(event.target.value.replace(/\D/g, '').slice(0, 8))}
            data-testid="login-staff"
          />
        </label>
        <label className="field">
          {t('login.pin')}
          <input
            ref={pinInput}
            type="password"
            inputMode="numeric"
            autoComplete="current-password"
            value={pin}
            onChange={(event) => setPin(event.target.value.replace(/\D/g, '').slice(0, 8))}
            data-testid="login-pin"
          />
        </label>
        <ErrorNote failure={loginError} />
        <button type="submit" className="primary" disabled={loggingIn} data-testid="login-submit">
          {t('login.submit')}
        </button>
        <p className="muted">{t('login.hint')}</p>
        <DemoLogins />
      </form>
      <LoginHelp lockedStaffNo={loginError?.code === 'STAFF_LOCKED' ? staffNo : ''} />
    </main>
  );
}
