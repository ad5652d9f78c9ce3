/**
 * The admin's staff screen: every staff member with role and state, adding one with an initial PIN,
 * deactivating and reactivating, a new PIN, clearing a lockout, and a role change. The host keeps the last
 * active admin and says so in words when asked to take them away.
 */

import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { CommandOutput } from '../../../electron/contract/index';
import { ROLES, type Role } from '../../../electron/contract/permissions';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { RecoverySheetPanel } from '../components/RecoverySheetPanel';
import { useAction } from '../hooks/use-command';
import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/use-t';

type Entry = CommandOutput<'staff.list'>[number];

const roleKey = (role: Role) => `staff.role.${role}` as MessageKey;

/** Which row is being edited, and how. */
type Editing = { id: string; kind: 'pin'; pin: string } | { id: string; kind: 'role'; role: Role } | null;

export function StaffScreen() {
  const t = useT();
  const [staff, setStaff] = useState<Entry[] | null>(null);
  const [failure, setFailure] = useState<PosFailure | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [form, setForm] = useState({ staffNo: '', name: '', role: 'cashier' as Role, pin: '' });

  const refresh = useCallback(async () => {
    try {
      setStaff(await call('staff.list', {}));
    } catch (error) {
      setFailure(asFailure(error));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  /** Runs one change, then shows the saved name and the list as it now is. */
  const change = useAction(async (work: () => Promise<Entry>) => {
    const saved = await work();
    setEditing(null);
    await refresh();
    return saved;
  });
  const act = async (work: () => Promise<Entry>) => (await change.run(work)) !== undefined;
  const busy = change.pending;
  const done = change.pending || change.failure !== null ? null : (change.result?.name ?? null);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await act(() => call('staff.add', form));
    if (ok) setForm({ staffNo: '', name: '', role: 'cashier', pin: '' });
  };

  return (
    <section className="staff-screen" data-testid="staff-screen">
      <h2>{t('staff.title')}</h2>
      <p className="hint">{t('staff.hint')}</p>
      <ErrorNote failure={failure ?? change.failure} />
      {done !== null && <p className="notice">{t('staff.done', { name: done })}</p>}

      <form className="staff-add" onSubmit={add} aria-label={t('staff.add')}>
        <h3>{t('staff.add')}</h3>
        <label>
          {t('staff.add.staffNo')}
          <input
            name="staffNo"
            inputMode="numeric"
            value={form.staffNo}
            onChange={(event) => setForm({ ...form, staffNo: event.target.value.trim() })}
          />
        </label>
        <label>
          {t('staff.add.name')}
          <input
            name="name"
            value={form.name}
            onChange={(event) => setForm({ ...form, name: event.target.value })}
          />
        </label>
        <label>
          {t('staff.add.role')}
          <select
            name="role"
            value={form.role}
            onChange={(event) => setForm({ ...form, role: event.target.value as Role })}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(roleKey(role))}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('staff.add.pin')}
          <input
            name="pin"
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            value={form.pin}
            onChange={(event) => setForm({ ...form, pin: event.target.value.trim() })}
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {t('staff.add.submit')}
        </button>
      </form>

      {staff !== null && (
        <table className="staff-list">
          <thead>
            <tr>
              <th>{t('staff.col.staffNo')}</th>
              <th>{t('staff.col.name')}</th>
              <th>{t('staff.col.role')}</th>
              <th>{t('staff.col.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {staff.map((entry) => (
              <tr key={entry.id} data-staff-no={entry.staffNo} className={entry.active ? '' : 'inactive'}>
                <td>{entry.staffNo}</td>
                <td>{entry.name}</td>
                <td>{t(roleKey(entry.role))}</td>
                <td>
                  {t(entry.active ? 'staff.state.active' : 'staff.state.inactive')}
                  {entry.locked && ` · ${t('staff.state.locked')}`}
                </td>
                <td className="staff-actions">
                  {editing?.id === entry.id && editing.kind === 'pin' && (
                    <>
                      <input
                        aria-label={t('staff.newPin')}
                        placeholder={t('staff.newPin')}
                        type="password"
                        inputMode="numeric"
                        autoComplete="new-password"
                        value={editing.pin}
                        onChange={(event) => setEditing({ ...editing, pin: event.target.value.trim() })}
                      />
                      <button
                        type="button"
                        className="primary"
                        disabled={busy}
                        onClick={() =>
                          void act(() => call('staff.resetPin', { id: entry.id, pin: editing.pin }))
                        }
                      >
                        {t('staff.save')}
                      </button>
                      <button type="button" onClick={() => setEditing(null)}>
                        {t('staff.cancel')}
                      </button>
                    </>
                  )}
                  {editing?.id === entry.id && editing.kind === 'role' && (
                    <>
                      <select
                        aria-label={t('staff.changeRole')}
                        value={editing.role}
                        onChange={(event) => setEditing({ ...editing, role: event.target.value as Role })}
                      >
                        {ROLES.map((role) => (
                          <option key={role} value={role}>
                            {t(roleKey(role))}
                          </option>
                        ))}
                      </select>
                      <button
                        type="button"
                        className="primary"
                        disabled={busy}
                        onClick={() =>
                          void act(() => call('staff.changeRole', { id: entry.id, role: editing.role }))
                        }
                      >
                        {t('staff.save')}
                      </button>
                      <button type="button" onClick={() => setEditing(null)}>
                        {t('staff.cancel')}
                      </button>
                    </>
                  )}
                  {editing?.id !== entry.id && (
                    <>
                      {entry.active ? (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => void act(() => call('staff.deactivate', { id: entry.id }))}
                        >
                          {t('staff.deactivate')}
                        </button>
                      ) : (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => void act(() => call('staff.reactivate', { id: entry.id }))}
                        >
                          {t('staff.reactivate')}
                        </button>
                      )}
                      {entry.locked && (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => void act(() => call('staff.unlock', { id: entry.id }))}
                        >
                          {t('staff.unlock')}
                        </button>
                      )}
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => setEditing({ id: entry.id, kind: 'pin', pin: '' })}
                      >
                        {t('staff.resetPin')}
                      </button>
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => setEditing({ id: entry.id, kind: 'role', role: entry.role })}
                      >
                        {t('staff.changeRole')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <RecoverySheetPanel />
    </section>
  );
}
