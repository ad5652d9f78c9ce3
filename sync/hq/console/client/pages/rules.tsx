/**
 * Top-up bonus rules and membership tiers published to the stores. A rule goes out in HQ's feed and prices
 * the store's next top-up once its tills have pulled it; a change is a new version, retiring ends it.
 */
import { type FormEvent, useState } from 'react';
import { fenOf, get, post, put, when, yuan } from '../api';
import { ErrorNote, Table, useAction, useConsole, useLoaded } from '../shared';

interface Rule {
  ruleId: string;
  storeId: string;
  version: number;
  retired: boolean;
  by: string;
  publishedAt: number;
  rule: {
    name: string;
    steps?: { minFen: number; bonusFen: number }[] | null;
    percentBp?: number | null;
  } & Record<string, unknown>;
}

interface Tier {
  id: string;
  name: string;
  rank: number;
  basis: 'top_up' | 'spend';
  thresholdFen: number;
  discountBp: number;
}

function startOfDay(text: string): number {
  const [year, month, day] = text.split('-').map(Number);
  return new Date(year!, month! - 1, day!).getTime();
}

function RuleForm({
  stores,
  onPublished,
}: {
  stores: { id: string; name: string }[];
  onPublished: () => void;
}) {
  const { t, user } = useConsole();
  const [storeId, setStoreId] = useState('');
  const [name, setName] = useState('');
  const [steps, setSteps] = useState([{ min: '', bonus: '' }]);
  const [points, setPoints] = useState('1');
  const [validTo, setValidTo] = useState('');
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const parsed = steps.map((step) => ({ minFen: fenOf(step.min), bonusFen: fenOf(step.bonus) }));
      await post('/admin/rules', {
        storeId: storeId || stores[0]?.id,
        by: user.username,
        terms: {
          name,
          steps: parsed,
          pointsPerYuan: Number(points),
          // In force from now: a till prices its next top-up with it as soon as it has pulled it.
          validFrom: Date.now() - 60_000,
          validTo: validTo === '' ? null : startOfDay(validTo) + 86_400_000,
        },
      });
      setName('');
      setSteps([{ min: '', bonus: '' }]);
      onPublished();
    });
  };
  return (
    <form className="stack" onSubmit={submit}>
      <label>
        {t('ruleStore')}
        <select value={storeId} onChange={(e) => setStoreId(e.target.value)}>
          {stores.map((store) => (
            <option key={store.id} value={store.id}>
              {store.name} ({store.id})
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('ruleName')}
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <fieldset>
        <legend>{t('ruleSteps')}</legend>
        {steps.map((step, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps are edited in place by position.
          <div key={index} className="step">
            <input
              aria-label={t('stepMin', { n: index + 1 })}
              inputMode="decimal"
              value={step.min}
              onChange={(e) =>
                setSteps(steps.map((s, i) => (i === index ? { ...s, min: e.target.value } : s)))
              }
              required
            />
            →
            <input
              aria-label={t('stepBonus', { n: index + 1 })}
              inputMode="decimal"
              value={step.bonus}
              onChange={(e) =>
                setSteps(steps.map((s, i) => (i === index ? { ...s, bonus: e.target.value } : s)))
              }
              required
            />
          </div>
        ))}
        <button type="button" onClick={() => setSteps([...steps, { min: '', bonus: '' }])}>
          {t('addStep')}
        </button>
      </fieldset>
      <label>
        {t('pointsPerYuan')}
        <input inputMode="numeric" value={points} onChange={(e) => setPoints(e.target.value)} />
      </label>
      <label>
        {t('validTo')}
        <input type="date" value={validTo} onChange={(e) => setValidTo(e.target.value)} />
      </label>
      <button type="submit" disabled={action.busy || stores.length === 0}>
        {t('publish')}
      </button>
      <ErrorNote error={action.error} />
    </form>
  );
}

function TierEditor({ tiers, onSaved }: { tiers: Tier[]; onSaved: () => void }) {
  const { t, word } = useConsole();
  const [rows, setRows] = useState(
    tiers.map((tier) => ({ ...tier, threshold: String(tier.thresholdFen / 100) })),
  );
  const action = useAction();
  const change = (index: number, patch: Partial<(typeof rows)[number]>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const save = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await put(
        '/admin/tiers',
        rows.map(({ threshold, ...tier }) => ({ ...tier, thresholdFen: fenOf(threshold) })),
      );
      onSaved();
    });
  };
  return (
    <form className="stack" onSubmit={save}>
      {rows.map((row, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: tiers are edited in place by position.
        <div className="step" key={index}>
          <input
            aria-label="id"
            value={row.id}
            onChange={(e) => change(index, { id: e.target.value })}
            required
          />
          <input
            aria-label={t('tierName')}
            placeholder={t('tierName')}
            value={row.name}
            onChange={(e) => change(index, { name: e.target.value })}
            required
          />
          <input
            aria-label={t('rank')}
            placeholder={t('rank')}
            inputMode="numeric"
            value={row.rank}
            onChange={(e) => change(index, { rank: Number(e.target.value) })}
          />
          <select
            aria-label={t('basis')}
            value={row.basis}
            onChange={(e) => change(index, { basis: e.target.value as Tier['basis'] })}
          >
            <option value="top_up">{word('basis', 'top_up')}</option>
            <option value="spend">{word('basis', 'spend')}</option>
          </select>
          <input
            aria-label={t('threshold')}
            placeholder={t('threshold')}
            inputMode="decimal"
            value={row.threshold}
            onChange={(e) => change(index, { threshold: e.target.value })}
          />
          <input
            aria-label={t('discount')}
            placeholder={t('discount')}
            inputMode="numeric"
            value={row.discountBp}
            onChange={(e) => change(index, { discountBp: Number(e.target.value) })}
          />
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          setRows([
            ...rows,
            {
              id: '',
              name: '',
              rank: rows.length + 1,
              basis: 'top_up',
              thresholdFen: 0,
              discountBp: 0,
              threshold: '0',
            },
          ])
        }
      >
        {t('addTier')}
      </button>
      <button type="submit" disabled={action.busy}>
        {t('saveTiers')}
      </button>
      <ErrorNote error={action.error} />
    </form>
  );
}

export function RulesPage() {
  const { t, user } = useConsole();
  const rules = useLoaded(() => get<{ rules: Rule[] }>('/admin/rules'), []);
  const stores = useLoaded(() => get<{ stores: { id: string; name: string }[] }>('/admin/stores'), []);
  const chain = useLoaded(() => get<{ tiers: Tier[] }>('/admin/chain'), []);
  const action = useAction();
  const admin = user.role === 'chain_admin';
  const retire = (rule: Rule) =>
    action.run(async () => {
      const { id: _id, version: _version, storeId: _store, retired: _retired, ...terms } = rule.rule;
      await post('/admin/rules', {
        id: rule.ruleId,
        storeId: rule.storeId,
        by: user.username,
        terms,
        retired: true,
      });
      rules.reload();
    });
  const stepsOf = (rule: Rule) =>
    rule.rule.steps?.map((step) => `${yuan(step.minFen)}→${yuan(step.bonusFen)}`).join(', ') ??
    (rule.rule.percentBp ? `${rule.rule.percentBp / 100}%` : '');
  return (
    <>
      <h2>{t('rules')}</h2>
      <ErrorNote error={rules.error ?? action.error} />
      <Table
        name={t('rules')}
        head={[
          t('ruleName'),
          t('ruleStore'),
          t('version'),
          t('ruleSteps'),
          t('state'),
          t('publishedBy'),
          t('at'),
          '',
        ]}
        rows={(rules.data?.rules ?? []).map((rule) => ({
          key: rule.ruleId,
          cells: [
            rule.rule.name,
            rule.storeId,
            rule.version,
            stepsOf(rule),
            rule.retired ? t('retiredState') : t('inForce'),
            rule.by,
            when(rule.publishedAt),
            admin && !rule.retired ? (
              <button type="button" key="retire" onClick={() => retire(rule)}>
                {t('retire')}
              </button>
            ) : (
              ''
            ),
          ],
        }))}
      />
      {admin && (
        <RuleForm
          stores={stores.data?.stores ?? []}
          onPublished={() => {
            rules.reload();
          }}
        />
      )}
      <h2>{t('tiers')}</h2>
      <ErrorNote error={chain.error} />
      {chain.data &&
        (admin ? (
          <TierEditor tiers={chain.data.tiers} onSaved={chain.reload} />
        ) : (
          <Table
            name={t('tiers')}
            head={[t('tierName'), t('rank'), t('basis'), t('threshold'), t('discount')]}
            rows={chain.data.tiers.map((tier) => ({
              key: tier.id,
              cells: [tier.name, tier.rank, tier.basis, yuan(tier.thresholdFen), tier.discountBp],
            }))}
          />
        ))}
    </>
  );
}
