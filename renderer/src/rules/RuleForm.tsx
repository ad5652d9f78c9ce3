/** A new bonus rule, or the next version of one: the form, its check, and the save. */

import { useId, useState } from 'react';
import type { RuleTermsInput, RuleView, TierView } from '../../../electron/contract/index';
import { call } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';

import { type FormState, formOf, termsOf } from './rule-terms';
export function RuleForm(props: {
  rule: RuleView | null;
  tiers: readonly TierView[];
  onSaved: (rule: RuleView) => void;
  onClose: () => void;
}) {
  const t = useT();
  const heading = useId();
  const [form, setForm] = useState<FormState>(() => formOf(props.rule));
  const [invalid, setInvalid] = useState(false);
  const saving = useAction(async (terms: RuleTermsInput) => {
    const saved =
      props.rule === null
        ? await call('rules.create', { terms })
        : await call('rules.change', { id: props.rule.id, terms });
    props.onSaved(saved);
  });
  const edit = (change: Partial<FormState>) => setForm((f) => ({ ...f, ...change }));
  const setStep = (i: number, change: Partial<{ min: string; bonus: string }>) =>
    setForm((f) => ({ ...f, steps: f.steps.map((s, j) => (j === i ? { ...s, ...change } : s)) }));

  const save = async () => {
    const terms = termsOf(form);
    setInvalid(terms === null);
    if (terms === null) return;
    await saving.run(terms);
  };

  return (
    <form
      className="close-panel rule-form"
      aria-labelledby={heading}
      data-testid="rule-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2 id={heading}>{props.rule === null ? t('rules.new') : `${props.rule.name} · ${t('rules.edit')}`}</h2>
      <label className="field">
        {t('rules.name')}
        <input value={form.name} onChange={(e) => edit({ name: e.target.value })} data-testid="rule-name" />
      </label>
      <label className="field">
        {t('rules.kind')}
        <select
          value={form.kind}
          onChange={(e) => edit({ kind: e.target.value as FormState['kind'] })}
          data-testid="rule-kind"
        >
          <option value="steps">{t('rules.kind.steps')}</option>
          <option value="percent">{t('rules.kind.percent')}</option>
          <option value="none">{t('rules.kind.none')}</option>
        </select>
      </label>
      {form.kind === 'steps'
        ? form.steps.map((step, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are edited in place; their position is their identity
            <div className="rule-step" key={i}>
              <label className="field">
                {t('rules.stepMin')}
                <input
                  inputMode="decimal"
                  value={step.min}
                  onChange={(e) => setStep(i, { min: e.target.value })}
                  data-testid={`rule-step-min-${i}`}
                />
              </label>
              <label className="field">
                {t('rules.stepBonus')}
                <input
                  inputMode="decimal"
                  value={step.bonus}
                  onChange={(e) => setStep(i, { bonus: e.target.value })}
                  data-testid={`rule-step-bonus-${i}`}
                />
              </label>
              {form.steps.length > 1 ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setForm((f) => ({ ...f, steps: f.steps.filter((_, j) => j !== i) }))}
                >
                  {t('rules.removeStep')}
                </button>
              ) : null}
            </div>
          ))
        : null}
      {form.kind === 'steps' ? (
        <button
          type="button"
          className="secondary"
          onClick={() => setForm((f) => ({ ...f, steps: [...f.steps, { min: '', bonus: '' }] }))}
          data-testid="rule-add-step"
        >
          {t('rules.addStep')}
        </button>
      ) : null}
      {form.kind === 'percent' ? (
        <label className="field">
          {t('rules.percent')}
          <input
            inputMode="decimal"
            value={form.percent}
            onChange={(e) => edit({ percent: e.target.value })}
            data-testid="rule-percent"
          />
        </label>
      ) : null}
      <label className="field">
        {t('rules.pointsPerYuan')}
        <input
          inputMode="numeric"
          value={form.points}
          onChange={(e) => edit({ points: e.target.value.replace(/\D/g, '') })}
          data-testid="rule-points"
        />
      </label>
      <div className="rule-step">
        <label className="field">
          {t('rules.upgradeMin')}
          <input
            inputMode="decimal"
            value={form.upgradeMin}
            onChange={(e) => edit({ upgradeMin: e.target.value })}
            data-testid="rule-upgrade-min"
          />
        </label>
        <label className="field">
          {t('rules.upgradeTier')}
          <select
            value={form.upgradeTier}
            onChange={(e) => edit({ upgradeTier: e.target.value })}
            data-testid="rule-upgrade-tier"
          >
            <option value="">—</option>
            {props.tiers.map((tier) => (
              <option key={tier.id} value={tier.id}>
                {tier.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="rule-step">
        <label className="field">
          {t('rules.validFrom')}
          <input
            type="date"
            value={form.validFrom}
            onChange={(e) => edit({ validFrom: e.target.value })}
            data-testid="rule-valid-from"
          />
        </label>
        <label className="field">
          {t('rules.validTo')}
          <input
            type="date"
            value={form.validTo}
            onChange={(e) => edit({ validTo: e.target.value })}
            data-testid="rule-valid-to"
          />
        </label>
      </div>
      {props.tiers.length > 0 ? (
        <fieldset className="field">
          <legend>{t('rules.eligible')}</legend>
          {props.tiers.map((tier) => (
            <label key={tier.id} className="check">
              <input
                type="checkbox"
                checked={form.eligible.includes(tier.id)}
                onChange={(e) =>
                  edit({
                    eligible: e.target.checked
                      ? [...form.eligible, tier.id]
                      : form.eligible.filter((id) => id !== tier.id),
                  })
                }
              />
              {tier.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      <label className="field">
        {t('rules.limit')}
        <input
          inputMode="numeric"
          value={form.limit}
          onChange={(e) => edit({ limit: e.target.value.replace(/\D/g, '') })}
          data-testid="rule-limit"
        />
      </label>
      <label className="field">
        {t('rules.expiry')}
        <input
          inputMode="numeric"
          value={form.expiry}
          onChange={(e) => edit({ expiry: e.target.value.replace(/\D/g, '') })}
          data-testid="rule-expiry"
        />
      </label>
      {invalid ? <p className="error-note">{t('rules.invalidAmount')}</p> : null}
      <ErrorNote failure={saving.failure} />
      <div className="actions">
        <button type="button" className="secondary" onClick={props.onClose}>
          {t('rules.close')}
        </button>
        <button type="submit" className="primary" disabled={saving.pending} data-testid="rule-save">
          {t('rules.save')}
        </button>
      </div>
    </form>
  );
}
