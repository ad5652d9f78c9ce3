/**
 * The routes people use: the managers' page, its sign-in, and the admin routes. Every one needs a signed-in
 * HQ user (a session cookie from the sign-in form, or `Authorization: Bearer <token>` for scripts) whose role
 * the route allows; where the request came from never counts. Changes are audited at HQ, done or refused.
 *
 *   POST   /admin/session   { username, password } → a session cookie (HttpOnly, SameSite=Strict)
 *   DELETE /admin/session   signs out; GET /admin/session says who is signed in
 *   GET    /, /api/report   the managers' page (a sign-in form without a session) and its JSON
 *   POST   /admin/stores, POST /admin/terminals (a new terminal and its first code), PUT /admin/tiers,
 *   POST   /admin/enrolment-codes (a new code for a terminal), PUT /admin/caps, PUT /admin/amount-limits, POST /admin/rules, POST /admin/cards/:id/state,
 *   GET    /admin/keyed-entry, PATCH /admin/keyed-entry { secured?, uid?, magstripe?, keyed? } (the typed-number rule),
 *   POST   /admin/rejections/:id/resolve, POST /admin/overdrafts/:id/resolve ({ note } optional, kept in HQ's audit),
 *   POST   /admin/terminals/:id/revoke,
 *   GET    /admin/audit?terminal=T&after=N&limit=M (a terminal's audit lines), GET /admin/hq-audit (HQ's own)
 *   GET    /admin/ratings (customers' ratings per store, cashier and week, and the low ones; see `rating-routes.ts`)
 *   GET    /console/... the chain's console (see `console/`), and the read routes it uses (`console/routes.ts`)
 * A new terminal's code and a new code come with `qrImage`, the code drawn as a QR code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { SyncError } from '../errors';
import {
  amountLimitsSchema,
  enrolStoreSchema,
  offlineCapsSchema,
  publishRuleRequestSchema,
  wireTierSchema,
} from '../wire';
import { type HqAccounts, type HqPrincipal, type HqRole, SESSION_TTL_MS } from './accounts';
import type { AdminAudit } from './admin-audit';
import { CONSOLE_ROUTES, FileReply, withQr } from './console/routes';
import { isConsolePath, serveConsole } from './console/serve';
import {
  addressOf,
  bearer,
  cookie,
  type OriginPolicy,
  parseJson,
  readBody,
  requireJson,
  sendJson,
} from './http';
import { LOGIN_SCRIPT, renderLogin, renderPage } from './page';
import { HqRatings } from './ratings';
import type { HqService } from './service';

export const SESSION_COOKIE = 'hq_session';
/** Most audit lines one admin read returns. */
const MAX_AUDIT_PAGE = 1_000;
const SMALL_BODY = 4 * 1024;
const ADMIN_BODY = 64 * 1024;

export interface AdminContext {
  service: HqService;
  accounts: HqAccounts;
  audit: AdminAudit;
  origins: OriginPolicy;
  secureCookies: boolean;
  now: () => number;
}

export interface Call {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  params: string[];
  principal: HqPrincipal;
  at: number;
  /** The body, read after the caller was authenticated and within the route's limit. */
  body: () => Promise<Buffer>;
  /** What the route adds to its line in HQ's audit (a resolution's note, an export's period). */
  auditDetails?: Record<string, unknown>;
  /** What the change was made to, when the path does not name it (a new terminal, the terminal given a code). */
  auditTarget?: string;
}

export interface AdminRoute {
  method: string;
  path: RegExp;
  roles: readonly HqRole[];
  /** Set for routes that change something: the name of the change in HQ's audit. */
  action?: string;
  run(call: Call, context: AdminContext): Promise<unknown>;
}

const EVERYONE: readonly HqRole[] = ['chain_admin', 'finance', 'support'];

const cardStateRequest = z.object({ state: z.string().min(1).max(32), by: z.string().min(1).max(128) });
const enrolmentCodeRequest = z.object({
  terminalId: z.string().min(1).max(128),
  ttlMs: z.number().int().positive().optional(),
});
const terminalRequest = z.object({
  storeId: z.string().min(1).max(128),
  name: z.string().min(1).max(200),
  terminalId: z.string().min(1).max(128).optional(),
  ttlMs: z.number().int().positive().optional(),
});
const signInRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});
const emptyRequest = z.object({}).strict();
/** A resolution may say what was done about it (a call to the member, a manual correction). */
const resolveRequest = z.object({ note: z.string().trim().max(500).optional() }).strict();

