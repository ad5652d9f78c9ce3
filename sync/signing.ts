/**
 * Request signing. Every request after enrolment carries the terminal id, a timestamp, a random nonce and an
 * Ed25519 signature over method, path (with query), timestamp, nonce and the SHA-256 of the body, made with the
 * private key the till generated at enrolment; HQ holds only the public key. HQ refuses a timestamp outside its window (a captured request goes stale) and a nonce it has seen inside
 * the window (a replay), and any change to method, path or body breaks the signature.
 */
import { createHash, randomBytes, sign, verify } from 'node:crypto';
import { SyncError } from './errors';
import { signingPrivateKey, signingPublicKey } from './terminal-keys';

export const HEADER_TERMINAL = 'x-pos-terminal';
export const HEADER_TIMESTAMP = 'x-pos-timestamp';
export const HEADER_NONCE = 'x-pos-nonce';
export const HEADER_SIGNATURE = 'x-pos-signature';

/** How far a request's timestamp may be from HQ's clock either way. */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

export interface SignedHeaders {
  [HEADER_TERMINAL]: string;
  [HEADER_TIMESTAMP]: string;
  [HEADER_NONCE]: string;
  [HEADER_SIGNATURE]: string;
}

export function bodyHash(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

export function canonicalRequest(
  method: string,
  path: string,
  timestamp: number,
  nonce: string,
  body: string | Uint8Array,
): string {
  return [method.toUpperCase(), path, String(timestamp), nonce, bodyHash(body)].join('\n');
}

/** Ed25519 over the canonical request; `privateKey` is the 32-byte seed, base64url. */
export function signature(privateKey: string, canonical: string): string {
  return sign(null, Buffer.from(canonical), signingPrivateKey(privateKey)).toString('base64url');
}

function signatureHolds(publicKey: string, canonical: string, given: string): boolean {
  try {
    return verify(null, Buffer.from(canonical), signingPublicKey(publicKey), Buffer.from(given, 'base64url'));
  } catch {
    return false;
  }
}

export function signRequest(input: {
  /** The terminal's Ed25519 private seed (base64url). */
  key: string;
  terminalId: string;
  method: string;
  path: string;
  body: string | Uint8Array;
  now: number;
  nonce?: string;
}): SignedHeaders {
  const nonce = input.nonce ?? randomBytes(16).toString('base64url');
  const timestamp = Math.round(input.now);
  return {
    [HEADER_TERMINAL]: input.terminalId,
    [HEADER_TIMESTAMP]: String(timestamp),
    [HEADER_NONCE]: nonce,
    [HEADER_SIGNATURE]: signature(
      input.key,
      canonicalRequest(input.method, input.path, timestamp, nonce, input.body),
    ),
  };
}

/** Where HQ remembers the nonces it has seen; `claim` answers false for one already used inside the window. */
export interface NonceGuard {
  claim(terminalId: string, nonce: string, now: number): boolean | Promise<boolean>;
}

/** Remembers nonces in memory for the signature window so a replayed request inside it is refused. */
export class NonceStore implements NonceGuard {
  private readonly seen = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly windowMs = SIGNATURE_WINDOW_MS) {}

  /** Returns false when this (terminal, nonce) was already used inside the window. */
  claim(terminalId: string, nonce: string, now: number): boolean {
    if (now - this.lastSweep > this.windowMs / 4) this.sweep(now);
    const key = `${terminalId}\u0000${nonce}`;
    const expires = this.seen.get(key);
    if (expires !== undefined && expires > now) return false;
    // A nonce must outlive every timestamp that could still pass the window check: twice the window.
    this.seen.set(key, now + 2 * this.windowMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, expires] of this.seen) if (expires <= now) this.seen.delete(key);
  }
}

export interface VerifyInput {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string | Uint8Array;
  now: number;
  /** The terminal's Ed25519 public key (raw, base64url), or undefined for a terminal HQ does not know. */
  keyOf: (terminalId: string) => string | undefined | Promise<string | undefined>;
  nonces: NonceGuard;
  windowMs?: number;
}

function header(headers: VerifyInput['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Verifies a signed request and returns the terminal id, or throws a SyncError with a stable code. */
export async function verifyRequest(input: VerifyInput): Promise<string> {
  const terminalId = header(input.headers, HEADER_TERMINAL);
  const timestampText = header(input.headers, HEADER_TIMESTAMP);
  const nonce = header(input.headers, HEADER_NONCE);
  const given = header(input.headers, HEADER_SIGNATURE);
  if (!terminalId || !timestampText || !nonce || !given) {
    throw new SyncError('REQUEST_UNSIGNED', 'The request carries no complete signature.');
  }
  if (!/^\d{1,16}$/.test(timestampText) || nonce.length < 8 || nonce.length > 128) {
    throw new SyncError('SIGNATURE_MALFORMED', 'The signature headers are malformed.');
  }
  const timestamp = Number(timestampText);
  const windowMs = input.windowMs ?? SIGNATURE_WINDOW_MS;
  if (Math.abs(input.now - timestamp) > windowMs) {
    throw new SyncError('CLOCK_SKEW', 'The request timestamp is outside the accepted window.', {
      details: { serverTime: input.now, requestTime: timestamp, windowMs },
    });
  }
  const key = await input.keyOf(terminalId);
  if (key === undefined) throw new SyncError('UNKNOWN_TERMINAL', 'This terminal is not enrolled.');
  if (!signatureHolds(key, canonicalRequest(input.method, input.path, timestamp, nonce, input.body), given)) {
    throw new SyncError('BAD_SIGNATURE', 'The request signature does not match.');
  }
  // Claimed only after the signature holds, so a forger cannot burn a real terminal's nonces.
  if (!(await input.nonces.claim(terminalId, nonce, input.now))) {
    throw new SyncError('REPLAYED_REQUEST', 'This request was already received.');
  }
  return terminalId;
}
