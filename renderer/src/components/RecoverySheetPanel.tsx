/**
 * The store's recovery sheet on the admin's staff screen: whether there is one and when it was issued, and
 * issuing a new one. The new code is shown once, here, to print or write down (it is kept only as a hash);
 * leaving the screen forgets it. Printed from the page, never through the print queue, which keeps its jobs.
 */

import { useCallback, useEffect, useState } from 'react';
import type { CommandOutput } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { ConfirmDialog } from './ConfirmDialog';
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

  const issuing = useAction(async () => {
    const issued = await call('staff.issueRecoverySheet', {});
    setConfirming(false);
    setCode(issued.code);
    refresh();
  });

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
      ) : (
        <button
          type="button"
          className="secondary"
          disabled={issuing.pending}
          onClick={() => {
            issuing.reset();
            // The first sheet replaces nothing, so it needs no second thought.
            if (sheet === null) void issuing.run();
            else setConfirming(true);
          }}
        >
          {t('recovery.issue')}
        </button>
      )}
      {confirming && code === null ? (
        <ConfirmDialog
          title={t('recovery.issue')}
          danger
          pending={issuing.pending}
          failure={issuing.failure}
          onConfirm={() => void issuing.run()}
          onCancel={() => setConfirming(false)}
        >
          <p>{t('recovery.confirmNew')}</p>
        </ConfirmDialog>
      ) : null}
      <ErrorNote failure={failure ?? (confirming ? null : issuing.failure)} />
    </section>
  );
}
