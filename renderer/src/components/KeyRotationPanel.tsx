/**
 * Rotating the data keys, on the admin's Backups screen: which key is current, a rotation confirmed once,
 * then the re-encrypt job's progress (the counter keeps selling meanwhile; a restart resumes it).
 */
import { useCallback, useEffect, useState } from 'react';
import type { CommandOutput } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { useT } from '../i18n/use-t';
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

  const rotate = async () => {
    setConfirming(false);
    setFailure(null);
    try {
      await call('backups.rotateKeys', {});
      refresh();
    } catch (error) {
      setFailure(asFailure(error));
    }
  };

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
      {confirming ? (
        <p>
          {t('keys.confirm')}{' '}
          <button
            type="button"
            className="primary"
            onClick={() => void rotate()}
            data-testid="key-rotate-confirm"
          >
            {t('action.confirm')}
          </button>
        </p>
      ) : (
        <button
          type="button"
          className="secondary"
          disabled={unfinished}
          onClick={() => setConfirming(true)}
          data-testid="key-rotate"
        >
          {t('keys.rotate')}
        </button>
      )}
      <ErrorNote failure={failure} />
    </section>
  );
}
