import { describe, expect, it } from 'vitest';
import { SyncError } from '../../../sync';
import {
  canonicalRequest,
  HEADER_NONCE,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  NonceStore,
  signRequest,
  verifyRequest,
} from '../../../sync/signing';
import { newSigningKeyPair } from '../../../sync/terminal-keys';

/** The till signs with its private seed; HQ verifies with the public key alone. */
const pair = newSigningKeyPair();
const key = pair.privateKey;
const newTerminalKey = () => newSigningKeyPair().privateKey;
const now = 1_790_000_000_000;
const body = JSON.stringify({ version: 1, terminalId: 'T1', operations: [] });

function signed(overrides: Partial<Parameters<typeof signRequest>[0]> = {}) {
  return signRequest({ key, terminalId: 'T1', method: 'POST', path: '/v1/push', body, now, ...overrides });
}

async function verify(
  headers: Record<string, string>,
  extra: { body?: string; path?: string; now?: number; nonces?: NonceStore } = {},
) {
  return verifyRequest({
    method: 'POST',
    path: extra.path ?? '/v1/push',
    headers,
    body: extra.body ?? body,
    now: extra.now ?? now,
    keyOf: (id) => (id === 'T1' ? pair.publicKey : undefined),
    nonces: extra.nonces ?? new NonceStore(),
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SyncError);
    return (error as SyncError).code;
  }
  throw new Error('expected a refusal');
}

describe('request signing', () => {
  it('canonicalises method, path, timestamp, nonce and the body hash, one per line', () => {
    expect(canonicalRequest('post', '/v1/push', 5, 'nonce-123', '')).toBe(
      'POST\n/v1/push\n5\nnonce-123\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('accepts a request signed with the terminal key and names the terminal', async () => {
    await expect(verify({ ...signed() })).resolves.toBe('T1');
  });

  it('refuses a tampered body, path or signature', async () => {
    expect(await codeOf(verify({ ...signed() }, { body: body.replace('[]', '[1]') }))).toBe('BAD_SIGNATURE');
    expect(await codeOf(verify({ ...signed() }, { path: '/v1/feed' }))).toBe('BAD_SIGNATURE');
    // The first character carries six whole bits of the signature's first byte, so changing it always changes
    // the signature (the last ones may be padding bits a decoder ignores, or already what they are set to).
    const headers = { ...signed() };
    const signature = headers[HEADER_SIGNATURE];
    headers[HEADER_SIGNATURE] = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(await codeOf(verify(headers))).toBe('BAD_SIGNATURE');
  });

  it('refuses a request signed with another key', async () => {
    expect(await codeOf(verify({ ...signed({ key: newTerminalKey() }) }))).toBe('BAD_SIGNATURE');
  });

  it('refuses an unsigned request and an unknown terminal', async () => {
    expect(await codeOf(verify({}))).toBe('REQUEST_UNSIGNED');
    expect(await codeOf(verify({ ...signed({ terminalId: 'T9' }) }))).toBe('UNKNOWN_TERMINAL');
  });

  it('refuses malformed timestamps and nonces', async () => {
    expect(await codeOf(verify({ ...signed(), [HEADER_TIMESTAMP]: '12e5' }))).toBe('SIGNATURE_MALFORMED');
    expect(await codeOf(verify({ ...signed({ nonce: 'short' }) }))).toBe('SIGNATURE_MALFORMED');
  });

  it('refuses a timestamp outside the window and reports the server time', async () => {
    const skewed = signed({ now: now - 3 * 3_600_000 });
    try {
      await verify({ ...skewed });
      throw new Error('expected CLOCK_SKEW');
    } catch (error) {
      expect((error as SyncError).code).toBe('CLOCK_SKEW');
      expect((error as SyncError).details).toMatchObject({ serverTime: now });
    }
    await expect(verify({ ...signed({ now: now - 60_000 }) })).resolves.toBe('T1');
  });

  it('refuses a replay of the same request inside the window', async () => {
    const nonces = new NonceStore();
    const headers = { ...signed() };
    await expect(verify(headers, { nonces })).resolves.toBe('T1');
    expect(await codeOf(verify(headers, { nonces, now: now + 1_000 }))).toBe('REPLAYED_REQUEST');
    expect(await codeOf(verify(headers, { nonces, now: now + 10 * 60_000 }))).toBe('CLOCK_SKEW');
  });

  it('does not let a forged request burn a genuine nonce', async () => {
    const nonces = new NonceStore();
    const genuine = { ...signed({ nonce: 'fixed-nonce-1' }) };
    const forged = { ...signed({ nonce: 'fixed-nonce-1', key: newTerminalKey() }) };
    expect(await codeOf(verify(forged, { nonces }))).toBe('BAD_SIGNATURE');
    await expect(verify(genuine, { nonces })).resolves.toBe('T1');
    expect(genuine[HEADER_NONCE]).toBe('fixed-nonce-1');
  });

  it('forgets nonces once they can no longer pass the window', () => {
    const nonces = new NonceStore(1_000);
    expect(nonces.claim('T1', 'n-1', 0)).toBe(true);
    expect(nonces.claim('T1', 'n-1', 1_500)).toBe(false);
    expect(nonces.claim('T1', 'n-2', 5_000)).toBe(true);
    expect(nonces.size).toBe(1);
  });
});
