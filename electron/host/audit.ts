/**
 * Audit lines for what the host does itself: device pairing, terminal settings, exports, backups. They go on
 * the ledger's one hash-chained audit log through the ledger's own writer, so the chain (and what reaches HQ)
 * covers these next to every operation. Lines name who, what and how much (kinds, formats, row counts, device
 * ids), never the exported content or anything personal.
 */
import { type Ledger, ledgerAudit, withinTransaction } from '../../db';
import { addSyncErrors } from '../../sync/index';
import type { CommandName } from '../contract';
import type { Handler, Handlers } from './api';
import type { Logger } from './logger';

export interface HostAuditLine {
  action: string;
  outcome?: 'ok' | 'rejected';
  code?: string | null;
  staffId: string | null | undefined;
  details: Record<string, unknown>;
}

export interface HostAudit {
  /** Appends in the caller's transaction when one is open (so a change and its line commit together), else alone. */
  record(line: HostAuditLine): void;
}

export function hostAudit(ledger: Ledger, terminalId: string, now: () => number = Date.now): HostAudit {
  const writer = ledgerAudit(ledger, now);
  const write = (line: HostAuditLine) =>
    writer.write({
      at: now(),
      action: line.action,
      outcome: line.outcome ?? 'ok',
      code: line.code ?? null,
      staffId: line.staffId ?? null,
      terminalId,
      details: line.details,
    });
  return {
    record(line) {
      withinTransaction(ledger, () => write(line));
    },
  };
}

/** The stable code of whatever a command threw, for the rejected line. */
export function codeOf(error: unknown, fallback: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : fallback;
}

type ExportCommand = 'day.export' | 'export.members' | 'export.operations' | 'devices.bundle';

/** What each export's line says: its kind, format and scope from the input, and the rows from the answer. */
const EXPORTS: { [N in ExportCommand]: (input: Parameters<Handler<N>>[0]) => Record<string, unknown> } = {
  'day.export': ({ businessDay, content, format, exportId }) => ({
    kind: content === 'z_report' ? 'z_report' : 'operations',
    format,
    businessDay,
    exportId,
  }),
  'export.members': ({ format }) => ({ kind: 'members', format }),
  'export.operations': ({ format, fromDay, toDay }) => ({ kind: 'operations', format, fromDay, toDay }),
  'devices.bundle': () => ({ kind: 'diagnostics', format: 'tar.gz' }),
};

/**
 * Wraps every export command so each one leaves one audit line: `data.export` with the kind, format, scope,
 * file name and row count when it succeeded, or a rejected line with its code when it failed.
 */
export function auditExports<H extends Pick<Handlers, ExportCommand>>(handlers: H, audit: HostAudit): H {
  const wrapped = { ...handlers };
  for (const name of Object.keys(EXPORTS) as ExportCommand[]) {
    const inner = handlers[name] as Handler<CommandName>;
    const describe = EXPORTS[name] as (input: unknown) => Record<string, unknown>;
    (wrapped as Record<string, Handler<CommandName>>)[name] = async (input, context) => {
      const staffId = context.session.staff?.id;
      const details = describe(input);
      let result: unknown;
      try {
        result = await inner(input, context);
      } catch (error) {
        audit.record({
          action: 'data.export',
          outcome: 'rejected',
          code: codeOf(error, 'EXPORT_FAILED'),
          staffId,
          details,
        });
        throw error;
      }
      audit.record({ action: 'data.export', staffId, details: { ...details, ...exported(result) } });
      return result as never;
    };
  }
  return wrapped;
}

/** The row count and file name of an export's answer; never its bytes. */
function exported(result: unknown): Record<string, unknown> {
  const answer = (result ?? {}) as { rows?: unknown; fileName?: unknown; path?: unknown; bytes?: unknown };
  const out: Record<string, unknown> = {};
  if (typeof answer.rows === 'number') out.rows = answer.rows;
  if (typeof answer.bytes === 'number') out.bytes = answer.bytes;
  const name =
    typeof answer.fileName === 'string'
      ? answer.fileName
      : typeof answer.path === 'string'
        ? answer.path.split('/').pop()
        : undefined;
  if (name !== undefined) out.fileName = name;
  return out;
}

/**
 * What the ledger found when it checked the audit chain and its seals at open. A break does not stop the till
 * (the ledger's own money invariants were checked separately); it is logged plainly, recorded on the chain (the
 * ledger did that, so HQ receives it on the audit stream), and listed with the sync errors a manager sees.
 */
export function reportAuditChain(ledger: Ledger, logger: Logger, now: () => number): void {
  const report = ledger.auditChainAtOpen;
  if (report === null || report.ok) return;
  logger.error(
    { brokenAt: report.brokenAt, lines: report.lines },
    `AUDIT_CHAIN_BROKEN: ${report.message ?? 'the audit log does not verify'}; the lines from ${report.brokenAt} on cannot be trusted`,
  );
  addSyncErrors(ledger.settings, [
    {
      operationId: `audit-verify:${report.brokenAt}`,
      seq: report.brokenAt ?? 0,
      kind: 'audit',
      code: 'AUDIT_CHAIN_BROKEN',
      message: report.message ?? 'the audit log does not verify',
      at: now(),
      resolvedAt: null,
      resolvedBy: null,
    },
  ]);
}
