/**
 * Win-back: the manager's message to the members ticked on the list (sent only to those who consented to
 * marketing; the screen says how many were skipped and why), and the campaigns' results: who came back,
 * meaning a charge after the notice.
 */
import { useEffect, useId, useState } from 'react';
import { ulid } from 'ulid';
import type { CommandOutput, WinBackCampaignView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useCommand } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { formatTime } from '../time';

type WinBackResult = CommandOutput<'members.winBack'>;

/** The message for the picked members; `onSent` gets what was sent and skipped (the picks are then cleared). */
export function WinBackSend({
  memberIds,
  onSent,
}: {
  memberIds: string[];
  onSent: (result: WinBackResult) => void;
}) {
  const t = useT();
  const [message, setMessage] = useState(() => t('winBack.defaultMessage'));
  // One id per send: a resent press sends once.
  const [campaignId, setCampaignId] = useState(() => ulid());
  const send = useCommand('members.winBack');
  return (
    <form
      className="dialog win-back"
      data-testid="win-back-form"
      onSubmit={(event) => {
        event.preventDefault();
        void send.run({ campaignId, memberIds, message }).then((sent) => {
          if (sent === undefined) return;
          setCampaignId(ulid());
          onSent(sent);
        });
      }}
    >
      <p className="prompt">{t('winBack.picked', { count: String(memberIds.length) })}</p>
      <label className="field">
        {t('winBack.message')}
        <textarea
          value={message}
          maxLength={200}
          onChange={(event) => setMessage(event.target.value)}
          data-testid="win-back-message"
        />
      </label>
      <p className="muted">{t('winBack.consentRule')}</p>
      <ErrorNote failure={send.failure} />
      <button
        type="submit"
        className="primary"
        disabled={send.pending || message.trim() === ''}
        data-testid="win-back-send"
      >
        {t('winBack.send')}
      </button>
    </form>
  );
}

/** How many were sent, and how many skipped and why. */
export function WinBackOutcome({ result }: { result: WinBackResult }) {
  const t = useT();
  return (
    <p className="note" role="status" data-testid="win-back-result">
      {t('winBack.sent', { count: String(result.sent) })}
      {result.skippedNoConsent > 0
        ? ` ${t('winBack.skippedNoConsent', { count: String(result.skippedNoConsent) })}`
        : ''}
      {result.skippedDeleted > 0
        ? ` ${t('winBack.skippedDeleted', { count: String(result.skippedDeleted) })}`
        : ''}
    </p>
  );
}

/** The latest campaigns and who came back after each. */
export function WinBackCampaigns() {
  const t = useT();
  const heading = useId();
  const [campaigns, setCampaigns] = useState<WinBackCampaignView[] | null>(null);
  const [error, setError] = useState<PosFailure | null>(null);
  useEffect(() => {
    call('members.winBackCampaigns', {})
      .then(setCampaigns)
      .catch((failure) => setError(asFailure(failure)));
  }, []);
  return (
    <section className="win-back-campaigns" aria-labelledby={heading} data-testid="win-back-campaigns">
      <h2 id={heading}>{t('winBack.campaigns')}</h2>
      <p className="muted">{t('winBack.returnedRule')}</p>
      <ErrorNote failure={error} />
      {campaigns !== null && campaigns.length === 0 ? <p className="muted">{t('winBack.none')}</p> : null}
      {(campaigns ?? []).map((campaign) => (
        <article key={campaign.campaignId} className="member-card" data-testid="win-back-campaign">
          <div className="member-card-head">
            <span>{formatTime(campaign.at)}</span>
            <span>{campaign.staffName}</span>
          </div>
          <p>{campaign.message}</p>
          <p data-testid="win-back-campaign-figures">
            {t('winBack.figures', {
              sent: String(campaign.sent),
              skipped: String(campaign.skippedNoConsent + campaign.skippedDeleted),
              returned: String(campaign.returned.length),
            })}
          </p>
          <ul>
            {campaign.returned.map((member) => (
              <li key={member.memberId} data-testid="win-back-returned">
                {member.name} · {formatTime(member.visitAt)}
              </li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}
