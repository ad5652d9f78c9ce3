/**
 * The customer window (顾客屏): the page the second screen shows, facing the customer. It draws what the host
 * says the customer display shows: the amount being typed, the total to pay, cash paid and change, then the
 * member's masked name, the balance after and a thank-you. After a charge it offers five stars for a short
 * while: one tap rates the visit (the host knows which; this page cannot name one). It needs no login and
 * shows nothing else.
 */
import { useEffect, useId, useState } from 'react';
import type { CustomerView } from '../../../electron/contract/index';
import { call, on } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useCommand } from '../hooks/use-command';
import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';

const HEADING: Record<CustomerView['phase'], MessageKey> = {
  idle: 'customer.welcome',
  amount: 'customer.amount',
  total: 'customer.total',
  paid: 'customer.paid',
  change: 'customer.change',
  done: 'customer.done',
};

/** Whether this page was opened as the customer window (`?view=customer`, or `#customer` in the desktop app). */
export function isCustomerWindow(location: Location): boolean {
  return new URLSearchParams(location.search).get('view') === 'customer' || location.hash === '#customer';
}

export function CustomerScreen() {
  const t = useT();
  const [view, setView] = useState<CustomerView | null>(null);

  useEffect(() => {
    const stop = on('customer.display', setView);
    call('display.current', {})
      .then((current) => setView((shown) => shown ?? current))
      .catch(() => {
        // The desktop app pushes the view instead of answering; the first event draws it.
      });
    return stop;
  }, []);

  const headingId = useId();
  const phase = view?.phase ?? 'idle';
  const amount = phase === 'change' ? view?.changeFen : view?.amountFen;
  return (
    <main className="customer-screen" data-phase={phase}>
      <h1 id={headingId}>{t(HEADING[phase])}</h1>
      {amount !== null && amount !== undefined ? (
        // The amount the heading names ("total to pay", "change"), said again as it changes.
        <p className="customer-amount" role="status" aria-labelledby={headingId}>
          {formatFen(amount)}
        </p>
      ) : null}
      {phase === 'change' && view?.amountFen !== null && view?.amountFen !== undefined ? (
        <p className="customer-line">{t('customer.paidLine', { amount: formatFen(view.amountFen) })}</p>
      ) : null}
      {view?.memberName ? (
        <p className="customer-line">{t('customer.member', { name: view.memberName })}</p>
      ) : null}
      {phase === 'done' && view?.balanceAfterFen !== null && view?.balanceAfterFen !== undefined ? (
        <p className="customer-line">
          {t('customer.balanceAfter', { balance: formatFen(view.balanceAfterFen) })}
        </p>
      ) : null}
      {phase === 'done' ? <p className="customer-thanks">{t('customer.thanks')}</p> : null}
      {phase === 'done' && view?.rating ? <Stars rating={view.rating} onRated={setView} /> : null}
    </main>
  );
}

/** The five stars while the host offers them, then the thanks for the stars given. */
function Stars({
  rating,
  onRated,
}: {
  rating: NonNullable<CustomerView['rating']>;
  onRated: (view: CustomerView) => void;
}) {
  const t = useT();
  const promptId = useId();
  const [open, setOpen] = useState(() => Date.now() < rating.until);
  const rate = useCommand('display.rate');
  useEffect(() => {
    // The host's clock decides; this only takes the stars away when the offer has run out.
    const left = rating.until - Date.now();
    setOpen(left > 0);
    if (left <= 0) return;
    const timer = setTimeout(() => setOpen(false), left);
    return () => clearTimeout(timer);
  }, [rating.until]);
  if (rating.stars !== null) {
    return <p className="customer-line">{t('customer.rated', { n: String(rating.stars) })}</p>;
  }
  if (!open) return null;
  return (
    // biome-ignore lint/a11y/useSemanticElements: five buttons named together by the question, not a form's fieldset
    <div role="group" aria-labelledby={promptId}>
      <p className="customer-line" id={promptId}>
        {t('customer.rate')}
      </p>
      <div className="customer-stars">
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            aria-label={t('customer.star', { n: String(n) })}
            disabled={rate.pending}
            onClick={() =>
              void rate.run({ stars: n }).then((view) => {
                if (view !== undefined) onRated(view);
              })
            }
          >
            ★<small>{n}</small>
          </button>
        ))}
      </div>
      <ErrorNote failure={rate.failure} />
    </div>
  );
}
