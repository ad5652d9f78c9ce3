/**
 * The store's recovery sheet on the admin's staff screen: whether there is one and when it was issued, and
 * issuing a new one. The new code is shown once, here, to print or write down (it is kept only as a hash);
 * leaving the screen forgets it. Printed from the page, never through the print queue, which keeps its jobs.
 */
import { useCallback, useEffect, useState } from 'react';
import type { CommandOutput } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { useT } from '../i18n/use-t';
import { ErrorNote } from './ErrorNote';
import { ShownOnceCode } from './ShownOnceCode';

export function RecoverySheetPanel() {
  const t = useT();
  const [sheet, setSheet] = useState<CommandOutput<'staff.recoverySheet'> | undefined>(undefined);
  const [code, setCode] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<PosFailure | null>(null);

  const refresh = useCallback(() => {
    call('staff.recoverySheet', {})
      .then(setSheet)
      .catch((error) => setFailure(asFailure(error)));
  }, []);
  useEffect(refresh, [refresh]);

  const issue = () => {
    setConfirming(false);
    call('staff.issueRecoverySheet', {})
      .then((issued) => {
        setCode(issued.code);
        refresh();
      })
      .catch((error) => setFailure(asFailure(error)));
  };

  return (
    <section className="recovery-sheet" data-testid="recovery-sheet">
      <h3>{t('recovery.title')}</h3>
      <p className="hint">{t('recovery.hint')}</p>
      {sheet === null ? (
        <p className="error" data-testid="recovery-missing">
          {t('recovery.missing')}
        </p>
      ) : sheet !== undefined ? (
        <p data-testid="recovery-issued">
          {t('recovery.issued', { at: new Date(sheet.issuedAt).toLocaleString(), by: sheet.issuedBy })}
        </p>
      ) : null}
      {code !== null ? (
        <ShownOnceCode
          code={code}
          testId="recovery-code"
          doneTestId="recovery-done"
          onDone={() => setCode(null)}
        />
      ) : confirming ? (
        <p>
          {t('recovery.confirmNew')}{' '}
          <button type="button" className="primary" onClick={issue} data-testid="recovery-confirm">
            {t('action.confirm')}
          </button>
        </p>
      ) : (
        <button
          type="button"
          className="secondary"
          onClick={() => (sheet === null ? issue() : setConfirming(true))}
          data-testid="recovery-issue"
        >
          {t('recovery.issue')}
        </button>
      )}
      <ErrorNote failure={failure} />
    </section>
  );
}
