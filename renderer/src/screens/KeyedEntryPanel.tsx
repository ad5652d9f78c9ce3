/**
 * The rule for typed card numbers on the Devices screen, under the card format: per kind of card, whether a
 * charge by typed number is allowed, needs a manager's approval, or is refused. Technicians see it; a
 * standalone store's admins change it, and the host applies it from the next charge. A till of a chain shows
 * its HQ's rule, which only a chain admin at HQ changes.
 */
import { useEffect, useId, useState } from 'react';
import type { KeyedEntryRule, KeyedEntryView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useT } from '../i18n/use-t';

const KINDS = ['secured', 'uid', 'magstripe', 'keyed'] as const;
const RULES: readonly KeyedEntryRule[] = ['allowed', 'approval', 'refused'];
/** A secured card is never charged by its number alone (the contract refuses 'allowed' for it). */
const rulesFor = (kind: (typeof KINDS)[number]) => (kind === 'secured' ? RULES.slice(1) : RULES);

export function KeyedEntryPanel({ canChange }: { canChange: boolean }) {
  const t = useT();
  // The panel's heading names the panel; each kind's name names its rule and its select.
  const ids = useId();
  const [policy, setPolicy] = useState<KeyedEntryView | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    call('cardFormat.keyedEntry', {}).then(setPolicy, (error) => setFailure(asFailure(error)));
  }, []);

  const change = (kind: (typeof KINDS)[number], rule: KeyedEntryRule) => {
    setSaved(false);
    setFailure(null);
    call('cardFormat.setKeyedEntry', { [kind]: rule }).then(
      (next) => {
        setPolicy(next);
        setSaved(true);
      },
      (error) => setFailure(asFailure(error)),
    );
  };

  return (
    <section className="devices-panel" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('keyedEntry.policy')}</h2>
      <p className="muted">{t('keyedEntry.policyHint')}</p>
      {policy?.setBy === 'hq' ? <p className="muted">{t('keyedEntry.setByHq')}</p> : null}
      {policy === null ? null : (
        <dl className="facts">
          {KINDS.map((kind) => (
            // biome-ignore lint/a11y/useSemanticElements: a term and its value are not form fields; the role only names the pair
            <div key={kind} role="group" aria-labelledby={`${ids}-${kind}`}>
              <dt id={`${ids}-${kind}`}>{t(`keyedEntry.kind.${kind}`)}</dt>
              <dd>
                {canChange && policy.setBy === 'store' ? (
                  <select
                    aria-labelledby={`${ids}-${kind}`}
                    value={policy[kind]}
                    onChange={(event) => change(kind, event.target.value as KeyedEntryRule)}
                  >
                    {rulesFor(kind).map((rule) => (
                      <option key={rule} value={rule}>
                        {t(`keyedEntry.rule.${rule}`)}
                      </option>
                    ))}
                  </select>
                ) : (
                  t(`keyedEntry.rule.${policy[kind]}`)
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {saved ? <p role="status">{t('keyedEntry.saved')}</p> : null}
      <ErrorNote failure={failure} />
    </section>
  );
}
