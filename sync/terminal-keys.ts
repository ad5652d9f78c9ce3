/**
 * The terminal's own keys, made on the till at enrolment:
 * - an Ed25519 signing pair: HQ keeps only the public half and verifies every request with it, so a leak of
 *   HQ's database lets nobody speak for a till;
 * - an X25519 box pair, used once: HQ seals the chain's card keys to it (ECDH with a fresh key of HQ's, HKDF,
 *   AES-256-GCM), so the card keys never cross the wire readable by anyone but this till.
 * Keys travel as base64url of their raw 32 bytes; a private key is rebuilt from its 32-byte seed.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { SyncError } from './errors';

/** PKCS#8 DER before the 32-byte seed, per RFC 8410 (Ed25519 OID 1.3.101.112, X25519 1.3.101.110). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const RAW_KEY_BYTES = 32;

export interface KeyPairText {
  /** base64url of the raw 32-byte public key: what is sent to HQ. */
  publicKey: string;
  /** base64url of the 32-byte private seed: what the key store wraps. Never sent, never logged. */
  privateKey: string;
}

function rawBytes(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.length !== RAW_KEY_BYTES) {
    throw new SyncError('MALFORMED_KEY', `The ${what} is not ${RAW_KEY_BYTES} bytes.`);
  }
  return bytes;
}

function pair(type: 'ed25519' | 'x25519'): KeyPairText {
  const { publicKey, privateKey } =
    type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('x25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return { publicKey: publicKey.export({ format: 'jwk' }).x as string, privateKey: jwk.d as string };
}

/** A fresh Ed25519 signing pair. */
export function newSigningKeyPair(): KeyPairText {
  return pair('ed25519');
}

/** A fresh X25519 pair for receiving sealed secrets. */
export function newBoxKeyPair(): KeyPairText {
  return pair('x25519');
}

/**
 * Key objects already built, by their text. Building one (parsing DER or JWK) costs about a millisecond, many
 * times the Ed25519 signature it is used for, and a till signs every request with the same key while HQ
 * verifies each terminal's requests with the same public key. Bounded, so a flood of keys cannot grow it.
 */
const MAX_KEY_OBJECTS = 20_000;
const privateKeyObjects = new Map<string, KeyObject>();
const publicKeyObjects = new Map<string, KeyObject>();

function built(cache: Map<string, KeyObject>, text: string, build: () => KeyObject): KeyObject {
  let key = cache.get(text);
  if (key === undefined) {
    key = build();
    if (cache.size >= MAX_KEY_OBJECTS) cache.clear();
    cache.set(text, key);
  }
  return key;
}

export function signingPrivateKey(seed: string): KeyObject {
  return built(privateKeyObjects, seed, () =>
    createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, rawBytes(seed, 'signing key')]),
      format: 'der',
      type: 'pkcs8',
    }),
  );
}

export function signingPublicKey(raw: string): KeyObject {
  return built(publicKeyObjects, raw, () => {
    rawBytes(raw, 'public key');
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' });
  });
}

function boxPrivateKey(seed: string): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, rawBytes(seed, 'box key')]),
    format: 'der',
    type: 'pkcs8',
  });
}

function boxPublicKey(raw: string): KeyObject {
  rawBytes(raw, 'box public key');
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw }, format: 'jwk' });
}

/** A secret sealed to one box key: HQ's one-use public key, the GCM nonce and the ciphertext with its tag. */
export interface SealedBox {
  ephemeralKey: string;
  iv: string;
  ciphertext: string;
}

const SEAL_INFO = 'member-card-pos/sealed-box/v1';

function boxKey(shared: Buffer, ephemeralKey: string, recipientKey: string, context: string): Buffer {
  const salt = Buffer.concat([
    Buffer.from(ephemeralKey, 'base64url'),
    Buffer.from(recipientKey, 'base64url'),
  ]);
  return Buffer.from(hkdfSync('sha256', shared, salt, `${SEAL_INFO}/${context}`, 32));
}

/**
 * Seals `plaintext` to `recipientKey` (X25519, raw base64url). `context` names what is sealed and for whom
 * (e.g. the terminal id), so a box cannot be replayed as another kind of secret or to another till.
 */
export function sealTo(recipientKey: string, plaintext: Uint8Array, context: string): SealedBox {
  const ephemeral = newBoxKeyPair();
  const shared = diffieHellman({
    privateKey: boxPrivateKey(ephemeral.privateKey),
    publicKey: boxPublicKey(recipientKey),
  });
  const iv = randomBytes(12);
  const cipher = createCipheriv(
    'aes-256-gcm',
    boxKey(shared, ephemeral.publicKey, recipientKey, context),
    iv,
  );
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return {
    ephemeralKey: ephemeral.publicKey,
    iv: iv.toString('base64url'),
    ciphertext: sealed.toString('base64url'),
  };
}

/** Opens a box sealed to `recipient`; a box for another key or context, or altered, is SEALED_BOX_INVALID. */
export function openSealed(recipient: KeyPairText, box: SealedBox, context: string): Buffer {
  try {
    const shared = diffieHellman({
      privateKey: boxPrivateKey(recipient.privateKey),
      publicKey: boxPublicKey(box.ephemeralKey),
    });
    const data = Buffer.from(box.ciphertext, 'base64url');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      boxKey(shared, box.ephemeralKey, recipient.publicKey, context),
      Buffer.from(box.iv, 'base64url'),
    );
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
  } catch (cause) {
    throw new SyncError('SEALED_BOX_INVALID', 'A sealed secret from HQ does not open with this till’s key.', {
      cause,
    });
  }
}
