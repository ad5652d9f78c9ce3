/**
 * HQ's operations over its database: enrolment, ingest, the change feed, offline caps and the managers' report.
 * The HTTP server is a thin shell around this.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import { ulid } from 'ulid';
import { cardKeysContext } from '../client';
import { SyncError } from '../errors';
import { SIGNATURE_WINDOW_MS } from '../signing';
import { sealTo } from '../terminal-keys';
import {
  type AmountLimits,
  amountLimitsSchema,
  type BonusRuleVersion,
  type CardFormat,
  type ChainKeyedEntryPolicy,
  cardFormatSchema,
  DEFAULT_CHAIN_KEYED_ENTRY,
  DEFAULT_OFFLINE_CAPS,
  type EnrolRequest,
  type EnrolResponse,
  type EnrolStore,
  enrolStoreSchema,
  type FeedEntry,
  keyedEntryPolicySchema,
  type OfflineCaps,
  offlineCapsSchema,
  PROTOCOL_VERSION,
  type PublishRuleRequest,
  publishRuleRequestSchema,
  type WireAuditRecord,
  type WireOperation,
  type WireTier,
  wireTierSchema,
} from '../wire';
import { type AuditIngestOutcome, auditLinesOf, ingestAudit } from './audit';
import { type HqDatabase, type HqTx, rows } from './database';
import { FEED_LOCK, type IngestOutcome, Ingestor } from './ingest';
import { TerminalKeyCache, type TerminalKeyEntry } from './key-cache';
import type { NonceClaim } from './nonces';
import {
  cards,
  enrolmentCodes,
  operations,
  overdrafts,
  rejections,
  settings,
  stores,
  terminals,
} from './schema';

const CAPS_KEY = 'offline_caps';
const AMOUNT_LIMITS_KEY = 'amount_limits';
/** The chain's rule for typed card numbers (`keyedEntryPolicySchema`). */
const KEYED_ENTRY_KEY = 'keyed_entry_policy';
/** The chain's card keys (`{ masterKey, chainSecret }`, base64) and the secured card format, made once. */
const CARD_KEYS_KEY = 'card_keys';
const CARD_FORMAT_KEY = 'card_format';
const TIERS_KEY = 'tiers';
/** How long an enrolment code stays good unless the admin says otherwise. */
export const ENROLMENT_CODE_TTL_MS = 24 * 60 * 60 * 1000;
const CARD_KEY_BYTES = 32;
/** The feed's name for changes made at HQ itself; no terminal may enrol under it. */
export const HQ_ORIGIN = 'hq';
const CARD_STATES: ReadonlySet<string> = new Set(['active', 'frozen', 'lost', 'replaced', 'closed']);

export interface HqReport {
  generatedAt: number;
  terminals: {
    terminalId: string;
    storeId: string;
    lastSeq: number;
    lastSeenAt: number | null;
    /** Age of the oldest row not yet delivered, at the terminal's last push. */
    lagMs: number | null;
    /** Rows still waiting at the terminal after its last push. */
    waiting: number | null;
    openRejections: number;
    lastErrorCode: string | null;
    /** When the chain revoked the terminal; null while it may sync. */
    revokedAt: number | null;
  }[];
  rejections: {
    operationId: string;
    terminalId: string;
    seq: number;
    kind: string;
    code: string;
    message: string;
  }[];
  overdrafts: {
    id: number;
    cardId: string;
    operationId: string;
    storeId: string;
    terminalId: string;
    amount: number;
    balanceAfter: number;
    detectedAt: number;
  }[];
  /** Per (issuing store, acting store): stored value redeemed and loaded at the acting store; net is owed by the issuer. */
  settlement: {
    issuerStoreId: string;
    actingStoreId: string;
    redeemed: number;
    loaded: number;
    net: number;
  }[];
  /** The latest version of every bonus rule HQ published. */
  rules: {
    ruleId: string;
    storeId: string;
    version: number;
    name: string;
    retired: boolean;
    by: string;
    publishedAt: number;
  }[];
  /** Sum of every card's balance across the chain, fen. */
  liability: number;
  cards: number;
  caps: OfflineCaps;
  keyedEntry: ChainKeyedEntryPolicy;
}

/** Appends a change made at HQ itself to the feed; the caller holds the feed lock in `tx`. */
export async function appendHqOperation(
  tx: HqTx,
  input: {
    operationId: string;
    storeId: string;
    kind: string;
    payload: unknown;
    cardId: string | null;
    now: number;
  },
): Promise<void> {
  const [last] = await rows<{ seq: string | number }>(
    tx,
    sql`select coalesce(max(seq), 0) as seq from hq_operations where terminal_id = ${HQ_ORIGIN}`,
  );
  await tx.insert(operations).values({
    operationId: input.operationId,
    terminalId: HQ_ORIGIN,
    storeId: input.storeId,
    seq: Number(last?.seq ?? 0) + 1,
    kind: input.kind,
    payload: input.payload,
    cardId: input.cardId,
    createdAt: input.now,
    receivedAt: input.now,
  });
}

