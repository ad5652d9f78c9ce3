/**
 * The figures of a day or a range, gross, voided and net side by side (db/reports/figures.ts defines them):
 * the same table on the day close's Z report and on the reports screen, so the two are read alike.
 */
import type { FiguresView } from '../../../electron/contract/index';
import type { T } from '../i18n/use-t';
import { formatFen } from '../money';

export const FIGURE_ROWS = [
  ['topUps', 'figures.topUps'],
  ['bonus', 'figures.bonus'],
  ['charges', 'figures.charges'],
  ['refunds', 'figures.refunds'],
] as const;
export const FIGURE_PARTS = ['gross', 'voided', 'net'] as const;

export type FigureRow = (typeof FIGURE_ROWS)[number][0];

/** One row's count (null for the bonus, which rides on top-ups) and amount for one part. */
export function figureCell(
  figures: FiguresView,
  row: FigureRow,
  part: (typeof FIGURE_PARTS)[number],
): { count: number | null; amountFen: number } {
  if (row === 'bonus') return { count: null, amountFen: figures.topUps[part].bonusFen };
  return { count: figures[row][part].count, amountFen: figures[row][part].amountFen };
}

export function figureHeader(t: T): string[] {
  return [
    t('figures.kind'),
    ...FIGURE_PARTS.flatMap((part) => [
      t('figures.countOf', { part: t(`figures.${part}`) }),
      t('figures.amountOf', { part: t(`figures.${part}`) }),
    ]),
  ];
}

/** `label` names the table for screen readers (the heading above it says the same to the eye). */
export function FiguresTable({ figures, t, label }: { figures: FiguresView; t: T; label: string }) {
  return (
    <table className="close-table figures" aria-label={label}>
      <thead>
        <tr>
          {figureHeader(t).map((h, i) => (
            <th key={h} className={i === 0 ? '' : 'num'}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {FIGURE_ROWS.map(([row, word]) => (
          <tr key={row}>
            <td>{t(word)}</td>
            {FIGURE_PARTS.map((part) => {
              const cell = figureCell(figures, row, part);
              return [
                <td key={`${part}-n`} className="num">
                  {cell.count ?? ''}
                </td>,
                <td key={`${part}-fen`} className={`num ${part === 'net' ? 'total' : ''}`}>
                  {formatFen(cell.amountFen)}
                </td>,
              ];
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
