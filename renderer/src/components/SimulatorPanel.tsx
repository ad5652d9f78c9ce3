/**
 * The training simulator: presents a virtual card or swipe through the host's simulated devices (the same
 * event path a real reader takes) and shows what the virtual printer printed.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PrintedReceipt, SimulatedCard } from '../../../electron/contract/index';
import { call, on } from '../api/client';
import { useT } from '../i18n/use-t';

export function SimulatorPanel() {
  const t = useT();
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
    <aside className="simulator" data-testid="simulator">
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
      {receipts.map((receipt) => (
        <pre key={receipt.jobId} className="receipt small" data-testid="printed-receipt">
          {receipt.text}
        </pre>
      ))}
    </aside>
  );
}