function nonNegative(url: URL, name: string, fallback: number): number {
  const value = Number(url.searchParams.get(name) ?? String(fallback));
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new SyncError('REQUEST_MALFORMED', `${name} must be a non-negative integer.`);
  }
  return value;
}

async function noBody(call: Call): Promise<void> {
  const body = await call.body();
  if (body.length > 0) parseJson(body, emptyRequest);
}

async function resolution(call: Call): Promise<void> {
  const body = await call.body();
  const note = body.length > 0 ? parseJson(body, resolveRequest).note : undefined;
  if (note) call.auditDetails = { note };
}

const ROUTES: AdminRoute[] = [
  {
    method: 'GET',
    path: /^\/api\/report$/,
    roles: EVERYONE,
    run: (call, { service }) => service.report(call.at),
  },
  {
    method: 'GET',
    path: /^\/admin\/ratings$/,
    roles: EVERYONE,
    run: (_call, { service }) => new HqRatings(service).report(),
  },
  {
    method: 'POST',
    path: /^\/admin\/stores$/,
    roles: ['chain_admin'],
    action: 'store.save',
    run: async (call, { service }) => {
      const input = parseJson(await call.body(), enrolStoreSchema);
      call.auditTarget = input.id;
      return service.saveStore({ ...input, now: call.at });
    },
  },
  {
    method: 'POST',
    path: /^\/admin\/terminals$/,
    roles: ['chain_admin', 'support'],
    action: 'terminal.create',
    run: async (call, { service }) => {
      const input = parseJson(await call.body(), terminalRequest);
      call.auditTarget = input.terminalId ?? input.storeId;
      const made = await service.createTerminal({ ...input, now: call.at });
      call.auditTarget = made.terminalId;
      return withQr(made);
    },
  },
  {
    method: 'POST',
    path: /^\/admin\/enrolment-codes$/,
    roles: ['chain_admin', 'support'],
    action: 'terminal.enrolment_code',
    run: async (call, { service }) => {
      const input = parseJson(await call.body(), enrolmentCodeRequest);
      call.auditTarget = input.terminalId;
      return withQr(await service.createEnrolmentCode({ ...input, now: call.at }));
    },
  },
  {
    method: 'PUT',
    path: /^\/admin\/tiers$/,
    roles: ['chain_admin'],
    action: 'tiers.set',
    run: async (call, { service }) =>
      service.setTiers(parseJson(await call.body(), z.array(wireTierSchema)), call.at),
  },
  {
    method: 'PUT',
    path: /^\/admin\/caps$/,
    roles: ['chain_admin'],
    action: 'caps.set',
    run: async (call, { service }) =>
      service.setCaps(parseJson(await call.body(), offlineCapsSchema), call.at),
  },
  {
    method: 'PUT',
    path: /^\/admin\/amount-limits$/,
    roles: ['chain_admin'],
    action: 'amountLimits.set',
    run: async (call, { service }) =>
      service.setAmountLimits(parseJson(await call.body(), amountLimitsSchema), call.at),
  },
  {
    method: 'GET',
    path: /^\/admin\/keyed-entry$/,
    roles: EVERYONE,
    run: (_call, { service }) => service.keyedEntryPolicy(),
  },
  {
    method: 'PATCH',
    path: /^\/admin\/keyed-entry$/,
    roles: ['chain_admin'],
    action: 'keyed_entry.set',
    run: async (call, { service }) =>
      // The service checks the rule itself, so a wrong one is refused in its words (KEYED_ENTRY_POLICY_INVALID).
      service.setKeyedEntryPolicy(parseJson(await call.body(), z.record(z.string(), z.unknown())), call.at),
  },
  {
    method: 'POST',
    path: /^\/admin\/rules$/,
    roles: ['chain_admin'],
    action: 'rule.publish',
    run: async (call, { service }) => {
      const input = parseJson(await call.body(), publishRuleRequestSchema);
      call.auditTarget = input.id ?? input.storeId;
      const rule = await service.publishRule({ ...input, now: call.at });
      call.auditTarget = rule.id;
      return rule;
    },
  },
  {
    method: 'POST',
    path: /^\/admin\/cards\/([^/]+)\/state$/,
    roles: ['chain_admin', 'support'],
    action: 'card.state',
    run: async (call, { service }) =>
      service.setCardState({
        cardId: call.params[0]!,
        ...parseJson(await call.body(), cardStateRequest),
        now: call.at,
      }),
  },
  {
    method: 'POST',
    path: /^\/admin\/rejections\/([^/]+)\/resolve$/,
    roles: EVERYONE,
    action: 'rejection.resolve',
    run: async (call, { service }) => {
      await resolution(call);
      return { resolved: await service.resolveRejection(call.params[0]!, call.at) };
    },
  },
  {
    method: 'POST',
    path: /^\/admin\/overdrafts\/(\d+)\/resolve$/,
    roles: ['chain_admin', 'finance'],
    action: 'overdraft.resolve',
    run: async (call, { service }) => {
      await resolution(call);
      return { resolved: await service.resolveOverdraft(Number(call.params[0]), call.at) };
    },
  },
  {
    method: 'POST',
    path: /^\/admin\/terminals\/([^/]+)\/revoke$/,
    roles: ['chain_admin', 'support'],
    action: 'terminal.revoke',
    run: async (call, { service }) => {
      await noBody(call);
      return service.revokeTerminal(call.params[0]!, call.principal.username, call.at);
    },
  },
  {
    method: 'GET',
    path: /^\/admin\/audit$/,
    roles: EVERYONE,
    run: (call, { service }) => {
      const terminal = call.url.searchParams.get('terminal') ?? '';
      if (terminal === '') throw new SyncError('REQUEST_MALFORMED', 'terminal is required.');
      const after = nonNegative(call.url, 'after', 0);
      const limit = Math.max(1, Math.min(nonNegative(call.url, 'limit', MAX_AUDIT_PAGE), MAX_AUDIT_PAGE));
      return service.auditOf(terminal, after, limit);
    },
  },
  {
    method: 'GET',
    path: /^\/admin\/hq-audit$/,
    roles: ['chain_admin'],
    run: async (call, { audit }) => {
      const limit = Math.max(1, Math.min(nonNegative(call.url, 'limit', 200), MAX_AUDIT_PAGE));
      const before = call.url.searchParams.get('before');
      return {
        entries: await audit.list(limit, before === null ? undefined : nonNegative(call.url, 'before', 0)),
      };
    },
  },
  ...CONSOLE_ROUTES,
];

