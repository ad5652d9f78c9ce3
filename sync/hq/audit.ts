/**
 * HQ's copy of each terminal's audit log. Lines arrive in id order on their own stream (never through the
 * outbox, whose sequence is the money's exactly-once key). Each line is kept once per (terminal, id), a batch
 * that starts past the next expected id is refused whole (AUDIT_GAP), and a line is taken only if its hash is
 * what the terminal's own function gives for the stored line before it and the line's fields: an edited,
 * inserted or removed line at the terminal is refused with AUDIT_CHAIN_BROKEN, and nothing after it is taken.
 * The lines before the broken one are committed, so the terminal's cursor moves up to it.
 */
import { and, asc, between, desc, eq, gt, sql } from 'drizzle-orm';
// The very function the terminal hashes with; this module of the ledger depends on node:crypto alone.
import { type AuditFields, auditHash } from '../../db/audit-hash';
import { SyncError } from '../errors';
import type { AuditPushResponse, WireAuditRecord } from '../wire';
import { type HqDatabase, type HqTx, rows } from './database';
import { auditLines, terminals } from './schema';

export type AuditIngestOutcome = Omit<AuditPushResponse, 'version' | 'serverTime'>;

/** Keeps each INSERT's parameters well under PostgreSQL's limit of 65,535. */
const INSERT_CHUNK = 1_000;

function fieldsOf(record: WireAuditRecord): AuditFields {
  return [
    record.id,
    record.at,
    record.action,
    record.outcome,
    record.code,
    record.operationId,
    record.staffId,
    record.terminalId,
    record.details,
  ];
}

function sameLine(a: WireAuditRecord, b: WireAuditRecord): boolean {
  return a.hash === b.hash && JSON.stringify(fieldsOf(a)) === JSON.stringify(fieldsOf(b));
}

function checkShape(records: readonly WireAuditRecord[]): void {
  if (records.length === 0) throw new SyncError('REQUEST_MALFORMED', 'An audit push must carry a line.');
  for (let index = 1; index < records.length; index += 1) {
    if (records[index]!.id !== records[index - 1]!.id + 1) {
      throw new SyncError('BATCH_NOT_CONTIGUOUS', 'Audit lines must come with consecutive ids in order.', {
        details: { at: index, id: records[index]!.id, previous: records[index - 1]!.id },
      });
    }
  }
}

export async function ingestAudit(
  database: HqDatabase,
  terminalId: string,
  records: readonly WireAuditRecord[],
  now: number,
): Promise<AuditIngestOutcome> {
  checkShape(records);
  return database.exclusive(() =>
    database.db.transaction(async (tx) => {
      // One writer per terminal at a time: the chain's tail is read and extended in one go.
      const [terminal] = await rows<{ terminal_id: string }>(
        tx,
        sql`select terminal_id from hq_terminals where terminal_id = ${terminalId} for update`,
      );
      if (!terminal) throw new SyncError('UNKNOWN_TERMINAL', 'This terminal is not enrolled.');
      const [tail] = await tx
        .select({ auditId: auditLines.auditId, hash: auditLines.hash })
        .from(auditLines)
        .where(eq(auditLines.terminalId, terminalId))
        .orderBy(desc(auditLines.auditId))
        .limit(1);
      const lastId = tail?.auditId ?? 0;
      const first = records[0]!.id;
      if (first > lastId + 1) {
        throw new SyncError('AUDIT_GAP', 'HQ is missing earlier audit lines from this terminal.', {
          details: { expectedAuditId: lastId + 1, receivedAuditId: first },
        });
      }
      const outcome: AuditIngestOutcome = { lastAuditId: lastId, accepted: 0, duplicate: 0, refused: null };
      const seen = records.filter((record) => record.id <= lastId);
      if (seen.length > 0) {
        const refused = await compareSeen(tx, terminalId, seen);
        outcome.duplicate = refused === null ? seen.length : refused.index;
        if (refused !== null) {
          outcome.refused = refused.refusal;
          await noteRefusal(tx, terminalId, refused.refusal.code, now);
          return outcome;
        }
      }
      const fresh = records.filter((record) => record.id > lastId);
      const taken: WireAuditRecord[] = [];
      // Lines written before the chain began carry no hash, and may only come before the first chained line.
      let previous = tail?.hash ?? null;
      for (const record of fresh) {
        const follows =
          record.hash === null ? previous === null : record.hash === auditHash(previous, fieldsOf(record));
        if (!follows) {
          outcome.refused = {
            id: record.id,
            code: 'AUDIT_CHAIN_BROKEN',
            message: `Audit line ${record.id} does not follow from the line before it: it was edited, inserted or a line before it was removed.`,
          };
          break;
        }
        taken.push(record);
        previous = record.hash;
      }
      for (let start = 0; start < taken.length; start += INSERT_CHUNK) {
        await tx.insert(auditLines).values(
          taken.slice(start, start + INSERT_CHUNK).map((record) => ({
            terminalId,
            auditId: record.id,
            at: record.at,
            action: record.action,
            outcome: record.outcome,
            code: record.code,
            operationId: record.operationId,
            staffId: record.staffId,
            lineTerminalId: record.terminalId,
            details: record.details,
            hash: record.hash,
            receivedAt: now,
          })),
        );
      }
      outcome.accepted = taken.length;
      if (taken.length > 0) outcome.lastAuditId = taken[taken.length - 1]!.id;
      if (outcome.refused !== null) await noteRefusal(tx, terminalId, outcome.refused.code, now);
      else await tx.update(terminals).set({ lastSeenAt: now }).where(eq(terminals.terminalId, terminalId));
      return outcome;
    }),
  );
}

