/**
 * Activating a card (开卡), one step at a time with a prompt at each: the member (new, with consent, or one on
 * file), the identity check, the new card (tap, swipe or its printed number), an optional 6-digit member
 * password, the opening top-up with its bonus shown before confirming, then one confirmation that does it
 * all at once and prints the activation slip.
 */

import { useEffect, useState } from 'react';
import { ulid } from 'ulid';
import type {
  CommandInput,
  CommandOutput,
  MemberHitView,
  Tender,
  TopUpQuote,
} from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { TenderPicker } from '../components/TenderPicker';
import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/use-t';
import { checkResidentId, isAcceptablePassword, isMobile } from '../members/identity';
import {
  canWriteAgain,
  cardRequest,
  EMPTY_CARD,
  isCardReady,
  type NewCard,
  ReadCard,
  WriteFailure,
} from '../members/ReadCard';
import { formatFen, parseYuan } from '../money';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { MARKETING_CONSENT, PasswordPair } from './MembersScreen';

/** The personal-data notice the member agrees to, by version (PIPL). */
export const PIPL_CONSENT = {
  purpose: '会员储值卡服务：登记、充值、消费、对账与客服',
  version: 'pipl-2026-01',
};

const STEPS = ['member', 'identity', 'card', 'password', 'topUp', 'confirm'] as const;
type Step = (typeof STEPS)[number] | 'done';

interface Registration {
  name: string;
  phone: string;
  idNumber: string;
  consent: boolean;
  marketing: boolean;
}

const EMPTY_REGISTRATION: Registration = {
  name: '',
  phone: '',
  idNumber: '',
  consent: false,
  marketing: false,
};

type Existing = { memberId: string; name: string; phoneMasked: string | null; hasIdNumber: boolean };

const ID_PROBLEM: Record<Exclude<ReturnType<typeof checkResidentId>, 'ok' | 'empty'>, MessageKey> = {
  format: 'activate.idFormat',
  checkDigit: 'activate.idCheckDigit',
  birthDate: 'activate.idBirthDate',
};

