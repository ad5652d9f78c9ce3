/**
 * The cashier's shift (交接班): open the drawer with a float counted by denomination, put cash in or take it out
 * with a reason, and close with a blind count — the expected figure appears only once the count is stored —
 * then expected against counted, the variance with its reason, and a manager's PIN to sign it off. A drawer
 * left for the next cashier is taken over by counting it.
 */

import { useEffect, useState } from 'react';
import { ulid } from 'ulid';
import type { ShiftStatus } from '../../../electron/contract/index';
import { call } from '../api/client';
import { CashCount, countOf, type Pieces, totalOf } from '../close/CashCount';
import { Panel } from '../close/Panel';
import { RecentShifts } from '../close/RecentShifts';
import { ErrorNote } from '../components/ErrorNote';
import { Fact } from '../components/Fact';
import { useAction } from '../hooks/use-command';
import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/use-t';
import { formatFen, parseYuan } from '../money';

const MOVEMENT_WORDS: Record<string, MessageKey> = {
  float: 'shift.kind.float',
  cash_in: 'shift.kind.cash_in',
  cash_out: 'shift.kind.cash_out',
  cash_drop: 'shift.kind.cash_drop',
  cash_over_short: 'shift.kind.cash_over_short',
};

function time(at: number | null): string {
  return at === null ? '' : new Date(at).toLocaleTimeString('zh-CN', { hour12: false });
}

function Signed({ fen }: { fen: number }) {
  return (
    <strong className={fen === 0 ? 'ok' : fen < 0 ? 'variance-short' : 'variance-over'}>
      {fen > 0 ? `+${formatFen(fen)}` : formatFen(fen)}
    </strong>
  );
}

