/** Counting a drawer by denomination: pieces per note and coin, and the total they make. */
import { useId } from 'react';
import type { CashCountView } from '../../../electron/contract/index';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';

// The contract's face values, repeated here because the renderer bundle carries no validators.
export const FACES_FEN = [10000, 5000, 2000, 1000, 500, 100, 50, 20, 10, 5, 2, 1] as const;

export type Pieces = Record<string, string>;

export function countOf(pieces: Pieces): CashCountView {
  const count: CashCountView = {};
  for (const face of FACES_FEN) {
    const n = Number(pieces[String(face)] ?? '');
    if (Number.isSafeInteger(n) && n > 0) count[String(face)] = n;
  }
  return count;
}

export function totalOf(pieces: Pieces): number {
  return FACES_FEN.reduce((total, face) => {
    const n = Number(pieces[String(face)] ?? '');
    return total + (Number.isSafeInteger(n) && n > 0 ? n * face : 0);
  }, 0);
}

/** The total is a live status named 合计, so a screen reader hears it change as pieces are typed. */
export function CashCount({ pieces, onChange }: { pieces: Pieces; onChange: (pieces: Pieces) => void }) {
  const t = useT();
  const total = useId();
  return (
    <div className="cash-count">
      <div className="cash-count-grid">
        {FACES_FEN.map((face) => (
          <label key={face} className="cash-count-face">
            <span>{formatFen(face)}</span>
            <input
              inputMode="numeric"
              autoComplete="off"
              value={pieces[String(face)] ?? ''}
              placeholder="0"
              onChange={(event) =>
                onChange({ ...pieces, [String(face)]: event.target.value.replace(/[^0-9]/g, '').slice(0, 5) })
              }
            />
          </label>
        ))}
      </div>
      <p className="cash-count-total">
        <span id={total}>{t('shift.countTotal')}</span>{' '}
        <strong role="status" aria-labelledby={total}>
          {formatFen(totalOf(pieces))}
        </strong>
      </p>
    </div>
  );
}
