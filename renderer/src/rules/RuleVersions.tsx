/** One rule's versions, each with how often it was applied: a change never alters the past. */
import { useEffect, useId, useState } from 'react';
import type { RuleView, TierView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';

import { describeRule } from './rule-terms';
export function RuleVersions(props: { id: string; tiers: readonly TierView[]; onClose: () => void }) {
  const t = useT();
  // The panel is a region named by its heading.
  const heading = useId();
  const [versions, setVersions] = useState<RuleView[] | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  useEffect(() => {
    call('rules.versions', { id: props.id })
      .then(setVersions)
      .catch((error) => setFailure(asFailure(error)));
  }, [props.id]);
  return (
    <section className="close-panel" aria-labelledby={heading} data-testid="rule-versions">
      <h2 id={heading}>{t('rules.versions')}</h2>
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
