/**
 * HQ's side of the audit stream on an in-memory PGlite: a gap is refused whole with the id HQ expects (and
 * the terminal's stream steps its cursor back to it), lines from before the chain began are taken only ahead
 * of it, a line that does not follow is refused with AUDIT_CHAIN_BROKEN after the lines before it were
 * kept, and another line under an id HQ holds is refused the same way.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditFields, auditHash } from '../../../db';
import { AUDIT_CURSOR_KEY, AuditStream, type SettingsStore, type WireAuditRecord } from '../../../sync';
import { type HqDatabase, HqService, openHqDatabase } from '../../../sync/hq';
import { codeFor, enrolDirect } from '../../support/hq-enrolment';

let pglite: PGlite;
let database: HqDatabase;
let service: HqService;

/** A chain of `count` lines from id `from`, the first `unchained` of them written before the chain began. */
function chain(
  count: number,
  options: { unchained?: number; previous?: string | null } = {},
): WireAuditRecord[] {
  const lines: WireAuditRecord[] = [];
  let previous = options.previous ?? null;
  for (let id = 1; id <= count; id += 1) {
    const fields: AuditFields = [id, 1_000 + id, 'staff.login', 'ok', null, null, 'staff-1', 't-1', null];
    const chained = id > (options.unchained ?? 0);
    const hash = chained ? auditHash(previous, fields) : null;
    lines.push({
      id,
      at: fields[1],
      action: fields[2],
      outcome: fields[3],
      code: null,
      operationId: null,
      staffId: 'staff-1',
      terminalId: 't-1',
      details: null,
      hash,
    });
    if (chained) previous = hash;
  }
  return lines;
}

async function enrol(terminalId: string): Promise<void> {
  const code = await codeFor(service, { terminalId, storeId: 'store-1', now: Date.now() });
  await enrolDirect(service, code);
}

beforeAll(async () => {
  pglite = new PGlite();
  database = await openHqDatabase({ pglite });
  service = new HqService(database);
});

afterAll(async () => {
  await database.close();
  await pglite.close();
});

describe("HQ's audit ingest", () => {
  it('refuses a batch that starts past the next id with AUDIT_GAP and the id it expects', async () => {
    await enrol('t-gap');
    const lines = chain(6);
    expect(await service.ingestAudit('t-gap', lines.slice(0, 3), Date.now())).toMatchObject({
      lastAuditId: 3,
      accepted: 3,
      refused: null,
    });
    await expect(service.ingestAudit('t-gap', lines.slice(4), Date.now())).rejects.toMatchObject({
      code: 'AUDIT_GAP',
      details: { expectedAuditId: 4, receivedAuditId: 5 },
    });
  });

  it('takes lines without a hash only before the chain began', async () => {
    await enrol('t-legacy');
    const lines = chain(5, { unchained: 2 });
    expect(await service.ingestAudit('t-legacy', lines, Date.now())).toMatchObject({
      lastAuditId: 5,
      accepted: 5,
    });

    await enrol('t-unhashed');
    const broken = chain(4);
    broken[2] = { ...broken[2]!, hash: null };
    expect(await service.ingestAudit('t-unhashed', broken, Date.now())).toMatchObject({
      lastAuditId: 2,
      accepted: 2,
      refused: { id: 3, code: 'AUDIT_CHAIN_BROKEN' },
    });
  });

  it('keeps the lines before a broken one and refuses the rest, again on every resend', async () => {
    await enrol('t-broken');
    const lines = chain(6);
    lines[3] = { ...lines[3]!, details: '{"edited":true}' };
    const answer = await service.ingestAudit('t-broken', lines, Date.now());
    expect(answer).toMatchObject({
      lastAuditId: 3,
      accepted: 3,
      refused: { id: 4, code: 'AUDIT_CHAIN_BROKEN' },
    });
    expect(await service.ingestAudit('t-broken', lines, Date.now())).toMatchObject({
      lastAuditId: 3,
      accepted: 0,
      duplicate: 3,
      refused: { id: 4, code: 'AUDIT_CHAIN_BROKEN' },
    });
    expect((await service.auditOf('t-broken', 0, 100)).lines).toEqual(lines.slice(0, 3));
  });

  it('refuses another line under an id it already holds', async () => {
    await enrol('t-other');
    const lines = chain(3);
    await service.ingestAudit('t-other', lines, Date.now());
    const other = [{ ...lines[0]!, action: 'staff.logout' }, ...lines.slice(1)];
    expect(await service.ingestAudit('t-other', other, Date.now())).toMatchObject({
      lastAuditId: 3,
      duplicate: 0,
      refused: { id: 1, code: 'AUDIT_CHAIN_BROKEN' },
    });
  });
});

describe("the terminal's audit stream", () => {
  it('steps its cursor back to the id HQ expects after AUDIT_GAP, then fills the gap', async () => {
    await enrol('t-rewind');
    const lines = chain(8);
    await service.ingestAudit('t-rewind', lines.slice(0, 2), Date.now());
    const values = new Map<string, unknown>([[AUDIT_CURSOR_KEY, 5]]);
    const settings: SettingsStore = {
      get: <T>(key: string) => values.get(key) as T | undefined,
      set: (key, value) => void values.set(key, value),
      delete: (key) => void values.delete(key),
    };
    const stream = new AuditStream({
      terminalId: 't-rewind',
      source: {
        after: (afterId, limit) => lines.filter((line) => line.id > afterId).slice(0, limit),
        countAfter: (afterId) => lines.filter((line) => line.id > afterId).length,
      },
      settings,
      transport: {
        pushAudit: (terminalId, records) => service.ingestAudit(terminalId, records, Date.now()) as never,
      },
      batchSize: 4,
      onRefused: () => {
        throw new Error('nothing should be refused');
      },
    });
    await expect(stream.pushOnce()).rejects.toMatchObject({ code: 'AUDIT_GAP' });
    expect(stream.cursor()).toBe(2);
    await stream.pushOnce();
    await stream.pushOnce();
    expect(stream.cursor()).toBe(8);
    expect((await service.auditOf('t-rewind', 0, 100)).lines).toEqual(lines);
  });
});
