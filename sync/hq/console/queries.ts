/**
 * What the console reads: the chain's terminals with their sync state, the chain's card keys (by fingerprint
 * only), members and cards across the chain, flagged overdrafts and rejected rows with how they were resolved,
 * and a terminal's audit stream checked link by link. Reads only; changes go through the audited admin routes.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type AuditFields, auditHash } from '../../../db/audit-hash';
import { type CardFormat, cardFormatSchema } from '../../wire';
import { type HqDatabase, rows } from '../database';
import { HQ_ORIGIN } from '../service';

export interface ConsoleTerminal {
  terminalId: string;
  storeId: string;
  name: string;
  enrolledAt: number | null;
  lastSeq: number;
  lastSeenAt: number | null;
  lagMs: number | null;
  waiting: number | null;
  openRejections: number;
  lastErrorCode: string | null;
  lastErrorAt: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
  appVersion: string | null;
  /** The newest code made for it that is neither used nor expired, if any (only when it expires). */
  codeExpiresAt: number | null;
}

export async function terminalsOf(database: HqDatabase, now: number): Promise<ConsoleTerminal[]> {
  const found = await database.exclusive(() =>
    rows<Record<string, string | number | null>>(
      database.db,
      sql`select t.terminal_id, t.store_id, t.name, t.enrolled_at, t.last_seq, t.last_seen_at, t.lag_ms, t.waiting,
                 t.last_error_code, t.last_error_at, t.revoked_at, t.revoked_by, t.app_version,
                 (select count(*) from hq_rejections r where r.terminal_id = t.terminal_id and r.resolved_at is null) as open,
                 (select max(c.expires_at) from hq_enrolment_codes c
                   where c.terminal_id = t.terminal_id and c.used_at is null and c.expires_at > ${now}) as code_expires
            from hq_terminals t order by t.store_id, t.terminal_id`,
    ),
  );
  const num = (value: string | number | null) => (value === null ? null : Number(value));
  return found.map((row) => ({
    terminalId: String(row.terminal_id),
    storeId: String(row.store_id),
    name: String(row.name ?? ''),
    enrolledAt: num(row.enrolled_at!),
    lastSeq: Number(row.last_seq),
    lastSeenAt: num(row.last_seen_at!),
    lagMs: num(row.lag_ms!),
    waiting: num(row.waiting!),
    openRejections: Number(row.open),
    lastErrorCode: (row.last_error_code as string | null) ?? null,
    lastErrorAt: num(row.last_error_at!),
    revokedAt: num(row.revoked_at!),
    revokedBy: (row.revoked_by as string | null) ?? null,
    appVersion: (row.app_version as string | null) ?? null,
    codeExpiresAt: num(row.code_expires!),
  }));
}

const FINGERPRINT_LABEL = 'member-card-pos/card-key-fingerprint/v1';

/**
 * The same digest a till shows on its card-format screen (SHA-256 over a label and both keys, first 8 bytes in
 * groups of four hex digits): two places showing the same fingerprint hold the same keys.
 */
export function cardKeyFingerprint(keys: { masterKey: Uint8Array; chainSecret: Uint8Array }): string {
  const digest = createHash('sha256')
    .update(FINGERPRINT_LABEL)
    .update(keys.masterKey)
    .update(keys.chainSecret)
    .digest('hex')
    .slice(0, 16)
    .toUpperCase();
  return digest.match(/.{4}/g)!.join(' ');
}

export interface ChainFacts {
  /** Null until the first till enrols: the keys are made then. */
  cardKeyFingerprint: string | null;
  cardFormat: CardFormat | null;
}

export async function chainFacts(database: HqDatabase): Promise<ChainFacts> {
  const found = await database.exclusive(() =>
    rows<{ key: string; value: unknown }>(
      database.db,
      sql`select key, value from hq_settings where key in ('card_keys', 'card_format')`,
    ),
  );
  const keys = found.find((row) => row.key === 'card_keys')?.value as
    | { masterKey: string; chainSecret: string }
    | undefined;
  const format = cardFormatSchema.safeParse(found.find((row) => row.key === 'card_format')?.value);
  return {
    cardKeyFingerprint: keys
      ? cardKeyFingerprint({
          masterKey: Buffer.from(keys.masterKey, 'base64'),
          chainSecret: Buffer.from(keys.chainSecret, 'base64'),
        })
      : null,
    cardFormat: format.success ? format.data : null,
  };
}

export interface CardHit {
  cardId: string;
  cardNumber: string | null;
  memberId: string | null;
  memberName: string | null;
  /** Only the last four digits leave HQ: the console never needs a member's whole number. */
  phoneTail: string | null;
  issuerStoreId: string;
  balanceFen: number;
  state: string;
}