/**
 * The chain's card keys and format, made the first time any till enrols: random 32-byte keys and a random
 * chain id. Every till enrolled later gets the same, so every till reads every card of the chain. Kept in
 * HQ's database: HQ's database is as secret as the chain's cards.
 */
async function chainSecrets(
  tx: HqTx,
  now: number,
): Promise<{ keys: { masterKey: string; chainSecret: string }; format: CardFormat }> {
  await tx
    .insert(settings)
    .values([
      {
        key: CARD_KEYS_KEY,
        value: {
          masterKey: randomBytes(CARD_KEY_BYTES).toString('base64'),
          chainSecret: randomBytes(CARD_KEY_BYTES).toString('base64'),
        },
        updatedAt: now,
      },
      {
        key: CARD_FORMAT_KEY,
        value: { chainId: randomInt(1, 0xffff_ffff), sector: 1, purse: false },
        updatedAt: now,
      },
    ])
    .onConflictDoNothing();
  const found = await tx
    .select({ key: settings.key, value: settings.value })
    .from(settings)
    .where(sql`${settings.key} in (${CARD_KEYS_KEY}, ${CARD_FORMAT_KEY})`);
  const keys = found.find((row) => row.key === CARD_KEYS_KEY)?.value as {
    masterKey: string;
    chainSecret: string;
  };
  const format = cardFormatSchema.parse(found.find((row) => row.key === CARD_FORMAT_KEY)?.value);
  return { keys, format };
}

/** The stored caps, or the defaults when none were set or the row is malformed. */
function capsOf(value: unknown): OfflineCaps {
  if (value === undefined) return DEFAULT_OFFLINE_CAPS;
  const parsed = offlineCapsSchema.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_OFFLINE_CAPS;
}

