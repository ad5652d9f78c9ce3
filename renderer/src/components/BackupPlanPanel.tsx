/**
 * The store's backup plan on the Backups screen: how often a backup is taken (daily unless changed), how many
 * days of backups are kept, and the folder off this machine (a USB disk or network folder the admin mounted)
 * each backup is copied to; with it, the backup recovery code that lets a new machine open those copies.
 */

import { useEffect, useState } from 'react';
import type { CommandOutput } from '../../../electron/contract/index';
import { call } from '../api/client';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { ErrorNote } from './ErrorNote';
import { ShownOnceCode } from './ShownOnceCode';

type Status = CommandOutput<'backups.status'>;
const EVERY_HOURS = [24, 12, 6, 168] as const;

export function BackupPlanPanel(props: { status: Status; onChanged: () => void }) {
  const t = useT();
  const { plan } = props.status;
  const [everyHours, setEveryHours] = useState(plan.everyHours);
  const [keepDays, setKeepDays] = useState(String(plan.keepDays));
  const [offsiteDir, setOffsiteDir] = useState(plan.offsiteDir ?? '');
  const [saved, setSaved] = useState(false);
  const [code, setCode] = useState<string | null>(null);

  useEffect(() => {
    setEveryHours(plan.everyHours);
    setKeepDays(String(plan.keepDays));
    setOffsiteDir(plan.offsiteDir ?? '');
  }, [plan.everyHours, plan.keepDays, plan.offsiteDir]);

  const saving = useAction(async () => {
    setSaved(false);
    await call('backups.configure', {
      everyHours,
      keepDays: Number(keepDays),
      offsiteDir: offsiteDir.trim() === '' ? null : offsiteDir.trim(),
    });
    setSaved(true);
    props.onChanged();
  });
  const save = saving.run;

  const issuing = useAction(async () => {
    setCode((await call('backups.issueRecoveryCode', {})).code);
    props.onChanged();
  });
  const issue = issuing.run;

  const next = props.status.nextDueAt;
  const offsite = props.status.last?.offsite;
  return (
    <section className="backup-plan" data-testid="backup-plan">
      <h3>{t('backups.plan.title')}</h3>
      <label>
        {t('backups.plan.every')}{' '}
        <select
          data-testid="backup-every"
          value={everyHours}
          onChange={(event) => setEveryHours(Number(event.target.value))}
        >
          {EVERY_HOURS.map((hours) => (
            <option key={hours} value={hours}>
              {t(`backups.plan.every.${hours}`)}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        {t('backups.plan.keepDays')}{' '}
        <input
          data-testid="backup-keep-days"
          type="number"
          min={1}
          max={3650}
          value={keepDays}
          onChange={(event) => setKeepDays(event.target.value)}
        />
      </label>
      <label className="wide">
        {t('backups.plan.offsite')}{' '}
        <input
          data-testid="backup-offsite"
          placeholder="/media/usb"
          value={offsiteDir}
          onChange={(event) => setOffsiteDir(event.target.value)}
        />
      </label>
      <p className="hint">{t('backups.plan.offsiteHint')}</p>
      <button type="button" className="primary" onClick={() => void save()} data-testid="backup-plan-save">
        {t('backups.plan.save')}
      </button>
      {saved && <span data-testid="backup-plan-saved"> {t('backups.plan.saved')}</span>}
      {next !== null && (
        <p data-testid="backup-next">
          {t('backups.plan.next', { time: new Date(next).toLocaleString('zh-CN', { hour12: false }) })}
        </p>
      )}
      {offsite != null && (
        <p className={offsite.ok ? '' : 'error'} data-testid="backup-offsite-result">
          {offsite.ok ? t('backups.offsite.ok') : t('backups.offsite.failed', { code: offsite.code ?? '' })}
        </p>
      )}
      <h3>{t('backups.escrow.title')}</h3>
      <p className="hint">{t('backups.escrow.hint')}</p>
      {!props.status.escrowIssued && (
        <p className="error" data-testid="backup-escrow-missing">
          {t('backups.escrow.missing')}
        </p>
      )}
      {code !== null ? (
        <ShownOnceCode
          code={code}
          testId="backup-escrow-code"
          doneTestId="backup-escrow-done"
          onDone={() => setCode(null)}
        />
      ) : (
        <button
          type="button"
          className="secondary"
          onClick={() => void issue()}
          data-testid="backup-escrow-issue"
        >
          {t(props.status.escrowIssued ? 'backups.escrow.reissue' : 'backups.escrow.issue')}
        </button>
      )}
      <ErrorNote failure={saving.failure ?? issuing.failure} />
    </section>
  );
}
