/**
 * The training simulator: presents a virtual card or swipe through the host's simulated devices (the same
 * event path a real reader takes) and lists what the virtual printer printed, each receipt folded until opened.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PrintedReceipt, SimulatedCard } from '../../../electron/contract/index';
import { call, on } from '../api/client';
import { useT } from '../i18n/use-t';
import { receiptTitle } from '../receipt/parts';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { useApp } from '../store/app';

const time = (at: number, locale: string): string =>
  new Date(at).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function SimulatorPanel() {
  const t = useT();
  const locale = useApp((state) => state.locale);
  const [cards, setCards] = useState<SimulatedCard[]>([]);
  const [receipts, setReceipts] = useState<PrintedReceipt[]>([]);

  const refreshReceipts = useCallback(() => {
    call('simulator.printedReceipts', { limit: 3 })
      .then(setReceipts)
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    call('simulator.cards', {})
      .then(setCards)
      .catch(() => undefined);
    refreshReceipts();
    return on('print.status', (status) => {
      if (status.state === 'printed') refreshReceipts();
    });
  }, [refreshReceipts]);

  return (
    <aside className="simulator" aria-label={t('sim.title')} data-testid="simulator">
      <h3>{t('sim.title')}</h3>
      <ul className="sim-cards">
        {cards.map((card) => (
          <li key={card.cardNumber}>
            <span>
              {card.label} · {card.cardNumber.slice(-4)}
            </span>
            {card.uid !== '' ? (
              <button
                type="button"
                onClick={() => void call('simulator.presentCard', { uid: card.uid })}
                data-testid={`sim-present-${card.cardNumber}`}
              >
                {t('sim.present')}
              </button>
            ) : null}
            <button
              type="button"
              onClick={() => void call('simulator.swipe', { cardNumber: card.cardNumber })}
              data-testid={`sim-swipe-${card.cardNumber}`}
            >
              {t('sim.swipe')}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void call('simulator.removeCard', {})}>
        {t('sim.remove')}
      </button>
      <h3>{t('sim.receipts')}</h3>
      {receipts.length === 0 ? <p className="muted">{t('sim.none')}</p> : null}
      {/* Folded: the counter already shows the operation's receipt, and one receipt on screen is enough. */}
      {receipts.map((receipt) => (
        <details key={receipt.jobId} className="printed">
          <summary>
            {time(receipt.at, locale)} {receiptTitle(receipt.text)}
          </summary>
          <ReceiptPreview text={receipt.text} testId="printed-receipt-paper" small />
        </details>
      ))}
    </aside>
  );
}
