/**
 * The one way a screen asks "are you sure?": a native modal `<dialog>`. While it is open the rest of the page
 * is inert (the browser's own modality, not a div on top), focus is inside it, Esc means cancel, and on close
 * focus goes back to the control that opened it, so a keyboard or scanner user is never left nowhere.
 *
 * Mount it while the question stands: `{asking && <ConfirmDialog … />}`.
 */
import { type ReactNode, useEffect, useId, useRef } from 'react';
import type { PosFailure } from '../api/client';
import { useT } from '../i18n/use-t';
import { ErrorNote } from './ErrorNote';

export function ConfirmDialog(props: {
  title: ReactNode;
  /** What confirming will do, said plainly (the amounts, what is lost). */
  children?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
  confirmLabel?: string;
  cancelLabel?: string;
  /** While the confirmed command is out: both buttons wait and Esc does nothing. */
  pending?: boolean;
  /** The refusal of the confirmed command, shown in the dialog where the eye is. */
  failure?: PosFailure | null;
  /** Irreversible: the button is marked so, and focus starts on cancel rather than on confirm. */
  danger?: boolean;
  testId?: string;
}) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const title = useId();
  const pending = props.pending === true;
  // Esc reaches the dialog as a `cancel` event; the latest handler and pending state are read through refs
  // so the listener is attached once.
  const cancel = useRef(props.onCancel);
  cancel.current = props.onCancel;
  const busy = useRef(pending);
  busy.current = pending;
  const first = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    first.current?.focus();
    const onCancelEvent = (event: Event) => {
      // The browser would close the dialog itself; the screen that mounted it decides instead.
      event.preventDefault();
      if (!busy.current) cancel.current();
    };
    dialog.addEventListener('cancel', onCancelEvent);
    return () => {
      dialog.removeEventListener('cancel', onCancelEvent);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className="confirm-dialog" aria-labelledby={title} data-testid={props.testId}>
      <h3 id={title}>{props.title}</h3>
      {props.children}
      <ErrorNote failure={props.failure ?? null} />
      <div className="actions">
        <button
          type="button"
          className={props.danger === true ? 'primary danger' : 'primary'}
          disabled={pending}
          aria-busy={pending}
          ref={props.danger === true ? undefined : first}
          onClick={props.onConfirm}
        >
          {props.confirmLabel ?? t('action.confirm')}
        </button>
        <button
          type="button"
          disabled={pending}
          ref={props.danger === true ? first : undefined}
          onClick={props.onCancel}
        >
          {props.cancelLabel ?? t('action.cancel')}
        </button>
      </div>
    </dialog>
  );
}
