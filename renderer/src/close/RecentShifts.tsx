/**
 * This terminal's last signed-off shifts, each with a button that reprints its slip. The host lists a
 * cashier's own shifts only (a manager sees every one), so the list needs no filtering here.
 */
import { useCallback, useEffect, useState } from 'react';
import { ulid } from 'ulid';
import type { CommandOutput } from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { useCommand } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { formatFen } from '../money';
import { Panel } from './Panel';

type Recent = CommandOutput<'shift.recent'>;

function when(at: number): string {
  return new Date(at).toLocaleString('zh-CN', { hour12: false });
}

/** `refreshKey` changes when a shift is signed off, so the list shows it at once. */
export function RecentShifts({ refreshKey }: { refreshKey: string }) {
  const t = useT();
  const [shifts, setShifts] = useState<Recent>([]);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);
  const printSlip = useCommand('shift.printSlip');

  const load = useCallback(async () => {
    try {
      setShifts(await call('shift.recent', {}));
    } catch (error) {
      setFailure(asFailure(error));
    }
  }, []);

  useEffect(() => {
    void refreshKey;
    void load();
  }, [load, refreshKey]);

  const reprint = async (shiftId: string) => {
    setPrinted(null);
    if ((await printSlip.run({ printId: ulid(), shiftId })) !== undefined) setPrinted(shiftId);
  };

  if (shifts.length === 0 && failure === null) return null;
  return (
    <Panel title={t('shift.recentTitle')}>
      <ErrorNote failure={failure ?? printSlip.failure} />
      <table className="close-table">
        <thead>
          <tr>
            <th>{t('shift.cashier')}</th>
            <th>{t('shift.closedAt')}</th>
            <th className="num">{t('shift.counted')}</th>
            <th className="num">{t('shift.variance')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {shifts.map((shift) => (
            <tr key={shift.shiftId}>
              <td>{shift.cashierName}</td>
              <td>{when(shift.closedAt)}</td>
              <td className="num">{formatFen(shift.countedFen)}</td>
              <td className="num">{formatFen(shift.varianceFen)}</td>
              <td>
                <button
                  type="button"
                  disabled={printSlip.pending}
                  onClick={() => void reprint(shift.shiftId)}
                >
                  {printed === shift.shiftId ? t('shift.slipSent') : t('shift.reprintSlip')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
