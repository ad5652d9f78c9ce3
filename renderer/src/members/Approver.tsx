/** A manager's staff number and PIN, asked for only when the person logged in is not a manager. */
import { useT } from '../i18n/use-t';
import { useApp } from '../store/app';

export interface ApproverValue {
  staffNo: string;
  pin: string;
}

export const NO_APPROVER: ApproverValue = { staffNo: '', pin: '' };

export function useIsManager(): boolean {
  const role = useApp((state) => state.session?.staff.role);
  return role === 'manager' || role === 'admin';
}

/** What to send: nothing when a manager is logged in, else the typed approver (or null while incomplete). */
export function approverInput(isManager: boolean, value: ApproverValue): ApproverValue | undefined | null {
  if (isManager) return undefined;
  return /^[0-9]{3,8}$/.test(value.staffNo) && /^[0-9]{4,8}$/.test(value.pin) ? value : null;
}

/** The two fields a manager types to approve: staff number and PIN (test ids `<prefix>-no`, `<prefix>-pin`). */
export function ManagerPinFields({
  value,
  onChange,
  testIdPrefix = 'approver',
}: {
  value: ApproverValue;
  onChange: (value: ApproverValue) => void;
  testIdPrefix?: string;
}) {
  const t = useT();
  return (
    <>
      <label className="field">
        {t('void.approverNo')}
        <input
          inputMode="numeric"
          autoComplete="off"
          value={value.staffNo}
          onChange={(event) => onChange({ ...value, staffNo: event.target.value.replace(/\D/g, '') })}
          data-testid={`${testIdPrefix}-no`}
        />
      </label>
      <label className="field">
        {t('void.approverPin')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={value.pin}
          onChange={(event) => onChange({ ...value, pin: event.target.value.replace(/\D/g, '') })}
          data-testid={`${testIdPrefix}-pin`}
        />
      </label>
    </>
  );
}

export function ApproverFields({
  value,
  onChange,
}: {
  value: ApproverValue;
  onChange: (value: ApproverValue) => void;
}) {
  const t = useT();
  if (useIsManager()) return null;
  return (
    <fieldset className="approver">
      <legend>{t('members.approverNeeded')}</legend>
      <ManagerPinFields value={value} onChange={onChange} />
    </fieldset>
  );
}
