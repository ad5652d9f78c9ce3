/**
 * The admin's backups: take one now (with its progress bar; the counter keeps selling), the plan (how often,
 * how long kept, the folder off the machine, the recovery code), the list of backups on this terminal, and a restore that the host verifies in full before it replaces anything; the verified
 * book takes the place of the one in use when the terminal restarts.
 */

import { useCallback, useEffect, useState } from 'react';
import type { CommandOutput } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { BackupPlanPanel } from '../components/BackupPlanPanel';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorNote } from '../components/ErrorNote';
import { KeyRotationPanel } from '../components/KeyRotationPanel';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';

type Status = CommandOutput<'backups.status'>;

const time = (at: number) => new Date(at).toLocaleString('zh-CN', { hour12: false });
const size = (bytes: number) =>
  bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;

export function BackupsScreen() {
  const t = useT();
  const [status, setStatus] = useState<Status | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [confirming, setConfirming] = useState<{ name: string; takenAt: number } | null>(null);

  const refresh = useCallback(async () => {
    try {
      setStatus(await call('backups.status', {}));
    } catch (error) {
      setFailure(asFailure(error));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // While a backup runs, the bar follows the host's progress.
  useEffect(() => {
    if (status?.running !== true) return;
    const timer = setInterval(() => void refresh(), 250);
    return () => clearInterval(timer);
  }, [status?.running, refresh]);

  const backUp = useAction(async () => {
    await call('backups.run', {});
    await refresh();
  });

  const restoring = useAction(async (name: string) => {
    const result = await call('backups.restore', { name });
    setConfirming(null);
    await refresh();
    return result.takenAt;
  });
  const busy = restoring.pending;
  const restored = restoring.result ?? null;

  const percent = Math.round((status?.fraction ?? 0) * 100);
  return (
    <section className="backups-screen" data-testid="backups-screen">
      <h2>{t('backups.title')}</h2>
      <p className="hint">{t('backups.hint')}</p>
      <div className="backups-actions">
        <button
          type="button"
          className="primary"
          onClick={() => void backUp.run()}
          disabled={backUp.pending || status?.running === true}
        >
          {t('backups.run')}
        </button>
        {status?.running === true && (
          <>
            <progress data-testid="backup-progress" max={100} value={percent} />
            <span>
              {t('backups.running', {
                phase: t(status.phase === 'encrypt' ? 'backups.phase.encrypt' : 'backups.phase.copy'),
                percent: String(percent),
              })}
            </span>
          </>
        )}
      </div>
      {status?.last != null && status.running === false && (
        <p data-testid="backup-last">
          {status.last.ok
            ? t('backups.lastOk', { name: status.last.name ?? '' })
            : t('backups.lastFailed', { code: status.last.code ?? '' })}
        </p>
      )}
      {status?.restorePending != null && (
        <p className="notice" data-testid="restore-pending">
          {t('backups.pending', { time: time(status.restorePending.takenAt) })}
        </p>
      )}
      {restored !== null && <p className="notice">{t('backups.restored', { time: time(restored) })}</p>}
      <ErrorNote failure={failure ?? backUp.failure} />
      {status !== null && <BackupPlanPanel status={status} onChanged={() => void refresh()} />}
      {status !== null && <KeyRotationPanel />}
      {status !== null && status.backups.length === 0 && <p>{t('backups.none')}</p>}
      {status !== null && status.backups.length > 0 && (
        <table className="backups-list">
          <thead>
            <tr>
              <th>{t('backups.col.time')}</th>
              <th>{t('backups.col.size')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {status.backups.map((backup) => (
              <tr key={backup.name} data-name={backup.name}>
                <td>{time(backup.takenAt)}</td>
                <td>{size(backup.bytes)}</td>
                <td>
                  <button type="button" onClick={() => setConfirming(backup)} disabled={busy}>
                    {t('backups.restore')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirming !== null && (
        <ConfirmDialog
          title={t('backups.restore')}
          confirmLabel={t('backups.confirm')}
          cancelLabel={t('backups.cancel')}
          danger
          pending={busy}
          failure={restoring.failure}
          onConfirm={() => void restoring.run(confirming.name)}
          onCancel={() => setConfirming(null)}
        >
          <p>{t('backups.confirmRestore', { time: time(confirming.takenAt) })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
