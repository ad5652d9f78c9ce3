/**
 * Signing of outbound webhooks (member notices to an SMS/email gateway, events to a store's CRM).
 *
 * Each request carries:
 *   X-POS-Timestamp: the send time, UTC seconds since the epoch
 *   X-POS-Signature: "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + raw body)
 *   X-POS-Event:     the notice kind or CRM event type (wallet.top_up, member.created, …)
 *   X-POS-Delivery:  the notice's id; the same id on every retry, so a receiver can drop duplicates
 * A receiver recomputes the HMAC over the exact bytes it received, compares in constant time, and refuses a
 * timestamp more than five minutes from its clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-pos-signature';
export const TIMESTAMP_HEADER = 'x-pos-timestamp';
export const EVENT_HEADER = 'x-pos-event';
export const DELIVERY_HEADER = 'x-pos-delivery';
export const DEFAULT_TOLERANCE_S = 300;

export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function signedHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signature(secret, timestamp, body),
  };
}

export type VerifyOutcome = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/** What a receiver does: the signature over the exact body, and a timestamp inside the tolerance. */
export function verifySignature(input: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
  toleranceS?: number;
}): VerifyOutcome {
  if (input.timestamp === undefined || input.signature === undefined || !/^\d+$/.test(input.timestamp)) {
    return { ok: false, reason: 'missing' };
  }
  const timestamp = Number(input.timestamp);
  if (Math.abs(input.nowMs / 1000 - timestamp) > (input.toleranceS ?? DEFAULT_TOLERANCE_S)) {
    return { ok: false, reason: 'stale' };
  }
  const expected = Buffer.from(signature(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