/** Serves a request for the page or the admin routes; false when the path is not one of them. */
export async function handleAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: AdminContext,
): Promise<boolean> {
  const path = url.pathname;
  const isPage = path === '/' || path === '/login.js';
  const isConsole = isConsolePath(path);
  if (!isPage && !isConsole && !path.startsWith('/admin/') && !path.startsWith('/api/')) return false;
  const method = request.method ?? 'GET';
  context.origins.checkHost(request);
  // A session cookie is what a page on another site could make the browser send: such a change must name HQ's origin.
  const viaCookie = bearer(request) === undefined && cookie(request, SESSION_COOKIE) !== undefined;
  context.origins.checkOrigin(request, viaCookie && method !== 'GET' && method !== 'HEAD');

  if (path === '/login.js' && method === 'GET') {
    response.writeHead(200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    response.end(LOGIN_SCRIPT);
    return true;
  }
  if (path === '/admin/session') {
    await session(request, response, context);
    return true;
  }
  if (isConsole) {
    await serveConsole(request, response, path);
    return true;
  }

  const at = context.now();
  const principal = await signedIn(request, context, at);
  if (path === '/' && method === 'GET') {
    const html = principal ? renderPage(await context.service.report(at), principal) : renderLogin();
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
    });
    response.end(html);
    return true;
  }

  let route: AdminRoute | undefined;
  let params: string[] = [];
  for (const candidate of ROUTES) {
    const match = candidate.method === method ? candidate.path.exec(path) : null;
    if (match) {
      route = candidate;
      params = match.slice(1).map((part) => decodeURIComponent(part));
      break;
    }
  }
  if (!route) throw new SyncError('ROUTE_UNKNOWN', 'No such route.');
  if (!principal) throw new SyncError('LOGIN_REQUIRED', 'Sign in to HQ first.');
  const found = route;
  const call: Call = {
    request,
    response,
    url,
    params,
    principal,
    at,
    body: async () => {
      requireJson(request);
      return readBody(request, ADMIN_BODY);
    },
  };
  try {
    if (!found.roles.includes(principal.role)) {
      throw new SyncError('ROLE_NOT_ALLOWED', 'Your HQ role may not do this.', {
        details: { role: principal.role, allowed: found.roles },
      });
    }
    if (found.action) requireJson(request);
    const result = await found.run(call, context);
    if (found.action) await record(context, call, found.action, 'done');
    if (result instanceof FileReply) sendFile(response, result);
    else sendJson(response, 200, result);
  } catch (error) {
    if (found.action) await record(context, call, found.action, 'refused', error).catch(() => {});
    throw error;
  }
  return true;
}

