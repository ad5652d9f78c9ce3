/**
 * The customer display (客显) on the Devices screen: the LED pole display paired on a serial port at its baud
 * rate (2400 as most ship), or the virtual display in demo and training books; a test that lights ¥8,888.88
 * and shows what the display shows; and the customer window for the second screen.
 */

import { useEffect, useId, useState } from 'react';
import type { DisplayStatus, LedDisplayPairing } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../hooks/use-command';
import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/use-t';

// The contract's list, repeated because the renderer bundle carries no validators (types only).
const DISPLAY_BAUD_RATES = [2400, 4800, 9600, 19200] as const;

const LAMP_WORDS: Record<NonNullable<DisplayStatus['shown']>['lamp'], MessageKey> = {
  none: 'display.lamp.none',
  price: 'display.lamp.price',
  total: 'display.lamp.total',
  paid: 'display.lamp.paid',
  change: 'display.lamp.change',
};

const STATE_WORDS: Record<DisplayStatus['state'], MessageKey> = {
  connected: 'devices.state.connected',
  disconnected: 'devices.state.disconnected',
  error: 'devices.state.error',
  simulated: 'devices.state.simulated',
};

/** Opens the customer window: a second browser window the technician drags onto the customer's screen. */
function openCustomerWindow(): void {
  window.open('/?view=customer', 'pos-customer', 'popup,width=800,height=480');
}

export function CustomerDisplayPanel({ canPair }: { canPair: boolean }) {
  const t = useT();
  const [status, setStatus] = useState<DisplayStatus | null>(null);
  const [kind, setKind] = useState<LedDisplayPairing['kind']>('serial');
  const [path, setPath] = useState('/dev/ttyUSB0');
  const [baudRate, setBaudRate] = useState<number>(2400);
  const [failure, setFailure] = useState<PosFailure | null>(null);

  useEffect(() => {
    call('display.status', {})
      .then(setStatus)
      .catch((error) => setFailure(asFailure(error)));
  }, []);

  const action = useAction(async (work: () => Promise<DisplayStatus>) => {
    try {
      setStatus(await work());
    } catch (error) {
      // A refused change may still have changed what is paired: show what the host holds now.
      setStatus(await call('display.status', {}).catch(() => status));
      throw error;
    }
  });
  const { run, pending: busy } = action;
  const pair = () =>
    run(() =>
      call('display.pair', {
        led: kind === 'virtual' ? { kind: 'virtual' } : { kind: 'serial', path: path.trim(), baudRate },
      }),
    );

  const titleId = useId();
  const shown = status?.shown;
  return (
    <section className="devices-panel" aria-labelledby={titleId} data-state={status?.state}>
      <h3 id={titleId}>{t('display.title')}</h3>
      <p>
        {status?.led?.kind === 'virtual'
          ? t('display.kind.virtual')
          : (status?.device ?? t('devices.notPaired'))}
        {status ? ` · ${t(STATE_WORDS[status.state])}` : ''}
      </p>
      {shown ? (
        <p className="test-result" role="status">
          {t('display.shows', {
            lamp: t(LAMP_WORDS[shown.lamp]),
            text: shown.text === '' ? '—' : shown.text,
          })}
        </p>
      ) : null}
      <ErrorNote failure={failure ?? action.failure} />
      {canPair ? (
        <div className="form-grid">
          <label>
            {t('devices.transport')}
            <select
              value={kind}
              onChange={(event) => setKind(event.target.value as LedDisplayPairing['kind'])}
            >
              <option value="serial">{t('display.kind.serial')}</option>
              <option value="virtual">{t('display.kind.virtual')}</option>
            </select>
          </label>
          {kind === 'serial' ? (
            <>
              <label>
                {t('devices.path')}
                <input value={path} onChange={(event) => setPath(event.target.value)} />
              </label>
              <label>
                {t('devices.baud')}
                <select value={baudRate} onChange={(event) => setBaudRate(Number(event.target.value))}>
                  {DISPLAY_BAUD_RATES.map((rate) => (
                    <option key={rate} value={rate}>
                      {rate}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : null}
        </div>
      ) : null}
      <div className="role-actions">
        {canPair ? (
          <>
            <button type="button" className="primary" disabled={busy} onClick={() => void pair()}>
              {t('display.pair')}
            </button>
            {status?.led ? (
              <>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void run(() => call('display.test', {}))}
                >
                  {t('display.test')}
                </button>
                <button
                  type="button"
                  className="link"
                  disabled={busy}
                  onClick={() => void run(() => call('display.pair', { led: null }))}
                >
                  {t('devices.unpair')}
                </button>
              </>
            ) : null}
          </>
        ) : null}
        <button type="button" onClick={openCustomerWindow}>
          {t('display.openWindow')}
        </button>
      </div>
    </section>
  );
}