/** Cards whose number, id, member name or phone contains the text, with their chain-wide balance and state. */
export async function searchCards(database: HqDatabase, text: string, limit = 50): Promise<CardHit[]> {
  const like = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const found = await database.exclusive(() =>
    rows<{
      card_id: string;
      card_number: string | null;
      member_id: string | null;
      member_name: string | null;
      phone: string | null;
      issuer_store_id: string;
      balance: string | number;
      state: string;
    }>(
      database.db,
      sql`with issued as (
            select distinct on (card_id) card_id, payload->'card'->>'cardNumber' as card_number,
                   payload->'card'->>'memberId' as member_id
              from hq_operations where kind = 'card_issued' and card_id is not null
             order by card_id, position desc),
          members as (
            select distinct on (payload->'member'->>'id') payload->'member'->>'id' as member_id,
                   payload->'member'->>'name' as member_name, payload->'member'->>'phone' as phone
              from hq_operations where kind = 'member_created'
             order by payload->'member'->>'id', position desc)
          select c.card_id, i.card_number, i.member_id, m.member_name, m.phone, c.issuer_store_id, c.balance, c.state
            from hq_cards c
            left join issued i on i.card_id = c.card_id
            left join members m on m.member_id = i.member_id
           where ${text} = '' or c.card_id ilike ${like} or i.card_number ilike ${like}
              or m.member_name ilike ${like} or m.phone ilike ${like}
           order by c.card_id limit ${limit}`,
    ),
  );
  return found.map((row) => ({
    cardId: row.card_id,
    cardNumber: row.card_number,
    memberId: row.member_id,
    memberName: row.member_name,
    phoneTail: row.phone ? row.phone.replace(/\D/g, '').slice(-4) : null,
    issuerStoreId: row.issuer_store_id,
    balanceFen: Number(row.balance),
    state: row.state,
  }));
}

export interface CardHistoryLine {
  position: number;
  operationId: string;
  kind: string;
  storeId: string;
  terminalId: string;
  createdAt: number;
  /** How the card's stored value moved (fen, signed); null for a change without money. */
  deltaFen: number | null;
  state: string | null;
}

export async function cardHistory(
  database: HqDatabase,
  cardId: string,
  limit = 200,
): Promise<CardHistoryLine[]> {
  const found = await database.exclusive(() =>
    rows<{
      position: string | number;
      operation_id: string;
      kind: string;
      store_id: string;
      terminal_id: string;
      created_at: string | number;
      card_delta: string | number | null;
      state: string | null;
    }>(
      database.db,
      sql`select position, operation_id, kind, store_id, terminal_id, created_at, card_delta,
                 coalesce(payload->>'state', payload->'operation'->>'cardState') as state
            from hq_operations where card_id = ${cardId} order by position desc limit ${limit}`,
    ),
  );
  return found.map((row) => ({
    position: Number(row.position),
    operationId: row.operation_id,
    kind: row.kind,
    storeId: row.store_id,
    terminalId: row.terminal_id,
    createdAt: Number(row.created_at),
    deltaFen: row.card_delta === null ? null : Number(row.card_delta),
    state: row.state,
  }));
}

/** How a flag or a rejected row was resolved: when, by whom, with what note (from HQ's own audit). */
export interface Resolution {
  resolvedAt: number | null;
  resolvedBy: string | null;
  note: string | null;
}

export interface OverdraftLine extends Resolution {
  id: number;
  cardId: string;
  operationId: string;
  storeId: string;
  terminalId: string;
  amountFen: number;
  balanceAfterFen: number;
  detectedAt: number;
}

export async function overdraftsOf(database: HqDatabase, resolved: boolean): Promise<OverdraftLine[]> {
  const found = await database.exclusive(() =>
    rows<Record<string, string | number | null>>(
      database.db,
      sql`select o.id, o.card_id, o.operation_id, o.store_id, o.terminal_id, o.amount, o.balance_after,
                 o.detected_at, o.resolved_at, a.actor, a.details->>'note' as note
            from hq_overdrafts o
            left join lateral (select actor, details from hq_admin_audit
                                where action = 'overdraft.resolve' and outcome = 'done' and target = o.id::text
                                order by id desc limit 1) a on true
           where (o.resolved_at is not null) = ${resolved}
           order by o.detected_at desc, o.id desc limit 500`,
    ),
  );
  return found.map((row) => ({
    id: Number(row.id),
    cardId: String(row.card_id),
    operationId: String(row.operation_id),
    storeId: String(row.store_id),
    terminalId: String(row.terminal_id),
    amountFen: Number(row.amount),
    balanceAfterFen: Number(row.balance_after),
    detectedAt: Number(row.detected_at),
    resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
    resolvedBy: (row.actor as string | null) ?? null,
    note: (row.note as string | null) ?? null,
  }));
}

