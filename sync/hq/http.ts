/**
 * The checks every HQ request passes before any work is done for it, and the shape of HQ's answers:
 * a body read only up to its route's limit (the declared length is checked before a byte is read), JSON only,
 * the Host and Origin a browser sends checked against HQ's public origins, and errors as `{ error, serverTime }`
 * with `Retry-After` when HQ says when to come back.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { SyncError } from '../errors';
import { type ErrorBody, PROTOCOL_VERSION } from '../wire';
import { isDatabaseUnreachable } from './database';

export const STATUS_BY_CODE: Record<string, number> = {
  REQUEST_MALFORMED: 400,
  UNSUPPORTED_VERSION: 400,
  TERMINAL_MISMATCH: 400,
  BATCH_NOT_CONTIGUOUS: 400,
  CAPS_INVALID: 400,
  KEYED_ENTRY_POLICY_INVALID: 400,
  CARD_STATE_UNKNOWN: 400,
  HQ_RULE_INVALID: 400,
  TERMINAL_ID_RESERVED: 400,
  USERNAME_INVALID: 400,
  ROLE_INVALID: 400,
  PASSWORD_TOO_SHORT: 400,
  HQ_CARD_UNKNOWN: 404,
  USER_UNKNOWN: 404,
  BODY_TOO_LARGE: 413,
  MEDIA_TYPE_UNSUPPORTED: 415,
  HOST_NOT_ALLOWED: 421,
  REQUEST_UNSIGNED: 401,
  SIGNATURE_MALFORMED: 401,
  BAD_SIGNATURE: 401,
  UNKNOWN_TERMINAL: 401,
  CLOCK_SKEW: 401,
  LOGIN_REQUIRED: 401,
  LOGIN_FAILED: 401,
  TERMINAL_REVOKED: 403,
  ORIGIN_NOT_ALLOWED: 403,
  ROLE_NOT_ALLOWED: 403,
  ENROLMENT_CODE_UNKNOWN: 403,
  ENROLMENT_CODE_USED: 403,
  ENROLMENT_CODE_EXPIRED: 403,
  ENROLMENT_CODE_OTHER_STORE: 403,
  STORE_INVALID: 400,
  TERMINAL_INVALID: 400,
  TIERS_INVALID: 400,
  TTL_INVALID: 400,
  PERIOD_INVALID: 400,
  HQ_STORE_UNKNOWN: 404,
  TERMINAL_EXISTS: 409,
  TERMINAL_NOT_FOUND: 404,
  REPLAYED_REQUEST: 409,
  SEQUENCE_GAP: 409,
  AUDIT_GAP: 409,
  USER_EXISTS: 409,
  RATE_LIMITED: 429,
  ROUTE_UNKNOWN: 404,
};

/** Reads the body, refusing it as soon as it is known to be larger than `limit` bytes. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): SyncError {
  return new SyncError('BODY_TOO_LARGE', 'The request body is too large for this route.', {
    details: { limitBytes: limit },
  });
}

/**
 * Every request that may change something carries JSON and says so. A browser cannot send
 * `application/json` to another site without asking it first, so a form or a `text/plain` post from a
 * page elsewhere never gets this far.
 */
export function requireJson(request: IncomingMessage): void {
  const method = request.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return;
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new SyncError(
      'MEDIA_TYPE_UNSUPPORTED',
      'HQ takes JSON bodies only (Content-Type: application/json).',
      {
        details: { contentType: type },
      },
    );
  }
}

/**
 * Where HQ may be reached from a browser: its public origins (`https://hq.example.com`). A Host header naming
 * anything else is refused (a page on another site rebinding its name to HQ's address gets nothing), and so is
 * an Origin header naming another site.
 */
export class OriginPolicy {
  private readonly origins: Set<string>;
  private readonly hosts: Set<string>;

