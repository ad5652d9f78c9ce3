/**
 * The HQ link on the Devices screen: the terminal id HQ assigned, the store, the card-key fingerprint every till
 * of the chain shares, and in words when HQ revoked this till. An admin joins a chain here (a standalone store
 * joining later) or enrols a revoked or replaced till again, with HQ's address and a one-time code; the code
 * field takes a barcode scanner that types like a keyboard.
 */
import { useEffect, useState } from 'react';
import type { HqLinkView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useT } from '../i18n/use-t';

function Fact({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className="mono" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function HqPanel({ canEnrol }: { canEnrol: boolean }) {
  const t = useT();
  const [view, setView] = useState<HqLinkView | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [hqUrl, setHqUrl] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [joined, setJoined] = useState(false);

  useEffect(() => {
    call('hq.status', {}).then(
      (next) => {
        setView(next);
        setHqUrl(next.hqUrl ?? '');
      },
      (error: unknown) => setFailure(asFailure(error)),
    );
  }, []);

  const join = async () => {
    setFailure(null);
    setJoined(false);
    setBusy(true);
    try {
      setView(await call('hq.join', { hqUrl: hqUrl.trim(), code: code.trim() }));
      setCode('');
      setJoined(true);
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="devices-panel hq-link" data-testid="hq-link">
      <h3>{t('hq.title')}</h3>
      <p className="hint">{t('hq.hint')}</p>
      {view === null ? null : (
        <>
          {view.revokedAt !== null && (
            <p className="error-note" role="alert" data-testid="hq-revoked">
              {t('hq.revoked')}
            </p>
          )}
          {view.linked ? (
            <dl className="test-result">
              <Fact label={t('hq.url')} value={view.hqUrl ?? ''} testId="hq-url" />
              <Fact
                label={t('hq.terminal')}
                value={`${view.terminalId ?? ''} · ${view.terminalName ?? ''}`}
                testId="hq-terminal"
              />
              <Fact label={t('hq.store')} value={view.storeId ?? ''} testId="hq-store" />
              <Fact
                label={t('hq.enrolledAt')}
                value={view.enrolledAt === null ? '' : new Date(view.enrolledAt).toLocaleString()}
                testId="hq-enrolled-at"
              />
              <Fact label={t('hq.publicKey')} value={view.publicKey ?? ''} testId="hq-public-key" />
              <Fact label={t('hq.fingerprint')} value={view.cardKeyFingerprint} testId="hq-fingerprint" />
            </dl>
          ) : (
            <p className="hint" data-testid="hq-not-linked">
              {view.canJoin ? t('hq.notLinked') : t('hq.demo')}
            </p>
          )}
          {joined && (
            <p className="notice" data-testid="hq-joined">
              {t('hq.join.done')}
            </p>
          )}
          <ErrorNote failure={failure} />
          {view.canJoin && canEnrol ? (
            <form
              className="form-grid"
              data-testid="hq-join"
              onSubmit={(event) => {
                event.preventDefault();
                void join();
              }}
            >
              <h4>{t('hq.join.title')}</h4>
              <p className="hint">{t('hq.join.hint')}</p>
              <label>
                {t('hq.join.url')}
                <input
                  data-testid="hq-join-url"
                  inputMode="url"
                  value={hqUrl}
                  onChange={(event) => setHqUrl(event.target.value)}
                />
              </label>
              <label>
                {t('hq.join.code')}
                <input
                  data-testid="hq-join-code"
                  autoComplete="off"
                  value={code}
                  onChange={(event) => setCode(event.target.value)}
                />
              </label>
              <button
                type="submit"
                className="primary"
                data-testid="hq-join-submit"
                disabled={busy || hqUrl.trim() === '' || code.trim().length < 8}
              >
                {t('hq.join.submit')}
              </button>
            </form>
          ) : view.canJoin ? (
            <p className="hint">{t('hq.join.adminOnly')}</p>
          ) : null}
        </>
      )}
      {view === null && <ErrorNote failure={failure} />}
    </section>
  );
}
