/**
 * The member-card format on the Devices screen (technicians and admins): the chain id, the sector holding
 * the member data and the on-card purse this terminal reads cards with, and the chain keys' fingerprint. The
 * sector and the purse are edited here; the chain id only by an admin, after a confirmation saying what it
 * does to the cards already issued. Changes are saved for the next start, and the panel says so.
 */

import { useCallback, useEffect, useId, useState } from 'react';
import type { CardFormatSettings, CardFormatView } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorNote } from '../components/ErrorNote';
import { Fact } from '../components/Fact';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';

// The contract's ranges, repeated here because the renderer bundle carries no validators (types only).
const SECTOR_MIN = 1;
const SECTOR_MAX = 15;
const CHAIN_ID_MAX = 0xffff_ffff;

/** The chain id as printed on HQ's papers (decimal) and as a card dump shows it (hex). */
function chainLabel(chainId: number): string {
  return `${chainId} (0x${chainId.toString(16).toUpperCase().padStart(8, '0')})`;
}

/** A whole number typed into a field, or null when it is not one within [min, max]. */
function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\d{1,10}$/.test(text.trim())) return null;
  const value = Number(text.trim());
  return value >= min && value <= max ? value : null;
}

type RangeKey = 'cardFormat.sectorRange' | 'cardFormat.chainRange';

function Settings({ settings, testId }: { settings: CardFormatSettings; testId: string }) {
  const t = useT();
  return (
    <>
      <Fact label={t('cardFormat.chainId')} className="mono" testId={`${testId}-chain`}>
        {chainLabel(settings.chainId)}
      </Fact>
      <Fact label={t('cardFormat.sector')} testId={`${testId}-sector`}>
        {settings.sector}
      </Fact>
      <Fact label={t('cardFormat.purse')} testId={`${testId}-purse`}>
        {t(settings.purse ? 'cardFormat.purse.on' : 'cardFormat.purse.off')}
      </Fact>
    </>
  );
}

export function CardFormatPanel({ canChangeChain }: { canChangeChain: boolean }) {
  const t = useT();
  const heading = useId();
  const [view, setView] = useState<CardFormatView | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [saved, setSaved] = useState(false);
  const [sector, setSector] = useState('');
  const [purse, setPurse] = useState(false);
  const [chainId, setChainId] = useState('');
  const [confirming, setConfirming] = useState<number | null>(null);
  /** A value the host would refuse anyway, said in words before anything is sent. */
  const [outOfRange, setOutOfRange] = useState<RangeKey | null>(null);

  /** Shows what the host holds now and resets the fields to the saved values. */
  const show = useCallback((next: CardFormatView) => {
    setView(next);
    setSector(String(next.saved.sector));
    setPurse(next.saved.purse);
  }, []);

  useEffect(() => {
    call('cardFormat.get', {}).then(show, (error: unknown) => setFailure(asFailure(error)));
  }, [show]);

  const change = useAction(async (work: () => Promise<CardFormatView>) => {
    show(await work());
    setConfirming(null);
    setChainId('');
    return true;
  });
  const busy = change.pending;
  const run = async (work: () => Promise<CardFormatView>) => {
    setOutOfRange(null);
    setSaved(false);
    if ((await change.run(work)) === true) setSaved(true);
  };

  const saveFormat = () => {
    const value = wholeNumber(sector, SECTOR_MIN, SECTOR_MAX);
    if (value === null) return setOutOfRange('cardFormat.sectorRange');
    void run(() => call('cardFormat.set', { sector: value, purse }));
  };

  const askChain = () => {
    const value = wholeNumber(chainId, 1, CHAIN_ID_MAX);
    if (value === null) return setOutOfRange('cardFormat.chainRange');
    setOutOfRange(null);
    change.reset();
    setConfirming(value);
  };

  if (view === null) {
    return (
      <section className="devices-panel" data-testid="card-format">
        <h3>{t('cardFormat.title')}</h3>
        <ErrorNote failure={failure ?? change.failure} />
      </section>
    );
  }
  const sectorChanged = sector.trim() !== '' && sector.trim() !== String(view.saved.sector);

  return (
    <section className="devices-panel card-format" aria-labelledby={heading} data-testid="card-format">
      <h3 id={heading}>{t('cardFormat.title')}</h3>
      <p className="hint">{t('cardFormat.hint')}</p>
      <dl className="test-result">
        <Settings settings={view.inUse} testId="card-format" />
        <Fact label={t('cardFormat.fingerprint')} className="mono" testId="card-format-fingerprint">
          {view.keyFingerprint}
        </Fact>
      </dl>
      <p className="hint">{t('cardFormat.fingerprintHint')}</p>
      {view.restartRequired && (
        <p className="notice pending" role="status" data-testid="card-format-pending">
          {t('cardFormat.pending', {
            chainId: chainLabel(view.saved.chainId),
            sector: String(view.saved.sector),
            purse: t(view.saved.purse ? 'cardFormat.purse.on' : 'cardFormat.purse.off'),
          })}
        </p>
      )}
      {outOfRange !== null && (
        <p className="error-note" role="alert" data-testid="card-format-out-of-range">
          {t(outOfRange)}
        </p>
      )}
      <ErrorNote failure={failure ?? (confirming === null ? change.failure : null)} />
      {saved && (
        <p className="notice" role="status" data-testid="card-format-saved">
          {t('cardFormat.saved')}
        </p>
      )}

      <div className="form-grid">
        <label>
          {t('cardFormat.edit.sector')}
          <input
            data-testid="card-format-sector-input"
            inputMode="numeric"
            value={sector}
            onChange={(event) => setSector(event.target.value)}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            data-testid="card-format-purse-input"
            checked={purse}
            onChange={(event) => setPurse(event.target.checked)}
          />
          {t('cardFormat.edit.purse')}
        </label>
      </div>
      {sectorChanged && <p className="hint">{t('cardFormat.sectorWarning')}</p>}
      <button
        type="button"
        className="primary"
        data-testid="card-format-save"
        disabled={busy}
        onClick={saveFormat}
      >
        {t('cardFormat.save')}
      </button>

      {canChangeChain ? (
        <div className="row card-format-chain">
          <label>
            {t('cardFormat.edit.chainId')}
            <input
              data-testid="card-format-chain-input"
              inputMode="numeric"
              value={chainId}
              onChange={(event) => {
                setChainId(event.target.value);
                setConfirming(null);
              }}
            />
          </label>
          <button type="button" data-testid="card-format-change-chain" disabled={busy} onClick={askChain}>
            {t('cardFormat.changeChain')}
          </button>
        </div>
      ) : (
        <p className="hint" data-testid="card-format-chain-admin-only">
          {t('cardFormat.chainAdminOnly')}
        </p>
      )}
      {confirming !== null && (
        <ConfirmDialog
          title={t('cardFormat.changeChain')}
          confirmLabel={t('cardFormat.confirm')}
          cancelLabel={t('cardFormat.cancel')}
          danger
          pending={busy}
          failure={change.failure}
          onConfirm={() =>
            void run(() => call('cardFormat.setChain', { chainId: confirming, confirmForeignCards: true }))
          }
          onCancel={() => setConfirming(null)}
        >
          <p>{t('cardFormat.confirmChain', { chainId: chainLabel(confirming) })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
