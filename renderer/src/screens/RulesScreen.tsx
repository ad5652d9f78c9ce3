/**
 * The manager's bonus rules (充值送): every rule's latest version with what it gives and how often it was
 * applied, its history of versions (each top-up keeps the version it used: a change never alters the past),
 * a form to write a new rule or the next version of one, and the store's points rate, gifts, bonus expiry,
 * notice settings and exports.
 */
import { useCallback, useEffect, useState } from 'react';
import type {
  GiftView,
  PointsSettingsView,
  RuleTermsInput,
  RuleView,
  TierView,
  TopUpRefundQuoteView,
} from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { type T, useT } from '../i18n/use-t';
import { formatFen, parseYuan } from '../money';
import { LimitsPanel } from './LimitsPanel';

const DAY_MS = 86_400_000;

function day(at: number | null): string {
  if (at === null) return '';
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A date input's day as local midnight. */
function atDay(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const at = new Date(`${text}T00:00:00`).getTime();
  return Number.isNaN(at) ? null : at;
}

const yuanText = (fen: number) => (fen / 100).toFixed(2);

export function describeRule(t: T, rule: RuleView, tiers: readonly TierView[]): string {
  const parts: string[] = [];
  if (rule.steps !== null) {
    parts.push(
      rule.steps
        .map((s) => t('rules.step', { min: formatFen(s.minFen), bonus: formatFen(s.bonusFen) }))
        .join('，'),
    );
  }
  if (rule.percentBp !== null) parts.push(t('rules.percentOf', { percent: String(rule.percentBp / 100) }));
  if (rule.pointsPerYuan > 0) parts.push(t('rules.pointsOf', { points: String(rule.pointsPerYuan) }));
  if (rule.upgradeMinFen !== null && rule.upgradeTierId !== null) {
    const tier = tiers.find((x) => x.id === rule.upgradeTierId)?.name ?? rule.upgradeTierId;
    parts.push(t('rules.upgradeOf', { min: formatFen(rule.upgradeMinFen), tier }));
  }
  if (rule.perMemberLimit !== null) parts.push(t('rules.limitOf', { count: String(rule.perMemberLimit) }));
  parts.push(
    rule.bonusExpiryDays === null
      ? t('rules.neverExpires')
      : t('rules.expiryOf', { days: String(rule.bonusExpiryDays) }),
  );
  if (rule.eligibleTiers !== null) {
    parts.push(rule.eligibleTiers.map((id) => tiers.find((x) => x.id === id)?.name ?? id).join('/'));
  }
  return parts.join('；');
}

interface FormState {
  name: string;
  kind: 'steps' | 'percent' | 'none';
  steps: Array<{ min: string; bonus: string }>;
  percent: string;
  points: string;
  upgradeMin: string;
  upgradeTier: string;
  validFrom: string;
  validTo: string;
  eligible: string[];
  limit: string;
  expiry: string;
}

function formOf(rule: RuleView | null): FormState {
  if (rule === null) {
    return {
      name: '',
      kind: 'steps',
      steps: [{ min: '', bonus: '' }],
      percent: '',
      points: '0',
      upgradeMin: '',
      upgradeTier: '',
      validFrom: day(Date.now()),
      validTo: '',
      eligible: [],
      limit: '',
      expiry: '',
    };
  }
  return {
    name: rule.name,
    kind: rule.steps !== null ? 'steps' : rule.percentBp !== null ? 'percent' : 'none',
    steps: (rule.steps ?? [{ minFen: 0, bonusFen: 0 }]).map((s) => ({
      min: s.minFen === 0 ? '' : yuanText(s.minFen),
      bonus: s.bonusFen === 0 && s.minFen === 0 ? '' : yuanText(s.bonusFen),
    })),
    percent: rule.percentBp === null ? '' : String(rule.percentBp / 100),
    points: String(rule.pointsPerYuan),
    upgradeMin: rule.upgradeMinFen === null ? '' : yuanText(rule.upgradeMinFen),
    upgradeTier: rule.upgradeTierId ?? '',
    validFrom: day(rule.validFrom),
    validTo: day(rule.validTo),
    eligible: rule.eligibleTiers ?? [],
    limit: rule.perMemberLimit === null ? '' : String(rule.perMemberLimit),
    expiry: rule.bonusExpiryDays === null ? '' : String(rule.bonusExpiryDays),
  };
}

/** The form as contract terms, or null when an amount cannot be read. */
function termsOf(form: FormState): RuleTermsInput | null {
  const validFrom = atDay(form.validFrom);
  if (validFrom === null) return null;
  const count = (text: string) => (text.trim() === '' ? null : Number(text));
  let steps: RuleTermsInput['steps'] = null;
  if (form.kind === 'steps') {
    steps = [];
    for (const step of form.steps) {
      const minFen = parseYuan(step.min);
      const bonusFen = parseYuan(step.bonus);
      if (minFen === null || bonusFen === null) return null;
      steps.push({ minFen, bonusFen });
    }
  }
  const percent = form.kind === 'percent' ? Math.round(Number(form.percent) * 100) : null;
  if (percent !== null && !Number.isFinite(percent)) return null;
  const upgradeMinFen = form.upgradeMin.trim() === '' ? null : parseYuan(form.upgradeMin);
  const validTo = form.validTo.trim() === '' ? null : atDay(form.validTo);
  return {
    name: form.name,
    steps,
    percentBp: percent,
    pointsPerYuan: Number(form.points || '0'),
    upgradeMinFen,
    upgradeTierId: upgradeMinFen === null || form.upgradeTier === '' ? null : form.upgradeTier,
    validFrom,
    validTo: validTo === null ? null : validTo + DAY_MS,
    eligibleTiers: form.eligible.length === 0 ? null : form.eligible,
    perMemberLimit: count(form.limit),
    bonusExpiryDays: count(form.expiry),
  };
}

function RuleForm(props: {
  rule: RuleView | null;
  tiers: readonly TierView[];
  onSaved: (rule: RuleView) => void;
  onClose: () => void;
}) {
  const t = useT();
  const [form, setForm] = useState<FormState>(() => formOf(props.rule));
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const edit = (change: Partial<FormState>) => setForm((f) => ({ ...f, ...change }));
  const setStep = (i: number, change: Partial<{ min: string; bonus: string }>) =>
    setForm((f) => ({ ...f, steps: f.steps.map((s, j) => (j === i ? { ...s, ...change } : s)) }));

  const save = async () => {
    const terms = termsOf(form);
    setInvalid(terms === null);
    if (terms === null) return;
    setBusy(true);
    setFailure(null);
    try {
      const saved =
        props.rule === null
          ? await call('rules.create', { terms })
          : await call('rules.change', { id: props.rule.id, terms });
      props.onSaved(saved);
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="close-panel rule-form"
      data-testid="rule-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2>{props.rule === null ? t('rules.new') : `${props.rule.name} · ${t('rules.edit')}`}</h2>
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
      <ErrorNote failure={failure} />
      <div className="actions">
        <button type="button" className="secondary" onClick={props.onClose}>
          {t('rules.close')}
        </button>
        <button type="submit" className="primary" disabled={busy} data-testid="rule-save">
          {t('rules.save')}
        </button>
      </div>
    </form>
  );
}

function Versions(props: { id: string; tiers: readonly TierView[]; onClose: () => void }) {
  const t = useT();
  const [versions, setVersions] = useState<RuleView[] | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  useEffect(() => {
    call('rules.versions', { id: props.id })
      .then(setVersions)
      .catch((error) => setFailure(asFailure(error)));
  }, [props.id]);
  return (
    <section className="close-panel" data-testid="rule-versions">
      <h2>{t('rules.versions')}</h2>
      <p className="muted">{t('rules.pastNote')}</p>
      <ErrorNote failure={failure} />
      <table className="close-table">
        <thead>
          <tr>
            <th>{t('rules.version')}</th>
            <th>{t('rules.name')}</th>
            <th>{t('rules.terms')}</th>
            <th>{t('rules.applied')}</th>
          </tr>
        </thead>
        <tbody>
          {(versions ?? []).map((v) => (
            <tr key={v.version} data-testid={`rule-version-${v.version}`}>
              <td>
                v{v.version}
                {v.retired ? ` · ${t('rules.retired')}` : ''}
              </td>
              <td>{v.name}</td>
              <td>{describeRule(t, v, props.tiers)}</td>
              <td className="num">
                {t('rules.appliedCount', {
                  count: String(v.applied.topUps),
                  bonus: formatFen(v.applied.bonusFen),
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="secondary" onClick={props.onClose}>
          {t('rules.close')}
        </button>
      </div>
    </section>
  );
}

function PointsPanel(props: { tiers: readonly TierView[] }) {
  const t = useT();
  const [settings, setSettings] = useState<PointsSettingsView | null>(null);
  const [gifts, setGifts] = useState<GiftView[]>([]);
  const [gift, setGift] = useState({ name: '', points: '' });
  const [expiry, setExpiry] = useState<string | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  useEffect(() => {
    call('points.settings', {})
      .then((loaded) => {
        setSettings(loaded.settings);
        setGifts(loaded.gifts);
      })
      .catch((error) => setFailure(asFailure(error)));
  }, []);
  if (settings === null) return <ErrorNote failure={failure} />;
  const number = (text: string) => Number(text.replace(/\D/g, '') || '0');
  const guard = (work: Promise<unknown>) => work.catch((error) => setFailure(asFailure(error)));
  return (
    <section className="close-panel" data-testid="points-panel">
      <h2>{t('rules.points.title')}</h2>
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
        {props.tiers.map((tier) => (
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
            guard(
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
            guard(
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
          guard(
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
      <ErrorNote failure={failure} />
    </section>
  );
}

function NoticesAndExports() {
  const t = useT();
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
  const guard = (work: Promise<unknown>) => {
    setFailure(null);
    return work.catch((error) => setFailure(asFailure(error)));
  };
  const exported = (result: { path: string; rows: number }) =>
    setDone(t('rules.export.done', { rows: String(result.rows), path: result.path }));
  return (
    <section className="close-panel" data-testid="notices-panel">
      <h2>{t('rules.notices.title')}</h2>
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
          guard(
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
          onClick={() => guard(call('export.members', { format: 'csv' }).then(exported))}
          data-testid="export-members-csv"
        >
          {t('rules.export.members')} CSV
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => guard(call('export.members', { format: 'xlsx' }).then(exported))}
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
              guard(call('export.operations', { format, fromDay: from, toDay: to }).then(exported))
            }
          >
            {t('rules.export.operations')} {format.toUpperCase()}
          </button>
        ))}
      </div>
      {done !== null ? <p data-testid="export-result">{done}</p> : null}
      <ErrorNote failure={failure} />
    </section>
  );
}

/**
 * Refunding a top-up: the manager finds the card's top-ups, picks one, and sees the arithmetic before
 * confirming: principal back in its tender, the bonus forfeited into breakage (unless the manager decides
 * the member keeps it), the balance before and after.
 */
function TopUpRefunds() {
  const t = useT();
  const [cardNumber, setCardNumber] = useState('');
  const [list, setList] = useState<{
    memberName: string;
    topUps: Array<{
      operationId: string;
      amountFen: number;
      bonusFen: number;
      at: number;
      refundable: boolean;
    }>;
  } | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [keepBonus, setKeepBonus] = useState(false);
  const [quote, setQuote] = useState<TopUpRefundQuoteView | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const guard = (work: Promise<unknown>) => {
    setFailure(null);
    return work.catch((error) => setFailure(asFailure(error)));
  };
  const find = () =>
    guard(
      call('refunds.topUps', { cardNumber: cardNumber.trim() }).then((found) => {
        setList(found);
        setChosen(null);
        setQuote(null);
      }),
    );
  const pick = (operationId: string, keep: boolean) => {
    setChosen(operationId);
    setKeepBonus(keep);
    setDone(null);
    void guard(call('refunds.quote', { topUpOperationId: operationId, keepBonus: keep }).then(setQuote));
  };
  const confirm = () => {
    if (quote === null || chosen === null) return;
    void guard(
      call('refunds.topUp', {
        topUpOperationId: chosen,
        keepBonus,
        expected: { principalRefundFen: quote.principalRefundFen, bonusForfeitFen: quote.bonusForfeitFen },
      }).then((result) => {
        setDone(
          t('refund.done', {
            principal: formatFen(result.principalRefundFen),
            bonus: formatFen(result.bonusForfeitFen),
          }),
        );
        setQuote(null);
        setChosen(null);
        return find();
      }),
    );
  };
  return (
    <section className="close-panel" data-testid="refund-panel">
      <h2>{t('refund.title')}</h2>
      <div className="rule-step">
        <label className="field">
          {t('refund.cardNumber')}
          <input
            inputMode="numeric"
            value={cardNumber}
            onChange={(e) => setCardNumber(e.target.value.replace(/\s/g, '').toUpperCase())}
            data-testid="refund-card"
          />
        </label>
        <button type="button" className="secondary" onClick={() => void find()} data-testid="refund-find">
          {t('refund.find')}
        </button>
      </div>
      {list !== null ? (
        <table className="close-table">
          <tbody>
            {list.topUps.map((op) => (
              <tr key={op.operationId} data-testid="refund-top-up">
                <td>{new Date(op.at).toLocaleString()}</td>
                <td className="num">{formatFen(op.amountFen)}</td>
                <td className="num">+{formatFen(op.bonusFen)}</td>
                <td>
                  {op.refundable ? (
                    <button type="button" className="secondary" onClick={() => pick(op.operationId, false)}>
                      {t('refund.choose')}
                    </button>
                  ) : (
                    t('refund.refunded')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {quote !== null ? (
        <div data-testid="refund-quote">
          <dl className="facts">
            <dt>{t('refund.before')}</dt>
            <dd>
              {formatFen(quote.balanceBefore.principalFen)} + {formatFen(quote.balanceBefore.bonusFen)}
            </dd>
            <dt>{t('refund.principal', { tender: t(`tender.${quote.tender}`) })}</dt>
            <dd data-testid="refund-principal">−{formatFen(quote.principalRefundFen)}</dd>
            <dt>{t('refund.bonus')}</dt>
            <dd data-testid="refund-bonus">−{formatFen(quote.bonusForfeitFen)}</dd>
            <dt>{t('refund.after')}</dt>
            <dd data-testid="refund-after">
              {formatFen(quote.balanceAfter.principalFen)} + {formatFen(quote.balanceAfter.bonusFen)}
            </dd>
          </dl>
          <p data-testid="refund-arithmetic">
            {t('refund.arithmetic', {
              before: formatFen(quote.balanceBefore.principalFen + quote.balanceBefore.bonusFen),
              principal: formatFen(quote.principalRefundFen),
              bonus: formatFen(quote.bonusForfeitFen),
              after: formatFen(quote.balanceAfter.principalFen + quote.balanceAfter.bonusFen),
            })}
          </p>
          <label className="check">
            <input
              type="checkbox"
              checked={keepBonus}
              onChange={(e) => chosen !== null && pick(chosen, e.target.checked)}
              data-testid="refund-keep-bonus"
            />
            {t('refund.keepBonus')}
          </label>
          <div className="actions">
            <button type="button" className="primary" onClick={confirm} data-testid="refund-confirm">
              {t('action.confirm')}
            </button>
          </div>
        </div>
      ) : null}
      {done !== null ? <p data-testid="refund-done">{done}</p> : null}
      <ErrorNote failure={failure} />
    </section>
  );
}

export function RulesScreen() {
  const t = useT();
  const [rules, setRules] = useState<RuleView[]>([]);
  const [tiers, setTiers] = useState<TierView[]>([]);
  const [editing, setEditing] = useState<RuleView | 'new' | null>(null);
  const [versionsOf, setVersionsOf] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const load = useCallback(() => {
    call('rules.list', {})
      .then((list) => {
        setRules(list.rules);
        setTiers(list.tiers);
      })
      .catch((error) => setFailure(asFailure(error)));
  }, []);
  useEffect(load, [load]);

  const retire = (id: string) =>
    call('rules.retire', { id })
      .then(load)
      .catch((error) => setFailure(asFailure(error)));

  return (
    <section className="close-screen rules-screen" data-testid="rules-screen">
      <header className="report-head">
        <h1>{t('rules.title')}</h1>
        <button
          type="button"
          className="primary"
          onClick={() => {
            setSaved(null);
            setEditing('new');
          }}
          data-testid="rules-new"
        >
          {t('rules.new')}
        </button>
      </header>
      <ErrorNote failure={failure} />
      {saved !== null ? <p data-testid="rule-saved">{saved}</p> : null}
      {editing !== null ? (
        <RuleForm
          key={editing === 'new' ? 'new' : `${editing.id}-${editing.version}`}
          rule={editing === 'new' ? null : editing}
          tiers={tiers}
          onClose={() => setEditing(null)}
          onSaved={(rule) => {
            setEditing(null);
            setSaved(t('rules.saved', { version: String(rule.version) }));
            load();
          }}
        />
      ) : null}
      {versionsOf !== null ? (
        <Versions id={versionsOf} tiers={tiers} onClose={() => setVersionsOf(null)} />
      ) : null}
      <section className="close-panel">
        {rules.length === 0 ? <p className="muted">{t('rules.empty')}</p> : null}
        <table className="close-table" data-testid="rules-table">
          <thead>
            <tr>
              <th>{t('rules.name')}</th>
              <th>{t('rules.version')}</th>
              <th>{t('rules.terms')}</th>
              <th>{t('rules.valid')}</th>
              <th>{t('rules.applied')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.id} data-testid={`rule-row-${rule.id}`} data-rule-name={rule.name}>
                <td>{rule.name}</td>
                <td>
                  v{rule.version}
                  {rule.retired ? ` · ${t('rules.retired')}` : ''}
                </td>
                <td>{describeRule(t, rule, tiers)}</td>
                <td>
                  {day(rule.validFrom)} –{' '}
                  {rule.validTo === null ? t('rules.always') : day(rule.validTo - DAY_MS)}
                </td>
                <td className="num">
                  {t('rules.appliedCount', {
                    count: String(rule.applied.topUps),
                    bonus: formatFen(rule.applied.bonusFen),
                  })}
                </td>
                <td className="row-actions">
                  <button type="button" className="secondary" onClick={() => setVersionsOf(rule.id)}>
                    {t('rules.versions')}
                  </button>
                  {!rule.retired ? (
                    <>
                      <button type="button" className="secondary" onClick={() => setEditing(rule)}>
                        {t('rules.edit')}
                      </button>
                      <button type="button" className="secondary" onClick={() => void retire(rule.id)}>
                        {t('rules.retire')}
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <TopUpRefunds />
      <LimitsPanel />
      <PointsPanel tiers={tiers} />
      <NoticesAndExports />
    </section>
  );
}
