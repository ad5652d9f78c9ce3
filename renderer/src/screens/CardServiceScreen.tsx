/**
 * Card services (卡务): a card tapped, swiped or keyed in, its member, state and balance, and the card actions
 * (freeze, unfreeze, report lost, replace, close, statement) without going through the member's profile.
 */
import { useCallback, useEffect, useState } from 'react';
import type { CardView, MemberCard } from '../../../electron/contract/index';
import { asFailure, call, PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { MemberPanel } from '../components/MemberPanel';
import { useT } from '../i18n/use-t';
import { CardActions } from '../members/CardActions';
import { claimCards } from '../members/card-claim';
import { useApp } from '../store/app';
import { MemberPassword } from './MembersScreen';

type Query = { uid: string } | { cardNumber: string };

export function CardServiceScreen() {
  const t = useT();
  const [typed, setTyped] = useState('');
  const [view, setView] = useState<CardView | null>(null);
  const [error, setError] = useState<PosFailure | null>(null);
  const [password, setPassword] = useState(false);
  const canSetPassword = useApp((state) => state.session?.permissions.includes('cards.activate') ?? false);

  const find = useCallback(async (query: Query) => {
    try {
      setView(await call('card.lookup', query));
      setError(null);
    } catch (failure) {
      setView(null);
      setError(asFailure(failure));
    }
  }, []);

  useEffect(
    () =>
      claimCards((input) => {
        if (input.refused !== undefined) {
          setError(new PosFailure({ code: input.refused, message: input.refused }));
        } else if (input.cardNumber !== undefined) {
          void find({ cardNumber: input.cardNumber });
        } else if (input.uid !== undefined) {
          void find({ uid: input.uid });
        }
      }),
    [find],
  );

  const card: MemberCard | null =
    view === null
      ? null
      : {
          id: view.card.id,
          cardNumber: view.card.cardNumber,
          uid: view.card.uid,
          medium: view.card.medium,
          state: view.card.state,
          balance: view.balance,
        };

  return (
    <main className="card-service">
      <form
        className="member-search"
        onSubmit={(event) => {
          event.preventDefault();
          if (typed.length >= 4) void find({ cardNumber: typed });
        }}
      >
        <label className="field">
          {t('cards.prompt')}
          <input
            inputMode="numeric"
            autoComplete="off"
            value={typed}
            onChange={(event) => setTyped(event.target.value.toUpperCase().replace(/[^0-9A-Z]/g, ''))}
            data-testid="card-service-number"
          />
        </label>
      </form>
      <ErrorNote failure={error} />
      {view !== null && card !== null ? (
        <section className="member-profile" data-testid="card-service">
          <MemberPanel view={view} />
          <CardActions
            key={card.id}
            card={card}
            onChanged={() => void find({ cardNumber: card.cardNumber })}
          />
          {canSetPassword ? (
            <button
              type="button"
              className="secondary"
              onClick={() => setPassword(!password)}
              data-testid="card-service-password"
            >
              {view.member.hasPassword ? t('members.passwordReset') : t('members.passwordSetAction')}
            </button>
          ) : null}
          {password ? (
            <MemberPassword
              key={view.member.id}
              profile={{ id: view.member.id, hasPassword: view.member.hasPassword }}
              done={() => {
                setPassword(false);
                void find({ cardNumber: card.cardNumber });
              }}
            />
          ) : null}
        </section>
      ) : null}
    </main>
  );
}
