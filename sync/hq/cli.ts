/**
 * HQ's command line, for the people who run it (each change audited at HQ under the actor `cli`):
 *
 *   npm run hq -- user add <username> <chain_admin|finance|support>   password read from stdin
 *   npm run hq -- user passwd <username>                              password read from stdin
 *   npm run hq -- user disable <username>
 *   npm run hq -- user list
 *   npm run hq -- token <username> [days]        prints a bearer token for scripts (default 30 days)
 *   npm run hq -- revoke <terminalId>            the terminal's next request is refused (TERMINAL_REVOKED)
 *   npm run hq -- store <storeId> <name> [--address A] [--time-zone Asia/Shanghai] [--currency CNY]
 *   npm run hq -- stores                         the chain's stores
 *   npm run hq -- terminal <storeId> <name> [--id <terminalId>] [--ttl-hours 24]   a new terminal and its code
 *   npm run hq -- enrol <terminalId> [--ttl-hours 24]   a new one-time code for a terminal (a replaced till)
 *   npm run hq -- keyed-entry [--secured approval|refused] [--uid R] [--magstripe R] [--keyed R]
 *                                                the chain's rule for typed card numbers (R: allowed|approval|refused);
 *                                                without options it prints the rule in force
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { SyncError } from '../errors';
import { HQ_ROLES, HqAccounts } from './accounts';
import { AdminAudit } from './admin-audit';
import type { HqService } from './service';

const USAGE = `usage: npm run hq -- user add <username> <${HQ_ROLES.join('|')}>
       npm run hq -- user passwd|disable <username>
       npm run hq -- user list
       npm run hq -- token <username> [days]
       npm run hq -- revoke <terminalId>
       npm run hq -- store <storeId> <name> [--address A] [--time-zone Asia/Shanghai] [--currency CNY]
       npm run hq -- stores
       npm run hq -- terminal <storeId> <name> [--id <terminalId>] [--ttl-hours 24]
       npm run hq -- enrol <terminalId> [--ttl-hours 24]
       npm run hq -- keyed-entry [--secured approval|refused] [--uid|--magstripe|--keyed allowed|approval|refused]`;

export const CLI_COMMANDS: ReadonlySet<string> = new Set([
  'user',
  'token',
  'revoke',
  'enrol',
  'store',
  'stores',
  'terminal',
  'keyed-entry',
]);

const KEYED_ENTRY_KINDS = ['secured', 'uid', 'magstripe', 'keyed'] as const;

/** Positional words and `--name value` options. */
function parseOptions(args: string[]): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg.startsWith('--')) {
      const value = args[index + 1];
      if (value === undefined) throw new SyncError('CLI_ARGUMENTS_INVALID', `${arg} needs a value`);
      options.set(arg.slice(2), value);
      index += 1;
    } else positional.push(arg);
  }
  return { positional, options };
}

function ttlOf(options: Map<string, string>): { ttlMs?: number } {
  const hours = options.get('ttl-hours');
  if (hours === undefined) return {};
  const value = Number(hours);
  if (!Number.isFinite(value) || value <= 0)
    throw new SyncError('CLI_ARGUMENTS_INVALID', '--ttl-hours must be a positive number');
  return { ttlMs: Math.round(value * 60 * 60 * 1000) };
}

/** A code in four groups of five, easier to read aloud and type; the till ignores the dashes. */
function codeLines(terminalId: string, code: string, expiresAt: number): string {
  return [
    `terminal: ${terminalId}`,
    `code:     ${code.match(/.{1,5}/g)!.join('-')}`,
    `expires:  ${new Date(expiresAt).toISOString()}`,
  ].join('\n');
}

/** Reads a password: typed without echo at a terminal, or the first line of piped input. */
async function readPassword(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(chunk as Buffer);
    return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trim();
  }
  process.stderr.write(prompt);
  // Typed characters go to a sink instead of the screen.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const lines = createInterface({ input, output: silent, terminal: true });
  const answer = await new Promise<string>((resolve) => lines.once('line', resolve));
  lines.close();
  process.stderr.write('\n');
  return answer.trim();
}

function usage(): SyncError {
  return new SyncError('CLI_ARGUMENTS_INVALID', USAGE);
}

