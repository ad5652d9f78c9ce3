/**
 * Rotating the data keys, on the admin's Backups screen: which key is current, a rotation confirmed once,
 * then the re-encrypt job's progress (the counter keeps selling meanwhile; a restart resumes it).
 */

import { useCallback, useEffect, useState } from 'react';
import type { CommandOutput } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { ConfirmDialog } from './ConfirmDialog';
import { ErrorNote } from './ErrorNote';

type Keys = CommandOutput<'backups.keys'>;

export function KeyRotationPanel() {
  const t = useT();
  const [keys, setKeys] = useState<Keys | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<PosFailure | null>(null);

  const refresh = useCallback(() => {
    call('backups.keys', {})
      .then(setKeys)
      .catch((error) => setFailure(asFailure(error)));
  }, []);
  useEffect(refresh, [refresh]);

  const unfinished = keys?.rotation != null && keys.rotation.finishedAt === null;
  useEffect(() => {
    if (!unfinished) return;
    const timer = setInterval(refresh, 500);
    return () => clearInterval(timer);
  }, [unfinished, refresh]);

  const rotating = useAction(async () => {
    await call('backups.rotateKeys', {});
    setConfirming(false);
    refresh();
  });

  if (keys === null || keys.currentKeyId === null) return <ErrorNote failure={failure} />;
  const rotation = keys.rotation;
  const percent =
    rotation === null || rotation.total === 0 ? 100 : Math.round((100 * rotation.done) / rotation.total);
  return (
    <section className="backup-plan" data-testid="key-rotation">
      <h3>{t('keys.title')}</h3>
      <p className="hint">{t('keys.hint')}</p>
      <p data-testid="key-current">
        {t('keys.current', { id: keys.currentKeyId, count: String(keys.keyIds.length) })}
      </p>
      {rotation !== null &&
        (rotation.finishedAt === null ? (
          <p>
            <progress data-testid="key-rotation-progress" max={100} value={percent} />{' '}
            {t('keys.running', { percent: String(percent) })}
          </p>
        ) : (
          <p data-testid="key-rotation-done">
            {t('keys.done', {
              id: rotation.keyId,
              time: new Date(rotation.finishedAt).toLocaleString('zh-CN', { hour12: false }),
            })}
          </p>
        ))}
      <button
        type="button"
        className="secondary"
        disabled={unfinished}
        onClick={() => {
          rotating.reset();
          setConfirming(true);
        }}
      >
        {t('keys.rotate')}
      </button>
      {confirming ? (
        <ConfirmDialog
          title={t('keys.rotate')}
          pending={rotating.pending}
          failure={rotating.failure}
          onConfirm={() => void rotating.run()}
          onCancel={() => setConfirming(false)}
        >
          <p>{t('keys.confirm')}</p>
        </ConfirmDialog>
      ) : null}
      <ErrorNote failure={failure} />
    </section>
  );
}
