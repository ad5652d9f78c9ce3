/**
 * HQ's HTTP server (node:http, or node:https when a certificate is configured).
 *
 *   POST /v1/enrol              unsigned; a one-time code and the till's public keys for its place in the chain
 *   POST /v1/push               signed; a batch of outbox rows
 *   GET  /v1/feed?after=N&limit=M  signed; other terminals' changes after a cursor, plus the offline caps and the typed-number rule
 *   POST /v1/audit              signed; a batch of the terminal's hash-chained audit lines
 *   the managers' page, its sign-in and the admin routes: see `admin.ts`
 *   GET/POST /rate/<token>      a customer's rating of a visit from the QR on a receipt: see `rating-routes.ts`
 *
 * Before any work for a request: its address is within its rate and concurrency limits, a signed request's
 * headers name a known, unrevoked terminal at a plausible time (checked before its body is read, and then its
 * terminal's own limits apply), and a body is read only up to its route's limit and only as JSON.
 *
 * Plain HTTP is refused on anything but a loopback address: keys and card data must not cross a network in clear.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SyncError } from '../errors';
import {
  HEADER_NONCE,
  HEADER_SIGNATURE,
  HEADER_TERMINAL,
  HEADER_TIMESTAMP,
  type NonceGuard,
  SIGNATURE_WINDOW_MS,
  verifyRequest,
} from '../signing';
import {
  auditPushRequestSchema,
  enrolRequestSchema,
  MAX_FEED_PAGE,
  PROTOCOL_VERSION,
  pushRequestSchema,
} from '../wire';
import { HqAccounts } from './accounts';
import { handleAdmin } from './admin';
import { AdminAudit } from './admin-audit';
import { feedBody } from './feed-page';
import {
  addressOf,
  bodyUnread,
  OriginPolicy,
  parseJson,
  readBody,
  requireJson,
  sendError,
  sendJson,
  sendJsonText,
} from './http';
import { DEFAULT_LIMITS, type HqLimits, RequestLimiter } from './limits';
import { DatabaseNonceStore, type NonceClaim, nonceExpiry } from './nonces';
import { handleRatings } from './rating-routes';
import type { HqService } from './service';

/**
 * Connections the kernel holds for HQ before it accepts them (capped by net.core.somaxconn). Node's default
 * of 511 overflows when a chain's tills all reconnect at once after an outage, and a dropped SYN costs its
 * till a second or more before it tries again.
 */
const LISTEN_BACKLOG = 4_096;

/** Per route, the largest body HQ reads. */
const BODY_LIMITS = {
  enrol: 4 * 1024,
  push: 16 * 1024 * 1024,
  audit: 8 * 1024 * 1024,
  none: 0,
} as const;

export interface HqServerOptions {
  service: HqService;
  host?: string;
  port?: number;
  tls?: { key: string | Buffer; cert: string | Buffer };
  /**
   * The origins people reach HQ's page at (`https://hq.example.com`); Host and Origin headers must name one.
   * By default the address HQ listens on (and `localhost` for a loopback address).
   */
  publicOrigins?: readonly string[];
  limits?: Partial<HqLimits>;
  now?: () => number;
  signatureWindowMs?: number;
  /** Where seen nonces are kept; by default HQ's database, so a restart does not forget them. */
  nonces?: NonceGuard;
}

