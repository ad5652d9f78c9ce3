/**
 * Two parts of the member's profile: a manager's tier change by hand (choose the tier, say why, confirm) and
 * the member's choice of notices (top-ups, each charge).
 */
import { useEffect, useState } from 'react';
import type { MemberProfileView, TierView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useCommand } from '../hooks/use-command';
import { useT } from '../i18n/use-t';

/** No tier at all: the select's value for it. */
const NONE = '';

export function ChangeTier({ profile, done }: { profile: MemberProfileView; done: () => void }) {
  const t = useT();
  const [tiers, setTiers] = useState<TierView[]>([]);
  const [tierId, setTierId] = useState(NONE);
  const [reason, setReason] = useState('');
  const change = useCommand('members.changeTier');
  const [error, setError] = useState<PosFailure | null>(null);

  useEffect(() => {
    call('rules.list', {})
      .then((answer) => {
        const sorted = [...answer.tiers].sort((a, b) => a.rank - b.rank);
        setTiers(sorted);
        setTierId(sorted.find((tier) => tier.name === profile.tier)?.id ?? NONE);
      })
      .catch((failure) => setError(asFailure(failure)));
  }, [profile.tier]);

  const confirm = async () => {
    const changed = await change.run({
      memberId: profile.id,
      tierId: tierId === NONE ? null : tierId,
      reason,
    });
    if (changed !== undefined) done();
  };

  return (
    <form
      className="dialog member-tier"
      data-testid="tier-change"
      onSubmit={(event) => {
        event.preventDefault();
        void confirm();
      }}
    >
      <label className="field">
        {t('members.tierChoose')}
        <select value={tierId} onChange={(event) => setTierId(event.target.value)} data-testid="tier-select">
          <option value={NONE}>{t('tier.none')}</option>
          {tiers.map((tier) => (
            <option key={tier.id} value={tier.id}>
              {tier.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        {t('members.tierReason')}
        <input
          autoComplete="off"
          maxLength={200}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          data-testid="tier-reason"
        />
      </label>
      <ErrorNote failure={error ?? change.failure} />
      <button
        type="submit"
        className="primary"
        disabled={change.pending || reason.trim() === ''}
        data-testid="tier-confirm"
      >
        {t('members.tierConfirm')}
      </button>
    </form>
  );
}

export function NoticeOptIn({ memberId, editable }: { memberId: string; editable: boolean }) {
  const t = useT();
  const [choice, setChoice] = useState<{ topUp: boolean; spend: boolean } | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<PosFailure | null>(null);
  const setOptIn = useCommand('notices.setOptIn');

  useEffect(() => {
    call('notices.optIn', { memberId })
      .then(setChoice)
      .catch((failure) => setError(asFailure(failure)));
  }, [memberId]);

  // The box follows the click at once (a controlled checkbox that waits for the host looks
  // dead and flips back); a refusal puts the member's previous choice back.
  const save = async (next: { topUp: boolean; spend: boolean }) => {
    const previous = choice;
    setSaved(false);
    setChoice(next);
    const answer = await setOptIn.run({ memberId, ...next });
    if (answer === undefined) {
      setChoice(previous);
    } else {
      setChoice(answer);
      setSaved(true);
    }
  };

  return (
    <fieldset className="member-notices" data-testid="notice-opt-in">
      <legend>{t('members.noticesTitle')}</legend>
      {choice === null ? null : (
        <>
          <label className="check">
            <input
              type="checkbox"
              checked={choice.topUp}
              disabled={!editable}
              onChange={(event) => void save({ ...choice, topUp: event.target.checked })}
              data-testid="notice-top-up"
            />
            {t('members.noticesTopUp')}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={choice.spend}
              disabled={!editable}
              onChange={(event) => void save({ ...choice, spend: event.target.checked })}
              data-testid="notice-spend"
            />
            {t('members.noticesSpend')}
          </label>
        </>
      )}
      {saved ? (
        <p className="muted" role="status" data-testid="notice-saved">
          {t('members.noticesSaved')}
        </p>
      ) : null}
      <ErrorNote failure={error ?? setOptIn.failure} />
    </fieldset>
  );
}