export function ActivationScreen() {
  const t = useT();
  const [step, setStep] = useState<Step>('member');
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const [registration, setRegistration] = useState(EMPTY_REGISTRATION);
  const [existing, setExisting] = useState<Existing | null>(null);
  const [identityChecked, setIdentityChecked] = useState(false);
  const [card, setCard] = useState<NewCard>(EMPTY_CARD);
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [amountText, setAmountText] = useState('');
  const [tender, setTender] = useState<Tender>('cash');
  const [reference, setReference] = useState('');
  const [quote, setQuote] = useState<(TopUpQuote & { rule: string }) | null>(null);
  const [operationId, setOperationId] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [result, setResult] = useState<CommandOutput<'cards.activate'> | null>(null);
  const [error, setError] = useState<PosFailure | null>(null);

  const amountFen = parseYuan(amountText);
  const idCheck = checkResidentId(registration.idNumber);
  const hasIdNumber = mode === 'new' ? idCheck !== 'empty' : existing?.hasIdNumber === true;

  // The bonus of the opening top-up, asked again whenever the amount changes.
  useEffect(() => {
    setQuote(null);
    if (amountFen === null) return;
    let current = true;
    call('cards.previewActivation', {
      amountFen,
      ...(mode === 'existing' && existing !== null ? { memberId: existing.memberId } : {}),
    })
      .then((answer) => {
        if (current) setQuote(answer);
      })
      .catch((failure) => {
        if (current) setError(asFailure(failure));
      });
    return () => {
      current = false;
    };
  }, [amountFen, mode, existing]);

  const memberReady =
    mode === 'new'
      ? registration.name.trim() !== '' &&
        isMobile(registration.phone) &&
        registration.consent &&
        (idCheck === 'ok' || idCheck === 'empty')
      : existing !== null;
  const passwordReady = password === '' ? again === '' : isAcceptablePassword(password) && password === again;
  const topUpReady =
    amountText === '' ||
    (amountFen !== null && quote !== null && (tender === 'cash' || reference.trim() !== ''));
  const ready: Record<(typeof STEPS)[number], boolean> = {
    member: memberReady,
    identity: !hasIdNumber || identityChecked,
    card: isCardReady(card),
    password: passwordReady,
    topUp: topUpReady,
    confirm: !submitting,
  };

  const go = (next: Step) => {
    setError(null);
    if (next === 'confirm') setOperationId(ulid());
    setStep(next);
  };
  const index = STEPS.indexOf(step as (typeof STEPS)[number]);
  const forward = () => {
    const next = STEPS[index + 1];
    if (next !== undefined && ready[step as (typeof STEPS)[number]]) go(next);
  };
  const backward = () => {
    const previous = STEPS[index - 1];
    if (previous !== undefined && !submitting) go(previous);
  };
  const restart = () => {
    setStep('member');
    setRegistration(EMPTY_REGISTRATION);
    setExisting(null);
    setIdentityChecked(false);
    setCard(EMPTY_CARD);
    setPassword('');
    setAgain('');
    setAmountText('');
    setTender('cash');
    setReference('');
    setResult(null);
    setSent(null);
    setError(null);
    setOperationId(null);
  };

  const [sent, setSent] = useState<CommandInput<'cards.activate'> | null>(null);

  const send = async (request: CommandInput<'cards.activate'>) => {
    setSubmitting(true);
    setError(null);
    try {
      const answer = await call('cards.activate', request);
      setSent(request);
      setResult(answer);
      setStep('done');
    } catch (failure) {
      setError(asFailure(failure));
    } finally {
      setSubmitting(false);
    }
  };

  const activate = async () => {
    if (operationId === null || submitting) return;
    await send({
      operationId,
      member:
        mode === 'existing' && existing !== null
          ? { memberId: existing.memberId }
          : {
              register: {
                name: registration.name.trim(),
                phone: registration.phone.trim(),
                ...(idCheck === 'ok' ? { idNumber: registration.idNumber.trim().toUpperCase() } : {}),
                consent: PIPL_CONSENT,
                marketing: { ...MARKETING_CONSENT, granted: registration.marketing },
              },
            },
      identityChecked,
      card: cardRequest(card),
      ...(password === '' ? {} : { password }),
      ...(amountFen === null
        ? {}
        : {
            openingTopUp: {
              amountFen,
              tender,
              ...(tender === 'cash' ? {} : { reference: reference.trim() }),
              ...(quote === null
                ? {}
                : {
                    quote: {
                      ruleId: quote.ruleId,
                      ruleVersion: quote.ruleVersion,
                      bonusFen: quote.bonusFen,
                      points: quote.points,
                    },
                  }),
            },
          }),
    });
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
        <p className="prompt" data-testid="activation-prompt">
          {t(step === 'done' ? 'activate.prompt.done' : `activate.prompt.${step}`)}
        </p>
        {step === 'member' ? (
          <MemberStep
            mode={mode}
            setMode={setMode}
            registration={registration}
            setRegistration={setRegistration}
            existing={existing}
            setExisting={setExisting}
            idProblem={idCheck === 'ok' || idCheck === 'empty' ? null : t(ID_PROBLEM[idCheck])}
          />
        ) : null}
        {step === 'identity' ? (
          hasIdNumber ? (
            <label className="check">
              <input
                type="checkbox"
                checked={identityChecked}
                onChange={(event) => setIdentityChecked(event.target.checked)}
                data-testid="identity-checked"
              />
              {t('activate.identityChecked')}
            </label>
          ) : (
            <p className="muted">{t('activate.noIdNumber')}</p>
          )
        ) : null}
        {step === 'card' ? <ReadCard value={card} onChange={setCard} testId="new-card" /> : null}
        {step === 'password' ? (
          <PasswordPair password={password} again={again} setPassword={setPassword} setAgain={setAgain} />
        ) : null}
        {step === 'topUp' ? (
          <>
            <label className="field">
              {t('activate.amount')}
              <input
                inputMode="decimal"
                autoComplete="off"
                value={amountText}
                onChange={(event) => setAmountText(event.target.value.replace(/[^0-9.]/g, ''))}
                data-testid="opening-amount"
              />
            </label>
            {amountFen !== null ? (
              <p className="bonus" data-testid="opening-bonus">
                {quote === null
                  ? '…'
                  : quote.bonusFen > 0
                    ? `${t('topUp.bonus')} ${formatFen(quote.bonusFen)}（${quote.rule}）`
                    : t('topUp.noBonus')}
              </p>
            ) : null}
            <TenderPicker legend={t('topUp.tender')} value={tender} onChange={setTender} />
            {tender !== 'cash' ? (
              <label className="field">
                {t('topUp.reference')}
                <input
                  value={reference}
                  maxLength={64}
                  onChange={(event) => setReference(event.target.value)}
                  data-testid="opening-reference"
                />
              </label>
            ) : null}
          </>
        ) : null}
        {step === 'confirm' ? (
          <dl className="facts" data-testid="activation-summary">
            <dt>{t('member.name')}</dt>
            <dd>{mode === 'existing' ? existing?.name : registration.name}</dd>
            <dt>{t('member.card')}</dt>
            <dd>{card.cardNumber}</dd>
            <dt>{t('members.password')}</dt>
            <dd>{password === '' ? t('members.passwordNone') : t('members.passwordSet')}</dd>
            <dt>{t('activate.amount')}</dt>
            <dd>{amountFen === null ? '—' : formatFen(amountFen)}</dd>
            <dt>{t('topUp.bonus')}</dt>
            <dd data-testid="summary-bonus">{quote === null ? '—' : formatFen(quote.bonusFen)}</dd>
          </dl>
        ) : null}
        {step === 'done' && result !== null ? (
          <div className="activation-result" data-testid="activation-result">
            <p className="big-amount" data-testid="activation-balance">
              {formatFen(result.balance.totalFen)}
            </p>
            {result.written !== null ? (
              <p className="muted" data-testid="activation-written">
                {t('activate.written')}
              </p>
            ) : null}
            {result.writeError !== null ? (
              <>
                <WriteFailure code={result.writeError} testId="activation-write-failed" />
                {canWriteAgain(result.writeError) ? (
                  <button
                    type="button"
                    className="secondary"
                    disabled={submitting || sent === null}
                    onClick={() => {
                      if (sent !== null) void send(sent);
                    }}
                    data-testid="activation-write-again"
                  >
                    {t('activate.writeAgain')}
                  </button>
                ) : null}
              </>
            ) : null}
            <ReceiptPreview text={result.receiptText} testId="activation-slip" />
          </div>
        ) : null}
        <ErrorNote failure={error} />
        <div className="actions">
          {step === 'done' ? (
            <button type="button" className="primary" onClick={restart} data-testid="activation-next">
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
                  onClick={() => void activate()}
                  disabled={submitting}
                  aria-busy={submitting}
                  data-testid="activation-confirm"
                >
                  {t('activate.confirm')}
                </button>
              ) : (
                <button
                  type="button"
                  className="primary"
                  onClick={forward}
                  disabled={!ready[step]}
                  data-testid="activation-forward"
                >
                  {step === 'password' && password === '' ? t('activate.skip') : t('activate.forward')}
                </button>
              )}
            </>
          )}
        </div>
      </section>
    </main>
  );
}

