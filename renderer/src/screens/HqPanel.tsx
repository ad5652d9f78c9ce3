/**
 * The HQ link on the Devices screen: the terminal id HQ assigned, the store, the card-key fingerprint every till
 * of the chain shares, and in words when HQ revoked this till. 立即同步 pulls HQ's changes and sends what waits
 * now rather than at the next round (a card reported lost elsewhere, HQ back after an outage). An admin joins a chain here (a standalone store
 * joining later) or enrols a revoked or replaced till again, with HQ's address and a one-time code; the code
 * field takes a barcode scanner that types like a keyboard.
 */
import { useEffect, useId, useState } from 'react';
import type { HqLinkView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { download } from '../close/download';
import { ErrorNote } from '../components/ErrorNote';
import { Fact } from '../components/Fact';
import { useAction, useCommand } from '../hooks/use-command';
import { useT } from '../i18n/use-t';

/**
 * A standalone store's card keys carried to its second till: exported here sealed under a passphrase typed
 * twice, imported there from the file with the same passphrase. The keys never appear on either screen.
 */
function MoveCardKeys({ onImported }: { onImported: (view: HqLinkView) => void }) {
  const t = useT();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [mismatch, setMismatch] = useState(false);
  // Export and import share one action: one at a time, and its result is the sentence that says what was done.
  const move = useAction(async (work: () => Promise<string>) => {
    const done = await work();
    setPassphrase('');
    setAgain('');
    return done;
  });
  const run = move.run;
  const busy = move.pending;
  const done = move.pending ? null : (move.result ?? null);
  const exportKeys = () => {
    setMismatch(passphrase !== again);
    if (passphrase !== again) return;
    void run(async () => {
      const sealed = await call('cardKeys.export', { passphrase });
      download(sealed.fileName, 'application/json', sealed.content);
      return t('hq.keys.exported', { fingerprint: sealed.fingerprint });
    });
  };
  const importKeys = () => {
    if (file === null) return;
    void run(async () => {
      const view = await call('cardKeys.import', { content: await file.text(), passphrase });
      onImported(view);
      return t('hq.keys.imported', { fingerprint: view.cardKeyFingerprint });
    });
  };

  return (
    <div className="form-grid">
      <h4>{t('hq.keys.title')}</h4>
      <p className="hint">{t('hq.keys.hint')}</p>
      <label>
        {t('hq.keys.passphrase')}
        <input
          type="password"
          autoComplete="new-password"
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
        />
      </label>
      <label>
        {t('hq.keys.passphraseAgain')}
        <input
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(event) => setAgain(event.target.value)}
        />
      </label>
      {mismatch && <p className="error-note">{t('hq.keys.mismatch')}</p>}
      <button type="button" disabled={busy || passphrase.length < 10} onClick={exportKeys}>
        {t('hq.keys.export')}
      </button>
      <label>
        {t('hq.keys.file')}
        <input
          type="file"
          accept=".poskeys,application/json"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </label>
      <button type="button" disabled={busy || file === null || passphrase === ''} onClick={importKeys}>
        {t('hq.keys.import')}
      </button>
      {done !== null && <p className="notice">{done}</p>}
      <ErrorNote failure={move.failure} />
    </div>
  );
}

/** 立即同步: one sync round now, and in words whether HQ answered and what still waits. */
function SyncNow() {
  const t = useT();
  const sync = useCommand('hq.syncNow');
  const answer = sync.pending || sync.failure !== null ? null : (sync.result ?? null);
  return (
    <div>
      <button type="button" disabled={sync.pending} onClick={() => void sync.run({})}>
        {t('hq.sync.now')}
      </button>
      {answer !== null && (
        <p
          className={answer.reached ? 'notice' : 'error-note'}
          role="status"
          data-reached={String(answer.reached)}
        >
          {answer.reached
            ? t('hq.sync.done', { pending: String(answer.pending) })
            : t('hq.sync.offline', { pending: String(answer.pending) })}
        </p>
      )}
      <ErrorNote failure={sync.failure} />
    </div>
  );
}

export function HqPanel({ canEnrol }: { canEnrol: boolean }) {
  const t = useT();
  const [view, setView] = useState<HqLinkView | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [hqUrl, setHqUrl] = useState('');
  const [code, setCode] = useState('');
  const joining = useCommand('hq.join');
  const joined = joining.result !== undefined && !joining.pending;
  const titleId = useId();

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
    const next = await joining.run({ hqUrl: hqUrl.trim(), code: code.trim() });
    if (next === undefined) return;
    setView(next);
    setCode('');
  };

  return (
    <section className="devices-panel hq-link" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('hq.title')}</h3>
      <p className="hint">{t('hq.hint')}</p>
      {view === null ? null : (
        <>
          {view.revokedAt !== null && (
            <p className="error-note" role="alert">
              {t('hq.revoked')}
            </p>
          )}
          {view.linked ? (
            <dl className="test-result">
              <Fact label={t('hq.url')} className="mono">
                {view.hqUrl ?? ''}
              </Fact>
              <Fact label={t('hq.terminal')} className="mono">
                {`${view.terminalId ?? ''} · ${view.terminalName ?? ''}`}
              </Fact>
              <Fact label={t('hq.store')} className="mono">
                {view.storeId ?? ''}
              </Fact>
              <Fact label={t('hq.enrolledAt')} className="mono">
                {view.enrolledAt === null ? '' : new Date(view.enrolledAt).toLocaleString()}
              </Fact>
              <Fact label={t('hq.publicKey')} className="mono">
                {view.publicKey ?? ''}
              </Fact>
              <Fact label={t('hq.fingerprint')} className="mono">
                {view.cardKeyFingerprint}
              </Fact>
            </dl>
          ) : (
            <p className="hint">{view.canJoin ? t('hq.notLinked') : t('hq.demo')}</p>
          )}
          {view.linked && view.revokedAt === null ? <SyncNow /> : null}
          {joined && <p className="notice">{t('hq.join.done')}</p>}
          <ErrorNote failure={failure ?? joining.failure} />
          {view.canJoin && canEnrol ? (
            <form
              className="form-grid"
              onSubmit={(event) => {
                event.preventDefault();
                void join();
              }}
            >
              <h4>{t('hq.join.title')}</h4>
              <p className="hint">{t('hq.join.hint')}</p>
              <label>
                {t('hq.join.url')}
                <input inputMode="url" value={hqUrl} onChange={(event) => setHqUrl(event.target.value)} />
              </label>
              <label>
                {t('hq.join.code')}
                <input autoComplete="off" value={code} onChange={(event) => setCode(event.target.value)} />
              </label>
              <button
                type="submit"
                className="primary"
                disabled={joining.pending || hqUrl.trim() === '' || code.trim().length < 8}
              >
                {t('hq.join.submit')}
              </button>
            </form>
          ) : view.canJoin ? (
            <p className="hint">{t('hq.join.adminOnly')}</p>
          ) : null}
          {!view.linked && view.canJoin && canEnrol ? <MoveCardKeys onImported={setView} /> : null}
        </>
      )}
      {view === null && <ErrorNote failure={failure} />}
    </section>
  );
}
