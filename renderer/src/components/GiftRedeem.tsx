/**
 * Gifts for points at the counter: the store's active gifts the card can afford, each taken after one
 * confirming press. The operation id is made when the confirmation opens, so a double press redeems once.
 * A card whose number was typed may need a manager's approval, as for a charge.
 */

import { useId, useState } from 'react';
import { ulid } from 'ulid';
import type { CardView, GiftView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { type KeyedApprovalDraft, useCounter } from '../store/counter';
import { ErrorNote } from './ErrorNote';
import { KeyedApproval, keyedApprovalReady } from './KeyedApproval';

export function GiftRedeem({ card }: { card: CardView }) {
  const t = useT();
  const [gifts, setGifts] = useState<GiftView[] | null>(null);
  const [chosen, setChosen] = useState<{ gift: GiftView; operationId: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [approval, setApproval] = useState<KeyedApprovalDraft | null>(null);
  // Points are the member's value too: once the member has a password, a gift needs it as a charge does.
  const [password, setPassword] = useState('');
  const needsPassword = card.member.hasPassword;
  const summary = useId();
  const open = () => {
    if (gifts !== null) return;
    call('points.settings', {})
      .then((loaded) => setGifts(loaded.gifts.filter((g) => g.active)))
      .catch((error) => setFailure(asFailure(error)));
  };
  const redeeming = useAction(async (gift: { gift: GiftView; operationId: string }) => {
    try {
      const result = await call('points.redeemGift', {
        operationId: gift.operationId,
        cardId: card.card.id,
        giftId: gift.gift.id,
        ...(approval === null ? {} : { keyedApproval: { ...approval, reason: approval.reason.trim() } }),
        ...(needsPassword ? { memberPassword: password } : {}),
      });
      const current = useCounter.getState().card;
      if (current?.card.id === card.card.id)
        useCounter.setState({ card: { ...current, balance: result.operation.balance } });
      setDone(t('gift.done', { gift: result.gift.name, points: String(result.gift.points) }));
      setChosen(null);
      setApproval(null);
      setPassword('');
    } catch (error) {
      setPassword('');
      // A typed card number the host will not take alone opens the manager's approval; a PIN is typed afresh.
      if (approval !== null) setApproval({ ...approval, pin: '' });
      else if (asFailure(error).code === 'KEYED_ENTRY_NEEDS_APPROVAL')
        setApproval({ staffNo: '', pin: '', reason: '' });
      throw error;
    }
  });
  const redeem = () => {
    if (chosen === null || !keyedApprovalReady(approval)) return;
    void redeeming.run(chosen);
  };
  return (
    <details className="gift-redeem" aria-labelledby={summary} onToggle={open}>
      <summary id={summary}>{t('gift.title')}</summary>
      {(gifts ?? []).length === 0 && gifts !== null ? <p className="muted">{t('gift.none')}</p> : null}
      <ul>
        {(gifts ?? []).map((gift) => (
          <li key={gift.id}>
            <button
              type="button"
              className="secondary"
              disabled={gift.points > card.balance.points}
              onClick={() => {
                setDone(null);
                setFailure(null);
                redeeming.reset();
                setApproval(null);
                setChosen({ gift, operationId: ulid() });
              }}
            >
              {gift.name} · {t('gift.points', { points: String(gift.points) })}
            </button>
          </li>
        ))}
      </ul>
      {chosen !== null && approval !== null ? (
        <KeyedApproval approval={approval} onChange={(change) => setApproval({ ...approval, ...change })} />
      ) : null}
      {chosen !== null ? (
        <p>
          {t('gift.confirm', { gift: chosen.gift.name, points: String(chosen.gift.points) })}{' '}
          {needsPassword ? (
            <label className="field">
              {t('charge.memberPassword')}
              <input
                type="password"
                inputMode="numeric"
                autoComplete="off"
                maxLength={6}
                value={password}
                onChange={(event) => setPassword(event.target.value.replace(/\D/g, '').slice(0, 6))}
              />
            </label>
          ) : null}
          <button
            type="button"
            className="primary"
            onClick={redeem}
            disabled={
              redeeming.pending || !keyedApprovalReady(approval) || (needsPassword && password.length !== 6)
            }
          >
            {t('action.confirm')}
          </button>
        </p>
      ) : null}
      {done !== null ? <p role="status">{done}</p> : null}
      <ErrorNote failure={failure ?? redeeming.failure} />
    </details>
  );
}
