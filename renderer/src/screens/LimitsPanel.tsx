/**
 * The chain's amount limits on the Rules screen: per top-up, per charge, per card (named and anonymous) and the
 * top-up above which real-name details are asked. Managers read them; admins change them, and the host
 * applies a change from the next operation.
 */
import { useEffect, useState } from 'react';
import type { AmountLimits } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useT } from '../i18n/use-t';
import { parseYuan } from '../money';
import { useApp } from '../store/app';

const FIELDS = [
  'topUpMaxFen',
  'chargeMaxFen',
  'namedCardMaxFen',
  'anonymousCardMaxFen',
  'realNameAboveFen',
] as const;

type Texts = Record<(typeof FIELDS)[number], string>;

const textsOf = (limits: AmountLimits): Texts =>
  Object.fromEntries(FIELDS.map((field) => [field, (limits[field] / 100).toFixed(2)])) as Texts;

export function LimitsPanel() {
  const t = useT();
  const canChange = useApp((state) => state.session?.permissions.includes('cards.chain') ?? false);
  const [texts, setTexts] = useState<Texts | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    call('limits.get', {}).then(
      (limits) => setTexts(textsOf(limits)),
      (error) => setFailure(asFailure(error)),
    );
  }, []);

  if (texts === null) return <ErrorNote failure={failure} />;
  const values = FIELDS.map((field) => [field, parseYuan(texts[field])] as const);
  const ready = values.every(([, fen]) => fen !== null);

  const save = () => {
    if (!ready) return;
    setSaved(false);
    setFailure(null);
    call('limits.set', Object.fromEntries(values) as AmountLimits).then(
      (limits) => {
        setTexts(textsOf(limits));
        setSaved(true);
      },
      (error) => setFailure(asFailure(error)),
    );
  };

  return (
    <form
      className="close-panel"
      data-testid="limits-panel"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <h2>{t('limits.title')}</h2>
      <p className="muted">{t('limits.hint')}</p>
      {FIELDS.map((field) => (
        <label key={field} className="field">
          {t(`limits.${field}`)}
          <input
            inputMode="decimal"
            autoComplete="off"
            value={texts[field]}
            readOnly={!canChange}
            onChange={(event) => setTexts({ ...texts, [field]: event.target.value.replace(/[^0-9.]/g, '') })}
          />
        </label>
      ))}
      {canChange ? (
        <button type="submit" className="primary" disabled={!ready}>
          {t('limits.save')}
        </button>
      ) : (
        <p className="muted">{t('limits.adminOnly')}</p>
      )}
      {saved ? <p role="status">{t('limits.saved')}</p> : null}
      <ErrorNote failure={failure} />
    </form>
  );
}
