/**
 * docs/reference/api.md, written from the contract (`electron/contract/`): every command with who may call it,
 * its input fields and their rules, its result and the refusals the API boundary makes before it runs; every
 * event with its payload. Nothing here is typed by hand about a command, so the page cannot drift from the
 * contract (test/unit/docs/references.test.ts fails until `npm run docs` has written it again).
 */
import { commands } from '../../electron/contract/commands';
import { events } from '../../electron/contract/events';
import {
  PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  type Role,
  roleHas,
} from '../../electron/contract/permissions';
import { fieldRows, jsonSchemaOf, typeText } from './schema-text';

/**
 * What `electron/host/api.ts` refuses before any handler runs, in the order it checks. The reference test checks
 * that api.ts still raises each of these codes.
 */
export const BOUNDARY_REFUSALS: readonly { code: string; when: string; protectedOnly: boolean }[] = [
  { code: 'COMMAND_UNKNOWN', when: 'the name is not a command of the contract', protectedOnly: false },
  {
    code: 'STAFF_DEACTIVATED',
    when: "the logged-in staff member was deactivated since logging in (also `session.current`'s answer then)",
    protectedOnly: true,
  },
  {
    code: 'SESSION_EXPIRED',
    when: 'the session ran no command for longer than the idle lock (`session.idleLockMinutes`)',
    protectedOnly: true,
  },
  { code: 'STAFF_NOT_LOGGED_IN', when: 'nobody is logged in on this connection', protectedOnly: true },
  {
    code: 'COMMAND_FORBIDDEN',
    when: "the logged-in role lacks the command's permission",
    protectedOnly: true,
  },
  {
    code: 'INPUT_INVALID',
    when: "the input fails the command's schema (its Input table; `details.issues`: up to ten `{ path, message }`)",
    protectedOnly: false,
  },
  { code: 'COMMAND_UNAVAILABLE', when: 'this host was composed without the command', protectedOnly: false },
  {
    code: 'HOST_FAILED',
    when: 'anything that is not a coded refusal; the cause and stack trace go to the log',
    protectedOnly: false,
  },
];

type Definition = (typeof commands)[keyof typeof commands];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function rolesFor(definition: Definition): Role[] {
  const access = definition.access;
  return access === 'public' ? [...ROLES] : ROLES.filter((role) => roleHas(role, access));
}

function whoText(definition: Definition): string {
  if (definition.access === 'public') return 'anyone, without logging in (`public`)';
  return `${rolesFor(definition).join(', ')} (permission \`${definition.access}\`)`;
}

function boundaryCodes(definition: Definition): string {
  return BOUNDARY_REFUSALS.filter((refusal) => definition.access !== 'public' || !refusal.protectedOnly)
    .filter((refusal) => refusal.code !== 'COMMAND_UNKNOWN')
    .map((refusal) => `\`${refusal.code}\``)
    .join(', ');
}

function inputSection(definition: Definition): string[] {
  const schema = jsonSchemaOf(definition.input, 'input');
  if (schema.type !== 'object') return ['Input:', '', '```ts', typeText(schema, ''), '```'];
  const rows = fieldRows(schema);
  if (rows.length === 0) return ['Input: none (`{}`).'];
  const whole = (schema['x-rules'] ?? []).map((rule) => `Also checked: ${rule}.`);
  return [
    'Input:',
    '',
    '| field | type | required | rules |',
    '|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| \`${row.path}\` | \`${cell(row.type)}\` | ${row.required ? 'yes' : 'no'} | ${cell(row.rules)} |`,
    ),
    ...(whole.length > 0 ? ['', ...whole] : []),
  ];
}

function commandSection(name: string, definition: Definition): string[] {
  return [
    `### \`${name}\``,
    '',
    `${definition.summary}.`,
    '',
    `- **Who may call it:** ${whoText(definition)}`,
    `- **Refused before it runs with:** ${boundaryCodes(definition)}; what the command itself may answer is in the [error reference](errors.md).`,
    '',
    ...inputSection(definition),
    '',
    'Result:',
    '',
    '```ts',
    typeText(jsonSchemaOf(definition.output, 'output'), ''),
    '```',
    '',
  ];
}

/** Commands by the part of the name before the dot, in the contract's order. */
function byNamespace(): Map<string, [string, Definition][]> {
  const groups = new Map<string, [string, Definition][]>();
  for (const [name, definition] of Object.entries(commands) as [string, Definition][]) {
    const namespace = name.split('.')[0]!;
    groups.set(namespace, [...(groups.get(namespace) ?? []), [name, definition]]);
  }
  return groups;
}

/** The anchor GitHub gives a heading `### \`name\``: the dots and backticks dropped, lower case. */
function anchorOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

export function apiReference(): string {
  const groups = byNamespace();
  const lines = [
    '# API reference',
    '',
    '<!-- Written by `npm run docs` from electron/contract/. Change the contract, then run it again. -->',
    '',
    'Every command the screens call on the terminal host, and every event the host sends them, as the contract',
    '(`electron/contract/`) defines them. In the desktop app a command is a function of `window.pos`',
    "(`window.pos['wallet.topUp'](input)`, on its own IPC channel `pos:<command>`); in browser mode it is a",
    "`{ type: 'call', id, command, input }` message on the WebSocket at `/api`, answered by",
    "`{ type: 'reply', id, reply }`. Every reply is `{ ok: true, value }` or",
    '`{ ok: false, error: { code, message, details? } }`; the codes and their words are in the',
    '[error reference](errors.md). Amounts are integer fen; times are UTC milliseconds.',
    '',
    '## Refusals before a command runs',
    '',
    'The API boundary (`electron/host/api.ts`) checks every call in this order, whichever transport carried it.',
    'Codes marked *protected* apply only to commands that need a permission.',
    '',
    '| code | when | applies to |',
    '|---|---|---|',
    ...BOUNDARY_REFUSALS.map(
      (refusal) =>
        `| \`${refusal.code}\` | ${cell(refusal.when)} | ${refusal.protectedOnly ? 'protected' : 'every command'} |`,
    ),
    '',
    '## Roles and permissions',
    '',
    `| permission | ${ROLES.join(' | ')} |`,
    `|---|${ROLES.map(() => '---').join('|')}|`,
    ...PERMISSIONS.map(
      (permission) =>
        `| \`${permission}\` | ${ROLES.map((role) => (ROLE_PERMISSIONS[role].includes(permission) ? 'yes' : '')).join(' | ')} |`,
    ),
    '',
    '## Commands',
    '',
    '| command | who may call it | what it does |',
    '|---|---|---|',
    ...[...groups.values()].flat().map(([name, definition]) => {
      const who = definition.access === 'public' ? 'anyone' : rolesFor(definition).join(', ');
      return `| [\`${name}\`](#${anchorOf(name)}) | ${who} | ${cell(definition.summary)} |`;
    }),
    '',
  ];
  for (const [namespace, members] of groups) {
    lines.push(`## ${namespace}`, '');
    for (const [name, definition] of members) lines.push(...commandSection(name, definition));
  }
  lines.push(
    '## Events',
    '',
    'Sent by the host to the screens: `window.pos.on(event, listener)` in the desktop app, or',
    "`{ type: 'event', event, payload }` on the WebSocket. Events about cards reach a screen only once someone is",
    'logged in on it.',
    '',
  );
  for (const [name, schema] of Object.entries(events)) {
    lines.push(`### \`${name}\``, '', '```ts', typeText(jsonSchemaOf(schema, 'output'), ''), '```', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
