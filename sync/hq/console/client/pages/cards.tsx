/**
 * Members and cards across the chain: search by card number, member name or phone; a card's chain-wide
 * balance, state and history; freeze it, report it lost or reopen it at HQ (every till applies the change on
 * its next pull).
 */
import { type FormEvent, useState } from 'react';
import { get, post, when, yuan } from '../api';
import { ErrorNote, Table, useAction, useConsole } from '../shared';

interface CardHit {
  cardId: string;
  cardNumber: string | null;
  memberName: string | null;
  phoneTail: string | null;
  issuerStoreId: string;
  balanceFen: number;
  state: string;
}

interface HistoryLine {
  position: number;
  operationId: string;
  kind: string;
  storeId: string;
  terminalId: string;
  createdAt: number;
  deltaFen: number | null;
  state: string | null;
}

export function CardsPage() {
  const { t, user, word } = useConsole();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<CardHit[] | null>(null);
  const [open, setOpen] = useState<{ cardId: string; history: HistoryLine[] } | null>(null);
  const action = useAction();
  const search = (event?: FormEvent) => {
    event?.preventDefault();
    void action.run(async () => {
      setHits((await get<{ cards: CardHit[] }>(`/admin/cards?q=${encodeURIComponent(text.trim())}`)).cards);
    });
  };
  const history = (cardId: string) =>
    action.run(async () => {
      const found = await get<{ history: HistoryLine[] }>(
        `/admin/cards/${encodeURIComponent(cardId)}/history`,
      );
      setOpen({ cardId, history: found.history });
    });
  const setState = (cardId: string, state: string) =>
    action.run(async () => {
      await post(`/admin/cards/${encodeURIComponent(cardId)}/state`, { state, by: user.username });
      setHits((await get<{ cards: CardHit[] }>(`/admin/cards?q=${encodeURIComponent(text.trim())}`)).cards);
      if (open?.cardId === cardId) await history(cardId);
    });
  const mayChange = user.role !== 'finance';
  return (
    <>
      <form className="inline" onSubmit={search}>
        <input
          aria-label={t('searchHint')}
          placeholder={t('searchHint')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">{t('search')}</button>
      </form>
      <ErrorNote error={action.error} />
      {hits && (
        <Table
          name={t('cardsFound')}
          head={[t('cardNumber'), t('member'), t('phoneTail'), t('issuer'), t('balance'), t('state'), '']}
          rows={hits.map((hit) => ({
            key: hit.cardId,
            cells: [
              hit.cardNumber ?? hit.cardId,
              hit.memberName ?? '',
              hit.phoneTail ?? '',
              hit.issuerStoreId,
              yuan(hit.balanceFen),
              word('state', hit.state),
              <span key="actions" className="actions">
                <button type="button" onClick={() => history(hit.cardId)}>
                  {t('history')}
                </button>
                {mayChange && hit.state === 'active' && (
                  <>
                    <button type="button" onClick={() => setState(hit.cardId, 'frozen')}>
                      {t('freeze')}
                    </button>
                    <button type="button" onClick={() => setState(hit.cardId, 'lost')}>
                      {t('reportLost')}
                    </button>
                  </>
                )}
                {mayChange && hit.state === 'frozen' && (
                  <button type="button" onClick={() => setState(hit.cardId, 'active')}>
                    {t('unfreeze')}
                  </button>
                )}
              </span>,
            ],
          }))}
        />
      )}
      {open && (
        <>
          <h2>
            {t('history')} · {open.cardId}
          </h2>
          <Table
            name={`${t('history')} · ${open.cardId}`}
            head={[t('at'), t('kind'), t('amount'), t('state'), t('stores'), t('terminalId'), t('operation')]}
            rows={open.history.map((line) => ({
              key: String(line.position),
              cells: [
                when(line.createdAt),
                word('kind', line.kind),
                line.deltaFen === null ? '' : yuan(line.deltaFen),
                line.state ? word('state', line.state) : '',
                line.storeId,
                line.terminalId,
                line.operationId,
              ],
            }))}
          />
        </>
      )}
    </>
  );
}
