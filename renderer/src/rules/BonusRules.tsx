/**
 * The bonus rules (充值送): every rule's latest version with what it gives and how often it was applied, the
 * form for a new rule or the next version of one, and a rule's history of versions (each top-up keeps the
 * version it used).
 */

import { useCallback, useEffect, useState } from 'react';
import type { RuleView, TierView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';

import { RuleForm } from './RuleForm';
import { RuleVersions } from './RuleVersions';
import { DAY_MS, day, describeRule } from './rule-terms';

export function BonusRules() {
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

  const retiring = useAction(async (id: string) => {
    await call('rules.retire', { id });
    load();
  });

  return (
    <>
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
      <ErrorNote failure={failure ?? retiring.failure} />
      {saved !== null ? (
        <p role="status" data-testid="rule-saved">
          {saved}
        </p>
      ) : null}
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
        <RuleVersions id={versionsOf} tiers={tiers} onClose={() => setVersionsOf(null)} />
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
                      <button
                        type="button"
                        className="secondary"
                        disabled={retiring.pending}
                        onClick={() => void retiring.run(rule.id)}
                      >
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
    </>
  );
}
