/**
 * What can be done to one card from the member's profile: freeze and unfreeze (manager), report it lost,
 * replace it (the whole balance moves to the new card; a manager approves), close it (the arithmetic is
 * shown before confirming: principal paid back, bonus forfeited), and read its statement for a period.
 */

import { useEffect, useState } from 'react';
import { ulid } from 'ulid';
import type { CloseQuote, MemberCard, StatementLineView, Tender } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { Fact } from '../components/Fact';
import { TenderPicker } from '../components/TenderPicker';
import { useAction } from '../hooks/use-command';
import { MESSAGES, type MessageKey } from '../i18n/messages';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { useApp } from '../store/app';
import { ApproverFields, approverInput, NO_APPROVER, useIsManager } from './Approver';
import { cardRequest, EMPTY_CARD, isCardReady, type NewCard, ReadCard, WriteFailure } from './ReadCard';

type Action = 'replace' | 'close' | 'statement' | null;

function Slip({ text }: { text: string }) {
  return <ReceiptPreview text={text} testId="card-slip" small />;
}

export function CardActions({ card, onChanged }: { card: MemberCard; onChanged: () => void }) {
  const t = useT();
  const permissions = useApp((state) => state.session?.permissions ?? []);
  const [action, setAction] = useState<Action>(null);
  // Every change to the card goes through one action, so one is out at a time and the profile reloads after.
  const change = useAction(async (work: () => Promise<unknown>) => {
    await work();
    onChanged();
  });
  const busy = change.pending;
  const run = change.run;
  const [slip, setSlip] = useState<string | null>(null);
  const canManage = permissions.includes('cards.manage');
  const canActivate = permissions.includes('cards.activate');
  const live = card.state === 'active' || card.state === 'frozen' || card.state === 'lost';

  const open = (next: Action) => {
    setAction(action === next ? null : next);
    change.reset();
    setSlip(null);
  };

  return (
    <div className="card-actions" data-testid={`card-actions-${card.cardNumber}`}>
      <div className="actions">
        {canManage && card.state === 'active' ? (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void run(() => call('cards.freeze', { operationId: ulid(), cardId: card.id }))}
            data-testid="card-freeze"
          >
            {t('card.freeze')}
          </button>
        ) : null}
        {canManage && card.state === 'frozen' ? (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void run(() => call('cards.unfreeze', { operationId: ulid(), cardId: card.id }))}
            data-testid="card-unfreeze"
          >
            {t('card.unfreeze')}
          </button>
        ) : null}
        {canActivate && (card.state === 'active' || card.state === 'frozen') ? (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void run(() => call('cards.reportLost', { operationId: ulid(), cardId: card.id }))}
            data-testid="card-lost"
          >
            {t('card.reportLost')}
          </button>
        ) : null}
        {canActivate && live ? (
          <button
            type="button"
            className="secondary"
            onClick={() => open('replace')}
            data-testid="card-replace"
          >
            {t('card.replace')}
          </button>
        ) : null}
        {canManage && live ? (
          <button type="button" className="secondary" onClick={() => open('close')} data-testid="card-close">
            {t('card.close')}
          </button>
        ) : null}
        <button
          type="button"
          className="secondary"
          onClick={() => open('statement')}
          data-testid="card-statement"
        >
          {t('card.statement')}
        </button>
      </div>
      <ErrorNote failure={change.failure} />
      {action === 'replace' ? (
        <ReplaceCard card={card} busy={busy} run={run} onSlip={setSlip} slip={slip} />
      ) : null}
      {action === 'close' ? (
        <CloseCard card={card} busy={busy} run={run} onSlip={setSlip} slip={slip} />
      ) : null}
      {action === 'statement' ? <Statement card={card} /> : null}
    </div>
  );
}

interface StepProps {
  card: MemberCard;
  busy: boolean;
  run: (work: () => Promise<unknown>) => Promise<unknown>;
  slip: string | null;
  onSlip: (text: string) => void;
}

