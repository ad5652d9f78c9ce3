/**
 * The chain's card keys (by fingerprint only: the keys themselves never leave HQ but sealed to a till), the
 * secured card format every till writes, and the offline caps HQ hands the tills.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { fenOf, get, put, yuan } from '../api';
import { ErrorNote, useAction, useConsole, useLoaded } from '../shared';

interface Chain {
  cardKeyFingerprint: string | null;
  cardFormat: { chainId: number; sector: number; purse: boolean } | null;
  caps: { perCardFen: number; perTerminalFen: number; maxAgeMs: number };
}

const HOUR_MS = 3_600_000;

function CapsForm({ caps, onSaved }: { caps: Chain['caps']; onSaved: () => void }) {
  const { t } = useConsole();
  const [perCard, setPerCard] = useState(String(caps.perCardFen / 100));
  const [perTerminal, setPerTerminal] = useState(String(caps.perTerminalFen / 100));
  const [hours, setHours] = useState(String(caps.maxAgeMs / HOUR_MS));
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => setSaved(false), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await put('/admin/caps', {
        perCardFen: fenOf(perCard),
        perTerminalFen: fenOf(perTerminal),
        maxAgeMs: Math.round(Number(hours) * HOUR_MS),
      });
      setSaved(true);
      onSaved();
    });
  };
  return (
    <form className="inline" onSubmit={submit}>
      <label>
        {t('perCard')} (¥)
        <input value={perCard} onChange={(e) => setPerCard(e.target.value)} />
      </label>
      <label>
        {t('perTerminal')} (¥)
        <input value={perTerminal} onChange={(e) => setPerTerminal(e.target.value)} />
      </label>
      <label>
        {t('maxAge')}
        <input value={hours} onChange={(e) => setHours(e.target.value)} />
      </label>
      <button type="submit" disabled={action.busy}>
        {t('saveCaps')}
      </button>
      {saved && <span role="status">{t('saved')}</span>}
      <ErrorNote error={action.error} />
    </form>
  );
}

export function ChainPage() {
  const { t, user } = useConsole();
  const chain = useLoaded(() => get<Chain>('/admin/chain'), []);
  const data = chain.data;
  return (
    <>
      <ErrorNote error={chain.error} />
      {data && (
        <>
          <h2>{t('cardKeys')}</h2>
          <p className="figure">{data.cardKeyFingerprint ?? t('cardKeysNone')}</p>
          <h2>{t('cardFormat')}</h2>
          {data.cardFormat ? (
            <dl>
              <dt>{t('chainId')}</dt>
              <dd>{data.cardFormat.chainId}</dd>
              <dt>{t('sector')}</dt>
              <dd>{data.cardFormat.sector}</dd>
              <dt>{t('purse')}</dt>
              <dd>{data.cardFormat.purse ? t('yes') : t('no')}</dd>
            </dl>
          ) : (
            <p className="empty">{t('cardKeysNone')}</p>
          )}
          <h2>{t('offlineCaps')}</h2>
          <p>
            {t('perCard')} {yuan(data.caps.perCardFen)} · {t('perTerminal')} {yuan(data.caps.perTerminalFen)}{' '}
            · {t('maxAge')} {data.caps.maxAgeMs / HOUR_MS}
          </p>
          {user.role === 'chain_admin' && (
            <CapsForm key={JSON.stringify(data.caps)} caps={data.caps} onSaved={chain.reload} />
          )}
        </>
      )}
    </>
  );
}
