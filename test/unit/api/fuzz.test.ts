/**
 * Every command of the contract, fuzzed from its own zod input schema: a well-formed input is generated from
 * the schema (through its JSON Schema, with fast-check), then each text field gets SQL-looking text, control
 * characters and a megabyte of text, each number field impossible numbers, and the payload as a whole is
 * replaced by the wrong type, unknown keys, twenty thousand keys and deep nesting. Whatever the schema
 * refuses must come back as INPUT_INVALID with nothing written, not even an audit line; whatever it lets
 * through must be applied or refused with a stable code (never HOST_FAILED), and a refusal writes no rows
 * but its audit line. Afterwards the book is whole: same tables, invariants, audit chain, SQLite's
 * integrity check. Runs against a real host on a throw-away ledger, as an admin (every permission).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEMO } from '../../../db';
import { type CommandName, commands } from '../../../electron/contract';
import { createHost, type Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import type { JsonSchema } from '../../../scripts/docs/schema-text';

/** Commands that wait on hardware or the network for up to minutes when their input is valid. */
const WAITS_ON_DEVICES = new Set<string>([
  'devices.testReader',
  'devices.testSwiper',
  'devices.discover',
  'devices.pair',
]);

const SQL_TEXT = [
  "'; DROP TABLE operations; --",
  "1' OR '1'='1",
  '" OR ""="',
  "'); DELETE FROM balances; SELECT ('",
  "Robert\"); UPDATE staff SET role = 'admin' WHERE 1=1; --",
  "%' UNION SELECT pin_hash FROM staff --",
];
const CONTROL_TEXT = '\u0000\u0007\u001b[2J\ud800 \u202e';
const MEGABYTE = 'x'.repeat(1 << 20);
const MANY_KEYS: Record<string, number> = Object.fromEntries(
  Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]),
);
const BAD_NUMBERS: unknown[] = [Number.NaN, Number.POSITIVE_INFINITY, 1e308, -1, 0.5, 2 ** 53, '1', null];

/** A fast-check arbitrary for the values a JSON Schema (as zod writes it) describes. */
function arbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options !== undefined) return fc.oneof(...options.map(arbitrary));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 24, 64);
      if (schema.pattern !== undefined) {
        return fc
          .stringMatching(new RegExp(schema.pattern))
          .filter((text) => text.length >= min && text.length <= (schema.maxLength ?? Infinity));
      }
      return fc.string({ minLength: min, maxLength: Math.max(min, max) });
    }
    case 'integer':
    case 'number': {
      const min = Math.max(schema.minimum ?? (schema.exclusiveMinimum ?? -1e6) + 1, -1e9);
      const max = Math.min(schema.maximum ?? (schema.exclusiveMaximum ?? 1e6) - 1, 1e9);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, max)) });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items === undefined ? fc.string() : arbitrary(schema.items), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object': {
      if (schema.propertyNames !== undefined && typeof schema.additionalProperties === 'object') {
        return fc.dictionary(
          arbitrary(schema.propertyNames) as fc.Arbitrary<string>,
          arbitrary(schema.additionalProperties),
          { minKeys: 1, maxKeys: 3 },
        );
      }
      const properties = schema.properties ?? {};
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) record[key] = arbitrary(value);
      return fc.record(record, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.constant(undefined);
  }
}

const names = Object.keys(commands) as CommandName[];

const drawn = new Map<string, Record<string, unknown> | undefined>();

/**
 * A well-formed input for a command, drawn from its schema (the first sample the schema itself accepts); the
 * same draw for the same seed, so each is made once.
 */
function wellFormed(name: CommandName, seed: number): Record<string, unknown> | undefined {
  const key = `${name} ${seed}`;
  if (!drawn.has(key)) drawn.set(key, draw(name, seed));
  return drawn.get(key);
}

function draw(name: CommandName, seed: number): Record<string, unknown> | undefined {
  const definition = commands[name];
  const json = z.toJSONSchema(definition.input as z.ZodType, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const samples = fc.sample(arbitrary(json), { numRuns: 300, seed });
  return samples.find(
    (sample): sample is Record<string, unknown> =>
      typeof sample === 'object' && sample !== null && definition.input.safeParse(sample).success,
  );
}

/** Every path to a leaf of a plain JSON value. */
function leaves(
  value: unknown,
  path: (string | number)[] = [],
): Array<{ path: (string | number)[]; value: unknown }> {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  }
  return [{ path, value }];
}

