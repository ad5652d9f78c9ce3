/**
 * The cashier's home: waiting for a card, then the member, the amount and the two money actions. Every action
 * has a key: digits and `.` type the amount, Enter goes forward (charge), `+` tops up, Esc goes back.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { TENDERS } from '../../../electron/contract/names';
import { ShiftPrompt } from '../close/ShiftPrompt';
import {
  ChargeConfirm,
  RefundConfirm,
  TopUpConfirm,
  VoidConfirm,
  WithdrawConfirm,
} from '../components/Confirmations';
import { ErrorNote } from '../components/ErrorNote';
import { GiftRedeem } from '../components/GiftRedeem';
import { Keypad } from '../components/Keypad';
import { MemberPanel } from '../components/MemberPanel';
import { RecentOperations } from '../components/RecentOperations';
import { ResultView } from '../components/ResultView';
import { SimulatorPanel } from '../components/SimulatorPanel';
import { useT } from '../i18n/use-t';
import { isTouchedButton, watchTouchFocus } from '../keys/touch-focus';
import { formatFen, parseYuan } from '../money';
import { useApp } from '../store/app';
import { useCounter } from '../store/counter';
import { PayCodeBurst } from '../wedge/pay-code';

/** Digits held on a confirmation until their pace says scanner (a payment code) or person (a tender key). */
const payCodes = new PayCodeBurst();
let payCodeTimer: ReturnType<typeof setTimeout> | undefined;

/** Gives held digits back as a person's keys once no scanner key followed in time. */
function watchPayCodeDeadline(): void {
  clearTimeout(payCodeTimer);
  const deadline = payCodes.deadline;
  if (deadline === undefined) return;
  payCodeTimer = setTimeout(
    () => {
      for (const key of payCodes.poll(performance.now())) confirmationKey(key);
      watchPayCodeDeadline();
    },
    Math.max(0, deadline - performance.now()) + 1,
  );
}

/** A key on the top-up or charge confirmation: 1–5 pick the top-up's tender, Enter confirms. */
function confirmationKey(key: string): boolean {
  const counter = useCounter.getState();
  if (counter.phase === 'topUp') {
    const tender = TENDERS[Number(key) - 1];
    if (/^[1-9]$/.test(key) && tender !== undefined) counter.setTender(tender);
    else if (key === 'Enter') void counter.confirm();
    else return false;
    return true;
  }
  if (counter.phase === 'charge' && key === 'Enter') {
    void counter.confirm();
    return true;
  }
  return false;
}

function handleKey(event: KeyboardEvent): void {
  const counter = useCounter.getState();
  const target = event.target as HTMLElement | null;
  const inField =
    target?.tagName === 'INPUT' || target?.tagName === 'SELECT' || target?.tagName === 'TEXTAREA';
  const activation = event.key === 'Enter' || event.key === ' ';
  if (activation && target?.tagName === 'BUTTON') {
    // A button reached with Tab answers the key itself. One that only kept focus after a tap must not click
    // again: a tap on 2 then Enter opens the charge for the amount shown, never types another 2.
    if (!isTouchedButton(target)) return;
    event.preventDefault();
    target.blur();
  }
  if (event.key === 'Escape') {
    event.preventDefault();
    counter.back();
    return;
  }
  if (inField) return;
  if (counter.phase === 'topUp' || counter.phase === 'charge') {
    // A payment code from the scanner arrives as digits and Enter, which are also this step's keys.
    const decision = payCodes.key(event.key, event.timeStamp);
    for (const key of decision.release) confirmationKey(key);
    watchPayCodeDeadline();
    if (decision.code !== undefined) counter.scanPayCode(decision.code);
    if (decision.hold) {
      event.preventDefault();
      return;
    }
  }
  switch (counter.phase) {
    case 'member':
      if (/^[0-9.]$/.test(event.key)) counter.pressKey(event.key);
      else if (event.key === 'Backspace') counter.backspace();
      else if (event.key === 'Enter') counter.startCharge();
      else if (event.key === '+') void counter.startTopUp();
      else return;
      break;
    case 'topUp':
    case 'charge':
      if (!confirmationKey(event.key)) return;
      break;
    case 'result':
      if (event.key === 'Enter') counter.reset();
      else return;
      break;
    default:
      return;
  }
  event.preventDefault();
}

function Waiting() {
  const t = useT();
  const { lookup, error, phase } = useCounter();
  const [cardNumber, setCardNumber] = useState('');
  return (
    <section className="waiting" data-testid="waiting">
      <p className="prompt">{phase === 'loading' ? t('counter.loading') : t('counter.waiting')}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (cardNumber.length >= 4) void lookup({ cardNumber }).then(() => setCardNumber(''));
        }}
      >
        <label className="field">
          {t('counter.waitingHint')}
          <input
            inputMode="numeric"
            autoComplete="off"
            value={cardNumber}
            placeholder={t('counter.cardNumber')}
            onChange={(event) => setCardNumber(event.target.value.toUpperCase().replace(/[^0-9A-Z]/g, ''))}
            data-testid="card-number"
          />
        </label>
      </form>
      <ErrorNote failure={error} />
    </section>
  );
}

