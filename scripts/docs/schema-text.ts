/**
 * A zod schema as a reader of the API reference wants it: a table of input fields (nested objects flattened to
 * `a.b`, arrays of objects to `a[].b`) with their rules, and a result written as a TypeScript-like type. Zod's
 * own JSON Schema is the middle step, so what is printed is what zod validates, not a second description.
 */
import { z } from 'zod';

/** The part of JSON Schema zod writes for the contract's schemas (the API fuzz test reads it too). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  default?: unknown;
  /** The messages of the schema's refinements, which JSON Schema has no words for. */
  'x-rules'?: string[];
}

/** Said by every amount's type already, so left out of the rules column. */
const SAID_BY_TYPE = /safe integer/;

/** A refinement's message, when it has a fixed one (a `superRefine` writes its own issues and has none). */
function refinementMessages(schema: unknown): string[] {
  const checks = (schema as { _zod: { def: { checks?: { _zod: { def: Record<string, unknown> } }[] } } })._zod
    .def.checks;
  return (checks ?? []).flatMap((check) => {
    const def = check._zod.def;
    if (def.check !== 'custom' || typeof def.error !== 'function') return [];
    try {
      const message = (def.error as (issue: object) => unknown)({});
      return typeof message === 'string' && !SAID_BY_TYPE.test(message) ? [message] : [];
    } catch {
      return [];
    }
  });
}

export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // Refinements and transforms have no JSON form; their base type is still what the reader needs.
  return z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const messages = refinementMessages(zodSchema);
      if (messages.length > 0) (jsonSchema as JsonSchema)['x-rules'] = messages;
    },
  }) as JsonSchema;
}

const SAFE = Number.MAX_SAFE_INTEGER;

function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function alternativesOf(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

/** The type alone, on one line when `indent` is null, else objects spread over lines at that indent. */
export function typeText(schema: JsonSchema, indent: string | null = null): string {
  if (schema.$ref !== undefined)
    return schema.$ref === '#' ? 'Self' : schema.$ref.replace(/^#\/\$defs\//, '');
  if (schema.const !== undefined) return literal(schema.const);
  if (schema.enum !== undefined) return schema.enum.map(literal).join(' | ');
  const alternatives = alternativesOf(schema);
  if (alternatives !== undefined) return alternatives.map((part) => typeText(part, indent)).join(' | ');
  if (schema.allOf !== undefined) return schema.allOf.map((part) => typeText(part, indent)).join(' & ');
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  switch (schema.type) {
    case 'array': {
      if (schema.prefixItems !== undefined) {
        return `[${schema.prefixItems.map((item) => typeText(item, indent)).join(', ')}]`;
      }
      const item = schema.items === undefined ? 'unknown' : typeText(schema.items, indent);
      return /[|&]/.test(item) && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return objectText(schema, indent);
    case 'integer':
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
      return schema.type;
    default:
      return 'unknown';
  }
}

function objectText(schema: JsonSchema, indent: string | null): string {
  const properties = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  if (properties.length === 0) {
    return typeof extra === 'object' ? `Record<string, ${typeText(extra, indent)}>` : '{}';
  }
  const required = new Set(schema.required ?? []);
  const fields = properties.map(
    ([name, field]) =>
      `${name}${required.has(name) ? '' : '?'}: ${typeText(field, indent === null ? null : `${indent}  `)}`,
  );
  if (indent === null) return `{ ${fields.join('; ')} }`;
  return `{\n${fields.map((field) => `${indent}  ${field};`).join('\n')}\n${indent}}`;
}

/** The checks zod makes beyond the type: lengths, patterns, bounds (the safe-integer range goes unsaid). */
export function rulesText(schema: JsonSchema): string {
  const rules: string[] = [];
  const alternatives = alternativesOf(schema);
  if (alternatives !== undefined) {
    return alternatives
      .map(rulesText)
      .filter((text) => text !== '')
      .join('; ');
  }
  if (schema.minLength !== undefined && schema.maxLength !== undefined) {
    rules.push(
      schema.minLength === schema.maxLength
        ? `${schema.minLength} characters`
        : `${schema.minLength}–${schema.maxLength} characters`,
    );
  } else if (schema.minLength !== undefined) rules.push(`at least ${schema.minLength} characters`);
  else if (schema.maxLength !== undefined) rules.push(`at most ${schema.maxLength} characters`);
  if (schema.pattern !== undefined) rules.push(`matches \`/${schema.pattern}/\``);
  if (schema.format !== undefined) rules.push(schema.format);
  const min =
    schema.minimum ?? (schema.exclusiveMinimum === undefined ? undefined : schema.exclusiveMinimum + 1);
  const max =
    schema.maximum ?? (schema.exclusiveMaximum === undefined ? undefined : schema.exclusiveMaximum - 1);
  const low = min !== undefined && min > -SAFE ? min : undefined;
  const high = max !== undefined && max < SAFE ? max : undefined;
  if (low !== undefined && high !== undefined) rules.push(`${low}–${high}`);
  else if (low !== undefined) rules.push(`≥ ${low}`);
  else if (high !== undefined) rules.push(`≤ ${high}`);
  const items = (count: number) => `${count} ${count === 1 ? 'item' : 'items'}`;
  if (schema.minItems !== undefined && schema.minItems > 0) rules.push(`at least ${items(schema.minItems)}`);
  if (schema.maxItems !== undefined) rules.push(`at most ${items(schema.maxItems)}`);
  if (schema.default !== undefined) rules.push(`default ${JSON.stringify(schema.default)}`);
  rules.push(...(schema['x-rules'] ?? []));
  return rules.join(', ');
}

export interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  rules: string;
}

function isPlainObject(schema: JsonSchema): boolean {
  return schema.type === 'object' && Object.keys(schema.properties ?? {}).length > 0;
}

/**
 * One row per field; an object field is followed by its own fields as `field.inner`, an array of objects by
 * `field[].inner`, so no type in the table needs more than one line.
 */
export function fieldRows(schema: JsonSchema, prefix = ''): FieldRow[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => {
    const path = `${prefix}${name}`;
    // Required within its own object: a required field of an optional object is needed only with the object.
    const isRequired = required.has(name);
    if (isPlainObject(field)) {
      return [{ path, type: 'object', required: isRequired, rules: '' }, ...fieldRows(field, `${path}.`)];
    }
    if (field.type === 'array' && field.items !== undefined && isPlainObject(field.items)) {
      return [
        { path, type: 'object[]', required: isRequired, rules: rulesText(field) },
        ...fieldRows(field.items, `${path}[].`),
      ];
    }
    return [{ path, type: typeText(field), required: isRequired, rules: rulesText(field) }];
  });
}
