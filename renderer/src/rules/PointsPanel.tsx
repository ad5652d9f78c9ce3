/** The store's points: the rate per yuan by tier, the gifts members redeem points for, and the bonus expiry run. */

import { useEffect, useId, useState } from 'react';
import type { GiftView, PointsSettingsView, TierView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';

export function PointsPanel() {
  const t = useT();
  // The panel is a region named by its heading.
  const heading = useId();
  const [settings, setSettings] = useState<PointsSettingsView | null>(null);
  const [gifts, setGifts] = useState<GiftView[]>([]);
  const [gift, setGift] = useState({ name: '', points: '' });
  const [expiry, setExpiry] = useState<string | null>(null);
  const [tiers, setTiers] = useState<TierView[]>([]);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  // Each save, run or export: one at a time, its refusal shown under the panel.
  const act = useAction((work: () => Promise<unknown>) => work());
  useEffect(() => {
    Promise.all([call('points.settings', {}), call('rules.list', {})])
      .then(([loaded, rules]) => {
        setSettings(loaded.settings);
        setGifts(loaded.gifts);
        setTiers(rules.tiers);
      })
      .catch((error) => setFailure(asFailure(error)));
  }, []);
  if (settings === null) return <ErrorNote failure={failure ?? act.failure} />;
  const number = (text: string) => Number(text.replace(/\D/g, '') || '0');
  return (
    <section className="close-panel" aria-labelledby={heading} data-testid="points-panel">
      <h2 id={heading}>{t('rules.points.title')}</h2>
      <div className="rule-step">
        {(
          [
            ['earnPerYuan', 'rules.points.earn'],
            ['fenPerPoint', 'rules.points.value'],
            ['redeemStep', 'rules.points.step'],
          ] as const
        ).map(([key, label]) => (
          <label className="field" key={key}>
            {t(label)}
            <input
              inputMode="numeric"
              value={String(settings[key])}
              onChange={(e) => setSettings({ ...settings, [key]: number(e.target.value) })}
              data-testid={`points-${key}`}
            />
          </label>
        ))}
        {tiers.map((tier) => (
          <label className="field" key={tier.id}>
            {t('rules.points.tierEarn', { tier: tier.name })}
            <input
              inputMode="numeric"
              value={
                settings.earnPerYuanByTier[tier.id] === undefined
                  ? ''
                  : String(settings.earnPerYuanByTier[tier.id])
              }
              onChange={(e) => {
                const byTier = { ...settings.earnPerYuanByTier };
                if (e.target.value.trim() === '') delete byTier[tier.id];
                else byTier[tier.id] = number(e.target.value);
                setSettings({ ...settings, earnPerYuanByTier: byTier });
              }}
              data-testid={`points-tier-${tier.id}`}
            />
          </label>
        ))}
        <button
          type="button"
          className="primary"
          onClick={() =>
            act.run(() =>
              call('points.setSettings', {
                earnPerYuan: settings.earnPerYuan,
                earnPerYuanByTier: settings.earnPerYuanByTier,
                fenPerPoint: settings.fenPerPoint,
                redeemStep: settings.redeemStep,
              }).then(setSettings),
            )
          }
          data-testid="points-save"
        >
          {t('rules.save')}
        </button>
      </div>
      <h3>{t('rules.gifts.title')}</h3>
      <ul>
        {gifts.map((g) => (
          <li key={g.id}>
            {g.name} · {g.points}
          </li>
        ))}
      </ul>
      <div className="rule-step">
        <label className="field">
          {t('rules.gifts.name')}
          <input value={gift.name} onChange={(e) => setGift({ ...gift, name: e.target.value })} />
        </label>
        <label className="field">
          {t('rules.gifts.points')}
          <input
            inputMode="numeric"
            value={gift.points}
            onChange={(e) => setGift({ ...gift, points: e.target.value.replace(/\D/g, '') })}
          />
        </label>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            act.run(() =>
              call('points.putGift', {
                gift: {
                  id: `gift-${Date.now()}`,
                  name: gift.name,
                  points: number(gift.points),
                  active: true,
                },
              }).then((list) => {
                setGifts(list);
                setGift({ name: '', points: '' });
              }),
            )
          }
        >
          {t('rules.gifts.add')}
        </button>
      </div>
      <h3>{t('rules.expiry.title')}</h3>
      <button
        type="button"
        className="secondary"
        onClick={() =>
          act.run(() =>
            call('rules.runExpiry', {}).then((run) =>
              setExpiry(
                t('rules.expiry.done', { count: String(run.expired), amount: formatFen(run.totalFen) }),
              ),
            ),
          )
        }
        data-testid="expiry-run"
      >
        {t('rules.expiry.run')}
      </button>
      {expiry !== null ? <p data-testid="expiry-result">{expiry}</p> : null}
      <ErrorNote failure={failure ?? act.failure} />
    </section>
  );
}
