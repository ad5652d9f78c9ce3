/**
 * HQ's HTTP server (node:http, or node:https when a certificate is configured).
 *
 *   POST /v1/enrol              unsigned; a one-time code and the till's public keys for its place in the chain
 *   POST /v1/push               signed; a batch of outbox rows
 *   GET  /v1/feed?after=N&limit=M  signed; other terminals' changes after a cursor, plus the offline caps
 *   POST /v1/audit              signed; a batch of the terminal's hash-chained audit lines
 *   GET  /                      the managers' page; GET /api/report the same as JSON
 *   POST /admin/stores (add or update a store), POST /admin/terminals (a new terminal and its first code),
 *   POST /admin/enrolment-codes (a new code for a terminal: re-enrolment), PUT /admin/tiers, PUT /admin/caps, POST /admin/rejections/:id/resolve,
 *   POST /admin/overdrafts/:id/resolve, POST /admin/cards/:id/state (a card lost or frozen at HQ, fed to
 *   every terminal), POST /admin/rules (a top-up bonus rule version, fed to every terminal),
 *   GET /admin/audit?terminal=T&after=N&limit=M (a terminal's audit lines as HQ holds them)
 *   with `Authorization: Bearer <admin token>`
 *
 * Plain HTTP is refused on anything but a loopback address: keys and card data must not cross a network in clear.
 */
import { timingSafeEqual } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { SyncError } from '../errors';
import { type NonceGuard, SIGNATURE_WINDOW_MS, verifyRequest } from '../signing';
import {
  auditPushRequestSchema,
  type ErrorBody,
  enrolRequestSchema,
  enrolStoreSchema,
  MAX_FEED_PAGE,
  offlineCapsSchema,
  PROTOCOL_VERSION,
  publishRuleRequestSchema,
  pushRequestSchema,
  wireTierSchema,
} from '../wire';
import { DatabaseNonceStore, type NonceClaim, nonceExpiry } from './nonces';
import { renderPage } from './page';
import type { HqService } from './service';

const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Most audit lines one admin read returns. */
const MAX_AUDIT_PAGE = 1_000;

export interface HqServerOptions {
  service: HqService;
  host?: string;
  port?: number;
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Guards the admin routes and the managers' page; without it they answer 403 except on loopback. */
  adminToken?: string;
  now?: () => number;
  signatureWindowMs?: number;
  /** Where seen nonces are kept; by default HQ's database, so a restart does not forget them. */
  nonces?: NonceGuard;
}