function ReplaceCard({ card, busy, run, slip, onSlip }: StepProps) {
  const t = useT();
  const isManager = useIsManager();
  const [newCard, setNewCard] = useState<NewCard>(EMPTY_CARD);
  const [approver, setApprover] = useState(NO_APPROVER);
  // One id for this replacement, however often the button is pressed.
  const [operationId] = useState(ulid);
  const [writeError, setWriteError] = useState<string | null>(null);
  if (slip !== null) {
    return (
      <>
        {writeError !== null ? <WriteFailure code={writeError} testId="replace-write-failed" /> : null}
        <Slip text={slip} />
      </>
    );
  }
  const typed = approverInput(isManager, approver);
  return (
    <form
      className="dialog"
      aria-label={t('card.replaceTitle')}
      data-testid="replace-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!isCardReady(newCard) || typed === null) return;
        void run(async () => {
          const result = await call('cards.replace', {
            operationId,
            oldCardId: card.id,
            newCard: cardRequest(newCard),
            ...(typed === undefined ? {} : { approver: typed }),
          });
          setWriteError(result.writeError);
          onSlip(result.receiptText);
        });
      }}
    >
      <h3>{t('card.replaceTitle')}</h3>
      <p className="muted">
        {t('card.replaceMoves', {
          principal: formatFen(card.balance.principalFen),
          bonus: formatFen(card.balance.bonusFen),
          points: String(card.balance.points),
        })}
      </p>
      <ReadCard value={newCard} onChange={setNewCard} testId="replace-card" />
      <ApproverFields value={approver} onChange={setApprover} />
      <button
        type="submit"
        className="primary"
        disabled={busy || !isCardReady(newCard) || typed === null}
        data-testid="replace-confirm"
      >
        {t('action.confirm')}
      </button>
    </form>
  );
}

function CloseCard({ card, busy, run, slip, onSlip }: StepProps) {
  const t = useT();
  const [quote, setQuote] = useState<CloseQuote | null>(null);
  const [error, setError] = useState<PosFailure | null>(null);
  const [tender, setTender] = useState<Tender>('cash');
  const [reference, setReference] = useState('');
  const [operationId] = useState(ulid);
  // Points are lost with the card: the member's agreement is asked for, never assumed.
  const [pointsAgreed, setPointsAgreed] = useState(false);

  useEffect(() => {
    call('cards.quoteClose', { cardId: card.id })
      .then(setQuote)
      .catch((failure) => setError(asFailure(failure)));
  }, [card.id]);

  if (slip !== null) return <Slip text={slip} />;
  if (quote === null) return <ErrorNote failure={error} />;
  const needsReference = tender !== 'cash' && quote.refundFen > 0;
  const pointsPending = quote.forfeitPoints > 0 && !pointsAgreed;
  const blocked = quote.blockedBy !== null || pointsPending || (needsReference && reference.trim() === '');
  return (
    <form
      className="dialog"
      aria-label={t('card.closeTitle')}
      data-testid="close-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (blocked) return;
        void run(async () => {
          try {
            const result = await call('cards.close', {
              operationId,
              cardId: card.id,
              tender,
              ...(tender === 'cash' ? {} : { reference: reference.trim() || '-' }),
              ...(quote.forfeitPoints > 0 ? { forfeitPoints: true as const } : {}),
            });
            onSlip(result.receiptText);
          } catch (failure) {
            // Points earned since the quote: show the new count and ask again.
            const refused = asFailure(failure);
            const points = refused.details.points;
            if (refused.code === 'CARD_HAS_POINTS' && typeof points === 'number') {
              setQuote({ ...quote, points, forfeitPoints: points });
              setPointsAgreed(false);
            }
            throw failure;
          }
        });
      }}
    >
      <h3>{t('card.closeTitle')}</h3>
      <dl className="facts close-arithmetic">
        <Fact label={t('member.principal')} testId="close-principal">
          {formatFen(quote.principalFen)}
        </Fact>
        <Fact label={t('member.bonus')} testId="close-bonus">
          {formatFen(quote.bonusFen)}
        </Fact>
        <Fact label={t('card.closeRefund')} testId="close-refund">
          {formatFen(quote.refundFen)}
        </Fact>
        <Fact label={t('card.closeForfeit')} testId="close-forfeit">
          {formatFen(quote.forfeitFen)}
        </Fact>
        {quote.forfeitPoints > 0 ? (
          <Fact label={t('card.closeForfeitPoints')} testId="close-points">
            {quote.forfeitPoints}
          </Fact>
        ) : null}
      </dl>
      {quote.blockedBy !== null ? (
        <p className="error-note" role="alert" data-code={quote.blockedBy}>
          {t('card.closeNotPossible')}
        </p>
      ) : null}
      {quote.blockedBy === null && quote.forfeitPoints > 0 ? (
        <label className="check" data-code="CARD_HAS_POINTS">
          <input
            type="checkbox"
            checked={pointsAgreed}
            data-testid="close-points-agree"
            onChange={(event) => setPointsAgreed(event.target.checked)}
          />
          {t('card.closeHasPoints', { points: String(quote.forfeitPoints) })}
        </label>
      ) : null}
      <TenderPicker legend={t('card.closeTender')} value={tender} onChange={setTender} />
      {needsReference ? (
        <label className="field">
          {t('topUp.reference')}
          <input value={reference} maxLength={64} onChange={(event) => setReference(event.target.value)} />
        </label>
      ) : null}
      <button type="submit" className="primary danger" disabled={busy || blocked} data-testid="close-confirm">
        {t('card.closeConfirm')}
      </button>
    </form>
  );
}