export function ShiftScreen() {
  const t = useT();
  const [status, setStatus] = useState<ShiftStatus | null>(null);
  const [floatPieces, setFloatPieces] = useState<Pieces>({});
  const [closingPieces, setClosingPieces] = useState<Pieces>({});
  const [move, setMove] = useState({ direction: 'in' as 'in' | 'out', amount: '', reason: '' });
  const [signOff, setSignOff] = useState({ reason: '', handOver: '', staffNo: '', pin: '' });
  // Ids made when a form is shown, so a double tap or a retry repeats the same request.
  const [ids, setIds] = useState(() => ({ shift: ulid(), op: ulid(), drop: ulid(), overShort: ulid() }));
  const freshIds = () => setIds({ shift: ulid(), op: ulid(), drop: ulid(), overShort: ulid() });

  // Every step of the shift answers with the shift as it now is.
  const action = useAction(async (work: () => Promise<ShiftStatus>) => {
    setStatus(await work());
    return true;
  });
  const { failure, pending: busy } = action;
  const act = async (work: () => Promise<ShiftStatus>) => (await action.run(work)) === true;

  useEffect(() => {
    void action.run(() => call('shift.current', {}));
  }, [action.run]);

  if (status === null) {
    return (
      <section className="close-screen" aria-label={t('nav.shift')}>
        <ErrorNote failure={failure} />
      </section>
    );
  }

  const { shift, movements, expected, handover } = status;

  const openForm = (
    <Panel title={t('shift.openTitle')}>
      <p className="muted">{t('shift.openHint')}</p>
      <CashCount pieces={floatPieces} onChange={setFloatPieces} />
      <button
        type="button"
        className="primary"
        disabled={busy || totalOf(floatPieces) === 0}
        onClick={() =>
          void act(() =>
            call('shift.open', { shiftId: ids.shift, operationId: ids.op, floatCount: countOf(floatPieces) }),
          ).then((done) => {
            if (done) {
              setFloatPieces({});
              freshIds();
            }
          })
        }
      >
        {t('shift.open')}
      </button>
    </Panel>
  );

  if (shift === null || shift.state === 'closed') {
    return (
      <section className="close-screen" aria-label={t('nav.shift')}>
        <ErrorNote failure={failure} />
        {shift !== null && (
          <Panel title={t('shift.closedTitle')}>
            <p className="ok" role="status">
              {t('shift.slipPrinting')}
            </p>
            <dl className="close-facts">
              <Fact label={t('shift.cashier')}>{shift.cashierName}</Fact>
              <Fact label={t('shift.expected')}>{formatFen(shift.expectedFen ?? 0)}</Fact>
              <Fact label={t('shift.counted')}>{formatFen(shift.countedFen ?? 0)}</Fact>
              <Fact label={t('shift.variance')}>
                <Signed fen={shift.varianceFen ?? 0} />
              </Fact>
              <Fact label={t('shift.handedOver')}>{formatFen(shift.handedOverFen ?? 0)}</Fact>
            </dl>
            <button type="button" onClick={() => void act(() => call('shift.current', {}))}>
              {t('shift.done')}
            </button>
          </Panel>
        )}
        {shift === null && handover !== null && (
          <Panel title={t('shift.handoverTitle')}>
            <p>
              {t('shift.handoverHint', {
                cashier: handover.cashierName,
                amount: formatFen(handover.handedOverFen),
              })}
            </p>
            <CashCount pieces={floatPieces} onChange={setFloatPieces} />
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() =>
                void act(() =>
                  call('shift.handover', {
                    shiftId: ids.shift,
                    fromShiftId: handover.shiftId,
                    floatCount: countOf(floatPieces),
                  }),
                ).then((done) => {
                  if (done) {
                    setFloatPieces({});
                    freshIds();
                  }
                })
              }
            >
              {t('shift.takeOver')}
            </button>
          </Panel>
        )}
        {shift === null && openForm}
        <RecentShifts refreshKey={shift?.id ?? ''} />
      </section>
    );
  }

  const moveFen = parseYuan(move.amount);
  const handOverFen = signOff.handOver.trim() === '' ? 0 : parseYuan(signOff.handOver);

  return (
    <section className="close-screen" aria-label={t('nav.shift')}>
      <ErrorNote failure={failure} />
      <Panel title={t('shift.currentTitle')}>
        <dl className="close-facts">
          <Fact label={t('shift.cashier')}>{shift.cashierName}</Fact>
          <Fact label={t('shift.openedAt')}>{time(shift.openedAt)}</Fact>
          <Fact label={t('shift.float')}>{formatFen(shift.floatFen)}</Fact>
          <Fact label={t('shift.state')}>{t(`shift.state.${shift.state}` as MessageKey)}</Fact>
        </dl>
        <table className="close-table">
          <caption>{t('shift.movements')}</caption>
          <thead>
            <tr>
              <th>{t('shift.time')}</th>
              <th>{t('shift.movement')}</th>
              <th>{t('shift.reason')}</th>
              <th className="num">{t('shift.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {movements.map((m) => (
              <tr key={m.operationId}>
                <td>{time(m.at)}</td>
                <td>{t(MOVEMENT_WORDS[m.kind] ?? 'shift.kind.cash_in')}</td>
                <td>
                  {m.kind === 'float'
                    ? t('shift.fromSafe')
                    : m.kind === 'cash_drop'
                      ? t('shift.kind.cash_drop')
                      : m.reason}
                </td>
                <td className="num">
                  {formatFen(m.kind === 'cash_out' || m.kind === 'cash_drop' ? -m.amountFen : m.amountFen)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>

      {shift.state === 'open' && (
        <>
          <Panel title={t('shift.moveTitle')}>
            <div className="form-row">
              <div className="segmented">
                {(['in', 'out'] as const).map((direction) => (
                  <button
                    key={direction}
                    type="button"
                    aria-pressed={move.direction === direction}
                    className={move.direction === direction ? 'selected' : ''}
                    onClick={() => setMove({ ...move, direction })}
                  >
                    {t(direction === 'in' ? 'shift.kind.cash_in' : 'shift.kind.cash_out')}
                  </button>
                ))}
              </div>
              <label className="field">
                {t('shift.amount')}
                <input
                  inputMode="decimal"
                  value={move.amount}
                  onChange={(event) =>
                    setMove({ ...move, amount: event.target.value.replace(/[^0-9.]/g, '') })
                  }
                />
              </label>
              <label className="field">
                {t('shift.reason')}
                <input
                  value={move.reason}
                  maxLength={200}
                  onChange={(event) => setMove({ ...move, reason: event.target.value })}
                />
              </label>
              <button
                type="button"
                disabled={busy || moveFen === null || move.reason.trim() === ''}
                onClick={() =>
                  moveFen !== null &&
                  void act(() =>
                    call('shift.cashMove', {
                      operationId: ids.op,
                      direction: move.direction,
                      amountFen: moveFen,
                      reason: move.reason.trim(),
                    }),
                  ).then((done) => {
                    if (done) {
                      setMove({ direction: move.direction, amount: '', reason: '' });
                      freshIds();
                    }
                  })
                }
              >
                {t('shift.moveSubmit')}
              </button>
            </div>
          </Panel>
          <Panel title={t('shift.countTitle')}>
            <p className="muted">{t('shift.countHint')}</p>
            <CashCount pieces={closingPieces} onChange={setClosingPieces} />
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void act(() => call('shift.count', { count: countOf(closingPieces) }))}
            >
              {t('shift.countSubmit')}
            </button>
          </Panel>
        </>
      )}

      {shift.state === 'counted' && (
        <Panel title={t('shift.resultTitle')}>
          <table className="close-table">
            <tbody>
              {expected !== null && (
                <>
                  <tr>
                    <td>{t('shift.float')}</td>
                    <td className="num">{formatFen(expected.floatFen)}</td>
                  </tr>
                  <tr>
                    <td>{t('shift.topUps')}</td>
                    <td className="num">{formatFen(expected.topUpsFen)}</td>
                  </tr>
                  <tr>
                    <td>{t('shift.kind.cash_in')}</td>
                    <td className="num">{formatFen(expected.cashInFen)}</td>
                  </tr>
                  <tr>
                    <td>{t('shift.kind.cash_out')}</td>
                    <td className="num">{formatFen(expected.cashOutFen)}</td>
                  </tr>
                  <tr>
                    <td>{t('shift.withdrawals')}</td>
                    <td className="num">
                      {formatFen(expected.withdrawalsFen + expected.voidsFen + expected.otherFen)}
                    </td>
                  </tr>
                </>
              )}
              <tr className="total">
                <td>{t('shift.expected')}</td>
                <td className="num">{formatFen(shift.expectedFen ?? 0)}</td>
              </tr>
              <tr className="total">
                <td>{t('shift.counted')}</td>
                <td className="num">{formatFen(shift.countedFen ?? 0)}</td>
              </tr>
              <tr className="total">
                <td>{t('shift.variance')}</td>
                <td className="num">
                  <Signed fen={shift.varianceFen ?? 0} />
                </td>
              </tr>
            </tbody>
          </table>
          <div className="form-grid">
            {(shift.varianceFen ?? 0) !== 0 && (
              <label className="field">
                {t('shift.varianceReason')}
                <input
                  value={signOff.reason}
                  maxLength={200}
                  onChange={(event) => setSignOff({ ...signOff, reason: event.target.value })}
                />
              </label>
            )}
            <label className="field">
              {t('shift.handOver')}
              <input
                inputMode="decimal"
                value={signOff.handOver}
                placeholder="0.00"
                onChange={(event) =>
                  setSignOff({ ...signOff, handOver: event.target.value.replace(/[^0-9.]/g, '') })
                }
              />
            </label>
            <label className="field">
              {t('shift.managerNo')}
              <input
                inputMode="numeric"
                autoComplete="off"
                value={signOff.staffNo}
                onChange={(event) =>
                  setSignOff({ ...signOff, staffNo: event.target.value.replace(/\D/g, '') })
                }
              />
            </label>
            <label className="field">
              {t('shift.managerPin')}
              <input
                type="password"
                inputMode="numeric"
                autoComplete="off"
                value={signOff.pin}
                onChange={(event) => setSignOff({ ...signOff, pin: event.target.value.replace(/\D/g, '') })}
              />
            </label>
          </div>
          <button
            type="button"
            className="primary"
            disabled={busy || handOverFen === null || signOff.staffNo.length < 3 || signOff.pin.length < 4}
            onClick={() =>
              void act(() =>
                call('shift.signOff', {
                  dropOperationId: ids.drop,
                  overShortOperationId: ids.overShort,
                  handOverFen: handOverFen ?? 0,
                  approver: { staffNo: signOff.staffNo, pin: signOff.pin },
                  ...(signOff.reason.trim() === '' ? {} : { varianceReason: signOff.reason.trim() }),
                }),
              ).then((done) => {
                setSignOff({ ...signOff, pin: '' });
                if (done) {
                  setClosingPieces({});
                  freshIds();
                }
              })
            }
          >
            {t('shift.signOff')}
          </button>
        </Panel>
      )}
    </section>
  );
}