async function record(
  context: AdminContext,
  call: Call,
  action: string,
  outcome: 'done' | 'refused',
  error?: unknown,
): Promise<void> {
  await context.audit.record({
    at: call.at,
    actor: call.principal.username,
    action,
    target: call.auditTarget ?? call.params[0] ?? null,
    outcome,
    code: error instanceof SyncError ? error.code : error === undefined ? null : 'HQ_INTERNAL',
    details: { role: call.principal.role, path: call.url.pathname, ...call.auditDetails },
    address: addressOf(call.request),
  });
}

/** The signed-in user: a bearer token (scripts) or the session cookie (the page), whichever is given. */
export async function signedIn(
  request: IncomingMessage,
  context: AdminContext,
  at: number,
): Promise<HqPrincipal | undefined> {
  const token = bearer(request) ?? cookie(request, SESSION_COOKIE);
  return token === undefined ? undefined : context.accounts.authenticate(token, at);
}

async function session(request: IncomingMessage, response: ServerResponse, context: AdminContext) {
  const method = request.method ?? 'GET';
  const at = context.now();
  if (method === 'GET') {
    const principal = await signedIn(request, context, at);
    if (!principal) throw new SyncError('LOGIN_REQUIRED', 'Sign in to HQ first.');
    sendJson(response, 200, principal);
    return;
  }
  requireJson(request);
  const body = await readBody(request, SMALL_BODY);
  if (method === 'DELETE') {
    const token = bearer(request) ?? cookie(request, SESSION_COOKIE);
    const principal = await signedIn(request, context, at);
    if (token !== undefined) await context.accounts.signOut(token, at);
    if (principal) {
      await context.audit.record({
        at,
        actor: principal.username,
        action: 'session.sign_out',
        outcome: 'done',
        address: addressOf(request),
      });
    }
    sendJson(
      response,
      200,
      { signedOut: true },
      { 'set-cookie': sessionCookie('', 0, context.secureCookies) },
    );
    return;
  }
  if (method !== 'POST') throw new SyncError('ROUTE_UNKNOWN', 'No such route.');
  const input = parseJson(body, signInRequest);
  try {
    const signed = await context.accounts.signIn(input.username, input.password, at);
    await context.audit.record({
      at,
      actor: signed.principal.username,
      action: 'session.sign_in',
      outcome: 'done',
      address: addressOf(request),
    });
    sendJson(
      response,
      200,
      { ...signed.principal, expiresAt: signed.expiresAt },
      { 'set-cookie': sessionCookie(signed.token, SESSION_TTL_MS, context.secureCookies) },
    );
  } catch (error) {
    await context.audit
      .record({
        at,
        actor: null,
        action: 'session.sign_in',
        target: input.username,
        outcome: 'refused',
        code: error instanceof SyncError ? error.code : 'HQ_INTERNAL',
        address: addressOf(request),
      })
      .catch(() => {});
    throw error;
  }
}

function sendFile(response: ServerResponse, file: FileReply): void {
  response.writeHead(200, {
    'content-type': file.contentType,
    'content-disposition': `attachment; filename="${file.fileName}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(file.body);
}

function sessionCookie(token: string, maxAgeMs: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
