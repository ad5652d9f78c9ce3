/**
 * Members: find one by phone, name or card number (or by tapping or swiping their card), then the profile
 * with every card, its state and balance, and what can be done: edit, export, delete, the member password
 * and the card actions. Phone and ID number arrive masked unless a manager is logged in. Beside finding one:
 * the member list (filters, paging, win-back notices for a manager), the win-back results, and 新增会员,
 * which opens the 开卡 registration.
 */

import { useCallback, useEffect, useId, useState } from 'react';
import type { CommandInput, MemberHitView, MemberProfileView } from '../../../electron/contract/index';
import { asFailure, call, PosFailure } from '../api/client';
import { Balances } from '../components/Balances';
import { ErrorNote } from '../components/ErrorNote';
import { Fact } from '../components/Fact';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { ApproverFields, approverInput, NO_APPROVER, useIsManager } from '../members/Approver';
import { CardActions } from '../members/CardActions';
import { claimCards } from '../members/card-claim';
import { isAcceptablePassword } from '../members/identity';
import { MemberList } from '../members/MemberList';
import { ChangeTier, NoticeOptIn } from '../members/ProfileExtras';
import { WinBackCampaigns } from '../members/WinBack';
import { formatFen } from '../money';
import { useApp } from '../store/app';
import { useNav } from '../store/nav';

/** The marketing consent text the member is shown, by version. */
export const MARKETING_CONSENT = { purpose: '接收会员活动与优惠信息', version: 'marketing-2026-01' };

type Panel = 'edit' | 'password' | 'delete' | 'export' | 'tier' | null;
type View = 'search' | 'list' | 'winBack';

export function MembersScreen() {
  const t = useT();
  const permissions = useApp((state) => state.session?.permissions ?? []);
  const choose = useNav((state) => state.choose);
  const [view, setView] = useState<View>('search');
  const [opened, setOpened] = useState<string | null>(null);
  const views: View[] = permissions.includes('reports.read')
    ? ['search', 'list', 'winBack']
    : ['search', 'list'];
  return (
    <div className="members-screen">
      <div className="members-bar">
        <div className="segmented">
          {views.map((choice) => (
            <button
              key={choice}
              type="button"
              className={choice === view ? 'selected' : ''}
              onClick={() => setView(choice)}
              data-testid={`members-view-${choice}`}
            >
              {t(`members.view.${choice}`)}
            </button>
          ))}
        </div>
        {permissions.includes('cards.activate') ? (
          <button
            type="button"
            className="primary"
            onClick={() => choose('activation')}
            data-testid="member-add"
          >
            {t('members.add')}
          </button>
        ) : null}
      </div>
      {view === 'search' ? <MemberFinder opened={opened} /> : null}
      {view === 'list' ? (
        <MemberList
          onOpen={(memberId) => {
            setOpened(memberId);
            setView('search');
          }}
        />
      ) : null}
      {view === 'winBack' ? <WinBackCampaigns /> : null}
    </div>
  );
}