function MemberStep(props: {
  mode: 'new' | 'existing';
  setMode: (mode: 'new' | 'existing') => void;
  registration: Registration;
  setRegistration: (value: Registration) => void;
  existing: Existing | null;
  setExisting: (value: Existing | null) => void;
  idProblem: string | null;
}) {
  const t = useT();
  const { registration, setRegistration } = props;
  const [text, setText] = useState('');
  const [hits, setHits] = useState<MemberHitView[]>([]);
  const [error, setError] = useState<PosFailure | null>(null);
  const field = (key: 'name' | 'phone' | 'idNumber', label: MessageKey, testId: string) => (
    <label className="field">
      {t(label)}
      <input
        autoComplete="off"
        value={registration[key]}
        onChange={(event) => setRegistration({ ...registration, [key]: event.target.value })}
        data-testid={testId}
      />
    </label>
  );
  const choose = async (hit: MemberHitView) => {
    try {
      const profile = await call('members.get', { memberId: hit.memberId });
      props.setExisting({
        memberId: profile.id,
        name: profile.name,
        phoneMasked: hit.phoneMasked,
        hasIdNumber: profile.idNumber !== null,
      });
    } catch (failure) {
      setError(asFailure(failure));
    }
  };
  return (
    <>
      <div className="segmented">
        <button
          type="button"
          className={props.mode === 'new' ? 'tender selected' : 'tender'}
          onClick={() => props.setMode('new')}
          data-testid="member-new"
        >
          {t('activate.newMember')}
        </button>
        <button
          type="button"
          className={props.mode === 'existing' ? 'tender selected' : 'tender'}
          onClick={() => props.setMode('existing')}
          data-testid="member-existing"
        >
          {t('activate.existingMember')}
        </button>
      </div>
      {props.mode === 'new' ? (
        <>
          {field('name', 'members.name', 'reg-name')}
          {field('phone', 'member.phone', 'reg-phone')}
          {field('idNumber', 'members.idNumberOptional', 'reg-id-number')}
          {props.idProblem !== null ? (
            <p className="error-note" data-testid="id-problem">
              {props.idProblem}
            </p>
          ) : null}
          <p className="consent-text">{t('activate.consentText', { version: PIPL_CONSENT.version })}</p>
          <label className="check">
            <input
              type="checkbox"
              checked={registration.consent}
              onChange={(event) => setRegistration({ ...registration, consent: event.target.checked })}
              data-testid="reg-consent"
            />
            {t('activate.consent')}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={registration.marketing}
              onChange={(event) => setRegistration({ ...registration, marketing: event.target.checked })}
              data-testid="reg-marketing"
            />
            {t('activate.marketing')}
          </label>
        </>
      ) : (
        <>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (text.trim() === '') return;
              call('members.search', { text: text.trim() })
                .then(setHits)
                .catch((failure) => setError(asFailure(failure)));
            }}
          >
            <label className="field">
              {t('members.searchHint')}
              <input
                value={text}
                onChange={(event) => setText(event.target.value)}
                data-testid="existing-search"
              />
            </label>
          </form>
          <ul className="member-hits">
            {hits.map((hit) => (
              <li key={hit.memberId}>
                <button
                  type="button"
                  className={props.existing?.memberId === hit.memberId ? 'member-hit selected' : 'member-hit'}
                  onClick={() => void choose(hit)}
                  data-testid="existing-hit"
                >
                  <span className="hit-name">{hit.name}</span>
                  <span className="muted">{hit.phoneMasked ?? '—'}</span>
                </button>
              </li>
            ))}
          </ul>
          <ErrorNote failure={error} />
        </>
      )}
    </>
  );
}