function Member() {
  const t = useT();
  const counter = useCounter();
  const permissions = useApp((state) => state.session?.permissions ?? []);
  const { card, amountText, recent, error } = counter;
  const amountLabel = useId();
  if (card === null) return null;
  const amountFen = parseYuan(amountText);
  const active = card.card.state === 'active';
  const canVoid =
    permissions.includes('wallet.void') && recent.some((line) => line.kind !== 'void' && !line.voided);
  return (
    <div className="member-layout">
      <div className="column">
        <MemberPanel view={card} />
        <RecentOperations
          lines={recent}
          onReprint={(line) => void counter.reprint(line.operationId)}
          {...(active && permissions.includes('wallet.void') ? { onRefund: counter.startRefund } : {})}
        />
        {counter.reprinted ? <p role="status">{t('receipt.reprintSent')}</p> : null}
        {canVoid && active ? (
          <button type="button" className="secondary" onClick={counter.startVoid}>
            {t('action.void')}
          </button>
        ) : null}
        {active && permissions.includes('wallet.charge') ? <GiftRedeem card={card} /> : null}
      </div>
      <div className="column">
        {/* An output named by its label: a screen reader says the amount as the cashier keys it. */}
        <output className="amount-display" aria-labelledby={amountLabel} data-testid="amount">
          <span className="label" id={amountLabel}>
            {t('amount.label')}
          </span>
          {amountFen === null ? (amountText === '' ? '¥0.00' : `¥${amountText}`) : formatFen(amountFen)}
        </output>
        <Keypad onKey={counter.pressKey} onBackspace={counter.backspace} disabled={!active} />
        <ErrorNote failure={error} availableFen={card.balance.totalFen} />
        <div className="actions">
          <button
            type="button"
            className="primary topup"
            disabled={!active || amountFen === null || !permissions.includes('wallet.topUp')}
            onClick={() => void counter.startTopUp()}
          >
            + {t('action.topUp')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={!active || amountFen === null || !permissions.includes('wallet.charge')}
            onClick={counter.startCharge}
          >
            ↵ {t('action.charge')}
          </button>
          {permissions.includes('wallet.void') ? (
            <button
              type="button"
              className="secondary"
              disabled={!active || amountFen === null || amountFen > card.balance.principalFen}
              onClick={counter.startWithdraw}
            >
              {t('action.withdraw')}
            </button>
          ) : null}
        </div>
        <p className="muted">{t('amount.hint')}</p>
      </div>
    </div>
  );
}

export function CounterScreen() {
  const phase = useCounter((state) => state.phase);
  const info = useApp((state) => state.info);
  const canSimulate = useApp((state) => state.session?.permissions.includes('simulator.use') ?? false);
  // Cash refused for want of a shift (a cash top-up, the cash rest of a charge, a cash withdrawal): offer to
  // open one here, then the same operation goes on (a withdrawal is confirmed again with the manager's PIN).
  const shiftMissing = useCounter(
    (state) =>
      (state.phase === 'topUp' || state.phase === 'charge' || state.phase === 'withdraw') &&
      state.error?.code === 'SHIFT_NOT_OPEN',
  );

  const stage = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const stopWatching = watchTouchFocus();
    window.addEventListener('keydown', handleKey);
    return () => {
      stopWatching();
      window.removeEventListener('keydown', handleKey);
    };
  }, []);

  // Each step takes the keyboard back from whatever button was touched last (a simulator button keeps focus
  // after a click, and Enter would press it again), unless the step has a field to type into.
  useEffect(() => {
    if (phase === 'loading') return;
    // The cash-received field is optional: the top-up's keys (1–5 for the tender, Enter) stay on the counter.
    const field = stage.current?.querySelector('input:not([data-no-autofocus])');
    if (field instanceof HTMLElement) field.focus();
    else stage.current?.focus();
  }, [phase]);

  return (
    <main className="counter">
      <div className="stage" ref={stage} tabIndex={-1}>
        {phase === 'waiting' || phase === 'loading' ? <Waiting /> : null}
        {phase === 'member' ? <Member /> : null}
        {phase === 'topUp' ? <TopUpConfirm /> : null}
        {shiftMissing ? (
          <ShiftPrompt
            onOpened={() => {
              const counter = useCounter.getState();
              if (counter.phase === 'withdraw') counter.clearError();
              else void counter.confirm();
            }}
            onCancel={() => useCounter.getState().back()}
          />
        ) : null}
        {phase === 'charge' ? <ChargeConfirm /> : null}
        {phase === 'void' ? <VoidConfirm /> : null}
        {phase === 'refund' ? <RefundConfirm /> : null}
        {phase === 'withdraw' ? <WithdrawConfirm /> : null}
        {phase === 'result' ? <ResultView /> : null}
      </div>
      {info?.simulator && canSimulate ? <SimulatorPanel /> : null}
    </main>
  );
}
