/**
 * The manager's approval for a charge of a card whose number was typed, shown once the host asked for one:
 * the manager's staff number and PIN, and the reason (printed on the receipt).
 */
import { useT } from '../i18n/use-t';
import { ManagerPinFields } from '../members/Approver';
import type { KeyedApprovalDraft } from '../store/counter';

export function keyedApprovalReady(approval: KeyedApprovalDraft | null): boolean {
  return (
    approval === null ||
    (/^[0-9]{3,8}$/.test(approval.staffNo) &&
      /^[0-9]{4,8}$/.test(approval.pin) &&
      approval.reason.trim().length >= 2)
  );
}

export function KeyedApproval(props: {
  approval: KeyedApprovalDraft;
  onChange: (change: Partial<KeyedApprovalDraft>) => void;
}) {
  const t = useT();
  const { approval, onChange } = props;
  return (
    <fieldset className="keyed-approval" data-testid="keyed-approval">
      <legend>{t('keyedEntry.title')}</legend>
      <ManagerPinFields value={approval} onChange={onChange} testIdPrefix="keyed-approver" />
      <label className="field">
        {t('keyedEntry.reason')}
        <input
          autoComplete="off"
          maxLength={100}
          value={approval.reason}
          onChange={(event) => onChange({ reason: event.target.value })}
          data-testid="keyed-reason"
        />
      </label>
    </fieldset>
  );
}