/** An operation kind in words, or as itself when it has none yet. */
function kindKey(kind: string): MessageKey | null {
  const key = `kind.${kind}`;
  return key in MESSAGES['zh-CN'] ? (key as MessageKey) : null;
}

function dayInput(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function Statement({ card }: { card: MemberCard }) {
  const t = useT();
  const [from, setFrom] = useState(() => dayInput(Date.now() - 30 * 86_400_000));
  const [to, setTo] = useState(() => dayInput(Date.now()));
  const [lines, setLines] = useState<StatementLineView[] | null>(null);
  const [printed, setPrinted] = useState(false);
  const [error, setError] = useState<PosFailure | null>(null);

  /** Reads the period's lines; with `print`, also queues the statement on the receipt printer. */
  const load = (print = false) => {
    const start = Date.parse(`${from}T00:00:00`);
    const end = Date.parse(`${to}T23:59:59.999`);
    if (!Number.isFinite(start) || !Number.isFinite(end) || start > end) return;
    setPrinted(false);
    call('members.statement', { cardId: card.id, from: start, to: end, ...(print ? { print: true } : {}) })
      .then((answer) => {
        setLines(answer.lines);
        setPrinted(print);
        setError(null);
      })
      .catch((failure) => setError(asFailure(failure)));
  };

  return (
    <div className="statement" data-testid="statement">
      <div className="statement-period">
        <label className="field">
          {t('card.from')}
          <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
        </label>
        <label className="field">
          {t('card.to')}
          <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
        </label>
        <button type="button" className="secondary" onClick={() => load()} data-testid="statement-load">
          {t('card.statementLoad')}
        </button>
        <button type="button" className="secondary" onClick={() => load(true)} data-testid="statement-print">
          {t('card.statementPrint')}
        </button>
      </div>
      {printed ? (
        <p className="muted" role="status" data-testid="statement-printed">
          {t('card.statementPrinted')}
        </p>
      ) : null}
      <ErrorNote failure={error} />
      {lines === null ? null : lines.length === 0 ? (
        <p className="muted">{t('card.statementEmpty')}</p>
      ) : (
        <table className="statement-lines">
          <thead>
            <tr>
              <th>{t('card.when')}</th>
              <th>{t('card.what')}</th>
              <th>{t('member.principal')}</th>
              <th>{t('member.bonus')}</th>
              <th>{t('member.total')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.operationId} data-testid="statement-line">
                <td>{new Date(line.at).toLocaleString()}</td>
                <td>
                  {line.memo ??
                    (kindKey(line.kind) === null ? line.kind : t(kindKey(line.kind) as MessageKey))}
                </td>
                <td>{formatFen(line.principalDeltaFen)}</td>
                <td>{formatFen(line.bonusDeltaFen)}</td>
                <td>{formatFen(line.balance.totalFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
