/**
 * The activation's first step: a new member (name, mobile, an optional ID number, the personal-data consent
 * and the optional marketing consent) or one already on file, found by name, phone or card.
 */
import { useState } from 'react';
import type { MemberHitView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/use-t';
import { type Existing, PIPL_CONSENT, type Registration } from './draft';

export function MemberStep(props: {
  mode: 'new' | 'existing';
  setMode: (mode: 'new' | 'existing') => void;
  registration: Registration;
  setRegistration: (value: Registration) => void;
  existing: Existing | null;
  setExisting: (value: Existing | null) => void;
  idProblem: string | null;
}) {
  const t = useT();
  const { registration, setRegistration } = props;
  const [text, setText] = useState('');
  const [hits, setHits] = useState<MemberHitView[]>([]);
  const [error, setError] = useState<PosFailure | null>(null);
  const field = (key: 'name' | 'phone' | 'idNumber', label: MessageKey) => (
    <label className="field">
      {t(label)}
      <input
        autoComplete="off"
        value={registration[key]}
        onChange={(event) => setRegistration({ ...registration, [key]: event.target.value })}
      />
    </label>
  );
  const choose = async (hit: MemberHitView) => {
    try {
      const profile = await call('members.get', { memberId: hit.memberId });
      props.setExisting({
        memberId: profile.id,
        name: profile.name,
        phoneMasked: hit.phoneMasked,
        hasIdNumber: profile.idNumber !== null,
      });
    } catch (failure) {
      setError(asFailure(failure));
    }
  };
  return (
    <>
      <div className="segmented">
        <button
          type="button"
          className={props.mode === 'new' ? 'tender selected' : 'tender'}
          onClick={() => props.setMode('new')}
          data-testid="member-new"
        >
          {t('activate.newMember')}
        </button>
        <button
          type="button"
          className={props.mode === 'existing' ? 'tender selected' : 'tender'}
          onClick={() => props.setMode('existing')}
          data-testid="member-existing"
        >
          {t('activate.existingMember')}
        </button>
      </div>
      {props.mode === 'new' ? (
        <>
          {field('name', 'members.name')}
          {field('phone', 'member.phone')}
          {field('idNumber', 'members.idNumberOptional')}
          {props.idProblem !== null ? (
            <p className="error-note" role="alert" data-testid="id-problem">
              {props.idProblem}
            </p>
          ) : null}
          <p className="consent-text">{t('activate.consentText', { version: PIPL_CONSENT.version })}</p>
          <label className="check">
            <input
              type="checkbox"
              checked={registration.consent}
              onChange={(event) => setRegistration({ ...registration, consent: event.target.checked })}
            />
            {t('activate.consent')}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={registration.marketing}
              onChange={(event) => setRegistration({ ...registration, marketing: event.target.checked })}
              data-testid="reg-marketing"
            />
            {t('activate.marketing')}
          </label>
        </>
      ) : (
        <>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (text.trim() === '') return;
              call('members.search', { text: text.trim() })
                .then(setHits)
                .catch((failure) => setError(asFailure(failure)));
            }}
          >
            <label className="field">
              {t('members.searchHint')}
              <input
                value={text}
                onChange={(event) => setText(event.target.value)}
                data-testid="existing-search"
              />
            </label>
          </form>
          <ul className="member-hits">
            {hits.map((hit) => (
              <li key={hit.memberId}>
                <button
                  type="button"
                  className={props.existing?.memberId === hit.memberId ? 'member-hit selected' : 'member-hit'}
                  onClick={() => void choose(hit)}
                  data-testid="existing-hit"
                >
                  <span className="hit-name">{hit.name}</span>
                  <span className="muted">{hit.phoneMasked ?? '—'}</span>
                </button>
              </li>
            ))}
          </ul>
          <ErrorNote failure={error} />
        </>
      )}
    </>
  );
}
