/**
 * The rating token a charge receipt's QR carries: only the till's own key makes one HQ accepts, any change to
 * it (claims or signature) is refused, a token of another till's key or of an unknown or revoked till is
 * refused, it expires 30 days after the visit, and it never reads as anything but the visit it was made for.
 */
import { describe, expect, it } from 'vitest';
import {
  makeRatingToken,
  RATING_TOKEN_TTL_MS,
  type RatingClaims,
  verifyRatingToken,
} from '../../../sync/rating-token';
import { newSigningKeyPair } from '../../../sync/terminal-keys';

const till = newSigningKeyPair();
const other = newSigningKeyPair();
const AT = Date.UTC(2026, 11, 5, 4, 0, 0);
const claims: RatingClaims = {
  terminalId: 'S01-T1',
  operationId: 'op-0001',
  storeId: 'S01',
  staffId: 'staff-7',
  staffName: '王芳',
  at: AT,
};
const keys = async (terminalId: string) => (terminalId === 'S01-T1' ? till.publicKey : undefined);

async function refusal(token: string, now = AT + 60_000, keyOf = keys) {
  try {
    await verifyRatingToken(token, keyOf, now);
  } catch (error) {
    return {
      code: (error as { code: string }).code,
      reason: (error as { details?: { reason?: string } }).details?.reason,
    };
  }
  throw new Error('the token was accepted');
}

describe('rating token', () => {
  it('reads back the visit it was made for, under the till’s own key', async () => {
    const token = makeRatingToken(claims, till.privateKey);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await verifyRatingToken(token, keys, AT + 60_000)).toEqual(claims);
  });

  it('is the same token every time for the same visit (a reprint rates the same visit)', () => {
    expect(makeRatingToken(claims, till.privateKey)).toBe(makeRatingToken(claims, till.privateKey));
  });

  it('refuses a token signed by another key (forged)', async () => {
    expect(await refusal(makeRatingToken(claims, other.privateKey))).toEqual({
      code: 'RATING_TOKEN_INVALID',
      reason: 'bad_signature',
    });
  });

  it('refuses claims altered after signing (another operation, store or cashier)', async () => {
    const [, signature] = makeRatingToken(claims, till.privateKey).split('.');
    for (const change of [
      { operationId: 'op-0002' },
      { storeId: 'S02' },
      { staffName: '李四' },
      { at: AT + 1 },
    ]) {
      const body = Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url');
      expect(await refusal(`${body}.${signature}`)).toEqual({
        code: 'RATING_TOKEN_INVALID',
        reason: 'bad_signature',
      });
    }
  });

  it('refuses an altered signature', async () => {
    const [body, signature] = makeRatingToken(claims, till.privateKey).split('.') as [string, string];
    const bytes = Buffer.from(signature, 'base64url');
    bytes[0] = bytes[0]! ^ 1;
    expect((await refusal(`${body}.${bytes.toString('base64url')}`)).reason).toBe('bad_signature');
  });

  it('refuses a token of a till HQ does not know or revoked', async () => {
    const token = makeRatingToken({ ...claims, terminalId: 'S09-T9' }, till.privateKey);
    expect(await refusal(token)).toEqual({ code: 'RATING_TOKEN_INVALID', reason: 'unknown_terminal' });
  });

  it('refuses malformed tokens without asking for a key', async () => {
    const asked: string[] = [];
    const keyOf = async (id: string) => {
      asked.push(id);
      return till.publicKey;
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature = makeRatingToken(claims, till.privateKey).split('.')[1]!;
    for (const token of [
      '',
      'abc',
      `${body}.${signature}.x`,
      `${body}.${signature.slice(2)}`,
      `${Buffer.from('not json').toString('base64url')}.${signature}`,
      `${Buffer.from(JSON.stringify({ ...claims, extra: 1 })).toString('base64url')}.${signature}`,
      `${body}!.${signature}`,
      `${'a'.repeat(2000)}.${signature}`,
    ]) {
      expect(await refusal(token, AT, keyOf)).toEqual({ code: 'RATING_TOKEN_INVALID', reason: 'malformed' });
    }
    expect(asked).toEqual([]);
  });

  it('expires 30 days after the visit', async () => {
    const token = makeRatingToken(claims, till.privateKey);
    expect(await verifyRatingToken(token, keys, AT + RATING_TOKEN_TTL_MS)).toEqual(claims);
    expect((await refusal(token, AT + RATING_TOKEN_TTL_MS + 1)).code).toBe('RATING_TOKEN_EXPIRED');
  });
});
