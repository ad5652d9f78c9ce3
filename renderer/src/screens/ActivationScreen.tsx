/**
 * Activating a card (开卡), one step at a time with a prompt at each: the member (new, with consent, or one on
 * file), the identity check, the new card (tap, swipe or its printed number), an optional 6-digit member
 * password, the opening top-up with its bonus shown before confirming, then one confirmation that does it
 * all at once and prints the activation slip. What is collected lives in one reducer (activation/draft.ts).
 */
import { useReducer } from 'react';
import { ulid } from 'ulid';
import type { CommandInput } from '../../../electron/contract/index';
import {
  activationReducer,
  activationRequest,
  type DraftFields,
  EMPTY_DRAFT,
  hasIdNumber,
  readiness,
  STEPS,
} from '../activation/draft';
import { MemberStep } from '../activation/MemberStep';
import { useOpeningQuote } from '../activation/use-opening-quote';
import { call } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { Fact } from '../components/Fact';
import { TenderPicker } from '../components/TenderPicker';
import { useAction } from '../hooks/use-command';
import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/use-t';
import { checkResidentId } from '../members/identity';
import { canWriteAgain, ReadCard, WriteFailure } from '../members/ReadCard';
import { formatFen, parseYuan } from '../money';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { MARKETING_CONSENT, PasswordPair } from './MembersScreen';

export { PIPL_CONSENT } from '../activation/draft';

const ID_PROBLEM: Record<Exclude<ReturnType<typeof checkResidentId>, 'ok' | 'empty'>, MessageKey> = {
  format: 'activate.idFormat',
  checkDigit: 'activate.idCheckDigit',
  birthDate: 'activate.idBirthDate',
};

