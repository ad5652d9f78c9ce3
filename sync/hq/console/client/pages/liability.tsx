/**
 * What the chain owes its members, by issuing store, and how a period moved it: opening, each kind of
 * movement, closing, for principal and bonus apart; and the check that the journal and the card balances at
 * HQ agree (a difference is shown as found).
 */
import { useState } from 'react';
import { get, yuan } from '../api';
import { ErrorNote, Table, useAction, useConsole } from '../shared';
import { PeriodForm } from './settlement';

interface PartRoll {
  openingFen: number;
  movements: Record<string, number>;
  closingFen: number;
}

interface StoreLiability {
  storeId: string;
  cards: number;
  principal: PartRoll;
  bonus: PartRoll;
  balanceNowFen: number;
  differenceFen: number;
}

/** The chain as one line: every store's figures added up. */
function chainTotal(stores: StoreLiability[], label: string): StoreLiability {
  const sum = (pick: (store: StoreLiability) => number) =>
    stores.reduce((total, store) => total + pick(store), 0);
  const roll = (part: 'principal' | 'bonus'): PartRoll => ({
    openingFen: sum((store) => store[part].openingFen),
    movements: {},
    closingFen: sum((store) => store[part].closingFen),
  });
  return {
    storeId: label,
    cards: sum((store) => store.cards),
    principal: roll('principal'),
    bonus: roll('bonus'),
    balanceNowFen: sum((store) => store.balanceNowFen),
    differenceFen: sum((store) => store.differenceFen),
  };
}

export function LiabilityPage() {
  const { t, word } = useConsole();
  const [stores, setStores] = useState<StoreLiability[] | null>(null);
  const action = useAction();
  const show = (from: string, to: string) =>
    action.run(async () => {
      const found = await get<{ stores: StoreLiability[] }>(
        `/admin/liability?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      );
      setStores(found.stores);
    });
  return (
    <>
      <PeriodForm onShow={show} busy={action.busy} />
      <ErrorNote error={action.error} />
      {stores && (
        <>
          <h2>{t('liability')}</h2>
          <Table
            name={t('liability')}
            head={[t('issuer'), t('cards'), t('principal'), t('bonus'), t('balanceNow'), t('difference')]}
            rows={[...stores, chainTotal(stores, t('liabilityTotal'))].map((store) => ({
              key: store.storeId,
              cells: [
                store.storeId,
                store.cards,
                yuan(store.principal.closingFen),
                yuan(store.bonus.closingFen),
                yuan(store.balanceNowFen),
                <span key="difference" className={store.differenceFen === 0 ? '' : 'warn'}>
                  {yuan(store.differenceFen)}
                </span>,
              ],
            }))}
          />
          {stores.map((store) => {
            const kinds = [
              ...new Set([...Object.keys(store.principal.movements), ...Object.keys(store.bonus.movements)]),
            ];
            return (
              <section key={store.storeId}>
                <h3>
                  {t('rollForward')} · {store.storeId}
                </h3>
                <Table
                  name={`${t('rollForward')} · ${store.storeId}`}
                  head={['', t('principal'), t('bonus')]}
                  rows={[
                    {
                      key: 'opening',
                      cells: [t('opening'), yuan(store.principal.openingFen), yuan(store.bonus.openingFen)],
                    },
                    ...kinds.map((kind) => ({
                      key: kind,
                      cells: [
                        word('kind', kind),
                        yuan(store.principal.movements[kind] ?? 0),
                        yuan(store.bonus.movements[kind] ?? 0),
                      ],
                    })),
                    {
                      key: 'closing',
                      cells: [t('closing'), yuan(store.principal.closingFen), yuan(store.bonus.closingFen)],
                    },
                  ]}
                />
              </section>
            );
          })}
        </>
      )}
    </>
  );
}