export async function runCli(service: HqService, command: string, args: string[]): Promise<string> {
  const accounts = new HqAccounts(service.database);
  const audit = new AdminAudit(service.database);
  const now = Date.now();
  const audited = async <T>(action: string, target: string, work: () => Promise<T>): Promise<T> => {
    try {
      const result = await work();
      await audit.record({ at: now, actor: 'cli', action, target, outcome: 'done' });
      return result;
    } catch (error) {
      const code = error instanceof SyncError ? error.code : 'HQ_INTERNAL';
      await audit.record({ at: now, actor: 'cli', action, target, outcome: 'refused', code }).catch(() => {});
      throw error;
    }
  };
  const [sub, name, extra] = args;
  if (command === 'user' && sub === 'list') {
    return (await accounts.users())
      .map((user) => `${user.username}\t${user.role}${user.disabledAt === null ? '' : '\tdisabled'}`)
      .join('\n');
  }
  if (command === 'user' && sub === 'add' && name && extra) {
    const password = await readPassword(`Password for ${name}: `);
    await audited('user.add', name, () => accounts.addUser({ username: name, role: extra, password, now }));
    return `added ${name} (${extra})`;
  }
  if (command === 'user' && sub === 'passwd' && name) {
    const password = await readPassword(`New password for ${name}: `);
    await audited('user.password', name, () => accounts.setPassword(name, password, now));
    return `password changed for ${name}; their sessions and tokens ended`;
  }
  if (command === 'user' && sub === 'disable' && name) {
    await audited('user.disable', name, () => accounts.disableUser(name, now));
    return `disabled ${name}`;
  }
  if (command === 'token' && sub) {
    const days = name === undefined ? 30 : Number(name);
    if (!Number.isFinite(days) || days <= 0 || days > 366) throw usage();
    const issued = await audited('user.token', sub, () =>
      accounts.issueToken(sub, now, Math.round(days * 24 * 60 * 60 * 1000)),
    );
    return issued.token;
  }
  if (command === 'revoke' && sub) {
    await audited('terminal.revoke', sub, () => service.revokeTerminal(sub, 'cli', now));
    return `revoked ${sub}; its data stays at HQ`;
  }
  const { positional, options } = parseOptions(args);
  if (command === 'stores') {
    return (await service.stores())
      .map((store) => `${store.id}\t${store.name}\t${store.timeZone}\t${store.currency}`)
      .join('\n');
  }
  if (command === 'store' && positional.length === 2) {
    const [id, storeName] = positional as [string, string];
    const store = await audited('store.save', id, () =>
      service.saveStore({
        id,
        name: storeName,
        address: options.get('address') ?? '',
        timeZone: options.get('time-zone') ?? 'Asia/Shanghai',
        currency: options.get('currency') ?? 'CNY',
        now,
      }),
    );
    return `store: ${store.id} ${store.name} (${store.timeZone}, ${store.currency})`;
  }
  if (command === 'terminal' && positional.length === 2) {
    const [storeId, terminalName] = positional as [string, string];
    const terminalId = options.get('id');
    const made = await audited('terminal.create', storeId, () =>
      service.createTerminal({
        storeId,
        name: terminalName,
        now,
        ...(terminalId === undefined ? {} : { terminalId }),
        ...ttlOf(options),
      }),
    );
    return codeLines(made.terminalId, made.code, made.expiresAt);
  }
  if (command === 'enrol' && positional.length === 1) {
    const terminalId = positional[0]!;
    const made = await audited('terminal.enrolment_code', terminalId, () =>
      service.createEnrolmentCode({ terminalId, now, ...ttlOf(options) }),
    );
    return codeLines(made.terminalId, made.code, made.expiresAt);
  }
  if (command === 'keyed-entry' && positional.length === 0) {
    const unknown = [...options.keys()].filter(
      (name) => !(KEYED_ENTRY_KINDS as readonly string[]).includes(name),
    );
    if (unknown.length > 0) throw usage();
    const policy =
      options.size === 0
        ? await service.keyedEntryPolicy()
        : await audited('keyed_entry.set', 'chain', () =>
            service.setKeyedEntryPolicy(Object.fromEntries(options), now),
          );
    return KEYED_ENTRY_KINDS.map((kind) => `${kind}:\t${policy[kind]}`).join('\n');
  }
  throw usage();
}