function amountLimitsOf(value: unknown): AmountLimits | undefined {
  const parsed = amountLimitsSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** A stored rule, or the defaults when none was set (a malformed row never loosens the rule). */
function keyedEntryPolicyOf(value: unknown): ChainKeyedEntryPolicy {
  const parsed = keyedEntryPolicySchema.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_CHAIN_KEYED_ENTRY;
}

/** Letters and digits a person reads and types without mixing up (no I, L, O, 0, 1). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 20;

/** 20 characters of 31 (about 99 bits), printed in groups of five; case, spaces and dashes do not matter. */
function newEnrolmentCode(): string {
  let code = '';
  for (let index = 0; index < CODE_LENGTH; index += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** The code as typed or scanned, reduced to its characters: `abcde-fghjk` and `ABCDEFGHJK` are one code. */
export function normaliseEnrolmentCode(code: string): string {
  return code.replace(/[\s-]+/g, '').toUpperCase();
}

function hashCode(code: string): string {
  return createHash('sha256').update(normaliseEnrolmentCode(code)).digest('hex');
}

export class HqService {
  private readonly keys: TerminalKeyCache;
  private readonly ingestor: Ingestor;
  /** The app version last written per terminal by this process. */
  private readonly versions = new Map<string, string>();

  constructor(
    readonly database: HqDatabase,
    options: { keyTtlMs?: number } = {},
  ) {
    this.ingestor = new Ingestor(database);
    this.keys = new TerminalKeyCache((id) => this.loadKey(id), options.keyTtlMs);
  }

  private get db() {
    return this.database.db;
  }

  /** Adds a store to the chain, or updates its name, address, time zone and currency. */
  async saveStore(input: EnrolStore & { now: number }): Promise<EnrolStore> {
    const parsed = enrolStoreSchema.safeParse(input);
    if (!parsed.success) {
      throw new SyncError('STORE_INVALID', 'A store needs an id, a name, a time zone and a currency code.', {
        details: {
          issues: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`),
        },
      });
    }
    try {
      new Intl.DateTimeFormat('en', { timeZone: parsed.data.timeZone });
    } catch (cause) {
      throw new SyncError('STORE_INVALID', `Unknown time zone ${parsed.data.timeZone}.`, { cause });
    }
    const { id, ...facts } = parsed.data;
    await this.database.exclusive(() =>
      this.db
        .insert(stores)
        .values({ storeId: id, ...facts, createdAt: input.now })
        .onConflictDoUpdate({ target: stores.storeId, set: facts }),
    );
    return parsed.data;
  }

  async stores(): Promise<EnrolStore[]> {
    const found = await this.database.exclusive(() =>
      this.db.select().from(stores).orderBy(asc(stores.storeId)),
    );
    return found.map(({ storeId, name, address, timeZone, currency }) => ({
      id: storeId,
      name,
      address,
      timeZone,
      currency,
    }));
  }

  /**
   * Creates a terminal for a store with a new unique id (`<store id>-T<n>`) and its first one-time code.
   * The name is what the store calls the till ("前台 1号机"); it need not be unique.
   */
  async createTerminal(input: {
    storeId: string;
    name: string;
    /** An id the admin chose instead of the next `<store id>-T<n>`; refused when taken (TERMINAL_EXISTS). */
    terminalId?: string;
    now: number;
    ttlMs?: number;
  }): Promise<{ terminalId: string; name: string; code: string; expiresAt: number }> {
    const name = input.name.trim();
    if (name === '' || name.length > 200) {
      throw new SyncError('TERMINAL_INVALID', 'A terminal needs a name of 1 to 200 characters.');
    }
    const terminalId = await this.database.exclusive(() =>
      this.db.transaction(async (tx) => {
        const [store] = await tx
          .select({ id: stores.storeId })
          .from(stores)
          .where(eq(stores.storeId, input.storeId));
        if (!store) {
          throw new SyncError('HQ_STORE_UNKNOWN', 'HQ has no such store; add it first.', {
            details: { storeId: input.storeId },
          });
        }
        // Serialised on the store's row so two admins adding a till at once get two numbers.
        await tx.execute(sql`select 1 from hq_stores where store_id = ${input.storeId} for update`);
        const [count] = await rows<{ n: string | number }>(
          tx,
          sql`select count(*) as n from hq_terminals where store_id = ${input.storeId}`,
        );
        if (input.terminalId !== undefined) {
          if (input.terminalId === HQ_ORIGIN) {
            throw new SyncError('TERMINAL_ID_RESERVED', `"${HQ_ORIGIN}" names HQ itself in the feed.`);
          }
          const [taken] = await tx
            .select({ id: terminals.terminalId })
            .from(terminals)
            .where(eq(terminals.terminalId, input.terminalId));
          if (taken) {
            throw new SyncError(
              'TERMINAL_EXISTS',
              'A terminal with this id exists; give it a new code instead.',
              {
                details: { terminalId: input.terminalId },
              },
            );
          }
          await tx
            .insert(terminals)
            .values({ terminalId: input.terminalId, storeId: input.storeId, name, createdAt: input.now });
          return input.terminalId;
        }
        let number = Number(count?.n ?? 0) + 1;
        for (;;) {
          const id = `${input.storeId}-T${number}`;
          const [taken] = await tx
            .select({ id: terminals.terminalId })
            .from(terminals)
            .where(eq(terminals.terminalId, id));
          if (!taken) {
            await tx
              .insert(terminals)
              .values({ terminalId: id, storeId: input.storeId, name, createdAt: input.now });
            return id;
          }
          number += 1;
        }
      }),
    );
    const { code, expiresAt } = await this.createEnrolmentCode({
      terminalId,
      now: input.now,
      ttlMs: input.ttlMs,
    });
    return { terminalId, name, code, expiresAt };
  }

  /**
   * A one-time code a technician types into a till; it names the terminal (and so its store). A new code for a
   * terminal already enrolled is how a replaced or revoked till comes back: exchanging it replaces the key.
   */
  async createEnrolmentCode(input: {
    terminalId: string;
    now: number;
    ttlMs?: number;
  }): Promise<{ code: string; terminalId: string; storeId: string; expiresAt: number }> {
    if (input.terminalId === HQ_ORIGIN) {
      throw new SyncError('TERMINAL_ID_RESERVED', `"${HQ_ORIGIN}" names HQ itself in the feed.`);
    }
    const ttlMs = input.ttlMs ?? ENROLMENT_CODE_TTL_MS;
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
      throw new SyncError('TTL_INVALID', 'A code must be good for a positive number of milliseconds.');
    }
    const code = newEnrolmentCode();
    const expiresAt = input.now + ttlMs;
    const storeId = await this.database.exclusive(() =>
      this.db.transaction(async (tx) => {
        const [terminal] = await tx
          .select({ storeId: terminals.storeId })
          .from(terminals)
          .where(eq(terminals.terminalId, input.terminalId));
        if (!terminal) {
          throw new SyncError(
            'TERMINAL_NOT_FOUND',
            'HQ has no such terminal; create it for its store first.',
            {
              details: { terminalId: input.terminalId },
            },
          );
        }
        await tx.insert(enrolmentCodes).values({
          codeHash: hashCode(code),
          terminalId: input.terminalId,
          storeId: terminal.storeId,
          createdAt: input.now,
          expiresAt,
        });
        return terminal.storeId;
      }),
    );
    return { code, terminalId: input.terminalId, storeId, expiresAt };
  }

  /**
   * Exchanges a code for the till's place in the chain. Refused, with nothing spent: a till clock far from
   * HQ's (CLOCK_SKEW), an unknown, used or expired code, a code for another store than the till expects.
   * Accepted: the code is spent and the terminal's public key replaced in one transaction (a re-enrolled
   * till's old key stops working at once), and the answer carries the chain's card keys sealed to the till.
   */
  async enrol(request: EnrolRequest, now: number): Promise<EnrolResponse> {
    if (Math.abs(now - request.terminalTime) > SIGNATURE_WINDOW_MS) {
      throw new SyncError('CLOCK_SKEW', "The till's clock is too far from HQ's; set its date and time.", {
        details: { serverTime: now, terminalTime: request.terminalTime, windowMs: SIGNATURE_WINDOW_MS },
      });
    }
    const codeHash = hashCode(request.code);
    const enrolled = await this.database.exclusive(() =>
      this.db.transaction(async (tx) => {
        const [found] = await tx
          .select()
          .from(enrolmentCodes)
          .where(eq(enrolmentCodes.codeHash, codeHash))
          .for('update');
        if (!found) throw new SyncError('ENROLMENT_CODE_UNKNOWN', 'HQ knows no such enrolment code.');
        if (found.usedAt !== null)
          throw new SyncError('ENROLMENT_CODE_USED', 'This enrolment code was already used.');
        if (found.expiresAt <= now) {
          throw new SyncError(
            'ENROLMENT_CODE_EXPIRED',
            'This enrolment code has expired; ask HQ for a new one.',
            {
              details: { expiredAt: found.expiresAt },
            },
          );
        }
        if (request.expectedStoreId !== undefined && request.expectedStoreId !== found.storeId) {
          throw new SyncError('ENROLMENT_CODE_OTHER_STORE', 'This enrolment code is for another store.', {
            details: { codeStoreId: found.storeId, expectedStoreId: request.expectedStoreId },
          });
        }
        const [store] = await tx.select().from(stores).where(eq(stores.storeId, found.storeId));
        const [terminal] = await tx
          .select()
          .from(terminals)
          .where(eq(terminals.terminalId, found.terminalId));
        if (!store || !terminal) {
          throw new SyncError('UNKNOWN_TERMINAL', 'The code names a terminal or store HQ no longer has.');
        }
        await tx.update(enrolmentCodes).set({ usedAt: now }).where(eq(enrolmentCodes.codeHash, codeHash));
        // Re-enrolling a terminal (a replaced machine) replaces its key and keeps its sequence position.
        await tx
          .update(terminals)
          .set({ publicKey: request.publicKey, enrolledAt: now, revokedAt: null, revokedBy: null })
          .where(eq(terminals.terminalId, terminal.terminalId));
        return { store, terminal, chain: await chainSecrets(tx, now) };
      }),
    );
    this.keys.forget(enrolled.terminal.terminalId);
    const { store, terminal, chain } = enrolled;
    return {
      version: PROTOCOL_VERSION,
      store: {
        id: store.storeId,
        name: store.name,
        address: store.address,
        timeZone: store.timeZone,
        currency: store.currency,
      },
      terminal: { id: terminal.terminalId, name: terminal.name },
      lastSeq: terminal.lastSeq,
      cardFormat: chain.format,
      cardKeys: sealTo(
        request.boxKey,
        Buffer.from(JSON.stringify(chain.keys)),
        cardKeysContext(terminal.terminalId),
      ),
      bonusRules: await this.rulesOf(store.storeId),
      tiers: await this.tiers(),
      caps: await this.caps(),
      keyedEntry: await this.keyedEntryPolicy(),
      serverTime: now,
    };
  }

  /** The store's published bonus rules as the feed entries that carried them (every version, in order). */
  private async rulesOf(storeId: string): Promise<FeedEntry[]> {
    return this.database.exclusive(() =>
      this.db
        .select({
          position: operations.position,
          operationId: operations.operationId,
          terminalId: operations.terminalId,
          storeId: operations.storeId,
          kind: operations.kind,
          payload: operations.payload,
          createdAt: operations.createdAt,
        })
        .from(operations)
        .where(
          and(
            eq(operations.terminalId, HQ_ORIGIN),
            eq(operations.kind, 'bonus_rule'),
            eq(operations.storeId, storeId),
          ),
        )
        .orderBy(asc(operations.position)),
    );
  }

  /** The chain's member tiers, handed to every till at enrolment. */
  async tiers(): Promise<WireTier[]> {
    const [row] = await this.database.exclusive(() =>
      this.db.select({ value: settings.value }).from(settings).where(eq(settings.key, TIERS_KEY)),
    );
    const parsed = wireTierSchema.array().safeParse(row?.value ?? []);
    return parsed.success ? parsed.data : [];
  }

  async setTiers(tiers: WireTier[], now: number): Promise<WireTier[]> {
    const parsed = wireTierSchema.array().max(50).safeParse(tiers);
    if (!parsed.success) {
      throw new SyncError(
        'TIERS_INVALID',
        'Tiers need an id, a name, a rank, a basis, a threshold and a discount.',
      );
    }
    if (new Set(parsed.data.map((tier) => tier.rank)).size !== parsed.data.length) {
      throw new SyncError('TIERS_INVALID', 'Two tiers have the same rank.');
    }
    await this.database.exclusive(() =>
      this.db
        .insert(settings)
        .values({ key: TIERS_KEY, value: parsed.data, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value: parsed.data, updatedAt: now } }),
    );
    return parsed.data;
  }

  /** The chain's card format (chain id, sector, purse); made on first use, never the keys. */
  async cardFormat(now: number): Promise<CardFormat> {
    return this.database.exclusive(() =>
      this.db.transaction(async (tx) => (await chainSecrets(tx, now)).format),
    );
  }

  /** The Ed25519 public key a terminal signs with, or undefined before its first enrolment. */
  async keyOf(terminalId: string): Promise<string | undefined> {
    const entry = await this.keys.lookup(terminalId);
    return entry && !entry.revoked ? entry.key : undefined;
  }

  /** The terminal's key and whether it was revoked, from a cache that expires (see `key-cache.ts`). */
  terminalKey(terminalId: string): Promise<TerminalKeyEntry | undefined> {
    return this.keys.lookup(terminalId);
  }

  private async loadKey(terminalId: string): Promise<TerminalKeyEntry | undefined> {
    const [row] = await this.database.exclusive(() =>
      this.db
        .select({ key: terminals.publicKey, revokedAt: terminals.revokedAt })
        .from(terminals)
        .where(eq(terminals.terminalId, terminalId)),
    );
    // A terminal created at HQ but never enrolled has no key yet: it is as unknown as one that does not exist.
    return row?.key ? { key: row.key, revoked: row.revokedAt !== null } : undefined;
  }

  /**
   * The chain stops trusting a terminal (stolen, broken, retired): its next request is refused with
   * TERMINAL_REVOKED. Everything it sent stays. Enrolling it again with a new code lifts the revocation.
   */
  async revokeTerminal(terminalId: string, by: string, now: number): Promise<{ revokedAt: number }> {
    const done = await this.database.exclusive(() =>
      this.db
        .update(terminals)
        .set({ revokedAt: now, revokedBy: by })
        .where(and(eq(terminals.terminalId, terminalId), isNull(terminals.revokedAt)))
        .returning({ revokedAt: terminals.revokedAt }),
    );
    this.keys.forget(terminalId);
    if (done.length === 0) {
      const known = await this.keys.lookup(terminalId);
      throw known
        ? new SyncError('TERMINAL_REVOKED', 'This terminal was revoked already.', { details: { terminalId } })
        : new SyncError('UNKNOWN_TERMINAL', 'No terminal has this id.', { details: { terminalId } });
    }
    return { revokedAt: now };
  }

  ingest(
    terminalId: string,
    batch: readonly WireOperation[],
    now: number,
    waiting?: number,
    nonce?: NonceClaim,
  ): Promise<IngestOutcome> {
    return this.ingestor.ingest(terminalId, batch, now, waiting, nonce);
  }

  /** A batch of one terminal's audit lines, checked against its chain (see `audit.ts`). */
  ingestAudit(
    terminalId: string,
    records: readonly WireAuditRecord[],
    now: number,
  ): Promise<AuditIngestOutcome> {
    return ingestAudit(this.database, terminalId, records, now);
  }

  /** One terminal's audit lines after `after`, in id order. */
  auditOf(
    terminalId: string,
    after: number,
    limit: number,
  ): Promise<{ lines: WireAuditRecord[]; hasMore: boolean }> {
    return auditLinesOf(this.database, terminalId, after, limit);
  }

  /**
   * The version a till says it runs. Written only when it differs from what this process last wrote, so the
   * pushes of a till that was not upgraded cost nothing more.
   */
  async noteAppVersion(terminalId: string, version: string): Promise<void> {
    if (this.versions.get(terminalId) === version) return;
    await this.database.exclusive(() =>
      this.db.update(terminals).set({ appVersion: version }).where(eq(terminals.terminalId, terminalId)),
    );
    this.versions.set(terminalId, version);
  }

  async recordTerminalError(terminalId: string, code: string, now: number): Promise<void> {
    await this.database.exclusive(() =>
      this.db
        .update(terminals)
        .set({ lastErrorCode: code, lastErrorAt: now })
        .where(eq(terminals.terminalId, terminalId)),
    );
  }

  /** Other terminals' operations after `after`, in commit order; ratings of the terminal's own store only. */
  async feed(
    terminalId: string,
    after: number,
    limit: number,
  ): Promise<{ entries: FeedEntry[]; hasMore: boolean }> {
    const found = await this.database.exclusive(() =>
      this.db
        .select({
          position: operations.position,
          operationId: operations.operationId,
          terminalId: operations.terminalId,
          storeId: operations.storeId,
          kind: operations.kind,
          payload: operations.payload,
          createdAt: operations.createdAt,
        })
        .from(operations)
        .where(
          and(
            gt(operations.position, after),
            ne(operations.terminalId, terminalId),
            // A customer's rating goes to the tills of the store rated, and to no other store.
            sql`(${operations.kind} <> 'rating' or ${operations.storeId} =
                  (select store_id from hq_terminals where terminal_id = ${terminalId}))`,
          ),
        )
        .orderBy(asc(operations.position))
        .limit(limit + 1),
    );
    return { entries: found.slice(0, limit), hasMore: found.length > limit };
  }

  async caps(): Promise<OfflineCaps> {
    return capsOf(await this.setting(CAPS_KEY));
  }

  /** The chain's amount limits as published, or undefined while HQ has published none. */
  async amountLimits(): Promise<AmountLimits | undefined> {
    return amountLimitsOf(await this.setting(AMOUNT_LIMITS_KEY));
  }

  /**
   * What every feed page carries besides the entries: the offline caps, the amount limits and the typed-number
   * rule, read in one query (every till pulls, so this runs as often as pushes do).
   */
  async feedSettings(): Promise<{
    caps: OfflineCaps;
    amountLimits: AmountLimits | undefined;
    keyedEntry: ChainKeyedEntryPolicy;
  }> {
    const found = await this.database.exclusive(() =>
      this.db
        .select({ key: settings.key, value: settings.value })
        .from(settings)
        .where(inArray(settings.key, [CAPS_KEY, AMOUNT_LIMITS_KEY, KEYED_ENTRY_KEY])),
    );
    const stored = (key: string) => found.find((row) => row.key === key)?.value;
    return {
      caps: capsOf(stored(CAPS_KEY)),
      amountLimits: amountLimitsOf(stored(AMOUNT_LIMITS_KEY)),
      keyedEntry: keyedEntryPolicyOf(stored(KEYED_ENTRY_KEY)),
    };
  }

  private async setting(key: string): Promise<unknown> {
    const [row] = await this.database.exclusive(() =>
      this.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)),
    );
    return row?.value;
  }

  /** Publishes the chain's amount limits; every till takes them with its next feed pull. */
  async setAmountLimits(limits: AmountLimits, now: number): Promise<AmountLimits> {
    const parsed = amountLimitsSchema.safeParse(limits);
    if (!parsed.success) {
      throw new SyncError('AMOUNT_LIMITS_INVALID', 'Amount limits must be positive safe integers of fen.', {
        details: { issues: parsed.error.issues.map((issue) => issue.message) },
      });
    }
    await this.database.exclusive(() =>
      this.db
        .insert(settings)
        .values({ key: AMOUNT_LIMITS_KEY, value: parsed.data, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value: parsed.data, updatedAt: now } }),
    );
    return parsed.data;
  }

  async setCaps(caps: OfflineCaps, now: number): Promise<OfflineCaps> {
    const parsed = offlineCapsSchema.safeParse(caps);
    if (!parsed.success) {
      throw new SyncError('CAPS_INVALID', 'Offline caps must be non-negative safe integers.', {
        details: { issues: parsed.error.issues.map((issue) => issue.message) },
      });
    }
    await this.database.exclusive(() =>
      this.db
        .insert(settings)
        .values({ key: CAPS_KEY, value: parsed.data, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value: parsed.data, updatedAt: now } }),
    );
    return parsed.data;
  }

  /** The chain's rule for typed card numbers; the defaults until a chain admin sets one. */
  async keyedEntryPolicy(): Promise<ChainKeyedEntryPolicy> {
    return keyedEntryPolicyOf(await this.setting(KEYED_ENTRY_KEY));
  }

  /**
   * A chain admin changes the rule for some kinds of card; the others keep theirs. Every till takes the whole
   * rule on its next pull (and a till enrolled later at its enrolment).
   */
  async setKeyedEntryPolicy(change: unknown, now: number): Promise<ChainKeyedEntryPolicy> {
    const parsed = keyedEntryPolicySchema.partial().safeParse(change);
    if (!parsed.success || Object.keys(parsed.data).length === 0) {
      throw new SyncError(
        'KEYED_ENTRY_POLICY_INVALID',
        'Give a rule (allowed, approval or refused; a secured card only approval or refused) for secured, uid, magstripe or keyed cards.',
        {
          details: {
            issues: parsed.success
              ? ['no kind of card given']
              : parsed.error.issues.map((issue) => issue.message),
          },
        },
      );
    }
    return this.database.exclusive(() =>
      this.db.transaction(async (tx) => {
        const [row] = await tx
          .select({ value: settings.value })
          .from(settings)
          .where(eq(settings.key, KEYED_ENTRY_KEY))
          .for('update');
        const next = { ...keyedEntryPolicyOf(row?.value), ...parsed.data };
        await tx
          .insert(settings)
          .values({ key: KEYED_ENTRY_KEY, value: next, updatedAt: now })
          .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedAt: now } });
        return next;
      }),
    );
  }

  async resolveRejection(operationId: string, now: number): Promise<boolean> {
    const done = await this.database.exclusive(() =>
      this.db
        .update(rejections)
        .set({ resolvedAt: now })
        .where(and(eq(rejections.operationId, operationId), isNull(rejections.resolvedAt)))
        .returning({ operationId: rejections.operationId }),
    );
    return done.length > 0;
  }

  async resolveOverdraft(id: number, now: number): Promise<boolean> {
    const done = await this.database.exclusive(() =>
      this.db
        .update(overdrafts)
        .set({ resolvedAt: now })
        .where(and(eq(overdrafts.id, id), isNull(overdrafts.resolvedAt)))
        .returning({ id: overdrafts.id }),
    );
    return done.length > 0;
  }

  /** Every applied operation of one terminal, in sequence order (for audits and tests). */
  async operationsOf(terminalId: string): Promise<{ seq: number; operationId: string; position: number }[]> {
    return this.database.exclusive(() =>
      this.db
        .select({ seq: operations.seq, operationId: operations.operationId, position: operations.position })
        .from(operations)
        .where(eq(operations.terminalId, terminalId))
        .orderBy(asc(operations.seq)),
    );
  }

  /**
   * A manager at HQ changes a card's state (a card reported lost, frozen, reopened). The change is recorded as
   * an operation of HQ's own in the feed, so every terminal of the chain applies it on its next pull.
   */
  async setCardState(input: {
    cardId: string;
    state: string;
    by: string;
    now: number;
  }): Promise<{ operationId: string }> {
    if (!CARD_STATES.has(input.state)) {
      throw new SyncError('CARD_STATE_UNKNOWN', 'Unknown card state.', { details: { state: input.state } });
    }
    const operationId = `hq-${ulid(input.now)}`;
    await this.database.exclusive(() =>
      this.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${FEED_LOCK})`);
        const [card] = await tx
          .select({ issuerStoreId: cards.issuerStoreId })
          .from(cards)
          .where(eq(cards.cardId, input.cardId));
        if (!card)
          throw new SyncError('HQ_CARD_UNKNOWN', 'HQ has never seen this card.', {
            details: { cardId: input.cardId },
          });
        await appendHqOperation(tx, {
          operationId,
          storeId: card.issuerStoreId,
          kind: 'card_state_changed',
          payload: { card: { id: input.cardId }, state: input.state, by: input.by },
          cardId: input.cardId,
          now: input.now,
        });
        await tx
          .update(cards)
          .set({ state: input.state, updatedAt: input.now })
          .where(eq(cards.cardId, input.cardId));
      }),
    );
    return { operationId };
  }

  /**
   * An HQ manager publishes a top-up bonus rule for a store: version 1 of a new rule id, or the next version of
   * a known one. It goes out in the feed (kind `bonus_rule`) and every terminal adds it to its bonus rules.
   */
  async publishRule(input: PublishRuleRequest & { now: number }): Promise<BonusRuleVersion> {
    const request = publishRuleRequestSchema.safeParse(input);
    if (!request.success) {
      throw new SyncError('HQ_RULE_INVALID', 'The rule does not match the wire format.', {
        details: {
          issues: request.error.issues
            .slice(0, 5)
            .map((issue) => `${issue.path.join('.')}: ${issue.message}`),
        },
      });
    }
    const { terms, storeId, by } = request.data;
    if ((terms.steps ?? null) !== null && (terms.percentBp ?? null) !== null) {
      throw new SyncError('HQ_RULE_INVALID', 'A rule gives fixed steps or a percentage, not both.');
    }
    const ruleId = request.data.id ?? `hq-rule-${ulid(input.now)}`;
    const operationId = `hq-${ulid(input.now)}`;
    return this.database.exclusive(() =>
      this.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${FEED_LOCK})`);
        const [last] = await rows<{ version: string | number | null; store_id: string | null }>(
          tx,
          sql`select max((payload->'rule'->>'version')::int) as version, max(store_id) as store_id
                from hq_operations where terminal_id = ${HQ_ORIGIN} and kind = 'bonus_rule'
                 and payload->'rule'->>'id' = ${ruleId}`,
        );
        if (last?.store_id && last.store_id !== storeId) {
          throw new SyncError('HQ_RULE_INVALID', 'A rule stays with the store it was published for.', {
            details: { ruleId, storeId: last.store_id },
          });
        }
        const rule: BonusRuleVersion = {
          ...terms,
          id: ruleId,
          version: Number(last?.version ?? 0) + 1,
          storeId,
          retired: request.data.retired ?? false,
        };
        await appendHqOperation(tx, {
          operationId,
          storeId,
          kind: 'bonus_rule',
          payload: { rule, by },
          cardId: null,
          now: input.now,
        });
        return rule;
      }),
    );
  }

  /** A card as the chain sees it: its balance across every store, its issuer and its state. */
  async card(
    cardId: string,
  ): Promise<{ cardId: string; issuerStoreId: string; balance: number; state: string } | undefined> {
    const [row] = await this.database.exclusive(() =>
      this.db
        .select({
          cardId: cards.cardId,
          issuerStoreId: cards.issuerStoreId,
          balance: cards.balance,
          state: cards.state,
        })
        .from(cards)
        .where(eq(cards.cardId, cardId)),
    );
    return row;
  }

  async report(now: number): Promise<HqReport> {
    return this.database.exclusive(async () => {
      const db = this.db;
      const terminalRows = await db
        .select()
        .from(terminals)
        .orderBy(asc(terminals.storeId), asc(terminals.terminalId));
      const open = await db
        .select({
          operationId: rejections.operationId,
          terminalId: rejections.terminalId,
          seq: rejections.seq,
          kind: rejections.kind,
          code: rejections.code,
          message: rejections.message,
        })
        .from(rejections)
        .where(isNull(rejections.resolvedAt))
        .orderBy(desc(rejections.receivedAt))
        .limit(200);
      const openCounts = await rows<{ terminal_id: string; n: string | number }>(
        db,
        sql`select terminal_id, count(*) as n from hq_rejections where resolved_at is null group by terminal_id`,
      );
      const countOf = new Map(openCounts.map((row) => [row.terminal_id, Number(row.n)]));
      const flagged = await db
        .select({
          id: overdrafts.id,
          cardId: overdrafts.cardId,
          operationId: overdrafts.operationId,
          storeId: overdrafts.storeId,
          terminalId: overdrafts.terminalId,
          amount: overdrafts.amount,
          balanceAfter: overdrafts.balanceAfter,
          detectedAt: overdrafts.detectedAt,
        })
        .from(overdrafts)
        .where(isNull(overdrafts.resolvedAt))
        .orderBy(desc(overdrafts.detectedAt));
      const settlement = await rows<{ issuer: string; acting: string; redeemed: string; loaded: string }>(
        db,
        sql`select c.issuer_store_id as issuer, o.store_id as acting,
                   coalesce(sum(case when o.card_delta < 0 then -o.card_delta else 0 end), 0) as redeemed,
                   coalesce(sum(case when o.card_delta > 0 then o.card_delta else 0 end), 0) as loaded
              from hq_operations o join hq_cards c on c.card_id = o.card_id
             where o.card_delta is not null and o.card_delta <> 0 and o.store_id <> c.issuer_store_id
             group by c.issuer_store_id, o.store_id
             order by c.issuer_store_id, o.store_id`,
      );
      const published = await rows<{
        rule_id: string;
        store_id: string;
        version: number;
        name: string;
        retired: boolean;
        by: string | null;
        created_at: string | number;
      }>(
        db,
        sql`select distinct on (payload->'rule'->>'id')
                   payload->'rule'->>'id' as rule_id, store_id, (payload->'rule'->>'version')::int as version,
                   payload->'rule'->>'name' as name, coalesce((payload->'rule'->>'retired')::boolean, false) as retired,
                   payload->>'by' as by, created_at
              from hq_operations where terminal_id = ${HQ_ORIGIN} and kind = 'bonus_rule'
             order by payload->'rule'->>'id', position desc`,
      );
      const [totals] = await rows<{ liability: string | null; cards: string }>(
        db,
        sql`select coalesce(sum(balance), 0) as liability, count(*) as cards from hq_cards`,
      );
      const [capsRow] = await db
        .select({ value: settings.value })
        .from(settings)
        .where(eq(settings.key, CAPS_KEY));
      const caps = offlineCapsSchema.safeParse(capsRow?.value);
      const [keyedRow] = await db
        .select({ value: settings.value })
        .from(settings)
        .where(eq(settings.key, KEYED_ENTRY_KEY));
      return {
        generatedAt: now,
        terminals: terminalRows.map((row) => ({
          terminalId: row.terminalId,
          storeId: row.storeId,
          lastSeq: row.lastSeq,
          lastSeenAt: row.lastSeenAt,
          lagMs: row.lagMs,
          waiting: row.waiting,
          openRejections: countOf.get(row.terminalId) ?? 0,
          lastErrorCode: row.lastErrorCode,
          revokedAt: row.revokedAt,
        })),
        rejections: open,
        overdrafts: flagged,
        settlement: settlement.map((row) => {
          const redeemed = Number(row.redeemed);
          const loaded = Number(row.loaded);
          return {
            issuerStoreId: row.issuer,
            actingStoreId: row.acting,
            redeemed,
            loaded,
            net: redeemed - loaded,
          };
        }),
        rules: published.map((row) => ({
          ruleId: row.rule_id,
          storeId: row.store_id,
          version: Number(row.version),
          name: row.name,
          retired: row.retired,
          by: row.by ?? '',
          publishedAt: Number(row.created_at),
        })),
        liability: Number(totals?.liability ?? 0),
        cards: Number(totals?.cards ?? 0),
        caps: caps.success ? caps.data : DEFAULT_OFFLINE_CAPS,
        keyedEntry: keyedEntryPolicyOf(keyedRow?.value),
      };
    });
  }
}
