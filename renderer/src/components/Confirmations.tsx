import { useState } from 'react';
import type { OperationLine } from '../../../electron/contract/index';
import { useT } from '../i18n/use-t';
import { changeDue, formatFen, parseYuan } from '../money';
import { useChargePoints } from '../store/charge-points';
import { useCounter } from '../store/counter';
import { ErrorNote } from './ErrorNote';
import { KeyedApproval, keyedApprovalReady } from './KeyedApproval';
import { CashChange, WhoAndAfter } from './PayingFacts';
import { PointsRedeem } from './PointsRedeem';
import { PayCodeScanned, SplitRest } from './SplitRest';
import { TenderPicker } from './TenderPicker';

function Actions(props: { onConfirm?: () => void; confirmDisabled?: boolean }) {
  const t = useT();
  const { back, submitting } = useCounter();
  return (
    <div className="actions">
      <button type="button" className="secondary" onClick={back} disabled={submitting}>
        {t('action.cancel')}
      </button>
      {/* Without an onConfirm the button submits its form, so Enter in any of the form's fields confirms. */}
      <button
        type={props.onConfirm === undefined ? 'submit' : 'button'}
        className="primary"
        onClick={props.onConfirm}
        disabled={props.confirmDisabled === true}
        aria-busy={submitting}
        data-testid="confirm"
      >
        {t('action.confirm')}
      </button>
    </div>
  );
}

export function TopUpConfirm() {
  const t = useT();
  const { draft, error, setTender, setReference, setCashReceived, confirm, card } = useCounter();
  if (draft === null || card === null) return null;
  const needsReference = draft.tender !== 'cash';
  // The quote was refused (an amount over a limit): the bonus line says so and nothing can be confirmed.
  const quoteFailed = draft.bonus === null && error !== null;
  const short = draft.tender === 'cash' && (changeDue(draft.cashReceived, draft.amountFen) ?? 0) < 0;
  return (
    <section className="dialog" aria-label={t('topUp.title')} data-testid="top-up-confirm">
      <h2>{t('topUp.title')}</h2>
      <output className="big-amount" aria-label={t('amount.label')}>
        {formatFen(draft.amountFen)}
      </output>
      {/* The bonus arrives with the quote a moment after the dialog opens: a screen reader says it then. */}
      <output className="bonus" aria-label={t('topUp.bonus')} data-testid="bonus-preview">
        {draft.bonus === null
          ? quoteFailed
            ? '—'
            : '…'
          : draft.bonus.bonusFen > 0
            ? `${t('topUp.bonus')} ${formatFen(draft.bonus.bonusFen)}（${draft.bonus.rule}）`
            : t('topUp.noBonus')}
      </output>
      <WhoAndAfter
        card={card}
        afterFen={
          draft.bonus === null ? null : card.balance.totalFen + draft.amountFen + draft.bonus.bonusFen
        }
      />
      <TenderPicker legend={t('topUp.tender')} value={draft.tender} onChange={setTender} keys />
      <PayCodeScanned />
      {needsReference ? (
        <label className="field">
          {t('topUp.reference')}
          <input
            value={draft.reference}
            onChange={(event) => setReference(event.target.value)}
            placeholder={t('topUp.referenceHint')}
            maxLength={64}
          />
        </label>
      ) : (
        <CashChange
          dueFen={draft.amountFen}
          received={draft.cashReceived}
          onChange={setCashReceived}
          onEnter={() => void confirm()}
        />
      )}
      <ErrorNote failure={error} availableFen={card.balance.totalFen} />
      <Actions
        onConfirm={() => void confirm()}
        confirmDisabled={quoteFailed || short || (needsReference && draft.reference.trim() === '')}
      />
    </section>
  );
}

export function ChargeConfirm() {
  const t = useT();
  const { draft, error, confirm, card, setMemberPassword, setKeyedApproval } = useCounter();
  const split = useCounter((state) => state.setRestTender);
  const { quote, operationId: quoted } = useChargePoints();
  if (draft === null || card === null) return null;
  // With the tier discount and points the card pays less than the amount typed; the quote says how much.
  const pays = quote !== null && quoted === draft.operationId ? quote.chargedFen : draft.amountFen;
  const after = card.balance.totalFen - pays;
  const needsPassword = card.member.hasPassword;
  const restReady =
    after >= 0 ||
    draft.restTender === null ||
    (draft.restTender === 'cash'
      ? (changeDue(draft.cashReceived, -after) ?? 0) >= 0
      : draft.reference.trim() !== '');
  const ready =
    (!needsPassword || draft.memberPassword.length === 6) &&
    keyedApprovalReady(draft.keyedApproval) &&
    restReady;
  return (
    <form
      aria-label={t('charge.title')}
      className="dialog"
      data-testid="charge-confirm"
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) void confirm();
      }}
    >
      <h2>{t('charge.title')}</h2>
      <output className="big-amount" aria-label={t('amount.label')}>
        {formatFen(draft.amountFen)}
      </output>
      <WhoAndAfter card={card} afterFen={after} afterLabel={t('charge.after')} />
      {after < 0 ? <SplitRest draft={draft} restFen={-after} card={card} onTender={split} /> : null}
      {needsPassword ? (
        <label className="field">
          {t('charge.memberPassword')}
          <input
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={6}
            value={draft.memberPassword}
            onChange={(event) => setMemberPassword(event.target.value.replace(/\D/g, '').slice(0, 6))}
          />
        </label>
      ) : null}
      <PointsRedeem operationId={draft.operationId} cardId={card.card.id} amountFen={draft.amountFen} />
      {draft.keyedApproval === null ? null : (
        <KeyedApproval approval={draft.keyedApproval} onChange={setKeyedApproval} />
      )}
      <ErrorNote failure={error} availableFen={card.balance.totalFen} />
      <Actions confirmDisabled={!ready} />
    </form>
  );
}

