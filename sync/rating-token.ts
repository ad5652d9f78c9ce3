/**
 * The token in the rating QR on a charge receipt: which visit it rates (terminal, operation, store, cashier,
 * time), signed by the till with the Ed25519 key it speaks to HQ with. HQ verifies it with the public key it
 * already holds, so nobody can make a token for a visit that did not happen or change the one printed; that
 * a visit is rated once is HQ's to enforce (one rating per operation id).
 *
 * Format: `<base64url JSON claims>.<base64url signature>`, the signature over a fixed label and the claims' text,
 * so a rating token can never pass for a signed request or anything else the key signs.
 */
import { sign, verify } from 'node:crypto';
import { z } from 'zod';
import { SyncError } from './errors';
import { signingPrivateKey, signingPublicKey } from './terminal-keys';

const LABEL = 'member-card-pos/rating/v1\n';
/** A receipt's QR is good for this long after the visit. */
export const RATING_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Longest token HQ reads: far above a real one (about 300 characters), far below anything costly. */
export const MAX_RATING_TOKEN_LENGTH = 1024;

const claimsSchema = z
  .object({
    terminalId: z.string().min(1).max(128),
    operationId: z.string().min(1).max(128),
    storeId: z.string().min(1).max(128),
    staffId: z.string().max(128),
    staffName: z.string().max(64),
    at: z.number().int().nonnegative(),
  })
  .strict();

export type RatingClaims = z.infer<typeof claimsSchema>;

function message(body: string): Buffer {
  return Buffer.from(`${LABEL}${body}`, 'utf8');
}

/** Signs the claims with the till's signing key (the base64url seed the key store keeps). */
export function makeRatingToken(claims: RatingClaims, signingSeed: string): string {
  const body = Buffer.from(JSON.stringify(claimsSchema.parse(claims)), 'utf8').toString('base64url');
  const signature = sign(null, message(body), signingPrivateKey(signingSeed));
  return `${body}.${signature.toString('base64url')}`;
}

function refused(reason: string, cause?: unknown): SyncError {
  return new SyncError('RATING_TOKEN_INVALID', 'This rating link is not valid.', {
    details: { reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The claims of a token whose shape is right, before its signature is checked (to find the terminal's key). */
export function readRatingToken(token: string): { claims: RatingClaims; body: string; signature: Buffer } {
  if (token.length > MAX_RATING_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    throw refused('malformed');
  }
  const [body, signatureText] = token.split('.') as [string, string];
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch (cause) {
    throw refused('malformed', cause);
  }
  const parsed = claimsSchema.safeParse(value);
  if (!parsed.success) throw refused('malformed');
  const signature = Buffer.from(signatureText, 'base64url');
  if (signature.length !== 64) throw refused('malformed');
  return { claims: parsed.data, body, signature };
}

/**
 * The claims of a token the named terminal signed, still within its time. `publicKeyOf` gives the terminal's
 * key (undefined: unknown or revoked terminal, and the token is refused).
 */
export async function verifyRatingToken(
  token: string,
  publicKeyOf: (terminalId: string) => Promise<string | undefined>,
  now: number,
): Promise<RatingClaims> {
  const { claims, body, signature } = readRatingToken(token);
  const key = await publicKeyOf(claims.terminalId);
  if (key === undefined) throw refused('unknown_terminal');
  if (!verify(null, message(body), signingPublicKey(key), signature)) throw refused('bad_signature');
  if (now - claims.at > RATING_TOKEN_TTL_MS) {
    throw new SyncError('RATING_TOKEN_EXPIRED', 'This rating link has expired.', {
      details: { at: claims.at },
    });
  }
  return claims;
}
