/**
 * The row of tender buttons every payment form shows: one pressed at a time, named in the cashier's words, in
 * the order common/tenders.ts gives. At the counter each carries its number key (1 cash, 2 WeChat, …), which
 * the counter screen listens for.
 */
import type { ReactNode } from 'react';
import type { Tender } from '../../../electron/contract/index';
import { TENDERS } from '../../../electron/contract/names';
import { useT } from '../i18n/use-t';

export function TenderPicker(props: {
  legend: ReactNode;
  value: Tender | null;
  onChange: (tender: Tender) => void;
  /** A narrower list than every tender (the rest of a split charge is never a bank transfer). */
  tenders?: readonly Tender[];
  /** Shows each button's number key. */
  keys?: boolean;
  /** Given, pressing the chosen tender again calls it and leaves none chosen. */
  onClear?: () => void;
  className?: string;
  testId?: string;
  /** What belongs with the choice (the change due, the slip's reference), inside the same group. */
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <fieldset className={['tenders', props.className].filter(Boolean).join(' ')} data-testid={props.testId}>
      <legend>{props.legend}</legend>
      {(props.tenders ?? TENDERS).map((tender, index) => (
        <button
          key={tender}
          type="button"
          className={props.value === tender ? 'tender selected' : 'tender'}
          aria-pressed={props.value === tender}
          onClick={() =>
            props.onClear !== undefined && props.value === tender ? props.onClear() : props.onChange(tender)
          }
          data-tender={tender}
        >
          {props.keys === true ? (
            <>
              <kbd>{index + 1}</kbd>{' '}
            </>
          ) : null}
          {t(`tender.${tender}`)}
        </button>
      ))}
      {props.children}
    </fieldset>
  );
}
