/**
 * A code the host gives out once (a recovery sheet, a backup recovery code): shown here to print or write
 * down, then forgotten when the person says it is written down. Printed from the page, never through the
 * print queue, which keeps its jobs.
 */
import { useT } from '../i18n/use-t';

export function ShownOnceCode(props: {
  code: string;
  testId: string;
  doneTestId?: string;
  onDone: () => void;
}) {
  const t = useT();
  return (
    <div className="recovery-code">
      <p>{t('recovery.showOnce')}</p>
      <output className="big-amount" aria-label={t('recovery.code')} data-testid={props.testId}>
        {props.code}
      </output>
      <button type="button" className="secondary" onClick={() => window.print()}>
        {t('recovery.print')}
      </button>{' '}
      <button type="button" className="secondary" onClick={props.onDone} data-testid={props.doneTestId}>
        {t('recovery.written')}
      </button>
    </div>
  );
}
