/**
 * The terminal's audit stream to HQ: the hash-chained audit log sent in id order, in batches, on a cursor of
 * its own. It is kept apart from the outbox on purpose: the outbox's sequence numbers are HQ's exactly-once
 * key for money, and an audit line HQ refuses (a chain that does not follow) must never hold a sale back.
 *
 * - The cursor (the last audit id HQ acknowledged) is saved only after HQ committed the lines, so a crash
 *   resends and HQ answers the copies as duplicates.
 * - A line HQ refuses stays unsent and is reported once as a sync error for a manager; the stream stops at it
 *   (every later line's hash depends on it), while the outbox keeps flowing.
 * - HQ missing lines before the batch (its database restored from an older copy) answers AUDIT_GAP with the
 *   id it expects; the cursor steps back to it so the stream heals by itself.
 */
import type { HqTransport } from './client';
import { SyncError } from './errors';
import type { SettingsStore } from './outbox';
import type { WireAuditRecord } from './wire';

export const AUDIT_CURSOR_KEY = 'sync.auditCursor';

/** The terminal's audit log as the stream reads it (the ledger's `auditLog`). */
export interface AuditSource {
  after(afterId: number, limit: number): WireAuditRecord[];
  countAfter(afterId: number): number;
}

export interface AuditPushOutcome {
  sent: number;
  accepted: number;
  duplicate: number;
}

/** What a refused line becomes at the terminal: a sync error named after the line. */
export interface AuditRefusal {
  auditId: number;
  action: string;
  code: string;
  message: string;
}

export interface AuditStreamOptions {
  terminalId: string;
  source: AuditSource;
  settings: SettingsStore;
  transport: Pick<HqTransport, 'pushAudit'>;
  batchSize: number;
  onRefused(refusal: AuditRefusal): void;
}

export class AuditStream {
  constructor(private readonly options: AuditStreamOptions) {}

  cursor(): number {
    return this.options.settings.get<number>(AUDIT_CURSOR_KEY) ?? 0;
  }

  waiting(): number {
    return this.options.source.countAfter(this.cursor());
  }

  /** Sends one batch from the cursor; throws a SyncError when HQ could not take it or refused a line. */
  async pushOnce(): Promise<AuditPushOutcome> {
    const { source, settings, transport, terminalId, batchSize } = this.options;
    const after = this.cursor();
    const records = source.after(after, batchSize);
    if (records.length === 0) return { sent: 0, accepted: 0, duplicate: 0 };
    const lastSent = records[records.length - 1]!.id;
    let answer: Awaited<ReturnType<HqTransport['pushAudit']>>;
    try {
      answer = await transport.pushAudit(
        terminalId,
        records,
        records.length < batchSize ? 0 : Math.max(0, source.countAfter(lastSent)),
      );
    } catch (error) {
      const expected = error instanceof SyncError ? error.details?.expectedAuditId : undefined;
      if (error instanceof SyncError && error.code === 'AUDIT_GAP' && typeof expected === 'number') {
        if (Number.isSafeInteger(expected) && expected >= 1 && expected - 1 < after) {
          settings.set(AUDIT_CURSOR_KEY, expected - 1);
        }
      }
      throw error;
    }
    // Never past what was sent: a longer log at HQ (this book restored from an older backup) is not ours to skip.
    const next = Math.min(answer.lastAuditId, lastSent);
    if (next > after) settings.set(AUDIT_CURSOR_KEY, next);
    if (answer.refused !== null) {
      const refused = answer.refused;
      const line = records.find((record) => record.id === refused.id);
      this.options.onRefused({
        auditId: refused.id,
        action: line?.action ?? 'audit',
        code: refused.code,
        message: refused.message,
      });
      throw new SyncError(refused.code, refused.message, {
        details: { auditId: refused.id, retryable: false },
      });
    }
    return { sent: records.length, accepted: answer.accepted, duplicate: answer.duplicate };
  }
}
