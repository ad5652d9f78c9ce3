/**
 * The terminal's HTTP client for HQ: enrolment, signed push and feed requests, and the classification of every
 * failure into a SyncError whose `retryable` detail tells the worker whether to back off and try again.
 *
 * HQ's clock is the reference: when HQ refuses a timestamp (CLOCK_SKEW) the client learns the offset from the
 * server time in the answer and signs later requests with the corrected time.
 */
import type { z } from 'zod';
import { SyncError } from './errors';
import { signRequest } from './signing';
import { type KeyPairText, newBoxKeyPair, newSigningKeyPair, openSealed } from './terminal-keys';
import {
  type AuditPushResponse,
  auditPushResponseSchema,
  type EnrolResponse,
  enrolResponseSchema,
  errorBodySchema,
  type FeedResponse,
  feedResponseSchema,
  PROTOCOL_VERSION,
  type PushResponse,
  pushResponseSchema,
  type WireAuditRecord,
  type WireOperation,
} from './wire';

export interface TerminalCredentials {
  terminalId: string;
  storeId: string;
  /** The Ed25519 private seed (base64url) every request is signed with; HQ holds only its public half. */
  key: string;
}

/** The chain's card keys as HQ sealed them to this till, opened. */
export interface ChainCardKeys {
  masterKey: Buffer;
  chainSecret: Buffer;
}

/** What one enrolment gives the till: its credentials, HQ's whole answer and the card keys, opened. */
export interface EnrolledTerminal extends TerminalCredentials {
  /** The Ed25519 public key HQ now verifies this till with (base64url). */
  publicKey: string;
  answer: EnrolResponse;
  cardKeys: ChainCardKeys;
}

/** The context a card-key box is sealed under: it names the till, so a box is good for that till only. */
export function cardKeysContext(terminalId: string): string {
  return `card-keys/${terminalId}`;
}

/** What the worker needs from HQ; the HTTP client is the production one. */
export interface HqTransport {
  push(terminalId: string, operations: WireOperation[], waiting?: number): Promise<PushResponse>;
  feed(after: number, limit: number): Promise<FeedResponse>;
  /** Sends audit lines in id order on their own stream, apart from the outbox's sequence. */
  pushAudit(terminalId: string, records: WireAuditRecord[], waiting?: number): Promise<AuditPushResponse>;
}

/** Codes after which the same request may succeed later. */
const RETRYABLE = new Set([
  'HQ_UNREACHABLE',
  'HQ_TIMEOUT',
  'HQ_UNAVAILABLE',
  'HQ_INTERNAL',
  'HQ_DATABASE_UNAVAILABLE',
  'HQ_RESPONSE_INVALID',
  'CLOCK_SKEW',
  'REPLAYED_REQUEST',
  'SEQUENCE_GAP',
  'AUDIT_GAP',
  'RATE_LIMITED',
]);

export function isRetryable(error: unknown): boolean {
  return error instanceof SyncError && RETRYABLE.has(error.code);
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
}

/** Plain HTTP only to a loopback address; anything else must be HTTPS. */
export function checkHqUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (error) {
    throw new SyncError('HQ_URL_INVALID', 'The HQ address is not a URL.', {
      cause: error,
      details: { baseUrl },
    });
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new SyncError('TRANSPORT_INSECURE', 'HQ must be reached over HTTPS unless it is on this machine.', {
    details: { baseUrl },
  });
}

interface RequestOptions {
  timeoutMs: number;
  fetch: typeof fetch;
}

async function exchange<T>(
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string },
  schema: z.ZodType<T>,
  options: RequestOptions,
  onServerTime?: (serverTime: number) => void,
): Promise<T> {
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new SyncError(timedOut ? 'HQ_TIMEOUT' : 'HQ_UNREACHABLE', 'HQ did not answer.', {
      cause: error,
      details: { retryable: true },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyncError(
      response.status >= 500 ? 'HQ_UNAVAILABLE' : 'HQ_RESPONSE_INVALID',
      `HQ answered ${response.status} without JSON.`,
      {
        cause: error,
        details: { status: response.status, retryable: true },
      },
    );
  }
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(json);
    if (parsed.success) onServerTime?.(parsed.data.serverTime);
    const code = parsed.success
      ? parsed.data.error.code
      : response.status >= 500
        ? 'HQ_UNAVAILABLE'
        : 'HQ_RESPONSE_INVALID';
    const message = parsed.success ? parsed.data.error.message : `HQ answered ${response.status}.`;
    const retryAfterMs = retryAfter(response.headers.get('retry-after'));
    throw new SyncError(code, message, {
      details: {
        status: response.status,
        retryable: RETRYABLE.has(code) || response.status >= 500,
        ...(parsed.success ? parsed.data.error.details : {}),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      },
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new SyncError('HQ_RESPONSE_INVALID', 'HQ answered in an unknown format.', {
      details: { retryable: true },
    });
  }
  return parsed.data;
}

/** HQ's `Retry-After` (seconds, or an HTTP date) in milliseconds; at most an hour. */
export function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - now) / 1000;
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(Math.max(0, Math.round(seconds * 1000)), 3_600_000);
}

