/**
 * Offered at the counter when the host refuses cash because no shift is open (SHIFT_NOT_OPEN): the cashier
 * counts the float and opens a shift on the spot, and the operation that was refused goes on with its own
 * operation id, so nothing is recorded twice.
 */
import { useId, useState } from 'react';
import { ulid } from 'ulid';
import { ErrorNote } from '../components/ErrorNote';
import { useCommand } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { CashCount, countOf, type Pieces, totalOf } from './CashCount';

export function ShiftPrompt({ onOpened, onCancel }: { onOpened: () => void; onCancel: () => void }) {
  const t = useT();
  const [pieces, setPieces] = useState<Pieces>({});
  // Made once per prompt, so a double tap opens one shift.
  const [ids] = useState(() => ({ shift: ulid(), op: ulid() }));
  const openShift = useCommand('shift.open');
  const title = useId();

  const open = async () => {
    const opened = await openShift.run({
      shiftId: ids.shift,
      operationId: ids.op,
      floatCount: countOf(pieces),
    });
    if (opened !== undefined) onOpened();
  };

  return (
    <div className="close-panel shift-prompt" role="dialog" aria-modal="true" aria-labelledby={title}>
      <h2 id={title}>{t('shift.prompt.title')}</h2>
      <p className="muted">{t('shift.prompt.hint')}</p>
      <CashCount pieces={pieces} onChange={setPieces} />
      <ErrorNote failure={openShift.failure} />
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={openShift.pending || totalOf(pieces) === 0}
          onClick={() => void open()}
        >
          {t('shift.prompt.open')}
        </button>
        <button type="button" disabled={openShift.pending} onClick={onCancel}>
          {t('shift.prompt.cancel')}
        </button>
      </div>
    </div>
  );
}