export interface RunningHqServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const STATUS_BY_CODE: Record<string, number> = {
  MALFORMED_REQUEST: 400,
  UNSUPPORTED_VERSION: 400,
  TERMINAL_MISMATCH: 400,
  BATCH_NOT_CONTIGUOUS: 400,
  INVALID_CAPS: 400,
  INVALID_CARD_STATE: 400,
  INVALID_RULE: 400,
  RESERVED_TERMINAL_ID: 400,
  UNKNOWN_CARD: 404,
  BODY_TOO_LARGE: 413,
  UNSIGNED_REQUEST: 401,
  MALFORMED_SIGNATURE: 401,
  BAD_SIGNATURE: 401,
  UNKNOWN_TERMINAL: 401,
  CLOCK_SKEW: 401,
  REPLAYED_REQUEST: 409,
  SEQUENCE_GAP: 409,
  AUDIT_GAP: 409,
  ENROLMENT_CODE_UNKNOWN: 403,
  ENROLMENT_CODE_USED: 403,
  ENROLMENT_CODE_EXPIRED: 403,
  ENROLMENT_CODE_OTHER_STORE: 403,
  INVALID_STORE: 400,
  INVALID_TERMINAL: 400,
  INVALID_TIERS: 400,
  INVALID_TTL: 400,
  UNKNOWN_STORE: 404,
  TERMINAL_EXISTS: 409,
  TERMINAL_NOT_FOUND: 404,
  ADMIN_ONLY: 403,
  NOT_FOUND: 404,
};

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export async function startHqServer(options: HqServerOptions): Promise<RunningHqServer> {
  const host = options.host ?? '127.0.0.1';
  if (!options.tls && !isLoopback(host)) {
    throw new SyncError(
      'INSECURE_LISTEN',
      'Plain HTTP is only allowed on a loopback address; configure TLS.',
      {
        details: { host },
      },
    );
  }
  const now = options.now ?? Date.now;
  const nonces =
    options.nonces ??
    new DatabaseNonceStore(options.service.database, options.signatureWindowMs ?? SIGNATURE_WINDOW_MS);
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response, options, nonces, now).catch((error: unknown) =>
      sendError(response, error, now()),
    );
  };
  const server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  return {
    url: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SyncError('BODY_TOO_LARGE', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseJson<T>(body: Buffer, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new SyncError('MALFORMED_REQUEST', 'The body is not JSON.', { cause: error });
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    'version' in value &&
    value.version !== PROTOCOL_VERSION
  ) {
    throw new SyncError('UNSUPPORTED_VERSION', `HQ speaks protocol version ${PROTOCOL_VERSION}.`, {
      details: { version: value.version },
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new SyncError('MALFORMED_REQUEST', 'The body does not match the wire format.', {
      details: {
        issues: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      },
    });
  }
  return parsed.data;
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

function sendError(response: ServerResponse, error: unknown, serverTime: number): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const known = error instanceof SyncError;
  const body: ErrorBody = {
    error: known
      ? { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) }
      : { code: 'HQ_INTERNAL', message: 'HQ could not complete the request; retry later.' },
    serverTime,
  };
  const status = known ? (STATUS_BY_CODE[error.code] ?? 503) : 500;
  // Refusals are the client's business; failures of HQ itself go to the operator's log with their cause.
  if (status >= 500) {
    process.stderr.write(`hq: ${body.error.code}: ${rootCause(known ? error.cause : error)}\n`);
  }
  sendJson(response, status, body);
}

/** The innermost cause's message, one line: a failed query's error names the query and its parameters. */
function rootCause(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause !== undefined) current = current.cause;
  const text = current instanceof Error ? current.message : String(current);
  return text.split('\n')[0]!.slice(0, 500);
}

function requireAdmin(request: IncomingMessage, options: HqServerOptions): void {
  const token = options.adminToken;
  if (token === undefined) {
    if (isLoopback(request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '')) return;
    throw new SyncError(
      'ADMIN_ONLY',
      'Admin routes need an admin token when HQ is reachable from the network.',
    );
  }
  const given = Buffer.from(request.headers.authorization?.replace(/^Bearer /, '') ?? '');
  const wanted = Buffer.from(token);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new SyncError('ADMIN_ONLY', 'This route needs the admin token.');
  }
}

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

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: HqServerOptions,
  nonces: NonceGuard,
  now: () => number,
): Promise<void> {
  const { service } = options;
  const method = request.method ?? 'GET';
  const target = request.url ?? '/';
  const url = new URL(target, 'http://hq');
  const body = await readBody(request);

  if (method === 'POST' && url.pathname === '/v1/enrol') {
    const input = parseJson(body, enrolRequestSchema);
    sendJson(response, 200, await service.enrol(input, now()));
    return;
  }

  if (url.pathname.startsWith('/v1/')) {
    const at = now();
    const windowMs = options.signatureWindowMs ?? SIGNATURE_WINDOW_MS;
    // A push claims its nonce in the transaction that applies it, so it costs no commit of its own.
    let pushNonce: NonceClaim | undefined;
    const deferred: NonceGuard = {
      claim(terminal, nonce, time) {
        pushNonce = { terminalId: terminal, nonce, expiresAt: nonceExpiry(time, windowMs) };
        return true;
      },
    };
    const isPush = method === 'POST' && url.pathname === '/v1/push';
    const terminalId = await verifyRequest({
      method,
      path: target,
      headers: request.headers,
      body,
      now: at,
      keyOf: (id) => service.keyOf(id),
      nonces: isPush && !options.nonces ? deferred : nonces,
      ...(options.signatureWindowMs ? { windowMs: options.signatureWindowMs } : {}),
    });
    if (isPush) {
      const input = parseJson(body, pushRequestSchema);
      if (input.terminalId !== terminalId) {
        throw new SyncError(
          'TERMINAL_MISMATCH',
          'The body names another terminal than the one that signed it.',
        );
      }
      try {
        const outcome = await service.ingest(terminalId, input.operations, at, input.waiting, pushNonce);
        sendJson(response, 200, { version: PROTOCOL_VERSION, ...outcome, serverTime: now() });
      } catch (error) {
        // A replay is someone else's request again, not the terminal's error.
        if (error instanceof SyncError && error.code !== 'REPLAYED_REQUEST')
          await service.recordTerminalError(terminalId, error.code, at).catch(() => {});
        throw error;
      }
      return;
    }
    if (method === 'POST' && url.pathname === '/v1/audit') {
      const input = parseJson(body, auditPushRequestSchema);
      if (input.terminalId !== terminalId) {
        throw new SyncError(
          'TERMINAL_MISMATCH',
          'The body names another terminal than the one that signed it.',
        );
      }
      const outcome = await service.ingestAudit(terminalId, input.records, at);
      sendJson(response, 200, { version: PROTOCOL_VERSION, ...outcome, serverTime: now() });
      return;
    }
    if (method === 'GET' && url.pathname === '/v1/feed') {
      const after = Number(url.searchParams.get('after') ?? '0');
      const limit = Number(url.searchParams.get('limit') ?? String(MAX_FEED_PAGE));
      if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(limit) || limit < 1) {
        throw new SyncError('MALFORMED_REQUEST', 'after and limit must be non-negative integers.');
      }
      const page = await service.feed(terminalId, after, Math.min(limit, MAX_FEED_PAGE));
      const caps = await service.caps();
      const cursor = page.entries.length > 0 ? page.entries[page.entries.length - 1]!.position : after;
      sendJson(response, 200, { version: PROTOCOL_VERSION, ...page, cursor, caps, serverTime: now() });
      return;
    }
    throw new SyncError('NOT_FOUND', 'No such route.');
  }

  if (method === 'GET' && (url.pathname === '/' || url.pathname === '/api/report')) {
    requireAdmin(request, options);
    const report = await service.report(now());
    if (url.pathname === '/') {
      const html = renderPage(report);
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      response.end(html);
    } else {
      sendJson(response, 200, report);
    }
    return;
  }

  if (url.pathname.startsWith('/admin/')) {
    requireAdmin(request, options);
    const at = now();
    if (method === 'POST' && url.pathname === '/admin/stores') {
      sendJson(response, 200, await service.saveStore({ ...parseJson(body, enrolStoreSchema), now: at }));
      return;
    }
    if (method === 'POST' && url.pathname === '/admin/terminals') {
      sendJson(response, 200, await service.createTerminal({ ...parseJson(body, terminalRequest), now: at }));
      return;
    }
    if (method === 'POST' && url.pathname === '/admin/enrolment-codes') {
      const input = parseJson(body, enrolmentCodeRequest);
      sendJson(response, 200, await service.createEnrolmentCode({ ...input, now: at }));
      return;
    }
    if (method === 'PUT' && url.pathname === '/admin/tiers') {
      sendJson(response, 200, await service.setTiers(parseJson(body, z.array(wireTierSchema)), at));
      return;
    }
    if (method === 'PUT' && url.pathname === '/admin/caps') {
      sendJson(response, 200, await service.setCaps(parseJson(body, offlineCapsSchema), at));
      return;
    }
    const rejection = /^\/admin\/rejections\/([^/]+)\/resolve$/.exec(url.pathname);
    if (method === 'POST' && rejection) {
      sendJson(response, 200, {
        resolved: await service.resolveRejection(decodeURIComponent(rejection[1]!), at),
      });
      return;
    }
    const cardState = /^\/admin\/cards\/([^/]+)\/state$/.exec(url.pathname);
    if (method === 'POST' && cardState) {
      const input = parseJson(body, cardStateRequest);
      sendJson(
        response,
        200,
        await service.setCardState({ cardId: decodeURIComponent(cardState[1]!), ...input, now: at }),
      );
      return;
    }
    if (method === 'POST' && url.pathname === '/admin/rules') {
      const input = parseJson(body, publishRuleRequestSchema);
      sendJson(response, 200, await service.publishRule({ ...input, now: at }));
      return;
    }
    if (method === 'GET' && url.pathname === '/admin/audit') {
      const terminal = url.searchParams.get('terminal') ?? '';
      const after = Number(url.searchParams.get('after') ?? '0');
      const limit = Number(url.searchParams.get('limit') ?? String(MAX_AUDIT_PAGE));
      if (
        terminal === '' ||
        !Number.isSafeInteger(after) ||
        after < 0 ||
        !Number.isSafeInteger(limit) ||
        limit < 1
      ) {
        throw new SyncError(
          'MALFORMED_REQUEST',
          'terminal is required; after and limit are non-negative integers.',
        );
      }
      sendJson(response, 200, await service.auditOf(terminal, after, Math.min(limit, MAX_AUDIT_PAGE)));
      return;
    }
    const overdraft = /^\/admin\/overdrafts\/(\d+)\/resolve$/.exec(url.pathname);
    if (method === 'POST' && overdraft) {
      sendJson(response, 200, { resolved: await service.resolveOverdraft(Number(overdraft[1]), at) });
      return;
    }
  }
  throw new SyncError('NOT_FOUND', 'No such route.');
}