export function ActivationScreen() {
  const t = useT();
  const [draft, dispatch] = useReducer(activationReducer, EMPTY_DRAFT);
  const edit = (change: Partial<DraftFields>) => dispatch({ type: 'edit', change });
  const { step } = draft;
  const amountFen = parseYuan(draft.amountText);
  const idCheck = checkResidentId(draft.registration.idNumber);
  const { quote, failure: quoteFailure } = useOpeningQuote(
    amountFen,
    draft.mode === 'existing' ? (draft.existing?.memberId ?? null) : null,
  );
  // The request is kept with its answer, so writing the card again resends the same operation.
  const activation = useAction(async (request: CommandInput<'cards.activate'>) => {
    const answer = await call('cards.activate', request);
    dispatch({ type: 'done' });
    return { request, answer };
  });
  const submitting = activation.pending;
  const result = activation.result ?? null;
  const send = activation.run;
  const ready = readiness(draft, quote);

  const index = STEPS.indexOf(step as (typeof STEPS)[number]);
  const go = (next: (typeof STEPS)[number]) => {
    activation.reset();
    dispatch({ type: 'go', step: next, ...(next === 'confirm' ? { operationId: ulid() } : {}) });
  };
  const forward = () => {
    const next = STEPS[index + 1];
    if (next !== undefined && step !== 'done' && ready[step]) go(next);
  };
  const backward = () => {
    const previous = STEPS[index - 1];
    if (previous !== undefined && !submitting) go(previous);
  };
  const restart = () => {
    activation.reset();
    dispatch({ type: 'restart' });
  };
  const activate = () => {
    const { operationId } = draft;
    if (operationId === null) return;
    void send(activationRequest({ ...draft, operationId }, quote, MARKETING_CONSENT));
  };

  return (
    <main className="activation" data-testid="activation" data-step={step}>
      <ol className="activation-steps">
        {STEPS.map((name, position) => (
          <li
            key={name}
            className={name === step ? 'current' : position < index || step === 'done' ? 'done' : ''}
          >
            {t(`activate.step.${name}`)}
          </li>
        ))}
      </ol>
      <section className="dialog activation-step">
        <p className="prompt">{t(step === 'done' ? 'activate.prompt.done' : `activate.prompt.${step}`)}</p>
        {step === 'member' ? (
          <MemberStep
            mode={draft.mode}
            setMode={(mode) => edit({ mode })}
            registration={draft.registration}
            setRegistration={(registration) => edit({ registration })}
            existing={draft.existing}
            setExisting={(existing) => edit({ existing })}
            idProblem={idCheck === 'ok' || idCheck === 'empty' ? null : t(ID_PROBLEM[idCheck])}
          />
        ) : null}
        {step === 'identity' ? (
          hasIdNumber(draft) ? (
            <label className="check">
              <input
                type="checkbox"
                checked={draft.identityChecked}
                onChange={(event) => edit({ identityChecked: event.target.checked })}
              />
              {t('activate.identityChecked')}
            </label>
          ) : (
            <p className="muted">{t('activate.noIdNumber')}</p>
          )
        ) : null}
        {step === 'card' ? (
          <ReadCard value={draft.card} onChange={(card) => edit({ card })} testId="new-card" />
        ) : null}
        {step === 'password' ? (
          <PasswordPair
            password={draft.password}
            again={draft.again}
            setPassword={(password) => edit({ password })}
            setAgain={(again) => edit({ again })}
          />
        ) : null}
        {step === 'topUp' ? (
          <>
            <label className="field">
              {t('activate.amount')}
              <input
                inputMode="decimal"
                autoComplete="off"
                value={draft.amountText}
                onChange={(event) => edit({ amountText: event.target.value.replace(/[^0-9.]/g, '') })}
              />
            </label>
            {amountFen !== null ? (
              <p className="bonus">
                {quote === null
                  ? '…'
                  : quote.bonusFen > 0
                    ? `${t('topUp.bonus')} ${formatFen(quote.bonusFen)}（${quote.rule}）`
                    : t('topUp.noBonus')}
              </p>
            ) : null}
            <TenderPicker
              legend={t('topUp.tender')}
              value={draft.tender}
              onChange={(tender) => edit({ tender })}
            />
            {draft.tender !== 'cash' ? (
              <label className="field">
                {t('topUp.reference')}
                <input
                  value={draft.reference}
                  maxLength={64}
                  onChange={(event) => edit({ reference: event.target.value })}
                />
              </label>
            ) : null}
          </>
        ) : null}
        {step === 'confirm' ? (
          <dl className="facts">
            <Fact label={t('member.name')}>
              {draft.mode === 'existing' ? draft.existing?.name : draft.registration.name}
            </Fact>
            <Fact label={t('member.card')}>{draft.card.cardNumber}</Fact>
            <Fact label={t('members.password')}>
              {draft.password === '' ? t('members.passwordNone') : t('members.passwordSet')}
            </Fact>
            <Fact label={t('activate.amount')}>{amountFen === null ? '—' : formatFen(amountFen)}</Fact>
            <Fact label={t('topUp.bonus')} testId="summary-bonus">
              {quote === null ? '—' : formatFen(quote.bonusFen)}
            </Fact>
          </dl>
        ) : null}
        {step === 'done' && result !== null ? (
          <div className="activation-result" data-testid="activation-result">
            <output className="big-amount" aria-label={t('result.balance')}>
              {formatFen(result.answer.balance.totalFen)}
            </output>
            {result.answer.written !== null ? <p className="muted">{t('activate.written')}</p> : null}
            {result.answer.writeError !== null ? (
              <>
                <WriteFailure code={result.answer.writeError} testId="activation-write-failed" />
                {canWriteAgain(result.answer.writeError) ? (
                  <button
                    type="button"
                    className="secondary"
                    disabled={submitting}
                    onClick={() => void send(result.request)}
                  >
                    {t('activate.writeAgain')}
                  </button>
                ) : null}
              </>
            ) : null}
            <ReceiptPreview text={result.answer.receiptText} testId="activation-slip" />
          </div>
        ) : null}
        <ErrorNote failure={activation.failure ?? quoteFailure} />
        <div className="actions">
          {step === 'done' ? (
            <button type="button" className="primary" onClick={restart}>
              {t('activate.another')}
            </button>
          ) : (
            <>
              <button
                type="button"
                className="secondary"
                onClick={index === 0 ? restart : backward}
                disabled={submitting}
              >
                {index === 0 ? t('action.clear') : t('action.back')}
              </button>
              {step === 'confirm' ? (
                <button
                  type="button"
                  className="primary"
                  onClick={activate}
                  disabled={submitting}
                  aria-busy={submitting}
                  data-testid="activation-confirm"
                >
                  {t('activate.confirm')}
                </button>
              ) : (
                <button type="button" className="primary" onClick={forward} disabled={!ready[step]}>
                  {step === 'password' && draft.password === '' ? t('activate.skip') : t('activate.forward')}
                </button>
              )}
            </>
          )}
        </div>
      </section>
    </main>
  );
}