export interface RejectionLine extends Resolution {
  operationId: string;
  terminalId: string;
  storeId: string;
  seq: number;
  kind: string;
  code: string;
  message: string;
  receivedAt: number;
}

export async function rejectionsOf(database: HqDatabase, resolved: boolean): Promise<RejectionLine[]> {
  const found = await database.exclusive(() =>
    rows<Record<string, string | number | null>>(
      database.db,
      sql`select r.operation_id, r.terminal_id, r.store_id, r.seq, r.kind, r.code, r.message, r.received_at,
                 r.resolved_at, a.actor, a.details->>'note' as note
            from hq_rejections r
            left join lateral (select actor, details from hq_admin_audit
                                where action = 'rejection.resolve' and outcome = 'done' and target = r.operation_id
                                order by id desc limit 1) a on true
           where (r.resolved_at is not null) = ${resolved}
           order by r.received_at desc limit 500`,
    ),
  );
  return found.map((row) => ({
    operationId: String(row.operation_id),
    terminalId: String(row.terminal_id),
    storeId: String(row.store_id),
    seq: Number(row.seq),
    kind: String(row.kind),
    code: String(row.code),
    message: String(row.message),
    receivedAt: Number(row.received_at),
    resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
    resolvedBy: (row.actor as string | null) ?? null,
    note: (row.note as string | null) ?? null,
  }));
}

export interface AuditCheck {
  terminalId: string;
  lines: number;
  /** The id of the first line whose hash does not follow from the line before it; null when all do. */
  brokenAt: number | null;
  lastHash: string | null;
}

/** Recomputes a terminal's audit chain at HQ, line by line, with the very hash function the till uses. */
export async function checkAuditChain(database: HqDatabase, terminalId: string): Promise<AuditCheck> {
  const found = await database.exclusive(() =>
    rows<Record<string, string | number | null>>(
      database.db,
      sql`select audit_id, at, action, outcome, code, operation_id, staff_id, line_terminal_id, details, hash
            from hq_audit where terminal_id = ${terminalId} order by audit_id`,
    ),
  );
  let previous: string | null = null;
  let expectedId = 1;
  for (const row of found) {
    const fields: AuditFields = [
      Number(row.audit_id),
      Number(row.at),
      String(row.action),
      String(row.outcome),
      (row.code as string | null) ?? null,
      (row.operation_id as string | null) ?? null,
      (row.staff_id as string | null) ?? null,
      (row.line_terminal_id as string | null) ?? null,
      (row.details as string | null) ?? null,
    ];
    // Lines written before the chain began carry no hash, and may only come before the first chained line.
    const follows = row.hash === null ? previous === null : auditHash(previous, fields) === row.hash;
    if (Number(row.audit_id) !== expectedId || !follows) {
      return { terminalId, lines: found.length, brokenAt: Number(row.audit_id), lastHash: previous };
    }
    previous = (row.hash as string | null) ?? null;
    expectedId += 1;
  }
  return { terminalId, lines: found.length, brokenAt: null, lastHash: previous };
}

export interface PublishedRule {
  ruleId: string;
  storeId: string;
  version: number;
  retired: boolean;
  by: string;
  publishedAt: number;
  /** The terms of the latest version, as published (so the console can retire it with the same terms). */
  rule: Record<string, unknown>;
}

/** The latest version of every bonus rule HQ published, newest first. */
export async function publishedRules(database: HqDatabase): Promise<PublishedRule[]> {
  const found = await database.exclusive(() =>
    rows<{ store_id: string; rule: Record<string, unknown>; by: string | null; created_at: string | number }>(
      database.db,
      sql`select * from (
            select distinct on (payload->'rule'->>'id') store_id, payload->'rule' as rule, payload->>'by' as by, created_at
              from hq_operations where terminal_id = ${HQ_ORIGIN} and kind = 'bonus_rule'
             order by payload->'rule'->>'id', position desc) latest
           order by created_at desc`,
    ),
  );
  return found.map((row) => ({
    ruleId: String(row.rule.id),
    storeId: row.store_id,
    version: Number(row.rule.version),
    retired: row.rule.retired === true,
    by: row.by ?? '',
    publishedAt: Number(row.created_at),
    rule: row.rule,
  }));
}