  constructor(origins: readonly string[]) {
    const parsed = origins.map((origin) => {
      try {
        return new URL(origin);
      } catch (error) {
        throw new SyncError('PUBLIC_ORIGIN_INVALID', 'A public origin of HQ is not a URL.', {
          cause: error,
          details: { origin },
        });
      }
    });
    this.origins = new Set(parsed.map((url) => url.origin));
    this.hosts = new Set(parsed.map((url) => url.host));
  }

  get list(): string[] {
    return [...this.origins];
  }

  checkHost(request: IncomingMessage): void {
    const host = (request.headers.host ?? '').toLowerCase();
    if (!this.hosts.has(host)) {
      throw new SyncError('HOST_NOT_ALLOWED', 'This request names a host HQ does not serve.', {
        details: { host },
      });
    }
  }

  /** A browser's Origin must be one of HQ's; `required` for cookie-authenticated changes. */
  checkOrigin(request: IncomingMessage, required: boolean): void {
    const origin = request.headers.origin;
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || (origin !== undefined && !this.origins.has(origin))) {
      throw new SyncError('ORIGIN_NOT_ALLOWED', 'HQ takes changes only from its own pages.', {
        details: { origin: origin ?? null },
      });
    }
    if (required && origin === undefined) {
      throw new SyncError('ORIGIN_NOT_ALLOWED', 'A change made from a browser must name its origin.');
    }
  }
}

export function cookie(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function bearer(request: IncomingMessage): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(request.headers.authorization ?? '');
  return match?.[1];
}

export function parseJson<T>(body: Buffer, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new SyncError('REQUEST_MALFORMED', 'The body is not JSON.', { cause: error });
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
    throw new SyncError('REQUEST_MALFORMED', 'The body does not match the wire format.', {
      details: {
        issues: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      },
    });
  }
  return parsed.data;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  sendJsonText(response, status, JSON.stringify(value), headers);
}

/** Sends `body`, JSON text made by the caller, as `sendJson` would send the value it stands for. */
export function sendJsonText(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  response.end(body);
}

export function statusOf(error: unknown): number {
  return error instanceof SyncError ? (STATUS_BY_CODE[error.code] ?? 503) : 500;
}

/** `unread`: the request's body was not read; the connection is closed so it is never taken for a request. */
export function sendError(
  response: ServerResponse,
  error: unknown,
  serverTime: number,
  unread = false,
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const failure =
    !(error instanceof SyncError) && isDatabaseUnreachable(error)
      ? new SyncError('HQ_DATABASE_UNAVAILABLE', 'HQ cannot reach its database; retry later.', {
          cause: error,
          details: { retryAfterMs: 1_000 },
        })
      : error;
  const known = failure instanceof SyncError;
  const body: ErrorBody = {
    error: known
      ? {
          code: failure.code,
          message: failure.message,
          ...(failure.details ? { details: failure.details } : {}),
        }
      : { code: 'HQ_INTERNAL', message: 'HQ could not complete the request; retry later.' },
    serverTime,
  };
  const status = statusOf(failure);
  // Refusals are the client's business; failures of HQ itself go to the operator's log with their cause.
  if (status >= 500) {
    process.stderr.write(`hq: ${body.error.code}: ${rootCause(known ? failure.cause : failure)}\n`);
  }
  const headers: Record<string, string> = {};
  const retryAfterMs = known ? failure.details?.retryAfterMs : undefined;
  if (typeof retryAfterMs === 'number') headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
  if (unread) headers.connection = 'close';
  sendJson(response, status, body, headers);
}

/** The innermost cause's message, one line: a failed query's error names the query and its parameters. */
function rootCause(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause !== undefined) current = current.cause;
  const text = current instanceof Error ? current.message : String(current);
  return text.split('\n')[0]!.slice(0, 500);
}

/** The request came with a body that was not read (refused before it): its connection must not be reused. */
export function bodyUnread(request: IncomingMessage): boolean {
  const declared = Number(request.headers['content-length'] ?? 0);
  return !request.complete && (declared > 0 || request.headers['transfer-encoding'] !== undefined);
}

/** The client's address, without the IPv4-in-IPv6 prefix. */
export function addressOf(request: IncomingMessage): string {
  return request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown';
}