/** Lines HQ already holds: the same line again is a duplicate; another line under the same id is refused. */
async function compareSeen(
  tx: HqTx,
  terminalId: string,
  seen: readonly WireAuditRecord[],
): Promise<{ index: number; refusal: NonNullable<AuditIngestOutcome['refused']> } | null> {
  const stored = await tx
    .select()
    .from(auditLines)
    .where(
      and(
        eq(auditLines.terminalId, terminalId),
        between(auditLines.auditId, seen[0]!.id, seen[seen.length - 1]!.id),
      ),
    );
  const byId = new Map(stored.map((row) => [row.auditId, row]));
  for (let index = 0; index < seen.length; index += 1) {
    const record = seen[index]!;
    const held = byId.get(record.id);
    if (held === undefined || !sameLine(recordOf(held), record)) {
      return {
        index,
        refusal: {
          id: record.id,
          code: 'AUDIT_CHAIN_BROKEN',
          message: `Audit line ${record.id} differs from the copy HQ already holds.`,
        },
      };
    }
  }
  return null;
}

async function noteRefusal(tx: HqTx, terminalId: string, code: string, now: number): Promise<void> {
  await tx
    .update(terminals)
    .set({ lastSeenAt: now, lastErrorCode: code, lastErrorAt: now })
    .where(eq(terminals.terminalId, terminalId));
}

/** One terminal's audit lines after an id, in id order (the admin's read). */
export async function auditLinesOf(
  database: HqDatabase,
  terminalId: string,
  after: number,
  limit: number,
): Promise<{ lines: WireAuditRecord[]; hasMore: boolean }> {
  const found = await database.exclusive(() =>
    database.db
      .select()
      .from(auditLines)
      .where(and(eq(auditLines.terminalId, terminalId), gt(auditLines.auditId, after)))
      .orderBy(asc(auditLines.auditId))
      .limit(limit + 1),
  );
  return { lines: found.slice(0, limit).map(recordOf), hasMore: found.length > limit };
}

/** A stored line in the wire's shape. */
function recordOf(row: typeof auditLines.$inferSelect): WireAuditRecord {
  return {
    id: row.auditId,
    at: row.at,
    action: row.action,
    outcome: row.outcome,
    code: row.code,
    operationId: row.operationId,
    staffId: row.staffId,
    terminalId: row.lineTerminalId,
    details: row.details,
    hash: row.hash,
  };
}
