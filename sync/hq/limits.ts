/**
 * Request limits per key (a client address, a terminal): a token bucket for the rate and a count of requests in
 * flight. A request over either is refused with RATE_LIMITED and the time after which it would pass, which HQ
 * sends as `Retry-After` so terminals come back when HQ can take them instead of all at once.
 */
import { SyncError } from '../errors';

export interface LimitPolicy {
  /** Requests per second, sustained. */
  ratePerSecond: number;
  /** Requests that may come at once after a quiet spell. */
  burst: number;
  /** Requests in flight at the same time. */
  concurrent: number;
}

interface Bucket {
  tokens: number;
  at: number;
  inFlight: number;
}

/** Forgets keys quiet for this long, so a scan of random addresses or terminal ids does not grow memory. */
const FORGET_AFTER_MS = 60_000;
const MAX_KEYS = 100_000;

export class RequestLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private nextSweepAt = 0;

  constructor(
    readonly scope: string,
    private readonly policy: LimitPolicy,
  ) {}

  /** Takes a place for one request; call the returned release when it is answered. */
  enter(key: string, now: number): () => void {
    this.sweep(now);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.policy.burst, at: now, inFlight: 0 };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(
      this.policy.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.policy.ratePerSecond,
    );
    bucket.at = now;
    if (bucket.inFlight >= this.policy.concurrent) throw this.limited(key, 1_000);
    if (bucket.tokens < 1) {
      throw this.limited(key, Math.ceil(((1 - bucket.tokens) / this.policy.ratePerSecond) * 1000));
    }
    bucket.tokens -= 1;
    bucket.inFlight += 1;
    const entered = bucket;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entered.inFlight -= 1;
    };
  }

  private limited(key: string, retryAfterMs: number): SyncError {
    return new SyncError('RATE_LIMITED', 'Too many requests; come back later.', {
      details: { scope: this.scope, key, retryAfterMs: Math.max(1_000, retryAfterMs) },
    });
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt && this.buckets.size < MAX_KEYS) return;
    this.nextSweepAt = now + FORGET_AFTER_MS / 4;
    for (const [key, bucket] of this.buckets) {
      if (bucket.inFlight === 0 && now - bucket.at >= FORGET_AFTER_MS) this.buckets.delete(key);
    }
  }
}

export interface HqLimits {
  /** Every request, by the client's address. */
  address: LimitPolicy;
  /** Signed requests, by terminal. */
  terminal: LimitPolicy;
  /** Sign-in attempts, by the client's address: slow enough that guessing a password is hopeless. */
  signIn: LimitPolicy;
  /** Customers' rating posts, by the client's address: a shop's guest Wi-Fi is one address for many people. */
  rating: LimitPolicy;
}

export const DEFAULT_LIMITS: HqLimits = {
  address: { ratePerSecond: 200, burst: 400, concurrent: 64 },
  terminal: { ratePerSecond: 20, burst: 40, concurrent: 4 },
  signIn: { ratePerSecond: 0.1, burst: 10, concurrent: 2 },
  rating: { ratePerSecond: 1, burst: 30, concurrent: 4 },
};
