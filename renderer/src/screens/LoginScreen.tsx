import { useEffect, useRef, useState } from 'react';
import { ErrorNote } from '../components/ErrorNote';
import { LoginHelp } from '../components/LoginHelp';
import { useT } from '../i18n/use-t';
import { useApp } from '../store/app';

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
      </form>
      <LoginHelp lockedStaffNo={loginError?.code === 'STAFF_LOCKED' ? staffNo : ''} />
    </main>
  );
}