/** Finding one member and their profile; `opened` is a member picked on the list. */
function MemberFinder({ opened }: { opened: string | null }) {
  const t = useT();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<MemberHitView[] | null>(null);
  const [profile, setProfile] = useState<MemberProfileView | null>(null);
  const [error, setError] = useState<PosFailure | null>(null);

  const open = useCallback(async (memberId: string) => {
    try {
      setProfile(await call('members.get', { memberId }));
      setError(null);
    } catch (failure) {
      setError(asFailure(failure));
    }
  }, []);

  useEffect(() => {
    if (opened !== null) void open(opened);
  }, [opened, open]);

  // A card tapped or swiped on this screen finds its member.
  useEffect(
    () =>
      claimCards((input) => {
        if (input.refused !== undefined) {
          setError(new PosFailure({ code: input.refused, message: input.refused }));
          return;
        }
        const query =
          input.cardNumber !== undefined ? { cardNumber: input.cardNumber } : { uid: input.uid ?? '' };
        call('card.lookup', query)
          .then((view) => open(view.member.id))
          .catch((failure) => setError(asFailure(failure)));
      }),
    [open],
  );

  const search = async () => {
    const query = text.trim();
    if (query === '') return;
    try {
      const found = await call('members.search', { text: query });
      setHits(found);
      setError(null);
      if (found.length === 1 && found[0] !== undefined) await open(found[0].memberId);
    } catch (failure) {
      setError(asFailure(failure));
    }
  };

  return (
    <main className="members">
      <section className="member-search">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void search();
          }}
        >
          <label className="field">
            {t('members.searchHint')}
            <input
              autoComplete="off"
              value={text}
              onChange={(event) => setText(event.target.value)}
              placeholder={t('members.searchPlaceholder')}
            />
          </label>
          <button type="submit" className="primary" data-testid="member-search-go">
            {t('members.search')}
          </button>
        </form>
        <ErrorNote failure={error} />
        {hits !== null && hits.length === 0 ? <p className="muted">{t('members.noResults')}</p> : null}
        <ul className="member-hits">
          {(hits ?? []).map((hit) => (
            <li key={hit.memberId}>
              <button
                type="button"
                className={profile?.id === hit.memberId ? 'member-hit selected' : 'member-hit'}
                onClick={() => void open(hit.memberId)}
                data-testid="member-hit"
              >
                <span className="hit-name">{hit.name}</span>
                <span className="muted">{hit.phoneMasked ?? '—'}</span>
                {hit.cardNumber !== null ? <span className="muted">{hit.cardNumber}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      </section>
      {profile === null ? (
        <p className="prompt members-empty">{t('members.tapOrSearch')}</p>
      ) : (
        <Profile key={profile.id} profile={profile} reload={() => void open(profile.id)} />
      )}
    </main>
  );
}

function Profile({ profile, reload }: { profile: MemberProfileView; reload: () => void }) {
  const t = useT();
  const permissions = useApp((state) => state.session?.permissions ?? []);
  const nameId = useId();
  const [panel, setPanel] = useState<Panel>(null);
  const toggle = (next: Panel) => setPanel(panel === next ? null : next);
  return (
    <section
      className="member-profile"
      aria-labelledby={nameId}
      data-testid="member-profile"
      data-member-id={profile.id}
    >
      <h2 className="member-name">
        <span id={nameId}>{profile.name}</span>
        <span className={profile.tier === null ? 'tier' : 'tier tier-named'} data-testid="profile-tier">
          {profile.tier ?? t('tier.none')}
        </span>
      </h2>
      <dl className="facts">
        <Fact label={t('member.phone')} testId="profile-phone">
          {profile.phone ?? '—'}
        </Fact>
        <Fact label={t('members.idNumber')} testId="profile-id-number">
          {profile.idNumber ?? '—'}
        </Fact>
        <dt>{t('members.birthday')}</dt>
        <dd>{profile.birthday ?? '—'}</dd>
        <Fact label={t('members.password')} testId="profile-password">
          {profile.passwordLocked
            ? t('members.passwordLocked')
            : profile.hasPassword
              ? t('members.passwordSet')
              : t('members.passwordNone')}
        </Fact>
        <dt>{t('members.consent')}</dt>
        <dd>{profile.consents.pipl === null ? '—' : `${profile.consents.pipl.version}`}</dd>
        <dt>{t('members.marketing')}</dt>
        <dd data-testid="profile-marketing">
          {profile.consents.marketing?.granted === true
            ? t('members.marketingYes')
            : t('members.marketingNo')}
        </dd>
        {profile.notes !== null ? (
          <>
            <dt>{t('members.notes')}</dt>
            <dd>{profile.notes}</dd>
          </>
        ) : null}
      </dl>
      {profile.deleted ? (
        <p className="error-note" role="alert" data-testid="profile-deleted">
          {t('members.deleted')}
        </p>
      ) : (
        <div className="actions member-actions">
          {permissions.includes('members.write') ? (
            <button
              type="button"
              className="secondary"
              onClick={() => toggle('edit')}
              data-testid="member-edit"
            >
              {t('members.edit')}
            </button>
          ) : null}
          {permissions.includes('cards.activate') ? (
            <button
              type="button"
              className="secondary"
              onClick={() => toggle('password')}
              data-testid="member-password-action"
            >
              {profile.hasPassword ? t('members.passwordReset') : t('members.passwordSetAction')}
            </button>
          ) : null}
          {permissions.includes('cards.manage') && permissions.includes('rules.manage') ? (
            <button
              type="button"
              className="secondary"
              onClick={() => toggle('tier')}
              data-testid="member-tier-action"
            >
              {t('members.tierChange')}
            </button>
          ) : null}
          {permissions.includes('members.export') ? (
            <button
              type="button"
              className="secondary"
              onClick={() => toggle('export')}
              data-testid="member-export"
            >
              {t('members.export')}
            </button>
          ) : null}
          {permissions.includes('members.write') ? (
            <button
              type="button"
              className="secondary danger"
              onClick={() => toggle('delete')}
              data-testid="member-delete"
            >
              {t('members.delete')}
            </button>
          ) : null}
        </div>
      )}
      {panel === 'edit' ? <EditMember profile={profile} done={reload} /> : null}
      {panel === 'password' ? <MemberPassword profile={profile} done={reload} /> : null}
      {panel === 'export' ? <ExportMember profile={profile} /> : null}
      {panel === 'delete' ? <DeleteMember profile={profile} done={reload} /> : null}
      {panel === 'tier' ? <ChangeTier profile={profile} done={reload} /> : null}
      {profile.deleted ? null : (
        <NoticeOptIn memberId={profile.id} editable={permissions.includes('members.write')} />
      )}
      <h3>{t('members.cards')}</h3>
      <ul className="member-cards">
        {profile.cards.map((card) => (
          <li
            key={card.id}
            className="member-card"
            aria-labelledby={`${nameId}-card-${card.id}`}
            data-testid="member-card"
            data-card-number={card.cardNumber}
          >
            <div className="member-card-head">
              <span className="card-number" id={`${nameId}-card-${card.id}`}>
                {card.cardNumber}
              </span>
              <span className={`state state-${card.state}`} data-testid="member-card-state">
                {t(`state.${card.state}`)}
              </span>
            </div>
            <Balances balance={card.balance} testIdPrefix="member-card" />
            {profile.deleted ? null : <CardActions card={card} onChanged={reload} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function EditMember({ profile, done }: { profile: MemberProfileView; done: () => void }) {
  const t = useT();
  const [name, setName] = useState(profile.name);
  const [phone, setPhone] = useState('');
  const [notes, setNotes] = useState(profile.notes ?? '');
  const [marketing, setMarketing] = useState(profile.consents.marketing?.granted === true);
  const save = useAction(async (input: CommandInput<'members.edit'>) => {
    await call('members.edit', input);
    done();
  });
  return (
    <form
      className="dialog"
      data-testid="edit-form"
      onSubmit={(event) => {
        event.preventDefault();
        const changes = {
          ...(name.trim() !== profile.name ? { name: name.trim() } : {}),
          ...(phone.trim() !== '' ? { phone: phone.trim() } : {}),
          ...(notes !== (profile.notes ?? '') ? { notes: notes === '' ? null : notes } : {}),
        };
        const marketingChanged = marketing !== (profile.consents.marketing?.granted === true);
        void save.run({
          memberId: profile.id,
          changes,
          ...(marketingChanged ? { marketing: { ...MARKETING_CONSENT, granted: marketing } } : {}),
        });
      }}
    >
      <label className="field">
        {t('members.name')}
        <input value={name} onChange={(event) => setName(event.target.value)} data-testid="edit-name" />
      </label>
      <label className="field">
        {t('members.newPhone')}
        <input
          inputMode="tel"
          value={phone}
          placeholder={profile.phone ?? ''}
          onChange={(event) => setPhone(event.target.value)}
          data-testid="edit-phone"
        />
      </label>
      <label className="field">
        {t('members.notes')}
        <input value={notes} onChange={(event) => setNotes(event.target.value)} maxLength={1000} />
      </label>
      <label className="check">
        <input type="checkbox" checked={marketing} onChange={(event) => setMarketing(event.target.checked)} />
        {t('activate.marketing')}
      </label>
      <ErrorNote failure={save.failure} />
      <button type="submit" className="primary" disabled={save.pending} data-testid="edit-save">
        {t('members.save')}
      </button>
    </form>
  );
}

/** Sets a member's first password, or resets it (clearing a lockout) with a manager's approval. */
export function MemberPassword({
  profile,
  done,
}: {
  profile: Pick<MemberProfileView, 'id' | 'hasPassword'>;
  done: () => void;
}) {
  const t = useT();
  const isManager = useIsManager();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [approver, setApprover] = useState(NO_APPROVER);
  const saving = useAction(async (request: () => Promise<unknown>) => {
    await request();
    done();
  });
  const reset = profile.hasPassword;
  const typed = reset ? approverInput(isManager, approver) : undefined;
  const ready = isAcceptablePassword(password) && password === again && typed !== null;
  return (
    <form
      className="dialog"
      data-testid="password-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!ready) return;
        void saving.run(() =>
          reset
            ? call('members.resetPassword', {
                memberId: profile.id,
                password,
                ...(typed === undefined || typed === null ? {} : { approver: typed }),
              })
            : call('members.setPassword', { memberId: profile.id, password }),
        );
      }}
    >
      <p className="prompt">{t('activate.passwordPrompt')}</p>
      <PasswordPair password={password} again={again} setPassword={setPassword} setAgain={setAgain} />
      {reset ? <ApproverFields value={approver} onChange={setApprover} /> : null}
      <ErrorNote failure={saving.failure} />
      <button
        type="submit"
        className="primary"
        disabled={saving.pending || !ready}
        data-testid="password-save"
      >
        {t('members.save')}
      </button>
    </form>
  );
}

export function PasswordPair({
  password,
  again,
  setPassword,
  setAgain,
}: {
  password: string;
  again: string;
  setPassword: (value: string) => void;
  setAgain: (value: string) => void;
}) {
  const t = useT();
  const clean = (value: string) => value.replace(/\D/g, '').slice(0, 6);
  return (
    <>
      <label className="field">
        {t('activate.password')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={6}
          value={password}
          onChange={(event) => setPassword(clean(event.target.value))}
          data-testid="new-password"
        />
      </label>
      <label className="field">
        {t('activate.passwordAgain')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={6}
          value={again}
          onChange={(event) => setAgain(clean(event.target.value))}
          data-testid="new-password-again"
        />
      </label>
      {password.length === 6 && !isAcceptablePassword(password) ? (
        <p className="error-note">{t('activate.passwordWeak')}</p>
      ) : null}
      {again.length === 6 && again !== password ? (
        <p className="error-note">{t('activate.passwordMismatch')}</p>
      ) : null}
    </>
  );
}

function ExportMember({ profile }: { profile: MemberProfileView }) {
  const t = useT();
  const [exported, setExported] = useState<{ fileName: string; url: string } | null>(null);
  const [error, setError] = useState<PosFailure | null>(null);
  useEffect(() => {
    let url: string | null = null;
    call('members.export', { memberId: profile.id })
      .then(({ fileName, json }) => {
        url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
        setExported({ fileName, url });
      })
      .catch((failure) => setError(asFailure(failure)));
    return () => {
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [profile.id]);
  return (
    <div className="dialog" data-testid="export-panel">
      <ErrorNote failure={error} />
      {exported === null ? null : (
        <a
          href={exported.url}
          download={exported.fileName}
          className="primary button"
          data-testid="export-link"
        >
          {t('members.exportDownload', { file: exported.fileName })}
        </a>
      )}
    </div>
  );
}

function DeleteMember({ profile, done }: { profile: MemberProfileView; done: () => void }) {
  const t = useT();
  const isManager = useIsManager();
  const [approver, setApprover] = useState(NO_APPROVER);
  const deleting = useAction(async (input: CommandInput<'members.delete'>) => {
    await call('members.delete', input);
    done();
  });
  const typed = approverInput(isManager, approver);
  const held = profile.cards.reduce((sum, card) => sum + card.balance.totalFen, 0);
  return (
    <form
      className="dialog"
      data-testid="delete-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (typed === null) return;
        void deleting.run({ memberId: profile.id, ...(typed === undefined ? {} : { approver: typed }) });
      }}
    >
      <p className="prompt">{t('members.deleteWarning')}</p>
      {held > 0 ? (
        <p className="error-note">{t('members.deleteHasBalance', { amount: formatFen(held) })}</p>
      ) : null}
      <ApproverFields value={approver} onChange={setApprover} />
      <ErrorNote failure={deleting.failure} />
      <button
        type="submit"
        className="primary danger"
        disabled={deleting.pending || typed === null}
        data-testid="delete-confirm"
      >
        {t('members.deleteConfirm')}
      </button>
    </form>
  );
}