/** A manager's number and PIN typed at the counter; `ready` once both look complete. */
function useManagerPin() {
  const [staffNo, setStaffNo] = useState('');
  const [pin, setPin] = useState('');
  const ready = /^[0-9]{3,8}$/.test(staffNo) && /^[0-9]{4,8}$/.test(pin);
  const t = useT();
  const fields = (
    <>
      <label className="field">
        {t('void.approverNo')}
        <input
          inputMode="numeric"
          autoComplete="off"
          value={staffNo}
          onChange={(event) => setStaffNo(event.target.value.replace(/\D/g, ''))}
        />
      </label>
      <label className="field">
        {t('void.approverPin')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(event) => setPin(event.target.value.replace(/\D/g, ''))}
        />
      </label>
    </>
  );
  return { approver: ready ? { staffNo, pin } : null, fields };
}

/** What the card holds once an operation is voided: a top-up's or a refund's money leaves, a spend's returns. */
function afterVoid(totalFen: number, target: OperationLine): number | null {
  const moved = target.principalFen + target.bonusFen;
  if (target.kind === 'top_up' || target.kind === 'refund') return totalFen - moved;
  if (target.kind === 'spend' || target.kind === 'withdraw' || target.kind === 'points_redeem')
    return totalFen + moved;
  return null;
}

export function VoidConfirm() {
  const t = useT();
  const { error, confirmVoid, recent, card } = useCounter();
  const { approver, fields } = useManagerPin();
  const target = recent.find((line) => line.kind !== 'void' && !line.voided);
  if (target === undefined) return null;
  const submit = () => {
    if (approver !== null) void confirmVoid(approver);
  };
  return (
    <form
      aria-label={t('void.title')}
      className="dialog"
      data-testid="void-confirm"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2>{t('void.title')}</h2>
      <p className="big-amount">
        {t(`kind.${target.kind}`)} {formatFen(target.amountFen)}
      </p>
      {card === null ? null : <WhoAndAfter card={card} afterFen={afterVoid(card.balance.totalFen, target)} />}
      {fields}
      <ErrorNote failure={error} availableFen={card?.balance.totalFen} />
      <Actions confirmDisabled={approver === null} />
    </form>
  );
}

/** Refund of a charge, or part of it, back to the card: the amount defaults to what is left to refund. */
export function RefundConfirm() {
  const t = useT();
  const { error, confirmRefund, refundTarget, card } = useCounter();
  const { approver, fields } = useManagerPin();
  const [amountText, setAmountText] = useState(
    refundTarget === null ? '' : (refundTarget.amountFen / 100).toFixed(2),
  );
  if (refundTarget === null || card === null) return null;
  const amountFen = parseYuan(amountText);
  const ready = approver !== null && amountFen !== null && amountFen <= refundTarget.amountFen;
  return (
    <form
      aria-label={t('chargeRefund.title')}
      className="dialog"
      data-testid="refund-confirm"
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) void confirmRefund(amountFen, approver);
      }}
    >
      <h2>{t('chargeRefund.title')}</h2>
      <p>{t('chargeRefund.original', { amount: formatFen(refundTarget.amountFen) })}</p>
      <WhoAndAfter card={card} afterFen={amountFen === null ? null : card.balance.totalFen + amountFen} />
      <label className="field">
        {t('chargeRefund.amount')}
        <input
          inputMode="decimal"
          autoComplete="off"
          value={amountText}
          onChange={(event) => setAmountText(event.target.value.replace(/[^0-9.]/g, ''))}
        />
      </label>
      <p className="muted">{t('chargeRefund.proportion')}</p>
      {fields}
      <ErrorNote failure={error} availableFen={card.balance.totalFen} />
      <Actions confirmDisabled={!ready} />
    </form>
  );
}

/** 提现: principal the member asks for is paid out (bonus never is), with a manager's PIN. */
export function WithdrawConfirm() {
  const t = useT();
  const { error, confirmWithdraw, draft, card } = useCounter();
  const { approver, fields } = useManagerPin();
  if (draft === null || card === null) return null;
  const ready = approver !== null && draft.amountFen <= card.balance.principalFen;
  return (
    <form
      aria-label={t('withdraw.title')}
      className="dialog"
      data-testid="withdraw-confirm"
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) void confirmWithdraw(approver);
      }}
    >
      <h2>{t('withdraw.title')}</h2>
      <p className="big-amount">{formatFen(draft.amountFen)}</p>
      <WhoAndAfter card={card} afterFen={ready ? card.balance.totalFen - draft.amountFen : null} />
      <dl className="facts">
        <dt>{t('member.principal')}</dt>
        <dd>{formatFen(card.balance.principalFen)}</dd>
        {ready ? (
          <>
            <dt>{t('withdraw.principalAfter')}</dt>
            <dd>{formatFen(card.balance.principalFen - draft.amountFen)}</dd>
          </>
        ) : null}
      </dl>
      {draft.amountFen > card.balance.principalFen ? (
        <p className="error-note" role="alert">
          {t('withdraw.tooMuch', { principal: formatFen(card.balance.principalFen) })}
        </p>
      ) : null}
      <p className="muted">{t('withdraw.cashOnly')}</p>
      {fields}
      <ErrorNote failure={error} availableFen={card.balance.principalFen} />
      <Actions confirmDisabled={!ready} />
    </form>
  );
}