export interface RunningHqServer {
  url: string;
  port: number;
  server: Server;
  /** The origins HQ's page answers to. */
  origins: string[];
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export async function startHqServer(options: HqServerOptions): Promise<RunningHqServer> {
  const host = options.host ?? '127.0.0.1';
  if (!options.tls && !isLoopback(host)) {
    throw new SyncError(
      'LISTEN_ADDRESS_INSECURE',
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
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const limiters: Limiters = {
    address: new RequestLimiter('address', limits.address),
    terminal: new RequestLimiter('terminal', limits.terminal),
    signIn: new RequestLimiter('sign-in', limits.signIn),
    rating: new RequestLimiter('rating', limits.rating),
  };
  const accounts = new HqAccounts(options.service.database);
  const audit = new AdminAudit(options.service.database);
  let origins: OriginPolicy | undefined;
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    let release = () => {};
    const served = async () => {
      const address = addressOf(request);
      release = limiters.address.enter(address, now());
      if (request.url === '/admin/session' && request.method === 'POST') {
        const signIn = limiters.signIn.enter(address, now());
        const outer = release;
        release = () => {
          signIn();
          outer();
        };
      }
      const url = new URL(request.url ?? '/', 'http://hq');
      const context = {
        service: options.service,
        accounts,
        audit,
        origins: origins!,
        secureCookies: origins!.list.some((origin) => origin.startsWith('https:')),
        now,
      };
      if (await handleRatings(request, response, url, context, limiters.rating, address)) return;
      if (await handleAdmin(request, response, url, context)) return;
      origins!.checkOrigin(request, false);
      await handleTerminal(request, response, url, options, nonces, limiters, now);
    };
    served()
      .catch((error: unknown) => sendError(response, error, now(), bodyUnread(request)))
      .finally(() => release());
  };
  const server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host, backlog: LISTEN_BACKLOG }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  origins = new OriginPolicy(
    options.publicOrigins ?? [url, ...(isLoopback(host) ? [`${scheme}://localhost:${port}`] : [])],
  );
  return {
    url,
    port,
    server,
    origins: origins.list,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Limiters {
  address: RequestLimiter;
  terminal: RequestLimiter;
  signIn: RequestLimiter;
  rating: RequestLimiter;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * What can be checked of a signed request before its body is read: the signature headers are there and well
 * formed, the time is inside the window, and the terminal is known to HQ and not revoked. The signature itself
 * covers the body and is verified once the body is in.
 */
async function signedTerminal(
  headers: IncomingHttpHeaders,
  service: HqService,
  now: number,
  windowMs: number,
): Promise<string> {
  const terminalId = header(headers, HEADER_TERMINAL);
  const timestamp = header(headers, HEADER_TIMESTAMP);
  const nonce = header(headers, HEADER_NONCE);
  if (!terminalId || !timestamp || !nonce || !header(headers, HEADER_SIGNATURE)) {
    throw new SyncError('REQUEST_UNSIGNED', 'The request carries no complete signature.');
  }
  if (terminalId.length > 128 || !/^\d{1,16}$/.test(timestamp)) {
    throw new SyncError('SIGNATURE_MALFORMED', 'The signature headers are malformed.');
  }
  if (Math.abs(now - Number(timestamp)) > windowMs) {
    throw new SyncError('CLOCK_SKEW', 'The request timestamp is outside the accepted window.', {
      details: { serverTime: now, requestTime: Number(timestamp), windowMs },
    });
  }
  const entry = await service.terminalKey(terminalId);
  if (!entry) throw new SyncError('UNKNOWN_TERMINAL', 'This terminal is not enrolled.');
  if (entry.revoked) {
    throw new SyncError('TERMINAL_REVOKED', 'HQ revoked this terminal; it must be enrolled again.', {
      details: { terminalId },
    });
  }
  return terminalId;
}

async function handleTerminal(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  options: HqServerOptions,
  nonces: NonceGuard,
  limiters: Limiters,
  now: () => number,
): Promise<void> {
  const { service } = options;
  const method = request.method ?? 'GET';
  const target = request.url ?? '/';

  if (method === 'POST' && url.pathname === '/v1/enrol') {
    requireJson(request);
    const input = parseJson(await readBody(request, BODY_LIMITS.enrol), enrolRequestSchema);
    sendJson(response, 200, await service.enrol(input, now()));
    return;
  }

  const isPush = method === 'POST' && url.pathname === '/v1/push';
  const isAudit = method === 'POST' && url.pathname === '/v1/audit';
  const isFeed = method === 'GET' && url.pathname === '/v1/feed';
  if (!isPush && !isAudit && !isFeed) throw new SyncError('ROUTE_UNKNOWN', 'No such route.');

  const at = now();
  const windowMs = options.signatureWindowMs ?? SIGNATURE_WINDOW_MS;
  const claimed = await signedTerminal(request.headers, service, at, windowMs);
  const release = limiters.terminal.enter(claimed, at);
  try {
    requireJson(request);
    const body = await readBody(
      request,
      isPush ? BODY_LIMITS.push : isAudit ? BODY_LIMITS.audit : BODY_LIMITS.none,
    );
    // A push claims its nonce in the transaction that applies it, and a feed pull in the statement that reads
    // its page, so neither costs a round trip (or a commit) of its own.
    let deferredNonce: NonceClaim | undefined;
    const deferred: NonceGuard = {
      claim(terminal, nonce, time) {
        deferredNonce = { terminalId: terminal, nonce, expiresAt: nonceExpiry(time, windowMs) };
        return true;
      },
    };
    const terminalId = await verifyRequest({
      method,
      path: target,
      headers: request.headers,
      body,
      now: at,
      keyOf: (id) => service.keyOf(id),
      nonces: (isPush || isFeed) && !options.nonces ? deferred : nonces,
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
        const outcome = await service.ingest(terminalId, input.operations, at, input.waiting, deferredNonce);
        if (input.appVersion !== undefined) await service.noteAppVersion(terminalId, input.appVersion);
        sendJson(response, 200, { version: PROTOCOL_VERSION, ...outcome, serverTime: now() });
      } catch (error) {
        // A replay is someone else's request again, not the terminal's error.
        if (error instanceof SyncError && error.code !== 'REPLAYED_REQUEST')
          await service.recordTerminalError(terminalId, error.code, at).catch(() => {});
        throw error;
      }
      return;
    }
    if (isAudit) {
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
    const after = Number(url.searchParams.get('after') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? String(MAX_FEED_PAGE));
    if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(limit) || limit < 1) {
      throw new SyncError('REQUEST_MALFORMED', 'after and limit must be non-negative integers.');
    }
    const page = await service.feedPage(terminalId, after, Math.min(limit, MAX_FEED_PAGE), at, deferredNonce);
    const { entriesJson, amountLimits, ...rest } = page;
    sendJsonText(
      response,
      200,
      feedBody(entriesJson, {
        ...rest,
        ...(amountLimits === undefined ? {} : { amountLimits }),
        serverTime: now(),
      }),
    );
  } finally {
    release();
  }
}
