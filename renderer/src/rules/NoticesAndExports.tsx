/** Where member notices go (a file or a webhook, and the CRM), what waits to be sent, and the members and operations exports. */

import { useCallback, useEffect, useId, useState } from 'react';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';

import { DAY_MS, day } from './rule-terms';
export function NoticesAndExports() {
  const t = useT();
  // The panel is a region named by its heading.
  const heading = useId();
  const [stats, setStats] = useState('');
  const [provider, setProvider] = useState<'file' | 'webhook'>('file');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [crmUrl, setCrmUrl] = useState('');
  const [crmSecret, setCrmSecret] = useState('');
  const [from, setFrom] = useState(day(Date.now() - 30 * DAY_MS));
  const [to, setTo] = useState(day(Date.now()));
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  // Each save, run or export: one at a time, its refusal shown under the panel.
  const act = useAction((work: () => Promise<unknown>) => work());
  const load = useCallback(() => {
    call('notices.settings', {})
      .then((s) => {
        setProvider(s.member.provider);
        setUrl(s.member.url ?? '');
        setCrmUrl(s.crm?.url ?? '');
        setStats(
          t('rules.notices.stats', {
            waiting: String(s.stats.waiting),
            delivered: String(s.stats.delivered),
            failed: String(s.stats.failed),
          }),
        );
      })
      .catch((error) => setFailure(asFailure(error)));
  }, [t]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: loaded once when the panel opens
  useEffect(load, []);
  const exported = (result: { path: string; rows: number }) =>
    setDone(t('rules.export.done', { rows: String(result.rows), path: result.path }));
  return (
    <section className="close-panel" aria-labelledby={heading} data-testid="notices-panel">
      <h2 id={heading}>{t('rules.notices.title')}</h2>
      <p className="muted">{stats}</p>
      <label className="check">
        <input type="radio" checked={provider === 'file'} onChange={() => setProvider('file')} />
        {t('rules.notices.file')}
      </label>
      <label className="check">
        <input type="radio" checked={provider === 'webhook'} onChange={() => setProvider('webhook')} />
        {t('rules.notices.webhook')}
      </label>
      {provider === 'webhook' ? (
        <div className="rule-step">
          <label className="field">
            {t('rules.notices.url')}
            <input value={url} onChange={(e) => setUrl(e.target.value)} />
          </label>
          <label className="field">
            {t('rules.notices.secret')}
            <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} />
          </label>
        </div>
      ) : null}
      <p>{t('rules.notices.crm')}</p>
      <div className="rule-step">
        <label className="field">
          {t('rules.notices.url')}
          <input value={crmUrl} onChange={(e) => setCrmUrl(e.target.value)} />
        </label>
        <label className="field">
          {t('rules.notices.secret')}
          <input type="password" value={crmSecret} onChange={(e) => setCrmSecret(e.target.value)} />
        </label>
      </div>
      <button
        type="button"
        className="primary"
        onClick={() =>
          act.run(() =>
            call('notices.setSettings', {
              member: provider === 'file' ? { provider: 'file' } : { provider: 'webhook', url, secret },
              crm: crmUrl.trim() === '' ? null : { url: crmUrl.trim(), secret: crmSecret },
            }).then(load),
          )
        }
      >
        {t('rules.save')}
      </button>
      <h2>{t('rules.export.title')}</h2>
      <div className="rule-step">
        <button
          type="button"
          className="secondary"
          onClick={() => act.run(() => call('export.members', { format: 'csv' }).then(exported))}
          data-testid="export-members-csv"
        >
          {t('rules.export.members')} CSV
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => act.run(() => call('export.members', { format: 'xlsx' }).then(exported))}
        >
          {t('rules.export.members')} XLSX
        </button>
      </div>
      <div className="rule-step">
        <label className="field">
          {t('rules.export.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          {t('rules.export.to')}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        {(['csv', 'xlsx'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="secondary"
            onClick={() =>
              act.run(() => call('export.operations', { format, fromDay: from, toDay: to }).then(exported))
            }
          >
            {t('rules.export.operations')} {format.toUpperCase()}
          </button>
        ))}
      </div>
      {done !== null ? <p data-testid="export-result">{done}</p> : null}
      <ErrorNote failure={failure ?? act.failure} />
    </section>
  );
}