/**
 * Exchanges a one-time code: makes the till's Ed25519 signing pair and a one-use X25519 box pair here, sends
 * both public halves with the till's clock, and opens the card keys HQ sealed to the box key. Nothing is
 * stored; the caller keeps what it needs.
 */
export async function enrolTerminal(
  baseUrl: string,
  code: string,
  options: Partial<RequestOptions> & { now?: () => number; expectedStoreId?: string } = {},
): Promise<EnrolledTerminal> {
  const url = new URL('/v1/enrol', checkHqUrl(baseUrl));
  const signing: KeyPairText = newSigningKeyPair();
  const box: KeyPairText = newBoxKeyPair();
  const answer = await exchange(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        version: PROTOCOL_VERSION,
        code,
        publicKey: signing.publicKey,
        boxKey: box.publicKey,
        terminalTime: (options.now ?? Date.now)(),
        ...(options.expectedStoreId === undefined ? {} : { expectedStoreId: options.expectedStoreId }),
      }),
    },
    enrolResponseSchema,
    { timeoutMs: options.timeoutMs ?? 15_000, fetch: options.fetch ?? fetch },
  );
  const opened = openSealed(box, answer.cardKeys, cardKeysContext(answer.terminal.id));
  let parsed: { masterKey?: unknown; chainSecret?: unknown };
  try {
    parsed = JSON.parse(opened.toString('utf8')) as typeof parsed;
  } catch (cause) {
    throw new SyncError('HQ_RESPONSE_INVALID', 'HQ sealed card keys this till cannot read.', { cause });
  }
  if (typeof parsed.masterKey !== 'string' || typeof parsed.chainSecret !== 'string') {
    throw new SyncError('HQ_RESPONSE_INVALID', 'HQ sealed card keys without both keys.');
  }
  return {
    terminalId: answer.terminal.id,
    storeId: answer.store.id,
    key: signing.privateKey,
    publicKey: signing.publicKey,
    answer,
    cardKeys: {
      masterKey: Buffer.from(parsed.masterKey, 'base64'),
      chainSecret: Buffer.from(parsed.chainSecret, 'base64'),
    },
  };
}

export class HqHttpClient implements HqTransport {
  private readonly base: URL;
  /** HQ time minus local time, learnt from HQ's answers. */
  clockOffsetMs = 0;
  private readonly options: RequestOptions;
  private readonly now: () => number;

  constructor(
    baseUrl: string,
    private readonly credentials: TerminalCredentials,
    options: { timeoutMs?: number; fetch?: typeof fetch; now?: () => number; appVersion?: string } = {},
  ) {
    this.base = checkHqUrl(baseUrl);
    this.options = { timeoutMs: options.timeoutMs ?? 30_000, fetch: options.fetch ?? fetch };
    this.now = options.now ?? Date.now;
    this.appVersion = options.appVersion;
  }

  /** Sent with each push, so HQ's console shows which version each till runs. */
  private readonly appVersion: string | undefined;

  private learn = (serverTime: number): void => {
    this.clockOffsetMs = serverTime - this.now();
  };

  private async signed<T>(
    method: string,
    pathAndQuery: string,
    body: string,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const headers: Record<string, string> = {
      ...signRequest({
        key: this.credentials.key,
        terminalId: this.credentials.terminalId,
        method,
        path: pathAndQuery,
        body,
        now: this.now() + this.clockOffsetMs,
      }),
    };
    if (body.length > 0) headers['content-type'] = 'application/json';
    return exchange(
      new URL(pathAndQuery, this.base),
      { method, headers, ...(method === 'GET' ? {} : { body }) },
      schema,
      this.options,
      this.learn,
    );
  }

  async push(terminalId: string, operations: WireOperation[], waiting?: number): Promise<PushResponse> {
    const body = JSON.stringify({
      version: PROTOCOL_VERSION,
      terminalId,
      operations,
      waiting,
      ...(this.appVersion === undefined ? {} : { appVersion: this.appVersion }),
    });
    const answer = await this.signed('POST', '/v1/push', body, pushResponseSchema);
    this.learn(answer.serverTime);
    return answer;
  }

  async feed(after: number, limit: number): Promise<FeedResponse> {
    const answer = await this.signed('GET', `/v1/feed?after=${after}&limit=${limit}`, '', feedResponseSchema);
    this.learn(answer.serverTime);
    return answer;
  }

  async pushAudit(
    terminalId: string,
    records: WireAuditRecord[],
    waiting?: number,
  ): Promise<AuditPushResponse> {
    const body = JSON.stringify({ version: PROTOCOL_VERSION, terminalId, records, waiting });
    const answer = await this.signed('POST', '/v1/audit', body, auditPushResponseSchema);
    this.learn(answer.serverTime);
    return answer;
  }
}