function replaced(input: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(input) ? [...input] : { ...(input as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head!] = replaced(copy[head!], rest, value);
  return copy;
}

function nested(depth: number): unknown {
  let value: unknown = { leaf: true };
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

function mutations(input: Record<string, unknown>): Array<{ label: string; input: unknown }> {
  const out: Array<{ label: string; input: unknown }> = [];
  for (const leaf of leaves(input)) {
    const at = leaf.path.join('.');
    if (typeof leaf.value === 'string') {
      for (const text of SQL_TEXT)
        out.push({ label: `${at} = SQL`, input: replaced(input, leaf.path, text) });
      out.push({ label: `${at} = control characters`, input: replaced(input, leaf.path, CONTROL_TEXT) });
      out.push({ label: `${at} = 1 MB`, input: replaced(input, leaf.path, MEGABYTE) });
      out.push({ label: `${at} = number`, input: replaced(input, leaf.path, 7) });
    } else if (typeof leaf.value === 'number') {
      for (const bad of BAD_NUMBERS) {
        out.push({ label: `${at} = ${String(bad)}`, input: replaced(input, leaf.path, bad) });
      }
    }
  }
  out.push(
    { label: 'an array', input: [input] },
    { label: 'a string', input: SQL_TEXT[0] },
    { label: 'a number', input: 42 },
    { label: 'an unknown key', input: { ...input, role: 'admin' } },
    { label: 'a 1 MB unknown key', input: { ...input, [MEGABYTE.slice(0, 1000)]: MEGABYTE } },
    { label: '20,000 keys', input: Object.assign({}, input, MANY_KEYS) },
    { label: 'nesting 10,000 deep', input: { ...input, deep: nested(10_000) } },
    { label: 'a prototype key', input: JSON.parse(`{"__proto__": {"role": "admin"}, "x": 1}`) },
  );
  return out;
}

let dataDir: string;
let host: Host;

function admin(): Session {
  const session = new Session('fuzz');
  const { id, code, name } = DEMO.staff.admin;
  session.logIn({ id, staffNo: code, name, role: 'admin' });
  return session;
}

function tables(): string[] {
  return host.ledger.sqlite
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((row) => row.name);
}

/** One statement counting the rows of every table, made again only when the set of tables changes. */
let counting: { tables: string; statement: { get(): unknown } } | undefined;

function rowCounts(except: readonly string[] = []): Record<string, number> {
  const names = tables();
  if (counting?.tables !== names.join(' ')) {
    const columns = names.map((table) => `(SELECT count(*) FROM "${table}") AS "${table}"`).join(', ');
    counting = { tables: names.join(' '), statement: host.ledger.sqlite.prepare(`SELECT ${columns}`) };
  }
  const all = counting.statement.get() as Record<string, number>;
  return Object.fromEntries(
    names.filter((table) => !except.includes(table)).map((table) => [table, all[table]!]),
  );
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-fuzz-'));
  host = createHost({ book: 'demo', dataDir });
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('every command, fuzzed from its schema', () => {
  const tablesAtStart: string[] = [];

  it('draws a well-formed input for every command from its own schema', () => {
    tablesAtStart.push(...tables());
    const missing = names.filter((name) => wellFormed(name, 1) === undefined);
    expect(missing).toEqual([]);
  });

  it.each(names)(
    '%s: refuses what its schema refuses with INPUT_INVALID and stores nothing',
    async (name) => {
      const input = wellFormed(name, 1) ?? {};
      let refused = 0;
      for (const mutation of mutations(input)) {
        if (commands[name].input.safeParse(mutation.input).success) continue;
        const before = rowCounts();
        const reply = await host.api.call(admin(), name, mutation.input);
        expect(reply, `${name}: ${mutation.label}`).toMatchObject({
          ok: false,
          error: { code: 'INPUT_INVALID' },
        });
        // The refusal names the problem without echoing the payload back.
        expect(JSON.stringify(reply).length, `${name}: ${mutation.label}`).toBeLessThan(4096);
        expect(rowCounts(), `${name}: ${mutation.label}`).toEqual(before);
        refused += 1;
      }
      expect(refused).toBeGreaterThan(0);
    },
  );

  it.each(names.filter((name) => !WAITS_ON_DEVICES.has(name)))(
    '%s: applies or refuses with a stable code whatever text its schema lets through',
    async (name) => {
      const input = wellFormed(name, 2) ?? {};
      for (const mutation of mutations(input)) {
        if (!commands[name].input.safeParse(mutation.input).success) continue;
        const before = rowCounts(['audit']);
        const reply = await host.api.call(admin(), name, mutation.input);
        if (reply.ok) continue;
        expect(reply.error.code, `${name}: ${mutation.label}: ${reply.error.message}`).not.toBe(
          'HOST_FAILED',
        );
        expect(reply.error.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
        expect(reply.error.message.length).toBeGreaterThan(0);
        expect(rowCounts(['audit', 'staff', 'settings', 'print_jobs']), `${name}: ${mutation.label}`).toEqual(
          Object.fromEntries(
            Object.entries(before).filter(([table]) => !['staff', 'settings', 'print_jobs'].includes(table)),
          ),
        );
      }
    },
  );

  it('leaves the book whole: the same tables, invariants, the audit chain and SQLite integrity', () => {
    expect(tables()).toEqual(tablesAtStart);
    expect(host.ledger.checkInvariants()).toMatchObject({ ok: true });
    expect(host.ledger.verifyAuditChain()).toMatchObject({ ok: true });
    expect(host.ledger.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
