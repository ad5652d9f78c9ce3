/**
 * Help under the login for the two ways a store gets stuck: a cashier locked out by wrong PINs (a manager
 * unlocks them here with their own staff number and PIN), and no admin able to log in (the store's recovery
 * sheet's one-time code gives an admin a new PIN). Nobody is logged in; the host counts every try.
 */

import { type FormEvent, useState } from 'react';
import { useCommand } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { ErrorNote } from './ErrorNote';

const onlyDigits = (value: string, max: number) => value.replace(/\D/g, '').slice(0, max);

export function LoginHelp({ lockedStaffNo }: { lockedStaffNo: string }) {
  const t = useT();
  const [mode, setMode] = useState<'none' | 'unlock' | 'recover'>('none');
  const unlocking = useCommand('staff.unlockWithApprover');
  const recovering = useCommand('staff.recover');
  const [done, setDone] = useState<string | null>(null);
  const [unlock, setUnlock] = useState({ staffNo: '', managerNo: '', managerPin: '' });
  const [recover, setRecover] = useState({ code: '', staffNo: '', pin: '', again: '' });

  const open = (next: 'unlock' | 'recover') => {
    setMode(mode === next ? 'none' : next);
    unlocking.reset();
    recovering.reset();
    setDone(null);
    if (next === 'unlock')
      setUnlock((current) => ({ ...current, staffNo: current.staffNo || lockedStaffNo }));
  };

  const submitUnlock = (event: FormEvent) => {
    event.preventDefault();
    void unlocking
      .run({ staffNo: unlock.staffNo, approver: { staffNo: unlock.managerNo, pin: unlock.managerPin } })
      .then((unlocked) => {
        if (unlocked === undefined) {
          setUnlock((current) => ({ ...current, managerPin: '' }));
          return;
        }
        setDone(t('loginHelp.unlocked', { name: unlocked.name }));
        setUnlock({ staffNo: '', managerNo: '', managerPin: '' });
      });
  };

  const submitRecover = (event: FormEvent) => {
    event.preventDefault();
    void recovering
      .run({ recoveryCode: recover.code, staffNo: recover.staffNo, pin: recover.pin })
      .then((admin) => {
        if (admin === undefined) return;
        setDone(t('loginHelp.recovered', { name: admin.name }));
        setRecover({ code: '', staffNo: '', pin: '', again: '' });
      });
  };

  return (
    <div className="login-help" data-testid="login-help">
      <p>
        <button type="button" className="link" onClick={() => open('unlock')} data-testid="login-help-unlock">
          {t('loginHelp.unlockOpen')}
        </button>{' '}
        <button
          type="button"
          className="link"
          onClick={() => open('recover')}
          data-testid="login-help-recover"
        >
          {t('loginHelp.recoverOpen')}
        </button>
      </p>
      {mode === 'unlock' ? (
        <form className="dialog" onSubmit={submitUnlock} data-testid="unlock-form">
          <p className="hint">{t('loginHelp.unlockHint')}</p>
          <label className="field">
            {t('loginHelp.lockedStaffNo')}
            <input
              inputMode="numeric"
              value={unlock.staffNo}
              onChange={(event) => setUnlock({ ...unlock, staffNo: onlyDigits(event.target.value, 8) })}
              data-testid="unlock-staff"
            />
          </label>
          <label className="field">
            {t('loginHelp.managerNo')}
            <input
              inputMode="numeric"
              value={unlock.managerNo}
              onChange={(event) => setUnlock({ ...unlock, managerNo: onlyDigits(event.target.value, 8) })}
              data-testid="unlock-manager"
            />
          </label>
          <label className="field">
            {t('loginHelp.managerPin')}
            <input
              type="password"
              inputMode="numeric"
              autoComplete="off"
              value={unlock.managerPin}
              onChange={(event) => setUnlock({ ...unlock, managerPin: onlyDigits(event.target.value, 8) })}
              data-testid="unlock-manager-pin"
            />
          </label>
          <button
            type="submit"
            className="primary"
            disabled={
              unlock.staffNo.length < 3 || unlock.managerNo.length < 3 || unlock.managerPin.length < 4
            }
            data-testid="unlock-submit"
          >
            {t('loginHelp.unlockSubmit')}
          </button>
        </form>
      ) : null}
      {mode === 'recover' ? (
        <form className="dialog" onSubmit={submitRecover} data-testid="recover-form">
          <p className="hint">{t('loginHelp.recoverHint')}</p>
          <label className="field">
            {t('loginHelp.recoveryCode')}
            <input
              autoComplete="off"
              spellCheck={false}
              value={recover.code}
              onChange={(event) => setRecover({ ...recover, code: event.target.value.slice(0, 40) })}
              data-testid="recover-code"
            />
          </label>
          <label className="field">
            {t('loginHelp.adminNo')}
            <input
              inputMode="numeric"
              value={recover.staffNo}
              onChange={(event) => setRecover({ ...recover, staffNo: onlyDigits(event.target.value, 8) })}
              data-testid="recover-staff"
            />
          </label>
          <label className="field">
            {t('loginHelp.newPin')}
            <input
              type="password"
              inputMode="numeric"
              autoComplete="new-password"
              value={recover.pin}
              onChange={(event) => setRecover({ ...recover, pin: onlyDigits(event.target.value, 8) })}
              data-testid="recover-pin"
            />
          </label>
          <label className="field">
            {t('loginHelp.newPinAgain')}
            <input
              type="password"
              inputMode="numeric"
              autoComplete="new-password"
              value={recover.again}
              onChange={(event) => setRecover({ ...recover, again: onlyDigits(event.target.value, 8) })}
              data-testid="recover-pin-again"
            />
          </label>
          {recover.again !== '' && recover.again !== recover.pin ? (
            <p className="error">{t('loginHelp.pinsDiffer')}</p>
          ) : null}
          <button
            type="submit"
            className="primary"
            disabled={
              recover.code.trim().length < 16 ||
              recover.staffNo.length < 3 ||
              recover.pin.length < 4 ||
              recover.pin !== recover.again
            }
            data-testid="recover-submit"
          >
            {t('loginHelp.recoverSubmit')}
          </button>
        </form>
      ) : null}
      <ErrorNote failure={unlocking.failure ?? recovering.failure} />
      {done !== null ? (
        <p className="notice" data-testid="login-help-done">
          {done}
        </p>
      ) : null}
    </div>
  );
}
