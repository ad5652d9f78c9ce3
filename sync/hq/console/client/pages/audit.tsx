/**
 * Audit: a terminal's own hash-chained log as HQ holds it, with the chain recomputed at HQ line by line, and
 * the changes made at HQ itself (chain admins only), every one with who, what, and whether it was done.
 */
import { type FormEvent, useState } from 'react';
import { get, when } from '../api';
import { ErrorNote, Table, useAction, useConsole, useLoaded } from '../shared';

interface AuditLine {
  id: number;
  at: number;
  action: string;
  outcome: string;
  code: string | null;
  operationId: string | null;
  staffId: string | null;
}

interface Check {
  lines: number;
  brokenAt: number | null;
}

interface HqEntry {
  id: number;
  at: number;
  actor: string | null;
  action: string;
  target: string | null;
  outcome: string;
  code: string | null;
  details: Record<string, unknown> | null;
}

function HqAudit() {
  const { t } = useConsole();
  const entries = useLoaded(() => get<{ entries: HqEntry[] }>('/admin/hq-audit?limit=200'), []);
  return (
    <>
      <h2>{t('hqAudit')}</h2>
      <ErrorNote error={entries.error} />
      <Table
        name={t('hqAudit')}
        head={[t('at'), t('actor'), t('action'), t('target'), t('outcome'), t('code'), t('resolutionNote')]}
        rows={(entries.data?.entries ?? []).map((entry) => ({
          key: String(entry.id),
          cells: [
            when(entry.at),
            entry.actor ?? '',
            entry.action,
            entry.target ?? '',
            entry.outcome,
            entry.code ?? '',
            typeof entry.details?.note === 'string' ? entry.details.note : '',
          ],
        }))}
      />
    </>
  );
}

export function AuditPage() {
  const { t, user } = useConsole();
  const terminals = useLoaded(() => get<{ terminals: { terminalId: string }[] }>('/admin/terminals'), []);
  const [terminal, setTerminal] = useState('');
  const [lines, setLines] = useState<AuditLine[] | null>(null);
  const [check, setCheck] = useState<Check | null>(null);
  const action = useAction();
  const chosen = terminal || terminals.data?.terminals[0]?.terminalId || '';
  const show = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const query = encodeURIComponent(chosen);
      const [found, checked] = await Promise.all([
        get<{ lines: AuditLine[] }>(`/admin/audit?terminal=${query}&limit=1000`),
        get<Check>(`/admin/audit-check?terminal=${query}`),
      ]);
      setLines(found.lines);
      setCheck(checked);
    });
  };
  return (
    <>
      <h2>{t('auditStream')}</h2>
      <form className="inline" onSubmit={show}>
        <label>
          {t('terminalId')}
          <select value={chosen} onChange={(e) => setTerminal(e.target.value)}>
            {(terminals.data?.terminals ?? []).map((row) => (
              <option key={row.terminalId} value={row.terminalId}>
                {row.terminalId}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={chosen === ''}>
          {t('chainCheck')}
        </button>
      </form>
      <ErrorNote error={terminals.error ?? action.error} />
      {check && (
        <p role="status" className={check.brokenAt === null ? 'ok' : 'warn'}>
          {check.brokenAt === null
            ? t('chainIntact', { lines: check.lines })
            : t('chainBroken', { id: check.brokenAt })}
        </p>
      )}
      {lines && (
        <Table
          name={t('auditStream')}
          head={['#', t('at'), t('action'), t('outcome'), t('code'), t('staff'), t('operation')]}
          rows={lines.map((line) => ({
            key: String(line.id),
            cells: [
              line.id,
              when(line.at),
              line.action,
              line.outcome,
              line.code ?? '',
              line.staffId ?? '',
              line.operationId ?? '',
            ],
          }))}
        />
      )}
      {user.role === 'chain_admin' && <HqAudit />}
    </>
  );
}
